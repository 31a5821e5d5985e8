/**
 * market.candles_1m: bulk upsert, range reads for the model builder, resume points and gaps.
 *
 * Every value travels as a parameter; the symbol is checked against the whitelist first.
 * Bulk writes send each batch as one `insert … select from unnest(arrays)` statement: nine
 * parameters whatever the batch size (a multi-row VALUES list needs nine per row and hits
 * PostgreSQL's 65 535-parameter limit at 7 281 rows), parsed once, fast on PGlite and
 * PostgreSQL alike. The arrays are sent as array literals built here from validated finite
 * numbers, so both drivers see the same text.
 *
 * Pass a transaction (`trx`) as `db` to make several calls all-or-nothing.
 */
import { sql, type Kysely } from 'kysely';
import type { Database } from '../../core/db/schema.ts';
import { SYMBOLS, type EpochMs, type SymbolId } from '../../domain/units.ts';
import {
  CANDLE_SOURCES,
  candleColumnsFrom,
  checkCandleColumns,
  MINUTE_MS,
  seriesOfSource,
  sliceCandleColumns,
  type Candle,
  type CandleColumns,
  type CandleSeriesKind,
  type CandleSource,
} from './candle.ts';

export const DEFAULT_UPSERT_BATCH = 20_000;
const READ_PAGE = 200_000;

export class CandleStoreError extends Error {
  override name = 'CandleStoreError';
}

/** The whitelist check every entry point makes: a symbol never reaches SQL unchecked. */
export function checkSymbol(symbol: string): SymbolId {
  if (!(SYMBOLS as readonly string[]).includes(symbol)) {
    throw new CandleStoreError(`unknown symbol "${symbol}" (known: ${SYMBOLS.join(', ')})`);
  }
  return symbol as SymbolId;
}

function checkSource(source: string): CandleSource {
  if (!(CANDLE_SOURCES as readonly string[]).includes(source)) {
    throw new CandleStoreError(`unknown candle source "${source}" (known: ${CANDLE_SOURCES.join(', ')})`);
  }
  return source as CandleSource;
}

function arrayLiteral(values: Float64Array): string {
  return `{${values.join(',')}}`;
}

export interface UpsertCandlesOptions {
  /** Rows per statement (default 20 000). */
  batchSize?: number;
  /** Called after each batch with rows written so far and the total. */
  onProgress?: (written: number, total: number) => void;
}

/** A candle as an exchange's candles endpoint gives it: `time` is the minute it opens. */
export interface ExchangeCandle {
  time: EpochMs;
  open: number;
  high: number;
  low: number;
  close: number;
  volume: number;
}

/** Stores fetched exchange candles (the history CLI and the price watchdog's backfill). */
export function upsertExchangeCandles(
  db: Kysely<Database>,
  symbol: SymbolId,
  source: CandleSource,
  candles: readonly ExchangeCandle[],
): Promise<number> {
  return upsertCandles(
    db,
    symbol,
    source,
    candles.map(({ time, open, high, low, close, volume }) => ({ ts: time, open, high, low, close, volume })),
  );
}

/**
 * Inserts candles, replacing stored candles of the same symbol, series and minute. Checks
 * every row first (CandleDataError naming the row) so nothing is sent when one is bad.
 * Returns the number of rows written.
 */
export async function upsertCandles(
  db: Kysely<Database>,
  symbolText: SymbolId,
  sourceText: CandleSource,
  candles: readonly Candle[] | CandleColumns,
  options: UpsertCandlesOptions = {},
): Promise<number> {
  const symbol = checkSymbol(symbolText);
  const source = checkSource(sourceText);
  const synthetic = seriesOfSource(source) === 'synthetic';
  const columns = Array.isArray(candles) ? candleColumnsFrom(candles) : (candles as CandleColumns);
  checkCandleColumns(columns);
  const batchSize = Math.max(1, options.batchSize ?? DEFAULT_UPSERT_BATCH);
  for (let start = 0; start < columns.length; start += batchSize) {
    const batch = sliceCandleColumns(columns, start, Math.min(columns.length, start + batchSize));
    await sql`
      insert into market.candles_1m (symbol, synthetic, ts, open, high, low, close, volume, source)
      select ${symbol}, ${synthetic}, timestamptz 'epoch' + u.t * interval '1 millisecond',
             u.o, u.h, u.l, u.c, u.v, ${source}
      from unnest(
        ${arrayLiteral(batch.ts)}::int8[], ${arrayLiteral(batch.openCents)}::int8[],
        ${arrayLiteral(batch.highCents)}::int8[], ${arrayLiteral(batch.lowCents)}::int8[],
        ${arrayLiteral(batch.closeCents)}::int8[], ${arrayLiteral(batch.volume)}::float8[]
      ) as u(t, o, h, l, c, v)
      on conflict (symbol, synthetic, ts) do update set
        open = excluded.open, high = excluded.high, low = excluded.low, close = excluded.close,
        volume = excluded.volume, source = excluded.source
    `.execute(db);
    options.onProgress?.(start + batch.length, columns.length);
    // The embedded database runs on this thread: let the other services' timers and sockets
    // run between statements (an awaited PGlite query alone does not yield to them).
    await new Promise((resolve) => setImmediate(resolve));
  }
  return columns.length;
}

