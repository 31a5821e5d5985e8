import { describe, expect, it } from 'vitest';
import { priceMessageSchema } from '../../../src/core/bus/market-data-topics.ts';
import { joiningSeeds } from '../../../src/services/symbol_price_watchdog/momentum-seed.ts';
import { SpotPipeline } from '../../../src/services/symbol_price_watchdog/spot-pipeline.ts';

const MIN = 60_000;
const T0 = Date.UTC(2026, 0, 5, 14, 0, 0);

describe('momentum seeds', () => {
  const live = { secondMs: T0 + 5_000, priceCents: 10_000_000 };
  const candle = (minutesBefore: number, cents: number) => ({
    startMs: T0 - minutesBefore * MIN,
    closeCents: cents,
  });

  it('keeps the stored run that joins the live price, newest first', () => {
    const seeds = [candle(3, 9_990_000), candle(1, 9_995_000), candle(2, 9_992_000)];
    expect(joiningSeeds(seeds, live)).toEqual([
      candle(1, 9_995_000),
      candle(2, 9_992_000),
      candle(3, 9_990_000),
    ]);
  });

  it('stops at a seam to another price path, and ignores candles not older than the live second', () => {
    const seeds = [
      candle(1, 9_990_000),
      candle(2, 9_985_000),
      candle(3, 7_500_000), // a synthetic history at another level
      candle(4, 7_510_000),
      candle(0, 10_010_000), // the minute in progress: its close is after the live second
    ];
    expect(joiningSeeds(seeds, live)).toEqual([candle(1, 9_990_000), candle(2, 9_985_000)]);
    // Nothing joins a live price far from every stored close.
    expect(joiningSeeds(seeds, { ...live, priceCents: 5_000_000 })).toEqual([]);
  });

  it('allows larger moves across longer gaps (√minutes)', () => {
    // 300 bps over 4 minutes: within 200 × √4 = 400 bps, not within 200 bps for one minute.
    expect(joiningSeeds([candle(4, 9_700_000)], live)).toHaveLength(1);
    expect(joiningSeeds([candle(1, 9_700_000)], live)).toHaveLength(0);
  });
});

describe('SpotPipeline', () => {
  const tick = (sequence: number, timeMs: number, price: number, size = 0.5) => ({
    sequence,
    timeMs,
    price,
    size,
    receivedAt: timeMs + 20,
  });

  it('publishes one message per sealed second, carries forward, closes candles with their volume', () => {
    const p = new SpotPipeline('BTC');
    p.addTick(tick(1, T0 + 100, 100_000.5));
    p.addTick(tick(3, T0 + 900, 100_001.25, 0.25));
    p.addTick(tick(2, T0 + 800, 99_999.0)); // earlier sequence: not the last trade of the second
    expect(p.seal(T0 + 1_499).seconds).toEqual([]); // lateness not over yet
    const first = p.seal(T0 + 1_500);
    expect(first.seconds).toHaveLength(1);
    const message = first.seconds[0]!.message;
    expect(message).toMatchObject({
      symbol: 'BTC',
      price: 100_001.25,
      priceCents: 10_000_125,
      secondMs: T0,
      carried: false,
      exchangeTimeMs: T0 + 900,
      tickAgeMs: 1_500 - 920,
      at: T0 + 1_500,
    });
    expect(message.momentum).toMatchObject({ percent: null, missingHorizons: [1, 2, 3, 4, 15, 30] });
    expect(priceMessageSchema.safeParse({ ...message, seq: 1 }).success).toBe(true);

    // No trade for two seconds: carried forward. A new minute closes the first candle.
    const later = p.seal(T0 + 3_600);
    expect(later.seconds.map((s) => [s.price.secondMs - T0, s.price.carried])).toEqual([
      [1_000, true],
      [2_000, true],
    ]);
    p.addTick(tick(4, T0 + MIN + 10, 100_010.0, 1));
    const next = p.seal(T0 + MIN + 1_500);
    expect(next.candles).toEqual([
      {
        startMs: T0,
        openCents: 10_000_125,
        highCents: 10_000_125,
        lowCents: 10_000_125,
        closeCents: 10_000_125,
        seconds: 60,
        tradedSeconds: 1,
        trades: 3,
        complete: true,
        volume: 1.25,
      },
    ]);
  });

  it('seeds momentum from stored closes once a live price exists: exact percent', () => {
    const p = new SpotPipeline('BTC');
    // Closes at 99 000.00 for the 32 minutes before T0: every horizon finds one.
    p.offerSeeds(
      Array.from({ length: 32 }, (_, i) => ({ startMs: T0 - (i + 1) * MIN, closeCents: 9_900_000 })),
    );
    expect(p.seededCloses).toBe(0); // waits for the live price
    p.addTick(tick(1, T0 + 200, 100_000.0));
    const [second] = p.seal(T0 + 1_500).seconds;
    expect(p.seededCloses).toBe(31); // the oldest lies beyond the tracker's 30-min + 61-s ring
    const momentum = second!.message.momentum;
    expect(momentum.missingHorizons).toEqual([]);
    expect(momentum.deltas.map((d) => d.minutes)).toEqual([1, 2, 3, 4, 15, 30]);
    // Every reference is 99 000: the weighted return is (100 000 − 99 000) / 99 000.
    expect(momentum.percent).toBeCloseTo((1_000 / 99_000) * 100, 12);
    expect(momentum.score).toBe(101); // whole bps
    expect(momentum.bucket).toBe(30); // clamped
  });

  it('drops the horizons stored history does not reach and renormalises the weights: exact', () => {
    const p = new SpotPipeline('ETH');
    // Five minutes of history, each close 1 $ lower going back: 3 799, 3 798, … 3 795.
    p.offerSeeds(
      Array.from({ length: 5 }, (_, i) => ({
        startMs: T0 - (i + 1) * MIN,
        closeCents: 380_000 - (i + 1) * 100,
      })),
    );
    p.addTick(tick(1, T0 + 200, 3_800));
    const momentum = p.seal(T0 + 1_500).seconds[0]!.message.momentum;
    expect(momentum.missingHorizons).toEqual([15, 30]);
    // A close stands for its minute's last second: the newest at or before T0 − k min is the
    // close of minute −(k+1), one second earlier (within the 60-s staleness).
    const refs = momentum.deltas.map((d) => [d.minutes, d.referenceCents]);
    expect(refs).toEqual([
      [1, 379_800],
      [2, 379_700],
      [3, 379_600],
      [4, 379_500],
    ]);
    const r = (ref: number) => (380_000 - ref) / ref;
    const weighted = 0.3 * r(379_800) + 0.25 * r(379_700) + 0.2 * r(379_600) + 0.15 * r(379_500);
    expect(momentum.percent).toBeCloseTo((weighted / 0.9) * 100, 12);
  });
});
