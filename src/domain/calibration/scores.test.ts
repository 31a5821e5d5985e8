import { describe, expect, it } from 'vitest';
import { brierScore, calibrationBuckets, LOG_LOSS_EPSILON, logLoss } from './scores.ts';

const F = (percent: number, outcome: boolean) => ({ percent, outcome });

describe('brierScore', () => {
  it('is the mean squared error of the forecast fraction', () => {
    // (0.8 − 1)² + (0.3 − 0)² + (0.5 − 1)² = 0.04 + 0.09 + 0.25
    expect(brierScore([F(80, true), F(30, false), F(50, true)])).toBeCloseTo(0.38 / 3, 15);
    expect(brierScore([F(100, true), F(0, false)])).toBe(0);
    expect(brierScore([F(0, true)])).toBe(1);
  });

  it('is NaN without forecasts and refuses a forecast outside 0–100 %', () => {
    expect(brierScore([])).toBeNaN();
    expect(() => brierScore([F(101, true)])).toThrow(/percent in \[0, 100\]/);
    expect(() => brierScore([F(Number.NaN, true)])).toThrow(RangeError);
  });
});

describe('logLoss', () => {
  it('is the mean negative log-likelihood of the outcomes', () => {
    const expected = -(Math.log(0.8) + Math.log(0.7) + Math.log(0.5)) / 3;
    expect(logLoss([F(80, true), F(30, false), F(50, true)])).toBeCloseTo(expected, 15);
    expect(logLoss([F(50, false), F(50, true)])).toBeCloseTo(Math.LN2, 15);
  });

  it('clamps certain forecasts to 0.01 % / 99.99 % instead of returning Infinity', () => {
    expect(logLoss([F(0, true)])).toBeCloseTo(-Math.log(LOG_LOSS_EPSILON), 12);
    expect(logLoss([F(100, false)])).toBeCloseTo(-Math.log(LOG_LOSS_EPSILON), 12);
    expect(logLoss([F(100, true)])).toBeCloseTo(-Math.log(1 - LOG_LOSS_EPSILON), 12);
    expect(logLoss([])).toBeNaN();
  });
});

describe('calibrationBuckets', () => {
  it('puts forecasts in equal-width buckets with mean forecast and observed frequency', () => {
    const buckets = calibrationBuckets([
      F(5, false),
      F(9.99, true),
      F(10, false),
      F(95, true),
      F(100, true),
      F(92, false),
    ]);
    expect(buckets).toHaveLength(10);
    expect(buckets[0]).toEqual({
      fromPercent: 0,
      toPercent: 10,
      count: 2,
      yesCount: 1,
      meanForecastPercent: (5 + 9.99) / 2,
      observedPercent: 50,
    });
    expect(buckets[1]).toMatchObject({ count: 1, yesCount: 0, meanForecastPercent: 10, observedPercent: 0 });
    // 100 % belongs to the last bucket.
    expect(buckets[9]).toMatchObject({ fromPercent: 90, toPercent: 100, count: 3, yesCount: 2 });
    expect(buckets[9]!.meanForecastPercent).toBeCloseTo(287 / 3, 12);
    expect(buckets[9]!.observedPercent).toBeCloseTo(200 / 3, 12);
    expect(buckets[5]).toMatchObject({ count: 0, meanForecastPercent: null, observedPercent: null });
    expect(buckets.reduce((n, b) => n + b.count, 0)).toBe(6);
  });

  it('takes another bucket count and refuses a bad one', () => {
    const buckets = calibrationBuckets([F(24, true), F(25, false), F(75, true)], 4);
    expect(buckets.map((b) => [b.fromPercent, b.toPercent, b.count])).toEqual([
      [0, 25, 1],
      [25, 50, 1],
      [50, 75, 0],
      [75, 100, 1],
    ]);
    expect(() => calibrationBuckets([], 0)).toThrow(RangeError);
  });
});
