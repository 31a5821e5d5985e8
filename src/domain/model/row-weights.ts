/**
 * Per-start-row weights for the fingerprint count: recent market behaviour may matter more
 * than five-year-old behaviour. The weighting is resolved against the data (latest year,
 * as-of time) so the stored metadata says exactly what was applied.
 */
import type { Weighting } from './fingerprint-grid.ts';

const DAY_MS = 86_400_000;

/** v2's year weights: the latest year 5, then 4, 3, 2, anything older 1. */
export function v2YearWeight(year: number, latestYear: number): number {
  return Math.max(1, 5 - (latestYear - year));
}

/** Fills in what a weighting leaves to the data (latest year, as-of time). */
export function resolveWeighting(weighting: Weighting, timestamps: ArrayLike<number>): Weighting {
  const last = timestamps.length > 0 ? timestamps[timestamps.length - 1]! : 0;
  switch (weighting.kind) {
    case 'none':
      return weighting;
    case 'v2-year':
      return { kind: 'v2-year', latestYear: weighting.latestYear ?? new Date(last).getUTCFullYear() };
    case 'half-life':
      return { kind: 'half-life', halfLifeDays: weighting.halfLifeDays, asOf: weighting.asOf ?? last };
  }
}

/**
 * The weight of every row, or undefined when all weights are 1 (the builder then skips the
 * multiplication). Pure: years come from the timestamps, never from the clock.
 */
export function rowWeights(weighting: Weighting, timestamps: ArrayLike<number>): Float64Array | undefined {
  const resolved = resolveWeighting(weighting, timestamps);
  const n = timestamps.length;
  if (resolved.kind === 'none') return undefined;
  const weights = new Float64Array(n);
  if (resolved.kind === 'v2-year') {
    const latestYear = resolved.latestYear!;
    // Timestamps are increasing: walk year boundaries instead of building a Date per row.
    let year = n > 0 ? new Date(timestamps[0]!).getUTCFullYear() : 0;
    let nextYearStart = Date.UTC(year + 1, 0, 1);
    for (let i = 0; i < n; i++) {
      while (timestamps[i]! >= nextYearStart) {
        year += 1;
        nextYearStart = Date.UTC(year + 1, 0, 1);
      }
      weights[i] = v2YearWeight(year, latestYear);
    }
    return weights;
  }
  const asOf = resolved.asOf!;
  const halfLifeMs = resolved.halfLifeDays * DAY_MS;
  for (let i = 0; i < n; i++) weights[i] = Math.pow(0.5, (asOf - timestamps[i]!) / halfLifeMs);
  return weights;
}
