/**
 * Bus schema of the `strikes` family (issue 5), registered in topics.ts:
 *
 * - `strikes.<sym>` — unified_production_coordinator, on every input change (coalesced, at
 *   most a configured rate) and at least once a second: the strike table and the watchlist of
 *   the symbol's current event. `<sym>` is the lower-case symbol (`strikes.btc`).
 *
 * The envelope is camelCase like the other families; `table` and `watchlist` keep the
 * snake_case column names of model.md (src/domain/model/strike-table.ts) because that is what
 * the API and the UI show. Units there: quotes and diffs in cents, probabilities percent,
 * price and buffer dollars. `seq` counts the coordinator's tables per symbol since it started
 * (a restart begins again at 1). The schema checks the invariants consumers rely on.
 */
import { z } from 'zod';
import { MODEL_SOURCES } from '../../domain/model/fingerprint-grid.ts';
import { SYMBOLS, type SymbolId } from '../../domain/units.ts';

const epochMs = z.number().int().nonnegative();
const symbol = z.enum(SYMBOLS);
const percent = z.number().min(0).max(100);
/** A quote in cents, strictly between 0 and 100 ¢ (sub-cent fractions allowed). */
const quoteCents = z.number().gt(0).lt(100).nullable();
const side = z.enum(['yes', 'no']);

export const strikeRowSchema = z.object({
  strike: z.number().int().positive(),
  buffer: z.number().nonnegative(),
  buffer_pct: z.number().nonnegative(),
  probability: percent,
  yes_bid: quoteCents,
  yes_ask: quoteCents,
  no_bid: quoteCents,
  no_ask: quoteCents,
  yes_diff: z.number().finite().nullable(),
  no_diff: z.number().finite().nullable(),
  volume: z.number().int().nonnegative(),
  ticker: z.string().min(1),
  active_side: side,
});
export type StrikeRowMessage = z.infer<typeof strikeRowSchema>;

export const strikeTableSchema = z.object({
  symbol,
  price: z.number().positive(),
  ttc_seconds: z.number().nonnegative(),
  event_ticker: z.string().min(1),
  market_title: z.string().min(1),
  strike_tier: z.number().int().positive(),
  momentum_score: z.number().int().nullable(),
  momentum_bucket: z.number().int().min(-30).max(30).nullable(),
  model_id: z.string().min(1),
  settle: z.enum(['close', 'average60']),
  seq: z.number().int().positive(),
  rows: z.array(strikeRowSchema),
});
export type StrikeTableMessage = z.infer<typeof strikeTableSchema>;

/** `strikes.<sym>`: the latest strike table and watchlist of a symbol. */
export const strikesMessageSchema = z
  .object({
    symbol,
    seq: z.number().int().positive(),
    /** When the table was computed (the coordinator's clock). */
    at: epochMs,
    /** The event's close, epoch ms. */
    closeTimeMs: epochMs,
    model: z.object({
      id: z.string().min(1),
      source: z.enum(MODEL_SOURCES),
      /** Built from simulated prices: shown wherever the table is shown. */
      synthetic: z.boolean(),
    }),
    /** When each input was published (its `at`); index is null before the first index message. */
    inputs: z.object({ priceAtMs: epochMs, marketAtMs: epochMs, indexAtMs: epochMs.nullable() }),
    table: strikeTableSchema,
    /** Rows of `table` that pass the watchlist filter, by probability descending. */
    watchlist: z.array(strikeRowSchema),
  })
  .superRefine((m, ctx) => {
    const issue = (path: (string | number)[], message: string) =>
      ctx.addIssue({ code: 'custom', path, message });
    if (m.table.symbol !== m.symbol) issue(['table', 'symbol'], 'must equal symbol');
    if (m.table.seq !== m.seq) issue(['table', 'seq'], 'must equal seq');
    if (m.table.model_id !== m.model.id) issue(['table', 'model_id'], 'must equal model.id');
    const tickers = new Set<string>();
    m.table.rows.forEach((r, i) => {
      const previous = m.table.rows[i - 1];
      if (previous !== undefined && !(r.strike > previous.strike)) {
        issue(['table', 'rows', i, 'strike'], 'rows must be sorted by strike, each strike once');
      }
      tickers.add(r.ticker);
    });
    m.watchlist.forEach((r, i) => {
      if (!tickers.has(r.ticker)) issue(['watchlist', i, 'ticker'], 'must be a row of the table');
    });
  });
export type StrikesMessage = z.infer<typeof strikesMessageSchema>;

/** `strikesTopic('BTC')` → `'strikes.btc'`, typed for the bus. */
export function strikesTopic<S extends SymbolId>(sym: S): `strikes.${Lowercase<S>}` {
  return `strikes.${sym.toLowerCase() as Lowercase<S>}`;
}
