/**
 * model.strike_snapshots (migration 0005): strike tables at fixed offsets before the close,
 * settled once the hour's settlement value is known, read back for calibration scoring.
 *
 * Writes are idempotent: a snapshot already stored for (mode, symbol, close, offset, strike) is
 * kept (the first one taken is the one closest to its offset), and settling touches only rows
 * without a result — so a restarted coordinator can repeat both safely.
 */
import { sql, type Kysely } from 'kysely';
import { z } from 'zod';
import type { Database } from '../../core/db/schema.ts';
import type { CalibrationObservation } from '../../domain/calibration/index.ts';
import { yesMidPercent } from '../../domain/calibration/index.ts';
import { settlesYes } from '../../domain/kalshi/settlement.ts';
import { SYMBOLS, type EpochMs, type SymbolId } from '../../domain/units.ts';

export const TRADING_MODES = ['paper', 'demo', 'live'] as const;
export type TradingMode = (typeof TRADING_MODES)[number];

/** The table as Kysely sees it (declared here, not in schema.ts: only this module touches it). */
interface StrikeSnapshotsTable {
  mode: TradingMode;
  symbol: SymbolId;
  close_time: Date;
  offset_minutes: number;
  strike: number;
  event_ticker: string;
  ticker: string;
  taken_at: Date;
  ttc_seconds: number;
  price: number;
  model_id: string;
  settle: 'close' | 'average60';
  momentum_bucket: number | null;
  model_yes_percent: number;
  active_side: 'yes' | 'no';
  yes_bid: number | null;
  yes_ask: number | null;
  no_bid: number | null;
  no_ask: number | null;
  volume: number;
  result: 'yes' | 'no' | null;
  settled_at: Date | null;
}
type SnapshotDb = Kysely<Database & { 'model.strike_snapshots': StrikeSnapshotsTable }>;

function snapshotDb(db: Kysely<Database>): SnapshotDb {
  return db.withTables<{ 'model.strike_snapshots': StrikeSnapshotsTable }>();
}

const centiCents = z.number().int().gt(0).lt(10_000).nullable();
const epochMs = z.number().int().nonnegative();

/** One strike of one snapshot. Units: quotes centi-cents, P(YES) percent, price dollars. */
export const strikeSnapshotSchema = z.object({
  mode: z.enum(TRADING_MODES),
  symbol: z.enum(SYMBOLS),
  closeTimeMs: epochMs,
  offsetMinutes: z.number().int().min(1).max(60),
  strike: z.number().int().positive(),
  eventTicker: z.string().min(1),
  ticker: z.string().min(1),
  takenAtMs: epochMs,
  ttcSeconds: z.number().nonnegative(),
  price: z.number().positive(),
  modelId: z.string().min(1),
  settle: z.enum(['close', 'average60']),
  momentumBucket: z.number().int().min(-30).max(30).nullable(),
  modelYesPercent: z.number().min(0).max(100),
  activeSide: z.enum(['yes', 'no']),
  yesBid: centiCents,
  yesAsk: centiCents,
  noBid: centiCents,
  noAsk: centiCents,
  volume: z.number().int().nonnegative(),
});
export type StrikeSnapshot = z.infer<typeof strikeSnapshotSchema>;

export class StrikeSnapshotError extends Error {
  override name = 'StrikeSnapshotError';
}

function check(rows: readonly StrikeSnapshot[]): StrikeSnapshot[] {
  return rows.map((row, i) => {
    const parsed = strikeSnapshotSchema.safeParse(row);
    if (!parsed.success) {
      const issue = parsed.error.issues[0]!;
      throw new StrikeSnapshotError(`strike snapshot ${i}: ${issue.path.join('.')}: ${issue.message}`);
    }
    return parsed.data;
  });
}

/** Stores snapshot rows; rows already stored are left alone. Returns how many were new. */
export async function insertStrikeSnapshots(
  db: Kysely<Database>,
  rows: readonly StrikeSnapshot[],
): Promise<number> {
  if (rows.length === 0) return 0;
  const values = check(rows).map((r) => ({
    mode: r.mode,
    symbol: r.symbol,
    close_time: new Date(r.closeTimeMs),
    offset_minutes: r.offsetMinutes,
    strike: r.strike,
    event_ticker: r.eventTicker,
    ticker: r.ticker,
    taken_at: new Date(r.takenAtMs),
    ttc_seconds: r.ttcSeconds,
    price: r.price,
    model_id: r.modelId,
    settle: r.settle,
    momentum_bucket: r.momentumBucket,
    model_yes_percent: r.modelYesPercent,
    active_side: r.activeSide,
    yes_bid: r.yesBid,
    yes_ask: r.yesAsk,
    no_bid: r.noBid,
    no_ask: r.noAsk,
    volume: r.volume,
    result: null,
    settled_at: null,
  }));
  // Counted from RETURNING: PGlite does not report affected rows.
  const inserted = await snapshotDb(db)
    .insertInto('model.strike_snapshots')
    .values(values)
    .onConflict((oc) => oc.columns(['mode', 'symbol', 'close_time', 'offset_minutes', 'strike']).doNothing())
    .returning('strike')
    .execute();
  return inserted.length;
}

