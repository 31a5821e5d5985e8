import { describe, it, expect } from 'vitest';
import { parseMarketTicker } from '../../domain/kalshi/tickers.ts';
import { settlesYes } from '../../domain/kalshi/settlement.ts';
import type { EngineEvent } from '../engine/types.ts';
import { defaultSimulationConfig, MarketSimulation } from './simulation.ts';
import type { SimulationOutput } from './simulation.ts';
import { parseSimulationSnapshot } from './simulation-snapshot.ts';

const START = Date.parse('2025-08-03T19:52:00Z'); // 15:52 ET, 8 minutes before the 16:00 close
const CLOSE = Date.parse('2025-08-03T20:00:00Z');

function run(sim: MarketSimulation, untilMs: EpochMsLike, stepMs = 1000): SimulationOutput[] {
  const outputs: SimulationOutput[] = [];
  for (let t = sim.now + stepMs; t <= untilMs; t += stepMs) outputs.push(sim.advanceTo(t));
  return outputs;
}
type EpochMsLike = number;

/** BTC only: the tests that run many seconds need one symbol, not two. */
const btcOnly = (overrides: Parameters<typeof defaultSimulationConfig>[0] = {}) =>
  defaultSimulationConfig({ symbols: { BTC: defaultSimulationConfig().symbols.BTC! }, ...overrides });

