/**
 * Momentum: a weighted sum of returns over 1, 2, 3, 4, 15 and 30 minutes. It picks the
 * fingerprint table (the bucket) and is shown on screen (score and arrows).
 *
 * Two units, as in v2: the historical score per candle is in basis points; the live value is
 * in percent (0.043 % = 4.3 bps). The bucket is always computed from basis points.
 */
import { contiguousRunStarts } from './candle-series.ts';
import { MAX_BUCKET, MIN_BUCKET } from './fingerprint-grid.ts';

export const MOMENTUM_HORIZONS = [1, 2, 3, 4, 15, 30] as const;
export type MomentumHorizon = (typeof MOMENTUM_HORIZONS)[number];
export const MOMENTUM_WEIGHTS: Readonly<Record<MomentumHorizon, number>> = {
  1: 0.3,
  2: 0.25,
  3: 0.2,
  4: 0.15,
  15: 0.05,
  30: 0.05,
};
/** Rows before this index have no 30-minute-old close, hence no momentum. */
export const MOMENTUM_LOOKBACK = 30;

/**
 * Historical momentum in basis points for every 1-minute close:
 * Σ w_k · (P0 − Pk) / Pk · 10 000 with Pk = close[i − k]. NaN for the first 30 rows and, when
 * timestamps are given, for rows whose 30 previous minutes are not all present (a gap would
 * make "k rows back" something other than k minutes back).
 */
export function historicalMomentumBps(closes: Float64Array, timestamps?: ArrayLike<number>): Float64Array {
  const n = closes.length;
  const out = new Float64Array(n).fill(NaN);
  const runStarts = contiguousRunStarts(n, timestamps);
  for (let i = MOMENTUM_LOOKBACK; i < n; i++) {
    if (i - runStarts[i]! < MOMENTUM_LOOKBACK) continue;
    const p0 = closes[i]!;
    const p1 = closes[i - 1]!;
    const p2 = closes[i - 2]!;
    const p3 = closes[i - 3]!;
    const p4 = closes[i - 4]!;
    const p15 = closes[i - 15]!;
    const p30 = closes[i - 30]!;
    const weightedReturn =
      ((p0 - p1) / p1) * 0.3 +
      ((p0 - p2) / p2) * 0.25 +
      ((p0 - p3) / p3) * 0.2 +
      ((p0 - p4) / p4) * 0.15 +
      ((p0 - p15) / p15) * 0.05 +
      ((p0 - p30) / p30) * 0.05;
    out[i] = weightedReturn * 10_000;
  }
  return out;
}

/**
 * Live momentum in PERCENT from the current price and the prices 1, 2, 3, 4, 15 and 30
 * minutes ago. A horizon without a usable price (missing, not finite, not positive) is
 * dropped and the remaining weights are renormalised to sum to 1 — so a service that has run
 * for 5 minutes still gets a momentum from the short horizons. Undefined when no horizon is
 * usable (or the current price is not).
 */
export function liveMomentumPercent(
  price: number,
  pastPrices: Partial<Record<MomentumHorizon, number | undefined>>,
): number | undefined {
  if (!(price > 0) || !Number.isFinite(price)) return undefined;
  let weighted = 0;
  let weightSum = 0;
  for (const k of MOMENTUM_HORIZONS) {
    const pk = pastPrices[k];
    if (pk === undefined || !(pk > 0) || !Number.isFinite(pk)) continue;
    const w = MOMENTUM_WEIGHTS[k];
    weighted += ((price - pk) / pk) * w;
    weightSum += w;
  }
  if (weightSum === 0) return undefined;
  return (weighted / weightSum) * 100;
}

/**
 * Bucket = clamp(round(bps), −30, 30).
 *
 * Rounding rule: JavaScript's Math.round — halves go toward +∞ (2.5 → 3, −2.5 → −2, −0.5 → 0).
 * This is NOT Python's round (halves to even) and not "away from zero"; the builder and the
 * live path use this same function, so a bucket means the same thing in both. The clamp
 * matters: v2 forgot it in one path and fell back to 50/50 exactly when the move was strong.
 * Non-finite input (no momentum yet) has no bucket: undefined — callers use the baseline.
 */
export function momentumBucket(bps: number): number | undefined {
  if (!Number.isFinite(bps)) return undefined;
  const b = Math.round(bps);
  // `+ 0` turns Math.round's −0 (for −0.5 … −0) into a plain 0.
  return (b < MIN_BUCKET ? MIN_BUCKET : b > MAX_BUCKET ? MAX_BUCKET : b) + 0;
}

/** Bucket of a live momentum given in percent. */
export function momentumBucketFromPercent(percent: number | undefined): number | undefined {
  return percent === undefined ? undefined : momentumBucket(percent * 100);
}

export type MomentumArrows = 0 | 1 | 2 | 3;

export interface MomentumDisplay {
  /** The live momentum (percent) × 100 as an integer — i.e. whole basis points, Math.round. */
  score: number;
  /** 0–3 arrows by |score|: < 5 → 0, < 10 → 1, < 20 → 2, ≥ 20 → 3. */
  arrows: MomentumArrows;
  direction: 'up' | 'down' | 'flat';
}

/**
 * What the screen shows. Arrows are taken from the displayed integer score, so a "5" always
 * shows one arrow (deciding on the unrounded value could show "5" with none).
 */
export function momentumDisplay(percent: number): MomentumDisplay {
  const score = Math.round(percent * 100) + 0;
  const magnitude = Math.abs(score);
  const arrows: MomentumArrows = magnitude < 5 ? 0 : magnitude < 10 ? 1 : magnitude < 20 ? 2 : 3;
  const direction = score > 0 ? 'up' : score < 0 ? 'down' : 'flat';
  return { score, arrows, direction };
}
