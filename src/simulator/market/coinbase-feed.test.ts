import { describe, it, expect } from 'vitest';
import { DEFAULT_SPOT, SpotFeed } from './coinbase-feed.ts';
import type { SpotTick } from './coinbase-feed.ts';
import { Random } from './random.ts';

const T0 = Date.parse('2025-08-03T19:59:00Z');

describe('Coinbase spot feed', () => {
  it('follows the index within the second, at irregular times, with sequences and candles', () => {
    const feed = new SpotFeed(DEFAULT_SPOT.BTC);
    const random = Random.seeded('spot');
    let index = 115_000;
    const ticks: SpotTick[] = [];
    for (let s = 0; s < 120; s++) {
      const next = index + random.normal() * 10;
      const out = feed.ticksForSecond(T0 + s * 1000, index, next, random);
      for (const tick of out) {
        expect(tick.timeMs).toBeGreaterThan(T0 + s * 1000);
        expect(tick.timeMs).toBeLessThanOrEqual(T0 + (s + 1) * 1000);
        expect(Math.abs(tick.price - index)).toBeLessThan(40);
        expect(Math.round(tick.price * 100)).toBe(Number((tick.price * 100).toFixed(6)));
        expect(tick.bestBid).toBeLessThan(tick.bestAsk);
      }
      ticks.push(...out);
      index = next;
    }
    expect(ticks.length).toBeGreaterThan(300); // ~4 a second
    expect(ticks.map((t) => t.sequence)).toEqual(ticks.map((_, i) => i + 1));
    const gaps = new Set(ticks.slice(1).map((t, i) => t.timeMs - (ticks[i]?.timeMs ?? 0)));
    expect(gaps.size).toBeGreaterThan(50); // irregular cadence
    expect(feed.candles).toHaveLength(2);
    const first = feed.candles[0];
    const inFirst = ticks.filter((t) => t.timeMs < T0 + 60_000);
    expect(first).toEqual({
      startMs: T0,
      open: inFirst[0]?.price,
      close: inFirst.at(-1)?.price,
      high: Math.max(...inFirst.map((t) => t.price)),
      low: Math.min(...inFirst.map((t) => t.price)),
      volume: expect.closeTo(
        inFirst.reduce((s, t) => s + t.size, 0),
        6,
      ),
    });
    expect(feed.stats24h(T0 + 120_000)?.open).toBe(first?.open);
  });

  it('restores from a snapshot and continues identically', () => {
    const a = new SpotFeed(DEFAULT_SPOT.ETH);
    const ra = Random.seeded('eth-spot');
    a.ticksForSecond(T0, 3_800, 3_801, ra);
    const b = new SpotFeed(DEFAULT_SPOT.ETH, JSON.parse(JSON.stringify(a.snapshot())));
    const rb = Random.fromState(ra.state());
    expect(b.ticksForSecond(T0 + 1000, 3_801, 3_800.5, rb)).toEqual(
      a.ticksForSecond(T0 + 1000, 3_801, 3_800.5, ra),
    );
  });
});
