/**
 * The strike ladder's pure rules: which rows are shown and in what order, the row colour, the
 * momentum arrows, and the YES/NO cells (the ask, or with the "±" toggle the diff).
 *
 * Order: highest strike at the top, like a price axis, so the "Current Price" row sits where
 * the price is and an up arrow points at the strikes the price is moving towards.
 */
import type { Side, StrikeRow } from '../live/protocol.ts';
import { formatCents, formatDiff } from './format.ts';

export const ROWS_PER_SIDE = 7;

export interface Ladder {
  /** Strikes at or above the price, nearest last (shown above the Current Price row). */
  above: StrikeRow[];
  /** Strikes below the price, nearest first (shown under the Current Price row). */
  below: StrikeRow[];
}

/**
 * The `perSide` strikes nearest the price on each side (a strike equal to the price counts as
 * above: its YES still needs the price to hold), highest first. Fewer when the table has fewer.
 */
export function selectLadder(rows: readonly StrikeRow[], price: number, perSide = ROWS_PER_SIDE): Ladder {
  const sorted = [...rows].sort((a, b) => a.strike - b.strike);
  const firstAbove = sorted.findIndex((r) => r.strike >= price);
  const split = firstAbove === -1 ? sorted.length : firstAbove;
  const below = sorted.slice(Math.max(0, split - perSide), split).reverse();
  const above = sorted.slice(split, split + perSide).reverse();
  return { above, below };
}

export type ProbabilityBand = 'p98' | 'p95' | 'p80' | 'plow';

/** The row colour: the active side's probability ≥ 98, ≥ 95, ≥ 80, or below. */
export function probabilityBand(probability: number): ProbabilityBand {
  if (probability >= 98) return 'p98';
  if (probability >= 95) return 'p95';
  if (probability >= 80) return 'p80';
  return 'plow';
}

export interface MomentumArrows {
  count: 0 | 1 | 2 | 3;
  direction: 'up' | 'down' | 'flat';
}

/** 0–3 arrows by |score| < 5 / < 10 / < 20 / ≥ 20 bps (model.md, "Momentum"); none without a score. */
export function momentumArrows(score: number | null): MomentumArrows {
  if (score === null) return { count: 0, direction: 'flat' };
  const size = Math.abs(score);
  const count = size < 5 ? 0 : size < 10 ? 1 : size < 20 ? 2 : 3;
  return { count, direction: count === 0 ? 'flat' : score > 0 ? 'up' : 'down' };
}

export type Tone = 'pos' | 'neg' | 'zero' | 'none';

export interface QuoteCell {
  kind: 'ask' | 'diff';
  text: string;
  /** Sign of the diff (edge for a buyer); 'none' for asks and missing values. */
  tone: Tone;
  /** This side is the one the probability is for (YES below the price, NO above). */
  active: boolean;
}

/** The YES or NO buy cell: the ask in cents, or (toggle on) the diff: model fair value − ask. */
export function quoteCell(row: StrikeRow, side: Side, showDiff: boolean): QuoteCell {
  const active = row.active_side === side;
  if (!showDiff) {
    return {
      kind: 'ask',
      text: formatCents(side === 'yes' ? row.yes_ask : row.no_ask),
      tone: 'none',
      active,
    };
  }
  const diff = side === 'yes' ? row.yes_diff : row.no_diff;
  return { kind: 'diff', text: formatDiff(diff), tone: diffTone(diff), active };
}

export function diffTone(diff: number | null): Tone {
  if (diff === null) return 'none';
  const rounded = Math.round(diff * 100);
  return rounded > 0 ? 'pos' : rounded < 0 ? 'neg' : 'zero';
}