export interface SeriesSelector {
  symbol: SymbolId;
  series: CandleSeriesKind;
  /** First and last candle open time to include (epoch ms, inclusive); open-ended when absent. */
  from?: EpochMs;
  to?: EpochMs;
}

function rangeQuery(db: Kysely<Database>, selector: SeriesSelector) {
  let query = db
    .selectFrom('market.candles_1m')
    .where('symbol', '=', checkSymbol(selector.symbol))
    .where('synthetic', '=', selector.series === 'synthetic');
  if (selector.from !== undefined) query = query.where('ts', '>=', new Date(selector.from));
  if (selector.to !== undefined) query = query.where('ts', '<=', new Date(selector.to));
  return query;
}

/** Open time as epoch ms. date_part gives float8 seconds (exact for whole minutes), much
 * cheaper per row than extract's numeric. */
const epochMsOf = sql<number>`(date_part('epoch', ts) * 1000)::int8`;

export interface SeriesSummary {
  count: number;
  first: EpochMs | null;
  last: EpochMs | null;
  /** Rows per source in the range. */
  sources: Partial<Record<CandleSource, number>>;
}

/** How many candles a range holds, its first and last time and the mix of sources. */
export async function summarizeSeries(
  db: Kysely<Database>,
  selector: SeriesSelector,
): Promise<SeriesSummary> {
  const rows = await rangeQuery(db, selector)
    .select([
      'source',
      sql<number>`count(*)::int8`.as('n'),
      sql<number | null>`(date_part('epoch', min(ts)) * 1000)::int8`.as('first'),
      sql<number | null>`(date_part('epoch', max(ts)) * 1000)::int8`.as('last'),
    ])
    .groupBy('source')
    .execute();
  const sources: Partial<Record<CandleSource, number>> = {};
  let count = 0;
  let first: number | null = null;
  let last: number | null = null;
  for (const row of rows) {
    sources[row.source] = row.n;
    count += row.n;
    if (row.first !== null && (first === null || row.first < first)) first = row.first;
    if (row.last !== null && (last === null || row.last > last)) last = row.last;
  }
  return { count, first, last, sources };
}

export interface CloseSeries {
  /** Closes in dollars, oldest first. */
  closes: Float64Array;
  /** Open times, epoch ms UTC, strictly increasing. */
  timestamps: Float64Array;
  sources: Partial<Record<CandleSource, number>>;
}

/**
 * Closes and times of a range, oldest first, as the model builder takes them. Read in pages
 * (default 200 000 rows, keyset on the primary key). Each page comes back as two packed
 * columns — the server concatenates `float8send` bytes (big-endian doubles) and encodes them
 * as base64 — instead of a row object per candle: PGlite builds those in JavaScript at a few
 * ten thousand rows per second, the packed form costs one base64 decode.
 */
export async function readCloseSeries(
  db: Kysely<Database>,
  selector: SeriesSelector,
  options: { onProgress?: (read: number, total: number) => void; pageSize?: number } = {},
): Promise<CloseSeries> {
  const { onProgress } = options;
  const pageSize = Math.max(1, options.pageSize ?? READ_PAGE);
  const summary = await summarizeSeries(db, selector);
  const closes = new Float64Array(summary.count);
  const timestamps = new Float64Array(summary.count);
  let filled = 0;
  let after: Date | undefined;
  for (;;) {
    let page = rangeQuery(db, selector).select(['ts', 'close']).orderBy('ts').limit(pageSize);
    if (after !== undefined) page = page.where('ts', '>', after);
    const packed = await db
      .selectFrom(page.as('p'))
      .select([
        sql<number>`count(*)::int8`.as('n'),
        sql<
          string | null
        >`encode(string_agg(float8send(date_part('epoch', p.ts) * 1000), ''::bytea order by p.ts), 'base64')`.as(
          't',
        ),
        sql<
          string | null
        >`encode(string_agg(float8send(p.close::float8), ''::bytea order by p.ts), 'base64')`.as('c'),
      ])
      .executeTakeFirstOrThrow();
    const times = unpackFloat64(packed.t);
    const cents = unpackFloat64(packed.c);
    // Rows written between the count and this read are left out, not overflowed.
    const take = Math.min(times.length, closes.length - filled);
    for (let i = 0; i < take; i++) {
      timestamps[filled + i] = times[i]!;
      closes[filled + i] = cents[i]! / 100;
    }
    filled += take;
    onProgress?.(filled, summary.count);
    if (packed.n < pageSize || filled === closes.length) break;
    after = new Date(times[times.length - 1]!);
  }
  return {
    closes: closes.subarray(0, filled),
    timestamps: timestamps.subarray(0, filled),
    sources: summary.sources,
  };
}

