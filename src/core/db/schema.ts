/**
 * Kysely table types. Tables are named schema-qualified (`'system.service_events'`), one schema
 * per concern (auth, trading, market, model, system, sim). Each migration that creates tables
 * adds their interfaces here and their entries to `Database`.
 *
 * Driver conventions (both PGlite and PostgreSQL, set in open-database.ts):
 * - `timestamptz` reads as `Date`; write a `Date` (convert from epoch ms at the edge).
 * - `bigint` (int8) reads as a JS number; a value beyond 2^53 throws instead of losing digits.
 * - `jsonb` reads as parsed JSON; write JSON text (`toJsonb(value)`), since node-postgres would
 *   turn a JS array into a PostgreSQL array.
 */
import type { ColumnType, Generated } from 'kysely';

export type JsonValue = string | number | boolean | null | JsonValue[] | { [key: string]: JsonValue };
export type JsonObject = { [key: string]: JsonValue };

/** A jsonb column: read parsed, written as JSON text. */
export type Jsonb<T extends JsonValue = JsonObject> = ColumnType<T, string, string>;

export type HealthStatusValue = 'healthy' | 'degraded' | 'down';
export type ServiceEventKind = 'start' | 'stop' | 'crash' | 'restart';

/** Current health per service (one row per service). */
export interface HealthStatusTable {
  service: string;
  status: HealthStatusValue;
  detail: Jsonb;
  checked_at: Date;
}

/** Health transitions: a row each time a service's status changes. */
export interface HealthHistoryTable {
  id: Generated<number>;
  service: string;
  status: HealthStatusValue;
  detail: Jsonb;
  at: Date;
}

export interface ServiceEventsTable {
  id: Generated<number>;
  service: string;
  kind: ServiceEventKind;
  reason: string | null;
  pid: number | null;
  at: Date;
}

export interface AuditLogTable {
  id: Generated<number>;
  at: Date;
  /** Who: a user id, or a service name for automated actions. */
  actor: string;
  action: string;
  target: string | null;
  detail: Jsonb;
}

/** market.candles_1m (0002): one 1-minute candle per (symbol, series, minute); prices in cents. */
export interface Candles1mTable {
  symbol: string;
  /** The series: false = real history (coinbase, csv, live), true = the simulator's process. */
  synthetic: boolean;
  ts: Date;
  open: number;
  high: number;
  low: number;
  close: number;
  volume: number;
  source: 'coinbase' | 'synthetic' | 'csv' | 'live';
}

/** model.models (0002): a versioned fingerprint model's metadata; cells in model.model_grids. */
export interface ModelsTable {
  model_id: string;
  symbol: string;
  source: 'v2-import' | 'coinbase' | 'synthetic' | 'csv';
  synthetic: boolean;
  date_from: Date | null;
  date_to: Date | null;
  rows_used: number | null;
  built_at: Date;
  weighting: Jsonb<JsonObject> | null;
  /** The full FingerprintMeta, as stored. */
  meta: Jsonb;
  active: ColumnType<boolean, boolean | undefined, boolean>;
}

/** model.model_grids (0002): the up / down cells as little-endian float64 bytes. */
export interface ModelGridsTable {
  model_id: string;
  up: Uint8Array;
  down: Uint8Array;
}

export type TradingModeValue = 'paper' | 'demo' | 'live';

/** market.prices_1s (0004): the 1-s spot price log; price in integer cents. */
export interface Prices1sTable {
  mode: TradingModeValue;
  symbol: string;
  /** The whole UTC second the price belongs to (exchange time). */
  ts: Date;
  price: number;
  /** No trade in this second: the previous price carried forward. */
  carried: boolean;
}

/** market.market_snapshots (0004): stored `market.<sym>` snapshots, rows column-wise in jsonb. */
export interface MarketSnapshotsTable {
  id: Generated<number>;
  mode: TradingModeValue;
  symbol: string;
  event_ticker: string;
  close_time: Date;
  at: Date;
  seq: number;
  rows: Jsonb;
}

export interface Database {
  'system.health_status': HealthStatusTable;
  'system.health_history': HealthHistoryTable;
  'system.service_events': ServiceEventsTable;
  'system.audit_log': AuditLogTable;
  'market.candles_1m': Candles1mTable;
  'model.models': ModelsTable;
  'model.model_grids': ModelGridsTable;
  'market.prices_1s': Prices1sTable;
  'market.market_snapshots': MarketSnapshotsTable;
}

export function toJsonb(value: JsonValue): string {
  return JSON.stringify(value);
}