describe('market simulation', () => {
  it('lists the current and next hourly events with 75 strikes around the index', () => {
    const { simulation, output } = MarketSimulation.create(defaultSimulationConfig({ startTimeMs: START }));
    expect(output.listedEvents.map((e) => e.eventTicker).sort()).toEqual([
      'KXBTCD-25AUG0316',
      'KXBTCD-25AUG0317',
      'KXETHD-25AUG0316',
      'KXETHD-25AUG0317',
    ]);
    const btc = simulation.getEvent('KXBTCD-25AUG0316');
    expect(btc?.marketTickers).toHaveLength(75);
    expect((btc?.strikes[1] ?? 0) - (btc?.strikes[0] ?? 0)).toBe(250);
    expect(parseMarketTicker(btc?.marketTickers[37] as string).strike).toBe(115_000);
    const markets = simulation.engine.listMarkets({ eventTicker: 'KXBTCD-25AUG0316' });
    expect(markets.every((m) => m.status === 'active')).toBe(true);
    expect(
      simulation.engine
        .listMarkets({ eventTicker: 'KXBTCD-25AUG0317' })
        .every((m) => m.status === 'initialized'),
    ).toBe(true);
    // Makers quote right away: a two-sided market at the money, 1–4¢ wide.
    const atMoney = simulation.engine.getMarket(btc?.marketTickers[37] as string);
    expect(atMoney?.yesBidCc).not.toBeNull();
    expect(atMoney?.yesAskCc).not.toBeNull();
    const spread = (atMoney?.yesAskCc as number) - (atMoney?.yesBidCc as number);
    expect(spread).toBeGreaterThanOrEqual(100);
    expect(spread).toBeLessThanOrEqual(500);
  });

  it('runs an hour end to end: prints, ticks, trades, close, determination from the index, settlement', () => {
    const { simulation } = MarketSimulation.create(btcOnly({ startTimeMs: START }));
    const outputs = run(simulation, CLOSE + 240_000);
    const events = outputs.flatMap((o) => o.engineEvents);
    const prints = outputs.flatMap((o) => o.indexPrints).filter((p) => p.symbol === 'BTC');
    expect(prints).toHaveLength((CLOSE + 240_000 - START) / 1000);
    expect(prints.every((p) => Math.round(p.price * 100) === p.price * 100)).toBe(true);
    const ticks = outputs.flatMap((o) => o.spotTicks).filter((t) => t.productId === 'BTC-USD');
    expect(ticks.length).toBeGreaterThan(500);
    expect(ticks.every((t, i) => i === 0 || t.sequence === (ticks[i - 1]?.sequence as number) + 1)).toBe(
      true,
    );
    const maxGap = Math.max(
      ...ticks.map((t) => Math.abs(t.price - (prints.find((p) => p.timeMs >= t.timeMs)?.price ?? t.price))),
    );
    expect(maxGap).toBeLessThan(200); // spot follows the index within dollars
    expect(events.filter((e) => e.type === 'trade').length).toBeGreaterThan(5);

    const lifecycle = events.filter(
      (e): e is Extract<EngineEvent, { type: 'market_lifecycle' }> =>
        e.type === 'market_lifecycle' && e.ticker.startsWith('KXBTCD-25AUG0316'),
    );
    const at = (type: string): number[] => [
      ...new Set(lifecycle.filter((e) => e.eventType === type).map((e) => e.tsMs)),
    ];
    expect(at('closed')).toEqual([CLOSE]);
    expect(at('determined')).toEqual([CLOSE + 70_000]);
    expect(at('settled')).toEqual([CLOSE + 229_000]);

    const event = simulation.getEvent('KXBTCD-25AUG0316');
    const window = prints.filter((p) => p.timeMs >= CLOSE - 60_000 && p.timeMs < CLOSE);
    expect(window).toHaveLength(60);
    const sumCents = window.reduce((s, p) => s + Math.round(p.price * 100), 0);
    expect(event?.settlement).toMatchObject({ sumCents, printCount: 60 });
    for (const [i, strike] of (event?.strikes ?? []).entries()) {
      const market = simulation.engine.getMarket(event?.marketTickers[i] as string);
      expect(market?.status).toBe('settled');
      expect(market?.result).toBe(settlesYes(sumCents, 60, strike) ? 'yes' : 'no');
      expect(market?.openInterest).toBe(0);
    }
    expect(
      simulation.engine.listMarkets({ eventTicker: 'KXBTCD-25AUG0317' }).every((m) => m.status === 'active'),
    ).toBe(true);
  });

  it('lets a user trade against the makers and get paid at settlement', () => {
    const { simulation } = MarketSimulation.create(btcOnly({ startTimeMs: START + 300_000 }));
    run(simulation, START + 310_000);
    const now = simulation.now;
    simulation.engine.createAccount({ accountId: 'user', balanceCc: 1_000_000, nowMs: now });
    const ticker = simulation.getEvent('KXBTCD-25AUG0316')?.marketTickers[37] as string;
    const ask = simulation.engine.getMarket(ticker)?.yesAskCc as number;
    const result = simulation.engine.placeOrder({
      accountId: 'user',
      ticker,
      side: 'bid',
      count: 5,
      priceCc: ask,
      timeInForce: 'fill_or_kill',
      clientOrderId: 'u1',
      nowMs: now,
    });
    expect(result.ok).toBe(true);
    run(simulation, CLOSE + 240_000);
    const settlement = simulation.engine.listSettlements('user')[0];
    const market = simulation.engine.getMarket(ticker);
    expect(settlement).toMatchObject({
      ticker,
      yesCount: 5,
      revenueCc: market?.result === 'yes' ? 50_000 : 0,
    });
  });

  it('is deterministic and continues identically after a JSON snapshot and restore', () => {
    const config = btcOnly({ startTimeMs: START + 240_000, seed: 'twin' });
    const a = MarketSimulation.create(config).simulation;
    const b = MarketSimulation.create(config).simulation;
    run(a, START + 300_000, 700);
    run(b, START + 300_000, 700);
    expect(b.snapshot()).toEqual(a.snapshot());
    const restored = MarketSimulation.restore(
      parseSimulationSnapshot(JSON.parse(JSON.stringify(a.snapshot()))),
    );
    const fromA = run(a, CLOSE + 100_000, 900);
    const fromRestored = run(restored, CLOSE + 100_000, 900);
    expect(fromRestored).toEqual(fromA);
    expect(restored.snapshot()).toEqual(a.snapshot());
    const other = MarketSimulation.create(
      defaultSimulationConfig({ startTimeMs: START, seed: 'other' }),
    ).simulation;
    run(other, START + 120_000, 700);
    expect(other.indexPrice('BTC')).not.toEqual(a.indexPrice('BTC'));
  });

  it('rejects a corrupted snapshot with a clear error', () => {
    const { simulation } = MarketSimulation.create(defaultSimulationConfig({ startTimeMs: START }));
    const snapshot = JSON.parse(JSON.stringify(simulation.snapshot()));
    snapshot.engine.accounts[0].balanceCc = 'lots';
    expect(() => parseSimulationSnapshot(snapshot)).toThrow(/balanceCc/);
  });

  it('never lists two events with one ticker across the end of daylight saving', () => {
    const start = Date.parse('2025-11-02T04:30:00Z'); // 00:30 EDT
    const { simulation } = MarketSimulation.create(
      defaultSimulationConfig({
        startTimeMs: start,
        maker: null,
        flow: null,
        symbols: { BTC: defaultSimulationConfig().symbols.BTC! },
      }),
    );
    run(simulation, start + 3 * 3_600_000, 60_000);
    const closes = simulation.listEvents().map((e) => [e.eventTicker, new Date(e.closeTime).toISOString()]);
    expect(closes).toContainEqual(['KXBTCD-25NOV0201', '2025-11-02T05:00:00.000Z']);
    expect(closes).toContainEqual(['KXBTCD-25NOV0202', '2025-11-02T07:00:00.000Z']);
    expect(new Set(closes.map((c) => c[0])).size).toBe(closes.length);
  });
});
