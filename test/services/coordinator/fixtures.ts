/**
 * Constructed inputs for the coordinator tests and benchmark: a small analytic model and
 * price / index / market messages that pass the bus schemas (market-data-topics.ts).
 */
import type { IndexMessage, MarketMessage, PriceMessage } from '../../../src/core/bus/market-data-topics.ts';
import { eventTicker, marketTicker } from '../../../src/domain/kalshi/tickers.ts';
import {
  gridFromFunction,
  MOMENTUM_HORIZONS,
  momentumBucketFromPercent,
  momentumDisplay,
  type FingerprintGrid,
  type FingerprintMeta,
} from '../../../src/domain/model/index.ts';
import type { SymbolId } from '../../../src/domain/units.ts';

/** 2025-07-26 21:00 UTC = 5 pm in New York: the close of event KXBTCD-25JUL2617. */
export const CLOSE = Date.UTC(2025, 6, 26, 21);

export function testMeta(symbol: SymbolId, modelId = `test-${symbol.toLowerCase()}`): FingerprintMeta {
  return {
    modelId,
    symbol,
    source: 'synthetic',
    synthetic: true,
    from: Date.UTC(2024, 0, 1),
    to: Date.UTC(2025, 0, 1),
    rowsUsed: 1_000,
    builtAt: Date.UTC(2025, 0, 2),
    weighting: { kind: 'none' },
    tableRows: null,
    rowsFilledFromBaseline: 0,
  };
}

/** A smooth model: tails fall with the distance and grow with the horizon; momentum tilts them. */
export function testGrid(symbol: SymbolId = 'BTC', modelId?: string): FingerprintGrid {
  return gridFromFunction(testMeta(symbol, modelId), (table, minute, x) => ({
    up: Math.min(100, Math.max(0, 50 * Math.exp(-x / (0.15 * Math.sqrt(minute))) + (table - 30) / 20)),
    down: Math.min(100, Math.max(0, 50 * Math.exp(-x / (0.15 * Math.sqrt(minute))) - (table - 30) / 20)),
  }));
}

export interface PriceInput {
  symbol?: SymbolId;
  price: number;
  /** Live momentum in percent; undefined → no momentum yet. */
  momentumPercent?: number;
  at: number;
  seq?: number;
}

export function priceMessage(input: PriceInput): PriceMessage {
  const symbol = input.symbol ?? 'BTC';
  const second = Math.floor(input.at / 1000) * 1000;
  const cents = Math.round(input.price * 100);
  const percent = input.momentumPercent;
  const momentum =
    percent === undefined
      ? {
          percent: null,
          bucket: null,
          score: null,
          arrows: null,
          direction: null,
          deltas: [],
          missingHorizons: [...MOMENTUM_HORIZONS],
        }
      : {
          percent,
          bucket: momentumBucketFromPercent(percent)!,
          ...momentumDisplay(percent),
          deltas: [
            {
              minutes: 1 as const,
              referenceAtMs: second - 60_000,
              referenceCents: Math.round(cents / (1 + percent / 100)),
              changePercent: percent,
            },
          ],
          missingHorizons: MOMENTUM_HORIZONS.filter((h) => h !== 1),
        };
  return {
    symbol,
    price: cents / 100,
    priceCents: cents,
    secondMs: second,
    carried: false,
    exchangeTimeMs: second,
    tickAgeMs: 0,
    momentum,
    seq: input.seq ?? 1,
    at: input.at,
  };
}

export interface MarketInput {
  symbol?: SymbolId;
  closeTimeMs?: number;
  /** Strikes from `first`, `spacing` apart, `count` of them. */
  first: number;
  spacing: number;
  count: number;
  /** YES bid and NO bid (centi-cents) of a strike; null leaves that leg empty. */
  quote: (strike: number) => { yesBid: number | null; noBid: number | null };
  volume?: number;
  at: number;
  seq?: number;
}

export function marketMessage(input: MarketInput): MarketMessage {
  const symbol = input.symbol ?? 'BTC';
  const closeTimeMs = input.closeTimeMs ?? CLOSE;
  const event = eventTicker(symbol, closeTimeMs);
  const rows = Array.from({ length: input.count }, (_, i) => {
    const strike = input.first + i * input.spacing;
    const { yesBid, noBid } = input.quote(strike);
    return {
      ticker: marketTicker(event, strike),
      strike,
      status: 'active' as const,
      hasBook: true,
      yesBid,
      yesAsk: noBid === null ? null : 10_000 - noBid,
      noBid,
      noAsk: yesBid === null ? null : 10_000 - yesBid,
      yesBidSize: yesBid === null ? 0 : 10,
      noBidSize: noBid === null ? 0 : 10,
      lastTrade: null,
      volume: input.volume ?? 5_000,
    };
  });
  return { symbol, eventTicker: event, closeTimeMs, rows, seq: input.seq ?? 1, at: input.at };
}

/** Quotes around a fair YES price falling with the strike: a 2 ¢ wide book, both legs quoted. */
export function ladderQuote(price: number, centsPerDollar = 0.2) {
  return (strike: number) => {
    const fairCents = Math.min(97, Math.max(3, Math.round(50 - (strike - price) * centsPerDollar)));
    return { yesBid: (fairCents - 1) * 100, noBid: (100 - fairCents - 1) * 100 };
  };
}

export interface IndexInput {
  symbol?: SymbolId;
  value: number;
  at: number;
  windowCloseTimeMs?: number;
  /** Prints (dollars) of the window so far; empty outside the last minute. */
  windowPrints?: number[];
  lastSettlement?: IndexMessage['lastSettlement'];
  seq?: number;
}

export function indexMessage(input: IndexInput): IndexMessage {
  const prints = input.windowPrints ?? [];
  const sumCents = prints.reduce((s, p) => s + Math.round(p * 100), 0);
  return {
    symbol: input.symbol ?? 'BTC',
    value: input.value,
    valueAtMs: Math.floor(input.at / 1000) * 1000,
    source: 'cfbenchmarks',
    windowCloseTimeMs: input.windowCloseTimeMs ?? CLOSE,
    inWindow: prints.length > 0,
    secondsCovered: prints.length,
    windowSumCents: sumCents,
    runningAverage: prints.length === 0 ? null : sumCents / prints.length / 100,
    divergenceBps: null,
    lastSettlement: input.lastSettlement ?? null,
    seq: input.seq ?? 1,
    at: input.at,
  };
}

/** A finalized settlement of `prints` one-second index prints averaging `average` dollars. */
export function settlementOf(
  closeTimeMs: number,
  average: number,
  printCount = 60,
): IndexMessage['lastSettlement'] {
  const sumCents = Math.round(average * 100) * printCount;
  return {
    closeTimeMs,
    status: 'ok',
    printCount,
    sumCents,
    average: sumCents / printCount / 100,
    display: (sumCents / printCount / 100).toFixed(2),
  };
}
