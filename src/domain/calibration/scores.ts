/**
 * Proper scoring of probability forecasts against binary outcomes (model.md, "Quality").
 *
 * Units: forecasts come in as PERCENT (the platform's convention for probabilities); the
 * scores use the usual fractions so they compare with published figures — Brier score in
 * [0, 1] (0.1611 for the market mid in the KXBTC study), log-loss in nats.
 *
 * Log-loss needs a forecast strictly inside (0, 1): forecasts are clamped to
 * [0.01 %, 99.99 %], the model's own floor and ceiling (probability.ts), so a quote of
 * 0.5 ¢ or a 100 % forecast does not make one observation dominate — or turn into Infinity.
 */

export interface Forecast {
  /** P(YES), percent (0–100). */
  percent: number;
  /** Did YES win? */
  outcome: boolean;
}

/** Forecast clamp for log-loss, as a fraction: 0.01 %. */
export const LOG_LOSS_EPSILON = 1e-4;

function fraction(percent: number): number {
  if (!Number.isFinite(percent) || percent < 0 || percent > 100) {
    throw new RangeError(`a forecast must be a percent in [0, 100], got ${percent}`);
  }
  return percent / 100;
}

/** Mean of (p − o)²; NaN for no forecasts. */
export function brierScore(forecasts: readonly Forecast[]): number {
  if (forecasts.length === 0) return NaN;
  let sum = 0;
  for (const f of forecasts) {
    const d = fraction(f.percent) - (f.outcome ? 1 : 0);
    sum += d * d;
  }
  return sum / forecasts.length;
}

/** Mean of −ln(p) for YES outcomes and −ln(1 − p) for NO, p clamped to [ε, 1 − ε]; NaN for none. */
export function logLoss(forecasts: readonly Forecast[]): number {
  if (forecasts.length === 0) return NaN;
  let sum = 0;
  for (const f of forecasts) {
    const p = Math.min(1 - LOG_LOSS_EPSILON, Math.max(LOG_LOSS_EPSILON, fraction(f.percent)));
    sum -= Math.log(f.outcome ? p : 1 - p);
  }
  return sum / forecasts.length;
}

export interface CalibrationBucket {
  /** Forecasts in [fromPercent, toPercent) — the last bucket includes 100. */
  fromPercent: number;
  toPercent: number;
  count: number;
  yesCount: number;
  /** Mean forecast in the bucket, percent; null when empty. */
  meanForecastPercent: number | null;
  /** Share of YES outcomes, percent; null when empty. A calibrated forecaster has it ≈ the mean forecast. */
  observedPercent: number | null;
}

/**
 * Equal-width buckets of the forecast (default 10: 0–10 %, …, 90–100 %) with the mean
 * forecast and the observed frequency in each — the reliability diagram as a table.
 */
export function calibrationBuckets(forecasts: readonly Forecast[], bucketCount = 10): CalibrationBucket[] {
  if (!Number.isInteger(bucketCount) || bucketCount < 1) {
    throw new RangeError(`bucketCount must be a positive integer, got ${bucketCount}`);
  }
  const count = new Array<number>(bucketCount).fill(0);
  const yes = new Array<number>(bucketCount).fill(0);
  const sum = new Array<number>(bucketCount).fill(0);
  for (const f of forecasts) {
    const p = fraction(f.percent);
    const i = Math.min(bucketCount - 1, Math.floor(p * bucketCount));
    count[i]!++;
    sum[i]! += f.percent;
    if (f.outcome) yes[i]!++;
  }
  return count.map((n, i) => ({
    fromPercent: (i * 100) / bucketCount,
    toPercent: ((i + 1) * 100) / bucketCount,
    count: n,
    yesCount: yes[i]!,
    meanForecastPercent: n === 0 ? null : sum[i]! / n,
    observedPercent: n === 0 ? null : (yes[i]! / n) * 100,
  }));
}
