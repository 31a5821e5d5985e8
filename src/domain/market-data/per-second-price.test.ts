import { describe, expect, it } from 'vitest';
import { PerSecondPriceAggregator, type SecondPrice } from './per-second-price.ts';

const T0 = Date.UTC(2025, 6, 26, 18, 0, 0);
const at = (seconds: number, ms = 0) => T0 + seconds * 1000 + ms;

function summary(prices: SecondPrice[]) {
  return prices.map((p) => [(p.secondMs - T0) / 1000, p.price, p.carried ? 'c' : 't']);
}

describe('PerSecondPriceAggregator', () => {
  it('takes the last trade (by sequence) of each second, whatever the arrival order', () => {
    const agg = new PerSecondPriceAggregator({ latenessMs: 500 });
    expect(agg.addTick({ sequence: 12, timeMs: at(0, 900), price: 100.12 })).toBe('accepted');
    expect(agg.addTick({ sequence: 10, timeMs: at(0, 100), price: 100.1 })).toBe('accepted');
    expect(agg.addTick({ sequence: 11, timeMs: at(0, 500), price: 100.11 })).toBe('accepted');
    expect(agg.addTick({ sequence: 13, timeMs: at(1, 0), price: 101 })).toBe('accepted');
    const sealed = agg.sealUntil(at(2, 500));
    expect(summary(sealed)).toEqual([
      [0, 100.12, 't'],
      [1, 101, 't'],
    ]);
    expect(sealed[0]).toEqual({
      secondMs: at(0),
      price: 100.12,
      priceCents: 10_012,
      carried: false,
      trades: 3,
      sequence: 12,
      tradeTimeMs: at(0, 900),
    });
  });

  it('waits latenessMs after the end of a second before sealing it', () => {
    const agg = new PerSecondPriceAggregator({ latenessMs: 500 });
    agg.addTick({ sequence: 1, timeMs: at(0, 10), price: 50 });
    expect(agg.sealUntil(at(1, 499))).toEqual([]);
    expect(agg.sealedUntilMs).toBe(at(0));
    // A tick arriving 400 ms after its second ended still counts.
    expect(agg.addTick({ sequence: 2, timeMs: at(0, 999), price: 51 })).toBe('accepted');
    expect(summary(agg.sealUntil(at(1, 500)))).toEqual([[0, 51, 't']]);
    expect(agg.sealedUntilMs).toBe(at(1));
  });

  it('drops duplicates by sequence, including a replay stamped in another second', () => {
    const agg = new PerSecondPriceAggregator();
    expect(agg.addTick({ sequence: 5, timeMs: at(0, 100), price: 10 })).toBe('accepted');
    expect(agg.addTick({ sequence: 5, timeMs: at(0, 100), price: 10 })).toBe('duplicate');
    expect(agg.addTick({ sequence: 5, timeMs: at(1, 100), price: 99 })).toBe('duplicate');
    const sealed = agg.sealUntil(at(5));
    expect(sealed[0]).toMatchObject({ price: 10, trades: 1 });
    expect(agg.stats()).toMatchObject({ accepted: 1, duplicates: 2 });
  });

  it('refuses late ticks for sealed seconds: a published price never changes', () => {
    const agg = new PerSecondPriceAggregator({ latenessMs: 0 });
    agg.addTick({ sequence: 1, timeMs: at(0, 100), price: 10 });
    expect(summary(agg.sealUntil(at(1)))).toEqual([[0, 10, 't']]);
    expect(agg.addTick({ sequence: 2, timeMs: at(0, 900), price: 11 })).toBe('late');
    // The replay of a sealed tick is late too.
    expect(agg.addTick({ sequence: 1, timeMs: at(0, 100), price: 10 })).toBe('late');
    expect(agg.stats().late).toBe(2);
    expect(agg.sealUntil(at(2))).toMatchObject([{ secondMs: at(1), price: 10, carried: true }]);
  });

  it('accepts an earlier second that arrives before anything was sealed', () => {
    const agg = new PerSecondPriceAggregator({ latenessMs: 0 });
    agg.addTick({ sequence: 8, timeMs: at(3, 0), price: 30 });
    agg.addTick({ sequence: 7, timeMs: at(2, 0), price: 20 });
    expect(summary(agg.sealUntil(at(4)))).toEqual([
      [2, 20, 't'],
      [3, 30, 't'],
    ]);
  });

  it('carries the last price through quiet seconds, up to maxCarryMs, then leaves holes', () => {
    const agg = new PerSecondPriceAggregator({ latenessMs: 0, maxCarryMs: 3_000 });
    agg.addTick({ sequence: 1, timeMs: at(0, 200), price: 7 });
    agg.addTick({ sequence: 2, timeMs: at(10, 300), price: 8 });
    const sealed = agg.sealUntil(at(12));
    expect(summary(sealed)).toEqual([
      [0, 7, 't'],
      [1, 7, 'c'],
      [2, 7, 'c'],
      [3, 7, 'c'],
      [10, 8, 't'],
      [11, 8, 'c'],
    ]);
    // A carried second keeps the trade that set its price.
    expect(sealed[1]).toMatchObject({ trades: 0, sequence: 1, tradeTimeMs: at(0, 200), priceCents: 700 });
    expect(agg.stats()).toEqual({
      accepted: 2,
      duplicates: 0,
      late: 0,
      tradedSeconds: 2,
      carriedSeconds: 4,
      holeSeconds: 6,
    });
  });

  it('seals across a long outage without walking it second by second', () => {
    const agg = new PerSecondPriceAggregator({ latenessMs: 0, maxCarryMs: 0 });
    agg.addTick({ sequence: 1, timeMs: at(0), price: 1 });
    const day = 86_400;
    agg.addTick({ sequence: 2, timeMs: at(day), price: 2 });
    expect(summary(agg.sealUntil(at(day + 1)))).toEqual([
      [0, 1, 't'],
      [day, 2, 't'],
    ]);
    expect(agg.stats().holeSeconds).toBe(day - 1);
  });

  it('emits nothing before the first trade and treats sealed-but-empty time as final', () => {
    const agg = new PerSecondPriceAggregator({ latenessMs: 0 });
    expect(agg.sealUntil(at(10))).toEqual([]);
    expect(agg.addTick({ sequence: 1, timeMs: at(9, 500), price: 1 })).toBe('late');
    expect(agg.addTick({ sequence: 2, timeMs: at(10, 500), price: 2 })).toBe('accepted');
    expect(summary(agg.sealUntil(at(11)))).toEqual([[10, 2, 't']]);
    expect(agg.stats().holeSeconds).toBe(0);
  });

  it('is idempotent for repeated or older seal times', () => {
    const agg = new PerSecondPriceAggregator({ latenessMs: 0 });
    agg.addTick({ sequence: 1, timeMs: at(0), price: 1 });
    expect(agg.sealUntil(at(3))).toHaveLength(3);
    expect(agg.sealUntil(at(3))).toEqual([]);
    expect(agg.sealUntil(at(1))).toEqual([]);
    expect(agg.sealUntil(at(4))).toMatchObject([{ secondMs: at(3), carried: true }]);
  });

  it('reports the newest exchange time and the last sealed price', () => {
    const agg = new PerSecondPriceAggregator({ latenessMs: 0 });
    agg.addTick({ sequence: 2, timeMs: at(1, 250), price: 2 });
    agg.addTick({ sequence: 1, timeMs: at(0, 750), price: 1 });
    expect(agg.lastTickTimeMs).toBe(at(1, 250));
    expect(agg.lastPrice).toBeUndefined();
    agg.sealUntil(at(2));
    expect(agg.lastPrice).toMatchObject({ secondMs: at(1), price: 2 });
  });

  it('rejects malformed ticks and options with a clear error', () => {
    const agg = new PerSecondPriceAggregator();
    expect(() => agg.addTick({ sequence: 1, timeMs: at(0), price: 100.123 })).toThrow(/at most 2 decimals/);
    expect(() => agg.addTick({ sequence: 1, timeMs: at(0), price: -1 })).toThrow(/positive dollars/);
    expect(() => agg.addTick({ sequence: 1.5, timeMs: at(0), price: 1 })).toThrow(/sequence/);
    expect(() => agg.addTick({ sequence: 1, timeMs: NaN, price: 1 })).toThrow(/time/);
    expect(() => new PerSecondPriceAggregator({ maxCarryMs: 1_500 })).toThrow(/whole number of seconds/);
    expect(() => new PerSecondPriceAggregator({ latenessMs: -1 })).toThrow(/latenessMs/);
  });
});
