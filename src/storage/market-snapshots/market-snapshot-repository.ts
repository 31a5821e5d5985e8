/**
 * market.market_snapshots: `market.<sym>` snapshots stored by kalshi_api_watchdog (throttled
 * by the caller), read back for analysis, pruned by age. Symbols and modes are whitelisted;
 * values travel as parameters; rows are stored column-wise (snapshot-codec.ts).
 */
import type { Kysely } from 'kysely';
import { toJsonb, type Database, type JsonObject, type TradingModeValue } from '../../core/db/schema.ts';
import type { MarketRow } from '../../domain/market-data/market-snapshot.ts';
import type { EpochMs, SymbolId } from '../../domain/units.ts';
import { checkMode, checkSymbol } from './price-log-repository.ts';
import { decodeRows, encodeRows } from './snapshot-codec.ts';

export interface StoredMarketSnapshot {
  symbol: SymbolId;
  eventTicker: string;
  closeTimeMs: EpochMs;
  /** When the snapshot was taken (the message's `at`). */
  at: EpochMs;
  seq: number;
  rows: MarketRow[];
}

export async function insertMarketSnapshot(
  db: Kysely<Database>,
  modeText: TradingModeValue,
  snapshot: StoredMarketSnapshot,
): Promise<void> {
  const rows = encodeRows(snapshot.eventTicker, snapshot.rows);
  await db
    .insertInto('market.market_snapshots')
    .values({
      mode: checkMode(modeText),
      symbol: checkSymbol(snapshot.symbol),
      event_ticker: snapshot.eventTicker,
      close_time: new Date(snapshot.closeTimeMs),
      at: new Date(snapshot.at),
      seq: snapshot.seq,
      rows: toJsonb(rows as unknown as JsonObject),
    })
    .execute();
}

/** Snapshots of a symbol taken in [fromMs, toMs), oldest first. */
export async function readMarketSnapshots(
  db: Kysely<Database>,
  modeText: TradingModeValue,
  symbolText: SymbolId,
  fromMs: EpochMs,
  toMs: EpochMs,
  limit = 1_000,
): Promise<StoredMarketSnapshot[]> {
  const rows = await db
    .selectFrom('market.market_snapshots')
    .select(['symbol', 'event_ticker', 'close_time', 'at', 'seq', 'rows'])
    .where('mode', '=', checkMode(modeText))
    .where('symbol', '=', checkSymbol(symbolText))
    .where('at', '>=', new Date(fromMs))
    .where('at', '<', new Date(toMs))
    .orderBy('at')
    .orderBy('id')
    .limit(limit)
    .execute();
  return rows.map((r) => ({
    symbol: checkSymbol(r.symbol),
    eventTicker: r.event_ticker,
    closeTimeMs: r.close_time.getTime(),
    at: r.at.getTime(),
    seq: r.seq,
    rows: decodeRows(r.event_ticker, r.rows),
  }));
}

export async function countMarketSnapshots(
  db: Kysely<Database>,
  modeText: TradingModeValue,
  symbolText: SymbolId,
): Promise<number> {
  const row = await db
    .selectFrom('market.market_snapshots')
    .select((eb) => eb.fn.countAll<number>().as('n'))
    .where('mode', '=', checkMode(modeText))
    .where('symbol', '=', checkSymbol(symbolText))
    .executeTakeFirstOrThrow();
  return Number(row.n);
}

/** Retention: removes snapshots taken before `beforeMs` (every mode and symbol); returns how many. */
export async function deleteMarketSnapshotsBefore(db: Kysely<Database>, beforeMs: EpochMs): Promise<number> {
  // Counted through RETURNING: PGlite's Kysely driver does not report affected rows.
  const row = await db
    .with('removed', (qb) =>
      qb.deleteFrom('market.market_snapshots').where('at', '<', new Date(beforeMs)).returning('id'),
    )
    .selectFrom('removed')
    .select((eb) => eb.fn.countAll<number | string>().as('n'))
    .executeTakeFirstOrThrow();
  return Number(row.n);
}
