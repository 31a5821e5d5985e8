/**
 * The watchlist — the strikes auto entry looks at (model.md, "Watchlist"). It is wider than
 * the entry rule itself (5 pp below the minimum probability, 3 ¢ below the minimum edge) so
 * a strike is already watched when it comes into range.
 */
import type { StrikeRow } from './strike-table.ts';

export interface WatchlistThresholds {
  /** Auto entry's minimum probability, percent (default 95). */
  minProbability: number;
  /** Auto entry's minimum differential, cents (default 0.25). */
  minDifferential: number;
  /** Contracts traded (default 1000). */
  minVolume: number;
  /** Both asks at most this, cents (default 98): above it there is nothing left to win. */
  maxAskCents: number;
}

export const DEFAULT_WATCHLIST_THRESHOLDS: Readonly<WatchlistThresholds> = {
  minProbability: 95,
  minDifferential: 0.25,
  minVolume: 1000,
  maxAskCents: 98,
};

/** How far below the entry thresholds the watchlist reaches. */
export const WATCH_PROBABILITY_MARGIN = 5;
export const WATCH_DIFFERENTIAL_MARGIN = 3;
/** Diffs are differences of floats (90.13 − 92 = −1.8700000000000045): ≥ forgives that noise. */
const FLOAT_SLACK = 1e-9;

/**
 * Keeps a row iff volume ≥ minVolume, probability > minProbability − 5, both asks present
 * and ≤ maxAskCents, and (yes_diff ≥ minDifferential − 3 or no_diff ≥ minDifferential − 3);
 * sorted by probability, highest first (ties: lower strike first, so the order is stable).
 */
export function buildWatchlist(
  rows: readonly StrikeRow[],
  thresholds: Partial<WatchlistThresholds> = {},
): StrikeRow[] {
  const t = { ...DEFAULT_WATCHLIST_THRESHOLDS, ...thresholds };
  const minDiff = t.minDifferential - WATCH_DIFFERENTIAL_MARGIN - FLOAT_SLACK;
  return rows
    .filter(
      (r) =>
        r.volume >= t.minVolume &&
        r.probability > t.minProbability - WATCH_PROBABILITY_MARGIN &&
        r.yes_ask !== null &&
        r.no_ask !== null &&
        r.yes_ask <= t.maxAskCents &&
        r.no_ask <= t.maxAskCents &&
        ((r.yes_diff !== null && r.yes_diff >= minDiff) || (r.no_diff !== null && r.no_diff >= minDiff)),
    )
    .sort((a, b) => b.probability - a.probability || a.strike - b.strike);
}