export interface SettlementInput {
  mode: TradingMode;
  symbol: SymbolId;
  closeTimeMs: EpochMs;
  /** Σ integer cents of the window's prints and their count (settlement.ts). */
  sumCents: number;
  printCount: number;
  settledAtMs: EpochMs;
}

/**
 * Writes each unsettled strike's result for one hour — YES iff the settlement average is
 * strictly above strike − $0.01, decided in integer cents (settlesYes). Returns rows settled.
 */
export async function settleStrikeSnapshots(db: Kysely<Database>, input: SettlementInput): Promise<number> {
  if (!Number.isSafeInteger(input.sumCents) || input.sumCents < 0) {
    throw new StrikeSnapshotError(`sumCents must be a non-negative integer, got ${input.sumCents}`);
  }
  const sdb = snapshotDb(db);
  const scope = () =>
    sdb
      .updateTable('model.strike_snapshots')
      .where('mode', '=', input.mode)
      .where('symbol', '=', input.symbol)
      .where('close_time', '=', new Date(input.closeTimeMs))
      .where('result', 'is', null);
  const strikes = await sdb
    .selectFrom('model.strike_snapshots')
    .select('strike')
    .distinct()
    .where('mode', '=', input.mode)
    .where('symbol', '=', input.symbol)
    .where('close_time', '=', new Date(input.closeTimeMs))
    .where('result', 'is', null)
    .execute();
  if (strikes.length === 0) return 0;
  const yes = strikes.map((s) => s.strike).filter((k) => settlesYes(input.sumCents, input.printCount, k));
  // One statement, so a reader never sees an hour half settled.
  const updated = await scope()
    .set({
      result:
        yes.length === 0
          ? 'no'
          : sql<'yes' | 'no'>`case when strike in (${sql.join(yes)}) then 'yes' else 'no' end`,
      settled_at: new Date(input.settledAtMs),
    })
    .returning('strike')
    .execute();
  const settled = updated.length;
  return settled;
}

export interface ObservationQuery {
  mode: TradingMode;
  symbol: SymbolId;
  /** Only hours closing at or after this (epoch ms). */
  sinceMs?: EpochMs;
}

/** Settled snapshots as calibration observations (model P(YES), market YES mid, outcome). */
export async function readCalibrationObservations(
  db: Kysely<Database>,
  query: ObservationQuery,
): Promise<CalibrationObservation[]> {
  let q = snapshotDb(db)
    .selectFrom('model.strike_snapshots')
    .select(['close_time', 'offset_minutes', 'model_yes_percent', 'yes_bid', 'yes_ask', 'result'])
    .where('mode', '=', query.mode)
    .where('symbol', '=', query.symbol)
    .where('result', 'is not', null);
  if (query.sinceMs !== undefined) q = q.where('close_time', '>=', new Date(query.sinceMs));
  const rows = await q.orderBy('close_time').orderBy('offset_minutes', 'desc').orderBy('strike').execute();
  return rows.map((r) => ({
    closeTimeMs: r.close_time.getTime(),
    offsetMinutes: r.offset_minutes,
    modelPercent: r.model_yes_percent,
    marketPercent: yesMidPercent(r.yes_bid, r.yes_ask),
    outcome: r.result === 'yes',
  }));
}

/** Counts for a status line: rows stored and rows still waiting for their settlement. */
export async function strikeSnapshotCounts(
  db: Kysely<Database>,
  mode: TradingMode,
  symbol: SymbolId,
): Promise<{ stored: number; unsettled: number }> {
  const row = await snapshotDb(db)
    .selectFrom('model.strike_snapshots')
    .select((eb) => [
      eb.fn.countAll<number>().as('stored'),
      eb.fn.count<number>('strike').filterWhere('result', 'is', null).as('unsettled'),
    ])
    .where('mode', '=', mode)
    .where('symbol', '=', symbol)
    .executeTakeFirstOrThrow();
  return { stored: Number(row.stored), unsettled: Number(row.unsettled) };
}
