/**
 * The strike table (model.md, "Strike table"): the N market strikes nearest the price, each
 * with the model's probability for its favourite side, the market's quotes and the edge.
 *
 * Field names are snake_case because this object is what the API and the UI show, column for
 * column as model.md names them.
 *
 * Units: quotes come in as integer centi-cents (units.ts) and are shown in cents as the
 * market shows them (5 600 → 56; a sub-cent quote keeps its fraction: 550 → 5.5). Diffs are
 * in cents: the model's fair value (a probability in percent is a price in cents) minus the
 * ask, unrounded. A missing quote (empty book side) is null, and so is a diff that needs it.
 */
import {
  CENTICENTS_PER_CENT,
  type CentiCents,
  type Contracts,
  type EpochMs,
  type SymbolId,
} from '../units.ts';
import type { FingerprintGrid } from './fingerprint-grid.ts';
import { momentumBucketFromPercent, momentumDisplay } from './momentum.ts';
import { strikeProbability, type KnownAverage, type Settlement, type Side } from './probability.ts';

export const DEFAULT_STRIKE_ROWS = 21;

/** One market of the event, as the market-data layer holds it. */
export interface StrikeMarket {
  ticker: string;
  /** Integer dollars (units.ts). */
  strike: number;
  yesBid: CentiCents | null;
  yesAsk: CentiCents | null;
  noBid: CentiCents | null;
  noAsk: CentiCents | null;
  volume: Contracts;
}

export interface StrikeTableInput {
  symbol: SymbolId;
  price: number;
  ttcSeconds: number;
  eventTicker: string;
  /** The hour's close (epoch ms): gives the title's hour in New York time. */
  closeTimeMs: EpochMs;
  /** Overrides the computed title (e.g. the exchange's own). */
  marketTitle?: string;
  strikeTier: number;
  /** Live momentum in percent; undefined before there is any → baseline table. */
  momentumPercent: number | undefined;
  grid: FingerprintGrid;
  settle: Settlement;
  knownAverage?: KnownAverage;
  markets: readonly StrikeMarket[];
  seq: number;
  /** Rows wanted (default 21). */
  rows?: number;
}

export interface StrikeRow {
  strike: number;
  /** |price − strike|, dollars (to the cent). */
  buffer: number;
  buffer_pct: number;
  /** The active side's win probability, percent. */
  probability: number;
  yes_bid: number | null;
  yes_ask: number | null;
  no_bid: number | null;
  no_ask: number | null;
  yes_diff: number | null;
  no_diff: number | null;
  volume: number;
  ticker: string;
  active_side: Side;
}

export interface StrikeTable {
  symbol: SymbolId;
  price: number;
  ttc_seconds: number;
  event_ticker: string;
  market_title: string;
  strike_tier: number;
  /** Display score (whole basis points); null without momentum. */
  momentum_score: number | null;
  /** Bucket used (−30…30); null = baseline table. */
  momentum_bucket: number | null;
  model_id: string;
  settle: Settlement;
  seq: number;
  /** Ascending by strike. */
  rows: StrikeRow[];
}

const NEW_YORK_HOUR = new Intl.DateTimeFormat('en-US', {
  timeZone: 'America/New_York',
  hour: 'numeric',
  hour12: true,
});

/** "BTC price today at 5pm?" — the close hour in New York time. */
export function marketTitle(symbol: SymbolId, closeTimeMs: EpochMs): string {
  const hour = NEW_YORK_HOUR.format(closeTimeMs).replace(/\s+/g, '').toLowerCase();
  return `${symbol} price today at ${hour}?`;
}

function cents(value: CentiCents | null): number | null {
  return value === null ? null : value / CENTICENTS_PER_CENT;
}

/**
 * The `count` markets with strikes nearest `price`, ascending by strike. On a tie in
 * distance the lower strike is taken first.
 */
export function nearestStrikes<T extends { strike: number }>(
  markets: readonly T[],
  price: number,
  count: number,
): T[] {
  let sorted = markets;
  for (let i = 1; i < markets.length; i++) {
    if (markets[i]!.strike < markets[i - 1]!.strike) {
      sorted = [...markets].sort((a, b) => a.strike - b.strike);
      break;
    }
  }
  // First index with strike ≥ price, then grow a window outwards.
  let lo = 0;
  let hi = sorted.length;
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    if (sorted[mid]!.strike < price) lo = mid + 1;
    else hi = mid;
  }
  let below = lo - 1;
  let above = lo;
  const wanted = Math.min(count, sorted.length);
  while (above - below - 1 < wanted) {
    if (below < 0) above++;
    else if (above >= sorted.length) below--;
    else if (price - sorted[below]!.strike <= sorted[above]!.strike - price) below--;
    else above++;
  }
  return sorted.slice(below + 1, above);
}

export function computeStrikeTable(input: StrikeTableInput): StrikeTable {
  const { price, grid, settle } = input;
  const bucket = momentumBucketFromPercent(input.momentumPercent);
  const chosen = nearestStrikes(input.markets, price, input.rows ?? DEFAULT_STRIKE_ROWS);
  const rows: StrikeRow[] = new Array<StrikeRow>(chosen.length);
  for (let i = 0; i < chosen.length; i++) {
    const market = chosen[i]!;
    const p = strikeProbability({
      grid,
      price,
      strike: market.strike,
      ttcSeconds: input.ttcSeconds,
      bucket: bucket ?? 'baseline',
      settle,
      ...(input.knownAverage ? { knownAverage: input.knownAverage } : {}),
    });
    const yesAsk = cents(market.yesAsk);
    const noAsk = cents(market.noAsk);
    // model.md: the active side is worth p cents, the other side 100 − p.
    const yesActive = p.activeSide === 'yes';
    const buffer = Math.round(Math.abs(price - market.strike) * 100) / 100;
    rows[i] = {
      strike: market.strike,
      buffer,
      buffer_pct: (buffer / price) * 100,
      probability: p.probability,
      yes_bid: cents(market.yesBid),
      yes_ask: yesAsk,
      no_bid: cents(market.noBid),
      no_ask: noAsk,
      yes_diff: yesAsk === null ? null : (yesActive ? p.probability : 100 - p.probability) - yesAsk,
      no_diff: noAsk === null ? null : (yesActive ? 100 - p.probability : p.probability) - noAsk,
      volume: market.volume,
      ticker: market.ticker,
      active_side: p.activeSide,
    };
  }
  return {
    symbol: input.symbol,
    price,
    ttc_seconds: input.ttcSeconds,
    event_ticker: input.eventTicker,
    market_title: input.marketTitle ?? marketTitle(input.symbol, input.closeTimeMs),
    strike_tier: input.strikeTier,
    momentum_score: input.momentumPercent === undefined ? null : momentumDisplay(input.momentumPercent).score,
    momentum_bucket: bucket ?? null,
    model_id: grid.meta.modelId,
    settle,
    seq: input.seq,
    rows,
  };
}