/** base64 of big-endian float64s (float8send) → numbers. */
function unpackFloat64(base64: string | null): Float64Array {
  if (base64 === null) return new Float64Array(0);
  const bytes = Buffer.from(base64, 'base64');
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const out = new Float64Array(bytes.byteLength / 8);
  for (let i = 0; i < out.length; i++) out[i] = view.getFloat64(i * 8, false);
  return out;
}

/** Candles of a range as objects (dollars), oldest first — for small ranges (tests, API). */
export async function readCandles(db: Kysely<Database>, selector: SeriesSelector, limit = 10_000) {
  const rows = await rangeQuery(db, selector)
    .select([epochMsOf.as('t'), 'open', 'high', 'low', 'close', 'volume', 'source'])
    .orderBy('ts')
    .limit(limit)
    .execute();
  return rows.map((row) => ({
    ts: row.t,
    open: row.open / 100,
    high: row.high / 100,
    low: row.low / 100,
    close: row.close / 100,
    volume: row.volume,
    source: row.source,
  }));
}

/** Open time of the newest stored candle of a series (optionally of one source): where a fetch resumes. */
export async function lastCandleTime(
  db: Kysely<Database>,
  symbol: SymbolId,
  series: CandleSeriesKind,
  source?: CandleSource,
): Promise<EpochMs | undefined> {
  let query = rangeQuery(db, { symbol, series }).select(
    sql<number | null>`(date_part('epoch', max(ts)) * 1000)::int8`.as('last'),
  );
  if (source !== undefined) query = query.where('source', '=', checkSource(source));
  const row = await query.executeTakeFirst();
  return row?.last ?? undefined;
}

export interface CandleGap {
  /** First missing minute and last missing minute (epoch ms). */
  from: EpochMs;
  to: EpochMs;
  minutes: number;
}

export interface GapReport extends SeriesSummary {
  /** Minutes from first to last inclusive, and how many of them have no candle. */
  expected: number;
  missing: number;
  gapCount: number;
  /** The largest gaps (up to `limit`), in time order. */
  gaps: CandleGap[];
}

/** Holes in a series: every run of missing minutes between its first and last candle. */
export async function candleGaps(
  db: Kysely<Database>,
  selector: SeriesSelector,
  limit = 20,
): Promise<GapReport> {
  const summary = await summarizeSeries(db, selector);
  const expected =
    summary.first === null || summary.last === null ? 0 : (summary.last - summary.first) / MINUTE_MS + 1;
  const inner = rangeQuery(db, selector).select([
    epochMsOf.as('t'),
    sql<number | null>`(date_part('epoch', lag(ts) over (order by ts)) * 1000)::int8`.as('prev'),
  ]);
  const rows = await db
    .selectFrom(inner.as('s'))
    .select(['s.t', 's.prev'])
    .where(sql<boolean>`s.t - s.prev > ${MINUTE_MS}`)
    .execute();
  const gaps = rows.map((row) => ({
    from: row.prev! + MINUTE_MS,
    to: row.t - MINUTE_MS,
    minutes: (row.t - row.prev!) / MINUTE_MS - 1,
  }));
  const largest = [...gaps]
    .sort((a, b) => b.minutes - a.minutes || a.from - b.from)
    .slice(0, limit)
    .sort((a, b) => a.from - b.from);
  return {
    ...summary,
    expected,
    missing: expected - summary.count,
    gapCount: gaps.length,
    gaps: largest,
  };
}

/** Removes a series' candles (all, or a range); returns how many. */
export async function deleteCandles(db: Kysely<Database>, selector: SeriesSelector): Promise<number> {
  let query = db
    .deleteFrom('market.candles_1m')
    .where('symbol', '=', checkSymbol(selector.symbol))
    .where('synthetic', '=', selector.series === 'synthetic');
  if (selector.from !== undefined) query = query.where('ts', '>=', new Date(selector.from));
  if (selector.to !== undefined) query = query.where('ts', '<=', new Date(selector.to));
  const result = await query.executeTakeFirst();
  return Number(result.numDeletedRows);
}
