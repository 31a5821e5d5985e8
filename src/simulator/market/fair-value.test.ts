import { describe, it, expect } from 'vitest';
import { normalCdf, probabilityAbove, settlementAverageDistribution } from './fair-value.ts';
import { Random } from './random.ts';

const CLOSE = Date.parse('2025-08-03T20:00:00Z');

describe('normal CDF', () => {
  it('matches known values', () => {
    expect(normalCdf(0)).toBeCloseTo(0.5, 7);
    expect(normalCdf(1.959964)).toBeCloseTo(0.975, 6);
    expect(normalCdf(-1)).toBeCloseTo(0.158655254, 6);
    expect(normalCdf(3)).toBeCloseTo(0.998650102, 6);
    expect(normalCdf(-8)).toBeLessThan(1e-12);
  });
});

describe('fair value of the 60-second average', () => {
  const sigma = 1e-4; // per second
  const flat = (n: number): Float64Array => new Float64Array(n).fill(sigma * sigma);

  it('before the window, has the variance of the price d + 19.5 seconds ahead', () => {
    const d = 600;
    const dist = settlementAverageDistribution({
      nowMs: CLOSE - (d + 60) * 1000,
      closeTimeMs: CLOSE,
      price: 100_000,
      knownWindowSum: 0,
      knownCount: 0,
      varianceForecast: flat(d + 60),
    });
    expect(dist.mean).toBeCloseTo(100_000, 6);
    const expected = 100_000 * sigma * Math.sqrt(d + (59 * 119) / 360);
    expect(dist.stdev).toBeCloseTo(expected, 6);
  });

  it('inside the window, counts the known prints and only the remaining seconds', () => {
    // 45 prints known at 100 000 on average, now = 15 s before close with the index at 100 100.
    const dist = settlementAverageDistribution({
      nowMs: CLOSE - 15_000,
      closeTimeMs: CLOSE,
      price: 100_100,
      knownWindowSum: 45 * 100_000 + 100_100 - 100_000,
      knownCount: 46,
      varianceForecast: flat(15),
    });
    expect(dist.mean).toBeCloseTo((45 * 100_000 + 100 + 14 * 100_100) / 60, 6);
    let v = 0;
    for (let c = 14; c >= 1; c--) v += (c / 60) ** 2 * sigma * sigma;
    expect(dist.stdev).toBeCloseTo(100_100 * Math.sqrt(v), 9);
    const settled = settlementAverageDistribution({
      nowMs: CLOSE - 1000,
      closeTimeMs: CLOSE,
      price: 100_000,
      knownWindowSum: 60 * 100_000,
      knownCount: 60,
      varianceForecast: flat(1),
    });
    expect(settled.stdev).toBe(0);
    expect(probabilityAbove(settled, 100_000)).toBe(1); // 100 000 > 99 999.99
    expect(probabilityAbove(settled, 100_001)).toBe(0);
  });

  it('agrees with Monte Carlo of the average of a random walk', () => {
    const random = Random.seeded('fv');
    const start = 100_000;
    const secondsAhead = 300; // 4 min before the window + the window
    const strikes = [99_800, 100_000, 100_150];
    const hits = strikes.map(() => 0);
    const paths = 8_000;
    for (let p = 0; p < paths; p++) {
      let price = start;
      let sum = 0;
      for (let s = 1; s <= secondsAhead; s++) {
        price *= Math.exp(sigma * random.normal());
        if (s > secondsAhead - 60) sum += price;
      }
      strikes.forEach((k, i) => {
        if (sum / 60 > k - 0.01) hits[i] = (hits[i] as number) + 1;
      });
    }
    // Now = the second whose print is `start`; the window's last print is secondsAhead later.
    const nowMs = CLOSE - (secondsAhead + 1) * 1000 + 1000;
    const dist = settlementAverageDistribution({
      nowMs,
      closeTimeMs: CLOSE,
      price: start,
      knownWindowSum: 0,
      knownCount: 0,
      varianceForecast: flat(secondsAhead),
    });
    strikes.forEach((k, i) => {
      expect(probabilityAbove(dist, k)).toBeCloseTo((hits[i] as number) / paths, 1);
      expect(Math.abs(probabilityAbove(dist, k) - (hits[i] as number) / paths)).toBeLessThan(0.02);
    });
  });
});
