import { describe, expect, it } from 'vitest';
import {
  checkCalibration,
  ECE_NOISE_FACTOR,
  reliabilityReport,
  type CalibrationBounds,
  type ClusteredForecast,
} from './reliability.ts';

const F = (percent: number, outcome: boolean, cluster: string | number): ClusteredForecast => ({
  percent,
  outcome,
  cluster,
});

/** mulberry32: a small seeded generator, so the synthetic forecasters are the same every run. */
function seeded(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/**
 * `clusters` hours of `perCluster` forecasts with P(YES) uniform in (0, 100) and outcomes
 * drawn with ONE uniform per hour (o = u < p): each forecast is calibrated on its own, and the
 * forecasts of an hour are as correlated as they can be — as strikes of one hour are.
 */
function correlatedHours(clusters: number, perCluster: number, seed: number): ClusteredForecast[] {
  const random = seeded(seed);
  const out: ClusteredForecast[] = [];
  for (let c = 0; c < clusters; c++) {
    const u = random();
    for (let k = 0; k < perCluster; k++) {
      const p = random();
      out.push(F(p * 100, u < p, c));
    }
  }
  return out;
}

const BOUNDS: CalibrationBounds = {
  bucketFloorPp: 1,
  sigmas: 3,
  minBucketClusters: 30,
  eceAllowancePp: 1,
  minBrierSkill: 0.3,
};

describe('reliabilityReport', () => {
  it('computes buckets, cluster-robust SEs, ECE and the Murphy decomposition exactly', () => {
    const r = reliabilityReport([
      F(20, false, 'A'),
      F(20, true, 'A'),
      F(80, true, 'B'),
      F(80, true, 'B'),
      F(20, false, 'C'),
    ]);
    expect(r.count).toBe(5);
    expect(r.clusters).toBe(3);
    expect(r.meanForecastPercent).toBeCloseTo(44, 12);
    expect(r.observedPercent).toBeCloseTo(60, 12);
    const low = r.buckets[2]!;
    expect(low).toMatchObject({ fromPercent: 20, toPercent: 30, count: 3, clusters: 2 });
    expect(low.meanForecastPercent).toBeCloseTo(20, 12);
    expect(low.observedPercent).toBeCloseTo(100 / 3, 12);
    expect(low.gapPp).toBeCloseTo(40 / 3, 12);
    // Residuals per hour A: 0.6, C: −0.2; mean 2/15. Centred: ±1/3. √(2/1 · 2/9) / 3 = 2/9.
    expect(low.standardErrorPp).toBeCloseTo(200 / 9, 10);
    const high = r.buckets[8]!;
    expect(high).toMatchObject({ count: 2, clusters: 1, observedPercent: 100, standardErrorPp: null });
    expect(high.gapPp).toBeCloseTo(20, 12);
    expect(r.buckets.filter((b) => b.count === 0)).toHaveLength(8);
    // ECE = 3/5 · 40/3 + 2/5 · 20.
    expect(r.ecePp).toBeCloseTo(16, 12);
    // A one-cluster bucket counts with SE 50 pp.
    expect(r.eceNoisePp).toBeCloseTo(ECE_NOISE_FACTOR * (0.6 * (200 / 9) + 0.4 * 50), 10);
    // Brier (0.04 + 0.64 + 0.04 · 3) / 5; climatology 0.6 · 0.4.
    expect(r.brier).toBeCloseTo(0.16, 15);
    expect(r.climatologyBrier).toBeCloseTo(0.24, 15);
    expect(r.brierSkill).toBeCloseTo(1 / 3, 12);
    expect(r.reliability).toBeCloseTo(0.6 * (2 / 15) ** 2 + 0.4 * 0.2 ** 2, 15);
    expect(r.resolution).toBeCloseTo(0.6 * (1 / 3 - 0.6) ** 2 + 0.4 * 0.4 ** 2, 15);
    // Forecasts are constant inside each bucket, so the decomposition is exact.
    expect(r.reliability - r.resolution + r.uncertainty).toBeCloseTo(r.brier, 15);
    // Overall: residuals A 0.6 (2), B 0.4 (2), C −0.2 (1), mean 0.16 → centred 0.28, 0.08, −0.36.
    expect(r.overallStandardErrorPp).toBeCloseTo((Math.sqrt((0.2144 * 3) / 2) / 5) * 100, 10);
  });

  it('counts an hour once: copies of its forecasts add no evidence, independent hours do', () => {
    const base = correlatedHours(200, 5, 7);
    const doubledInside = base.flatMap((f) => [f, { ...f }]);
    const asNewHours = base.flatMap((f) => [f, { ...f, cluster: `copy-${f.cluster}` }]);
    const se = (fs: ClusteredForecast[]) => reliabilityReport(fs).overallStandardErrorPp;
    expect(se(doubledInside)).toBeCloseTo(se(base), 10);
    // Twice the independent hours: the SE shrinks by about √2 (C/(C−1) makes it not exact).
    expect(se(asNewHours) / se(base)).toBeCloseTo(Math.SQRT1_2, 2);
  });

  it('refuses no forecasts, a forecast outside 0–100 % and a bad bucket count', () => {
    expect(() => reliabilityReport([])).toThrow(/no forecasts/);
    expect(() => reliabilityReport([F(100.5, true, 1)])).toThrow(/percent in \[0, 100\]/);
    expect(() => reliabilityReport([F(Number.NaN, true, 1)])).toThrow(RangeError);
    expect(() => reliabilityReport([F(50, true, 1)], 0)).toThrow(/bucketCount/);
  });
});

describe('checkCalibration', () => {
  it('passes a calibrated forecaster whose hours are internally correlated', () => {
    const check = checkCalibration(reliabilityReport(correlatedHours(400, 20, 11)), BOUNDS);
    expect(check.failures).toEqual([]);
    expect(check.pass).toBe(true);
    expect(check.bucketBoundsPp.every((b) => b !== null && b >= BOUNDS.bucketFloorPp)).toBe(true);
  });

  it('fails the same forecaster shifted by 5 pp, and names the bounds it broke', () => {
    const shifted = correlatedHours(400, 20, 11).map((f) => ({
      ...f,
      percent: Math.min(100, f.percent + 5),
    }));
    const check = checkCalibration(reliabilityReport(shifted), BOUNDS);
    expect(check.pass).toBe(false);
    expect(check.failures.some((f) => f.startsWith('ECE '))).toBe(true);
    expect(check.failures.some((f) => f.startsWith('all forecasts: '))).toBe(true);
  });

  it('fails an overconfident forecaster (probabilities pushed away from 50 %)', () => {
    const sharp = correlatedHours(400, 20, 11).map((f) => ({
      ...f,
      percent: f.percent < 50 ? f.percent / 2 : 100 - (100 - f.percent) / 2,
    }));
    const check = checkCalibration(reliabilityReport(sharp), BOUNDS);
    // Forecasts of 15 % come true 26 % of the time, forecasts of 85 % only 66 %.
    expect(check.failures.some((f) => f.startsWith('bucket 10–20 %'))).toBe(true);
    expect(check.failures.some((f) => f.startsWith('bucket 80–90 %'))).toBe(true);
  });

  it('fails climatology: perfectly calibrated, but no skill', () => {
    const forecasts = correlatedHours(400, 20, 11);
    const rate = (forecasts.filter((f) => f.outcome).length / forecasts.length) * 100;
    const check = checkCalibration(
      reliabilityReport(forecasts.map((f) => ({ ...f, percent: rate }))),
      BOUNDS,
    );
    expect(check.failures).toHaveLength(1);
    expect(check.failures[0]).toMatch(/^Brier skill -?0\.000 < 0\.3 /);
  });

  it('does not judge thin buckets, and fails when there are too few hours overall', () => {
    // 400 hours of forecasts below 90 %, then 5 hours at 95 % that all settle NO: 95 pp off, 5 hours.
    const below = correlatedHours(400, 20, 11).filter((f) => f.percent < 90);
    const lone = Array.from({ length: 5 }, (_, i) => F(95, false, `lone-${i}`));
    const withThin = reliabilityReport([...below, ...lone]);
    expect(withThin.buckets[9]).toMatchObject({ count: 5, clusters: 5, observedPercent: 0 });
    const judged = checkCalibration(withThin, BOUNDS);
    expect(judged.bucketBoundsPp[9]).toBeNull();
    expect(judged.failures.some((f) => f.startsWith('bucket 90–100'))).toBe(false);

    const few = checkCalibration(reliabilityReport(correlatedHours(10, 20, 3)), BOUNDS);
    expect(few.bucketBoundsPp.every((b) => b === null)).toBe(true);
    expect(few.failures[0]).toBe('10 clusters: too few to judge (need 30)');
  });
});
