import { describe, expect, it } from 'vitest';
import { MarketSimulation, defaultSimulationConfig } from './simulation.ts';
import { seedSpotHistory, spotHistoryBefore } from './spot-history.ts';

const START = Date.parse('2025-08-03T19:37:20Z'); // mid-minute, as a real first start is
const MIN = 60_000;

function simulation(historyMinutes: number) {
  const config = defaultSimulationConfig({
    seed: 'spot-history',
    startTimeMs: START,
    maker: null,
    flow: null,
  });
  const { simulation } = MarketSimulation.create(config);
  seedSpotHistory(simulation, config, historyMinutes);
  return simulation;
}

describe('the spot history a fresh simulator starts with', () => {
  it('is `minutes` of contiguous candles of the process, ending at the start price', () => {
    const config = defaultSimulationConfig().symbols.BTC!;
    const candles = spotHistoryBefore({ symbol: 'BTC', config, seed: 's', startMs: START, minutes: 45 });
    // 45 minutes back from 19:37:20 start at 18:52:20: minutes 18:52 … 19:37 (partial at both ends).
    expect(candles[0]!.startMs).toBe(Date.parse('2025-08-03T18:52:00Z'));
    expect(candles.at(-1)!.startMs).toBe(Date.parse('2025-08-03T19:37:00Z'));
    candles.forEach((c, i) => {
      if (i > 0) expect(c.startMs - candles[i - 1]!.startMs).toBe(MIN);
      expect(c.low).toBeLessThanOrEqual(Math.min(c.open, c.close));
      expect(c.high).toBeGreaterThanOrEqual(Math.max(c.open, c.close));
      expect(c.volume).toBeGreaterThan(0);
    });
    // Ends at the start price (spot = index plus a basis of a bp or so and half a cent of spread).
    expect(Math.abs(candles.at(-1)!.close / config.startPrice - 1)).toBeLessThan(5e-4);
    // The path moved: this is the process, not a flat line.
    expect(new Set(candles.map((c) => c.close)).size).toBe(candles.length);
    // Deterministic per seed, different across seeds.
    expect(spotHistoryBefore({ symbol: 'BTC', config, seed: 's', startMs: START, minutes: 45 })).toEqual(
      candles,
    );
    expect(spotHistoryBefore({ symbol: 'BTC', config, seed: 't', startMs: START, minutes: 45 })).not.toEqual(
      candles,
    );
    expect(spotHistoryBefore({ symbol: 'BTC', config, seed: 's', startMs: START, minutes: 0 })).toEqual([]);
  });

  it('goes before the live feed, merging the first minute, and leaves the live market unchanged', () => {
    const plain = simulation(0);
    const seeded = simulation(120);
    const before = plain.spotFeed('BTC')!.candles[0]!;
    const candles = seeded.spotFeed('BTC')!.candles;
    expect(candles).toHaveLength(121); // 120 history minutes, the first start's minute shared
    const shared = candles.at(-1)!;
    expect(shared.startMs).toBe(before.startMs);
    expect(shared.close).toBe(before.close);
    expect(shared.open).not.toBe(before.open); // the minute began in the history
    expect(shared.volume).toBeGreaterThan(before.volume);

    // The index and the live spot ticks are the same with or without the history.
    const a = plain.advanceTo(START + 5 * MIN);
    const b = seeded.advanceTo(START + 5 * MIN);
    expect(b.indexPrints).toEqual(a.indexPrints);
    expect(b.spotTicks).toEqual(a.spotTicks);
    expect(seeded.spotFeed('ETH')!.candlesBetween(START - 60 * MIN, START).length).toBe(60); // 18:38 … 19:37
  });
});
