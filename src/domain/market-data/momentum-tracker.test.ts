import { describe, expect, it } from 'vitest';
import { MomentumTracker } from './momentum-tracker.ts';

const T0 = Date.UTC(2025, 6, 26, 18, 0, 0);
const S = 1_000;
const M = 60_000;

/** Fills every second in [fromMs, toMs] with price(second). */
function fill(tracker: MomentumTracker, fromMs: number, toMs: number, price: (ms: number) => number): void {
  for (let t = fromMs; t <= toMs; t += S) tracker.add({ secondMs: t, priceCents: price(t) });
}

describe('MomentumTracker', () => {
  it('computes every horizon from a full 30-minute history (exact weighted value)', () => {
    const now = T0 + 30 * M;
    // P0 = $100 000; references chosen for round returns: +25 %, 0 %, −20 %, +100 %, +150 %, −50 %.
    const references: Record<number, number> = {
      1: 8_000_000,
      2: 10_000_000,
      3: 12_500_000,
      4: 5_000_000,
      15: 4_000_000,
      30: 20_000_000,
    };
    const tracker = new MomentumTracker();
    fill(tracker, T0, now, (t) => {
      for (const [k, cents] of Object.entries(references)) if (t === now - Number(k) * M) return cents;
      return 9_000_000;
    });
    tracker.add({ secondMs: now, priceCents: 10_000_000 });
    const reading = tracker.reading()!;
    expect(reading.atMs).toBe(now);
    expect(reading.priceCents).toBe(10_000_000);
    expect(reading.missingHorizons).toEqual([]);
    expect(reading.deltas.map((d) => [d.minutes, d.referenceAtMs, d.referenceCents])).toEqual(
      [1, 2, 3, 4, 15, 30].map((k) => [k, now - k * M, references[k]]),
    );
    expect(reading.deltas.map((d) => d.changePercent)).toEqual([25, 0, -20, 100, 150, -50]);
    // 0.30·25 + 0.25·0 + 0.20·(−20) + 0.15·100 + 0.05·150 + 0.05·(−50) = 23.5 %
    expect(reading.percent).toBeCloseTo(23.5, 12);
    expect(reading.bucket).toBe(30); // 2 350 bps, clamped
    expect(reading.score).toBe(2_350);
    expect(reading).toMatchObject({ arrows: 3, direction: 'up' });
  });

  it('gives a small realistic momentum its bucket and display', () => {
    const now = T0 + 30 * M;
    const tracker = new MomentumTracker();
    fill(tracker, T0, now - S, () => 10_000_000);
    tracker.add({ secondMs: now, priceCents: 9_993_000 }); // −0.07 % against every horizon
    const reading = tracker.reading()!;
    expect(reading.percent).toBeCloseTo(-0.07, 12);
    expect(reading).toMatchObject({ bucket: -7, score: -7, arrows: 1, direction: 'down' });
  });

  it('drops missing horizons and renormalises the weights (5 minutes of history)', () => {
    const start = T0;
    const now = T0 + 5 * M;
    const tracker = new MomentumTracker();
    // Price falls 1 cent per second from $50 000.00.
    fill(tracker, start, now, (t) => 5_000_000 - (t - start) / S);
    const reading = tracker.reading()!;
    expect(reading.missingHorizons).toEqual([15, 30]);
    const p0 = 5_000_000 - 300;
    const r = (k: number) => ((p0 - (p0 + 60 * k)) / (p0 + 60 * k)) * 100;
    expect(reading.deltas.map((d) => d.minutes)).toEqual([1, 2, 3, 4]);
    reading.deltas.forEach((d) => expect(d.changePercent).toBeCloseTo(r(d.minutes), 14));
    const expected = (0.3 * r(1) + 0.25 * r(2) + 0.2 * r(3) + 0.15 * r(4)) / 0.9;
    expect(reading.percent).toBeCloseTo(expected, 14);
    // ≈ −0.0026 % = −0.26 bps → bucket 0 (and never −0).
    expect(Object.is(reading.bucket, 0)).toBe(true);
    expect(reading.direction).toBe('flat');
  });

  it('reports no momentum (nulls) when every horizon is missing', () => {
    const tracker = new MomentumTracker();
    expect(tracker.reading()).toBeUndefined();
    fill(tracker, T0, T0 + 59 * S, () => 100);
    const reading = tracker.reading()!;
    expect(reading.missingHorizons).toEqual([1, 2, 3, 4, 15, 30]);
    expect(reading.deltas).toEqual([]);
    expect(reading).toMatchObject({
      percent: null,
      bucket: null,
      score: null,
      arrows: null,
      direction: null,
    });
  });

  it('uses the newest earlier price within the staleness limit, and no older', () => {
    const now = T0 + 10 * M;
    const tracker = new MomentumTracker({ maxStalenessMs: 5 * S });
    tracker.add({ secondMs: now - M - 5 * S, priceCents: 1_000 }); // 5 s before the 1-min target
    tracker.add({ secondMs: now - 2 * M - 6 * S, priceCents: 2_000 }); // 6 s before the 2-min target
    tracker.add({ secondMs: now - 3 * M, priceCents: 3_000 }); // exact
    tracker.add({ secondMs: now - 3 * M - S, priceCents: 9_999 }); // older than the exact one: unused
    tracker.add({ secondMs: now, priceCents: 1_100 });
    const reading = tracker.reading()!;
    expect(reading.deltas.map((d) => [d.minutes, d.referenceAtMs, d.referenceCents])).toEqual([
      [1, now - M - 5 * S, 1_000],
      [3, now - 3 * M, 3_000],
    ]);
    expect(reading.missingHorizons).toEqual([2, 4, 15, 30]);
    const r1 = 10;
    const r3 = ((1_100 - 3_000) / 3_000) * 100;
    expect(reading.percent).toBeCloseTo((0.3 * r1 + 0.2 * r3) / 0.5, 12);
  });

  it('has every horizon right after a start when seeded from stored candles', () => {
    const tracker = new MomentumTracker();
    // 31 candles, minutes 0–30; close of minute m = $60 000 + m dollars.
    const candles = Array.from({ length: 31 }, (_, m) => ({
      startMs: T0 + m * M,
      closeCents: 6_000_000 + m * 100,
    }));
    expect(tracker.seedFromCandles(candles)).toBe(31);
    // First live second 31 min 5 s after T0.
    const now = T0 + 31 * M + 5 * S;
    tracker.add({ secondMs: now, priceCents: 6_004_000 });
    const reading = tracker.reading()!;
    expect(reading.missingHorizons).toEqual([]);
    // Target for k minutes = T0 + (31 − k) min + 5 s → newest close before it: minute 30 − k, at its 59th second.
    expect(reading.deltas.map((d) => [d.minutes, d.referenceAtMs, d.referenceCents])).toEqual(
      [1, 2, 3, 4, 15, 30].map((k) => [k, T0 + (30 - k) * M + 59 * S, 6_000_000 + (30 - k) * 100]),
    );
    const r = (k: number) =>
      ((6_004_000 - (6_000_000 + (30 - k) * 100)) / (6_000_000 + (30 - k) * 100)) * 100;
    const expected = 0.3 * r(1) + 0.25 * r(2) + 0.2 * r(3) + 0.15 * r(4) + 0.05 * r(15) + 0.05 * r(30);
    expect(reading.percent).toBeCloseTo(expected, 13);
  });

  it('never lets a seed overwrite a live price of the same second', () => {
    const tracker = new MomentumTracker();
    tracker.add({ secondMs: T0 + 59 * S, priceCents: 111 });
    tracker.seedFromCandles([{ startMs: T0, closeCents: 222 }]);
    expect(tracker.priceAt(T0 + 59 * S)).toBe(111);
    // …but a live price replaces a seed.
    tracker.seedFromCandles([{ startMs: T0 + M, closeCents: 333 }]);
    tracker.add({ secondMs: T0 + M + 59 * S, priceCents: 444 });
    expect(tracker.priceAt(T0 + M + 59 * S)).toBe(444);
  });

  it('keeps bounded memory: a fixed ring, old seconds forgotten', () => {
    const tracker = new MomentumTracker();
    expect(tracker.capacity).toBe(30 * 60 + 60 + 1);
    fill(tracker, T0, T0 + 40 * M, (t) => 1_000 + (t - T0) / S);
    const now = T0 + 40 * M;
    expect(tracker.priceAt(now - 30 * M)).toBe(1_000 + 10 * 60);
    expect(tracker.priceAt(now - 31 * M - 1 * S)).toBeUndefined(); // beyond the ring: overwritten
    expect(tracker.add({ secondMs: T0, priceCents: 5 })).toBe(false); // too old to store
    expect(tracker.priceAt(T0)).toBeUndefined();
    expect(tracker.reading()!.missingHorizons).toEqual([]);
    // A jump of an hour leaves only the new second: every horizon is missing, nothing stale is used.
    tracker.add({ secondMs: now + 60 * M, priceCents: 2_000 });
    expect(tracker.reading()!.missingHorizons).toEqual([1, 2, 3, 4, 15, 30]);
  });

  it('rejects bad input', () => {
    const tracker = new MomentumTracker();
    expect(() => tracker.add({ secondMs: T0 + 1, priceCents: 1 })).toThrow(/whole second/);
    expect(() => tracker.add({ secondMs: T0, priceCents: 1.5 })).toThrow(/integer cents/);
    expect(() => tracker.seedFromCandles([{ startMs: T0 + S, closeCents: 1 }])).toThrow(/not a minute/);
    expect(() => new MomentumTracker({ maxStalenessMs: 1_500 })).toThrow(/whole seconds/);
  });
});
