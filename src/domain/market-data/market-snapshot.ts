/**
 * The `market.<sym>` snapshot of kalshi_api_watchdog: one row per strike of the current event.
 *
 * Kalshi books hold bids only, on both legs (kalshi.md): YES ask = $1 − best NO bid (its size
 * is that NO bid's size) and NO ask = $1 − best YES bid. An empty leg gives null prices and a
 * size of 0 — never Kalshi's 0 / $1 placeholders, which look like real prices. Prices are
 * integer centi-cents, sizes whole contracts. Rows are sorted by strike, ascending.
 */
import type { CentiCents, Contracts, EpochMs, StrikeDollars, SymbolId } from '../units.ts';
import { CENTICENTS_PER_DOLLAR } from '../units.ts';
import type { KalshiMarketStatus } from './market-status.ts';

export interface BookLevel {
  price: CentiCents;
  count: Contracts;
}

/** Best bid of each leg — the shape of OrderBook.top() in src/integrations/kalshi. */
export interface MarketBookTop {
  yesBid?: BookLevel | undefined;
  noBid?: BookLevel | undefined;
}

export interface MarketActivity {
  /** YES price of the last trade. */
  lastTradePrice?: CentiCents | null;
  /** Contracts traded (Kalshi's absolute total from the ticker channel). */
  volume?: Contracts | null;
}

export interface MarketListing {
  ticker: string;
  status: KalshiMarketStatus;
  /** Integer strike; parsed from the ticker when absent. */
  strike?: StrikeDollars | undefined;
}

export interface EventListing {
  eventTicker: string;
  closeTimeMs: EpochMs;
  markets: readonly MarketListing[];
}

export interface MarketRow {
  ticker: string;
  strike: StrikeDollars;
  status: KalshiMarketStatus;
  /** False while no book is held for the market (nulls then mean "unknown", not "empty"). */
  hasBook: boolean;
  yesBid: CentiCents | null;
  yesAsk: CentiCents | null;
  noBid: CentiCents | null;
  noAsk: CentiCents | null;
  /** Contracts at the best YES bid (= size of the NO ask); 0 when the leg is empty. */
  yesBidSize: Contracts;
  /** Contracts at the best NO bid (= size of the YES ask); 0 when the leg is empty. */
  noBidSize: Contracts;
  lastTrade: CentiCents | null;
  volume: Contracts | null;
}

export interface MarketSnapshot {
  symbol: SymbolId;
  eventTicker: string;
  closeTimeMs: EpochMs;
  rows: MarketRow[];
}

export interface MarketSnapshotSources {
  /** Best bids of a market's local book; undefined when no book is held. */
  bookTop: (ticker: string) => MarketBookTop | undefined;
  activity?: (ticker: string) => MarketActivity | undefined;
}

export class MarketSnapshotError extends Error {
  override readonly name = 'MarketSnapshotError';
}

export function buildMarketSnapshot(
  symbol: SymbolId,
  event: EventListing,
  sources: MarketSnapshotSources,
): MarketSnapshot {
  const rows: MarketRow[] = [];
  const strikes = new Set<StrikeDollars>();
  const prefix = `${event.eventTicker}-`;
  for (const market of event.markets) {
    if (!market.ticker.startsWith(prefix)) {
      throw new MarketSnapshotError(`market ${market.ticker} is not in event ${event.eventTicker}`);
    }
    const strike = market.strike ?? strikeFromTickerSuffix(market.ticker, market.ticker.slice(prefix.length));
    if (!Number.isSafeInteger(strike) || strike < 1) {
      throw new MarketSnapshotError(`market ${market.ticker}: invalid strike ${strike}`);
    }
    if (strikes.has(strike))
      throw new MarketSnapshotError(`event ${event.eventTicker}: strike ${strike} listed twice`);
    strikes.add(strike);
    rows.push(marketRow(market, strike, sources.bookTop(market.ticker), sources.activity?.(market.ticker)));
  }
  rows.sort((a, b) => a.strike - b.strike);
  return { symbol, eventTicker: event.eventTicker, closeTimeMs: event.closeTimeMs, rows };
}

function marketRow(
  market: MarketListing,
  strike: StrikeDollars,
  top: MarketBookTop | undefined,
  activity: MarketActivity | undefined,
): MarketRow {
  const yesBid = checkedLevel(market.ticker, 'yes', top?.yesBid);
  const noBid = checkedLevel(market.ticker, 'no', top?.noBid);
  return {
    ticker: market.ticker,
    strike,
    status: market.status,
    hasBook: top !== undefined,
    yesBid: yesBid?.price ?? null,
    yesAsk: noBid === undefined ? null : CENTICENTS_PER_DOLLAR - noBid.price,
    noBid: noBid?.price ?? null,
    noAsk: yesBid === undefined ? null : CENTICENTS_PER_DOLLAR - yesBid.price,
    yesBidSize: yesBid?.count ?? 0,
    noBidSize: noBid?.count ?? 0,
    lastTrade: activity?.lastTradePrice ?? null,
    volume: activity?.volume ?? null,
  };
}

/**
 * `T114749.99` → 114 750, read as an integer (never a float), like parseMarketTicker in
 * src/domain/kalshi/tickers.ts — without re-parsing the event's date, which costs an Intl call.
 */
function strikeFromTickerSuffix(ticker: string, suffix: string): StrikeDollars {
  const match = /^T(\d+)\.99$/.exec(suffix);
  if (!match) throw new MarketSnapshotError(`market ${ticker}: no strike (expected …-T<floor>.99)`);
  return Number(match[1]) + 1;
}

function checkedLevel(ticker: string, leg: string, level: BookLevel | undefined): BookLevel | undefined {
  if (level === undefined) return undefined;
  const { price, count } = level;
  if (!Number.isSafeInteger(price) || price <= 0 || price >= CENTICENTS_PER_DOLLAR) {
    throw new MarketSnapshotError(
      `market ${ticker}: ${leg} bid price ${price} outside (0, 10000) centi-cents`,
    );
  }
  if (!Number.isSafeInteger(count) || count <= 0) {
    throw new MarketSnapshotError(`market ${ticker}: ${leg} bid size ${count} is not a positive integer`);
  }
  return level;
}
