/**
 * Checks the 60-second-average settlement against a Monte Carlo random walk: a Gaussian grid
 * (the exact fingerprint of a random walk) fed to strikeProbability must match the simulated
 * probability that the average of the last 60 one-second prints ends above the strike.
 */
import { describe, it, expect } from 'vitest';
import { gridFromFunction, type FingerprintMeta } from './fingerprint-grid.ts';
import { strikeProbability, type KnownAverage } from './probability.ts';

/** Volatility: 0.1 % per √minute. */
const SIGMA_MINUTE_PCT = 0.1;
const SIGMA_SECOND = SIGMA_MINUTE_PCT / 100 / Math.sqrt(60);
const PRICE = 100_000;

/** Standard normal CDF (Abramowitz–Stegun 7.1.26, |error| < 1.5e-7). */
function normalCdf(z: number): number {
  const x = Math.abs(z) / Math.SQRT2;
  const t = 1 / (1 + 0.3275911 * x);
  const erf =
    1 -
    ((((1.061405429 * t - 1.453152027) * t + 1.421413741) * t - 0.284496736) * t + 0.254829592) *
      t *
      Math.exp(-x * x);
  return z >= 0 ? (1 + erf) / 2 : (1 - erf) / 2;
}

const META: FingerprintMeta = {
  modelId: 'gaussian',
  symbol: 'BTC',
  source: 'synthetic',
  synthetic: true,
  from: null,
  to: null,
  rowsUsed: null,
  builtAt: 0,
  weighting: null,
  tableRows: null,
  rowsFilledFromBaseline: 0,
};
const gaussian = gridFromFunction(META, (_table, minute, x) => {
  const tail = 100 * (1 - normalCdf(x / (SIGMA_MINUTE_PCT * Math.sqrt(minute))));
  return { up: tail, down: tail };
});

function mulberry32(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

function normalSource(seed: number): () => number {
  const random = mulberry32(seed);
  return () => Math.sqrt(-2 * Math.log(1 - random())) * Math.cos(2 * Math.PI * random());
}

const PATHS = 40_000;

/** P(average of the 60 prints before the close ≥ strike), percent, simulated. */
function simulatedYes(ttcSeconds: number, strike: number, knownMean?: number): number {
  const normal = normalSource(ttcSeconds * 7919 + strike);
  const unknownPrints = Math.min(60, ttcSeconds);
  const knownPrints = 60 - unknownPrints;
  let yes = 0;
  for (let path = 0; path < PATHS; path++) {
    // Walk to the start of the window in one step (if it lies ahead), then print each second.
    let price = PRICE * (1 + SIGMA_SECOND * Math.sqrt(Math.max(0, ttcSeconds - 60)) * normal());
    let sum = knownPrints * (knownMean ?? PRICE);
    for (let s = 0; s < unknownPrints; s++) {
      price += PRICE * SIGMA_SECOND * normal();
      sum += price;
    }
    if (sum / 60 >= strike) yes++;
  }
  return (100 * yes) / PATHS;
}

function modelYes(
  settle: 'close' | 'average60',
  ttcSeconds: number,
  strike: number,
  known?: KnownAverage,
): number {
  return strikeProbability({
    grid: gaussian,
    price: PRICE,
    strike,
    ttcSeconds,
    bucket: 0,
    settle,
    ...(known ? { knownAverage: known } : {}),
  }).yesProbability;
}

// Monte Carlo standard error ≤ 0.25 pp at 40 000 paths, plus the grid's 0.05 % interpolation.
const TOLERANCE_PP = 1;

describe('60-second average settlement vs a simulated random walk', () => {
  // Far from the close the two settlements differ by less than the simulation's noise, so
  // "beats the closing-print model" is only asserted where the difference is material.
  const cases: [ttc: number, strikeOffsetPct: number, beatsClose: boolean][] = [
    [90, 0.08, true],
    [90, -0.05, true],
    [300, 0.15, true],
    [900, -0.3, false],
  ];
  for (const [ttc, offset, beatsClose] of cases) {
    it(`TTC ${ttc} s, strike ${offset > 0 ? '+' : ''}${offset} %: matches the simulation`, () => {
      const strike = PRICE * (1 + offset / 100);
      const simulated = simulatedYes(ttc, strike);
      const average = modelYes('average60', ttc, strike);
      expect(Math.abs(average - simulated)).toBeLessThan(TOLERANCE_PP);
      if (beatsClose) {
        const close = modelYes('close', ttc, strike);
        expect(Math.abs(close - simulated)).toBeGreaterThan(Math.abs(average - simulated) + 0.5);
      }
    });
  }

  const lastMinute: [ttc: number, strikeOffsetPct: number, knownMeanOffsetPct: number][] = [
    [45, 0.02, 0],
    [30, 0.01, -0.02],
    [30, 0.01, 0.03],
    [10, -0.005, 0.01],
  ];
  for (const [ttc, offset, meanOffset] of lastMinute) {
    it(`inside the last minute (${ttc} s left, strike ${offset} %, known mean ${meanOffset} %) matches`, () => {
      const strike = PRICE * (1 + offset / 100);
      const knownMean = PRICE * (1 + meanOffset / 100);
      const simulated = simulatedYes(ttc, strike, knownMean);
      const model = modelYes('average60', ttc, strike, { seconds: 60 - ttc, mean: knownMean });
      expect(Math.abs(model - simulated)).toBeLessThan(TOLERANCE_PP);
    });
  }
});
