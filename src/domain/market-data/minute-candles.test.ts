import { describe, expect, it } from 'vitest';
import { MinuteCandleBuilder, rollUpMinuteCandles } from './minute-candles.ts';
import { PerSecondPriceAggregator, type SecondPrice } from './per-second-price.ts';

const T0 = Date.UTC(2025, 6, 26, 18, 0, 0);
const MIN = 60_000;

function second(
  offsetSeconds: number,
  cents: number,
  carried = false,
  trades = carried ? 0 : 1,
): SecondPrice {
  return {
    secondMs: T0 + offsetSeconds * 1000,
    price: cents / 100,
    priceCents: cents,
    carried,
    trades,
    sequence: offsetSeconds,
    tradeTimeMs: T0 + offsetSeconds * 1000,
  };
}

describe('1-minute candles', () => {
  it('rolls a full minute into OHLC cents with counts, complete', () => {
    // 60 seconds: rises 100.00 → 100.59 with a dip to 99.50 at second 30 and a carried second.
    const prices = Array.from({ length: 60 }, (_, i) =>
      i === 30 ? second(i, 9_950) : i === 31 ? second(i, 9_950, true) : second(i, 10_000 + i, false, 2),
    );
    const [candle, ...rest] = rollUpMinuteCandles(prices);
    expect(rest).toEqual([]);
    expect(candle).toEqual({
      startMs: T0,
      openCents: 10_000,
      highCents: 10_059,
      lowCents: 9_950,
      closeCents: 10_059,
      seconds: 60,
      tradedSeconds: 59,
      trades: 58 * 2 + 1,
      complete: true,
    });
  });

  it('emits a minute when the next one starts, incomplete when seconds were missing', () => {
    const builder = new MinuteCandleBuilder();
    expect(builder.add(second(5, 200))).toBeUndefined();
    expect(builder.add(second(59, 300))).toBeUndefined();
    const first = builder.add(second(61, 400));
    expect(first).toMatchObject({
      startMs: T0,
      openCents: 200,
      highCents: 300,
      lowCents: 200,
      closeCents: 300,
    });
    expect(first).toMatchObject({ seconds: 2, tradedSeconds: 2, complete: false });
    expect(builder.openCandle).toMatchObject({ startMs: T0 + MIN, openCents: 400, seconds: 1 });
  });

  it('closes a minute once it is sealed, even when no later price arrives', () => {
    const builder = new MinuteCandleBuilder();
    builder.add(second(0, 100));
    expect(builder.closeUntil(T0 + 59_999)).toBeUndefined();
    expect(builder.closeUntil(T0 + MIN)).toMatchObject({ startMs: T0, closeCents: 100, seconds: 1 });
    expect(builder.closeUntil(T0 + 2 * MIN)).toBeUndefined();
    expect(builder.openCandle).toBeUndefined();
  });

  it('skips minutes without any priced second (no fake candle over a hole)', () => {
    const candles = rollUpMinuteCandles([second(10, 100), second(200, 200)]);
    expect(candles.map((c) => (c.startMs - T0) / MIN)).toEqual([0, 3]);
  });

  it('refuses seconds out of order', () => {
    const builder = new MinuteCandleBuilder();
    builder.add(second(3, 100));
    expect(() => builder.add(second(3, 100))).toThrow(/does not follow/);
    expect(() => builder.add(second(2, 100))).toThrow(/does not follow/);
  });

  it('chains with the per-second aggregator: ticks → seconds → candles', () => {
    const agg = new PerSecondPriceAggregator({ latenessMs: 0, maxCarryMs: 60_000 });
    const builder = new MinuteCandleBuilder();
    const candles = [];
    // A trade every 7 s for 3 minutes, price = 50 000.00 + seconds (in cents).
    let seq = 0;
    for (let s = 0; s < 180; s += 7)
      agg.addTick({ sequence: ++seq, timeMs: T0 + s * 1000 + 123, price: 50_000 + s / 100 });
    for (const p of agg.sealUntil(T0 + 180_000)) {
      const done = builder.add(p);
      if (done) candles.push(done);
    }
    const last = builder.closeUntil(agg.sealedUntilMs!);
    if (last) candles.push(last);
    expect(candles).toHaveLength(3);
    // Minute 1 (60–119 s): first trade at 63 s, so 60–62 carry 56 s's price; last trade at 119 s.
    expect(candles[1]).toEqual({
      startMs: T0 + MIN,
      openCents: 5_000_056,
      highCents: 5_000_119,
      lowCents: 5_000_056,
      closeCents: 5_000_119,
      seconds: 60,
      tradedSeconds: 9,
      trades: 9,
      complete: true,
    });
    expect(candles.every((c) => c.complete)).toBe(true);
  });
});
