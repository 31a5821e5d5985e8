/**
 * The stored form of a `market.<sym>` snapshot's rows: column-wise (one array per field), so
 * 75 strikes take a few KB instead of 75 objects repeating every key. A ticker is stored as its
 * suffix after `<event>-`; asks are not stored (an ask is the complement of the opposite bid).
 * decode(encode(rows)) gives the rows back exactly.
 */
import { z } from 'zod';
import { KALSHI_MARKET_STATUSES } from '../../domain/market-data/market-status.ts';
import type { MarketRow } from '../../domain/market-data/market-snapshot.ts';
import { CENTICENTS_PER_DOLLAR } from '../../domain/units.ts';

const price = z.number().int().gt(0).lt(CENTICENTS_PER_DOLLAR);
const count = z.number().int().nonnegative();

export const storedRowsSchema = z
  .object({
    /** Ticker after `<eventTicker>-`, e.g. `T114749.99`. */
    suffix: z.array(z.string().min(1)),
    strike: z.array(z.number().int().positive()),
    status: z.array(z.enum(KALSHI_MARKET_STATUSES)),
    hasBook: z.array(z.boolean()),
    yesBid: z.array(price.nullable()),
    noBid: z.array(price.nullable()),
    yesBidSize: z.array(count),
    noBidSize: z.array(count),
    lastTrade: z.array(price.nullable()),
    volume: z.array(count.nullable()),
  })
  .refine((c) => Object.values(c).every((column) => column.length === c.strike.length), {
    message: 'every column must have one entry per strike',
  });
export type StoredRows = z.infer<typeof storedRowsSchema>;

export class SnapshotCodecError extends Error {
  override name = 'SnapshotCodecError';
}

export function encodeRows(eventTicker: string, rows: readonly MarketRow[]): StoredRows {
  const prefix = `${eventTicker}-`;
  return {
    suffix: rows.map((r) => {
      if (!r.ticker.startsWith(prefix)) {
        throw new SnapshotCodecError(`market ${r.ticker} is not in event ${eventTicker}`);
      }
      return r.ticker.slice(prefix.length);
    }),
    strike: rows.map((r) => r.strike),
    status: rows.map((r) => r.status),
    hasBook: rows.map((r) => r.hasBook),
    yesBid: rows.map((r) => r.yesBid),
    noBid: rows.map((r) => r.noBid),
    yesBidSize: rows.map((r) => r.yesBidSize),
    noBidSize: rows.map((r) => r.noBidSize),
    lastTrade: rows.map((r) => r.lastTrade),
    volume: rows.map((r) => r.volume),
  };
}

/** Validates stored columns (bad data stops here) and rebuilds the rows of `eventTicker`. */
export function decodeRows(eventTicker: string, stored: unknown): MarketRow[] {
  const c = storedRowsSchema.parse(stored);
  const complement = (bid: number | null) => (bid === null ? null : CENTICENTS_PER_DOLLAR - bid);
  return c.strike.map((strike, i) => ({
    ticker: `${eventTicker}-${c.suffix[i]!}`,
    strike,
    status: c.status[i]!,
    hasBook: c.hasBook[i]!,
    yesBid: c.yesBid[i]!,
    yesAsk: complement(c.noBid[i]!),
    noBid: c.noBid[i]!,
    noAsk: complement(c.yesBid[i]!),
    yesBidSize: c.yesBidSize[i]!,
    noBidSize: c.noBidSize[i]!,
    lastTrade: c.lastTrade[i]!,
    volume: c.volume[i]!,
  }));
}
