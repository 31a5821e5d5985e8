import { describe, it, expect } from 'vitest';
import {
  historicalMomentumBps,
  liveMomentumPercent,
  momentumBucket,
  momentumBucketFromPercent,
  momentumDisplay,
} from './momentum.ts';

/** 31+ closes at 100 with chosen values at chosen rows. */
function series(length: number, overrides: Record<number, number>): Float64Array {
  const closes = new Float64Array(length).fill(100);
  for (const [i, v] of Object.entries(overrides)) closes[Number(i)] = v;
  return closes;
}

describe('historicalMomentumBps', () => {
  it('has no value for the first 30 rows', () => {
    const m = historicalMomentumBps(series(31, {}));
    for (let i = 0; i < 30; i++) expect(m[i]).toBeNaN();
    expect(m[30]).toBe(0);
  });

  it('weights every horizon: a 0.1 % rise over all of them is 10 bps', () => {
    // P0 = 100.1, P1…P30 = 100 → every return is 0.001, the weights sum to 1.
    const m = historicalMomentumBps(series(31, { 30: 100.1 }));
    expect(m[30]).toBeCloseTo(10, 9);
  });

  it('uses weight 0.30 for the 1-minute return only', () => {
    // P0 = 100, P1 = 80: (100 − 80)/80 = 0.25 → 0.25 · 0.30 · 10 000 = 750 bps.
    const m = historicalMomentumBps(series(31, { 29: 80 }));
    expect(m[30]).toBeCloseTo(750, 9);
  });

  it('uses weight 0.05 for the 30-minute return only', () => {
    // P30 = 50 → (100 − 50)/50 = 1 → 1 · 0.05 · 10 000 = 500 bps.
    const m = historicalMomentumBps(series(31, { 0: 50 }));
    expect(m[30]).toBeCloseTo(500, 9);
  });

  it('gives no momentum where the 30 previous minutes are not all present', () => {
    const closes = series(40, {});
    const ts = Array.from({ length: 40 }, (_, i) => i * 60_000 + (i >= 5 ? 60_000 : 0)); // gap before row 5
    const m = historicalMomentumBps(closes, ts);
    expect(m[34]).toBeNaN(); // row 34 is only 29 rows into the run that starts at 5
    expect(m[35]).toBe(0);
  });
});

describe('liveMomentumPercent', () => {
  it('is in percent with all horizons', () => {
    const all = { 1: 100, 2: 100, 3: 100, 4: 100, 15: 100, 30: 100 };
    expect(liveMomentumPercent(100.043, all)).toBeCloseTo(0.043, 12);
  });

  it('drops missing horizons and renormalises the weights', () => {
    // Only 1 and 30 minutes: (0.01 · 0.30 + 1.02 · 0.05) / 0.35 · 100.
    const p = liveMomentumPercent(101, { 1: 100, 30: 50 });
    expect(p).toBeCloseTo(((0.003 + 0.051) / 0.35) * 100, 12);
    // Unusable prices count as missing.
    expect(liveMomentumPercent(101, { 1: 100, 2: NaN, 3: 0, 4: -5, 30: 50 })).toBe(p);
  });

  it('renormalises a single horizon to its own return', () => {
    expect(liveMomentumPercent(101, { 15: 100 })).toBeCloseTo(1, 12);
  });

  it('is undefined with no usable horizon or price', () => {
    expect(liveMomentumPercent(100, {})).toBeUndefined();
    expect(liveMomentumPercent(0, { 1: 100 })).toBeUndefined();
  });
});

describe('momentumBucket', () => {
  it('rounds halves toward +infinity (Math.round), never returning −0', () => {
    expect(momentumBucket(2.5)).toBe(3);
    expect(momentumBucket(-2.5)).toBe(-2);
    expect(momentumBucket(-2.51)).toBe(-3);
    expect(Object.is(momentumBucket(-0.4), 0)).toBe(true);
    expect(momentumBucket(4.49)).toBe(4);
  });

  it('clamps to −30…30 instead of falling back', () => {
    expect(momentumBucket(30.4)).toBe(30);
    expect(momentumBucket(250)).toBe(30);
    expect(momentumBucket(-31)).toBe(-30);
  });

  it('has no bucket without momentum', () => {
    expect(momentumBucket(NaN)).toBeUndefined();
    expect(momentumBucketFromPercent(undefined)).toBeUndefined();
  });

  it('converts a live percent to bps first', () => {
    expect(momentumBucketFromPercent(0.043)).toBe(4);
    expect(momentumBucketFromPercent(-0.125)).toBe(-12);
  });
});

describe('momentumDisplay', () => {
  it('shows whole bps and 0–3 arrows at 5 / 10 / 20', () => {
    expect(momentumDisplay(0.043)).toEqual({ score: 4, arrows: 0, direction: 'up' });
    expect(momentumDisplay(0.05)).toEqual({ score: 5, arrows: 1, direction: 'up' });
    expect(momentumDisplay(0.0999)).toEqual({ score: 10, arrows: 2, direction: 'up' });
    expect(momentumDisplay(-0.15)).toEqual({ score: -15, arrows: 2, direction: 'down' });
    expect(momentumDisplay(0.2)).toEqual({ score: 20, arrows: 3, direction: 'up' });
    expect(momentumDisplay(-0.001)).toEqual({ score: 0, arrows: 0, direction: 'flat' });
  });
});
