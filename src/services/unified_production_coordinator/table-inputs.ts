/**
 * From the newest bus messages of one symbol to the strike table's input: which price, which
 * markets, which part of the settlement average is already known.
 */
import type { IndexMessage, MarketMessage, PriceMessage } from '../../core/bus/market-data-topics.ts';
import type {
  FingerprintGrid,
  KnownAverage,
  Settlement,
  StrikeMarket,
  StrikeTableInput,
} from '../../domain/model/index.ts';
import type { SymbolId } from '../../domain/units.ts';

/** The newest message of each input family for one symbol. */
export interface SymbolInputs {
  price?: PriceMessage;
  index?: IndexMessage;
  market?: MarketMessage;
}

/** Kalshi's strike spacing per series, used when the ladder is too short to tell. */
const DEFAULT_STRIKE_TIER: Readonly<Record<SymbolId, number>> = { BTC: 250, ETH: 20 };

/** The ladder's spacing: the most common gap between adjacent strikes (smallest on a tie). */
export function strikeTierOf(symbol: SymbolId, strikes: readonly number[]): number {
  const counts = new Map<number, number>();
  for (let i = 1; i < strikes.length; i++) {
    const gap = strikes[i]! - strikes[i - 1]!;
    if (gap > 0) counts.set(gap, (counts.get(gap) ?? 0) + 1);
  }
  let best: number | undefined;
  let bestCount = 0;
  for (const [gap, count] of counts) {
    if (count > bestCount || (count === bestCount && gap < best!)) {
      best = gap;
      bestCount = count;
    }
  }
  return best ?? DEFAULT_STRIKE_TIER[symbol];
}

/**
 * The known part of the settlement average: the index's window sum when that window is the
 * event's final minute and has prints. Outside the last minute (or for another window) none.
 */
export function knownAverageOf(
  index: IndexMessage | undefined,
  closeTimeMs: number,
): KnownAverage | undefined {
  if (!index || index.windowCloseTimeMs !== closeTimeMs || index.secondsCovered === 0) return undefined;
  return { seconds: index.secondsCovered, sumCents: index.windowSumCents };
}

export function strikeMarketsOf(market: MarketMessage): StrikeMarket[] {
  return market.rows.map((r) => ({
    ticker: r.ticker,
    strike: r.strike,
    yesBid: r.yesBid,
    yesAsk: r.yesAsk,
    noBid: r.noBid,
    noAsk: r.noAsk,
    volume: r.volume ?? 0,
  }));
}

/** Derived once per market message (a message is immutable; tables are computed many times from it). */
const ladders = new WeakMap<MarketMessage, { markets: StrikeMarket[]; strikeTier: number }>();

function ladderOf(symbol: SymbolId, market: MarketMessage): { markets: StrikeMarket[]; strikeTier: number } {
  let ladder = ladders.get(market);
  if (!ladder) {
    ladder = {
      markets: strikeMarketsOf(market),
      strikeTier: strikeTierOf(
        symbol,
        market.rows.map((r) => r.strike),
      ),
    };
    ladders.set(market, ladder);
  }
  return ladder;
}

export interface TableInputOptions {
  grid: FingerprintGrid;
  settle: Settlement;
  rows: number;
  now: number;
  seq: number;
}

/**
 * The strike table's input, or undefined while the price or the market is missing. TTC is
 * measured on the coordinator's clock (never negative: a closed event shows TTC 0 until the
 * market-data service rolls over to the next one).
 */
export function tableInputOf(
  symbol: SymbolId,
  inputs: SymbolInputs,
  options: TableInputOptions,
): StrikeTableInput | undefined {
  const { price, market } = inputs;
  if (!price || !market) return undefined;
  const ttcSeconds = Math.max(0, (market.closeTimeMs - options.now) / 1000);
  const knownAverage =
    options.settle === 'average60' ? knownAverageOf(inputs.index, market.closeTimeMs) : undefined;
  const ladder = ladderOf(symbol, market);
  return {
    symbol,
    price: price.price,
    ttcSeconds,
    eventTicker: market.eventTicker,
    closeTimeMs: market.closeTimeMs,
    strikeTier: ladder.strikeTier,
    momentumPercent: price.momentum.percent ?? undefined,
    grid: options.grid,
    settle: options.settle,
    ...(knownAverage ? { knownAverage } : {}),
    markets: ladder.markets,
    seq: options.seq,
    rows: options.rows,
  };
}
