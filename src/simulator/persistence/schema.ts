/**
 * Kysely types of schema `sim` (migration src/core/db/migrations/0003_sim.ts). They live with
 * the simulator, which alone reads and writes them: `db.withTables<SimTables>()`.
 */
import type { ColumnType } from 'kysely';
import type { Jsonb, JsonObject, JsonValue } from '../../core/db/schema.ts';

/** bigint columns read as numbers (open-database.ts refuses values beyond 2^53). */
type Int8 = ColumnType<number, number, number>;

export interface SimStateTable {
  id: number;
  snapshot: Jsonb<JsonObject>;
  journal_seq: Int8;
  sim_time: Date;
  saved_at: Date;
}

export type JournalKind =
  'create_account' | 'adjust_balance' | 'place_order' | 'cancel_order' | 'decrease_order';

export interface SimJournalTable {
  seq: Int8;
  at: Date;
  kind: JournalKind;
  command: Jsonb<JsonObject>;
  result: Jsonb<JsonValue>;
}

export interface SimAccountsTable {
  account_id: string;
  label: ColumnType<string, string | undefined, string>;
  balance_cc: Int8;
  reserved_cc: Int8;
  created_at: Date;
  updated_at: Date;
}

export type ApiKeyTier = 'basic' | 'advanced' | 'premier' | 'prime';

export interface SimApiKeysTable {
  key_id: string;
  account_id: string;
  public_key_pem: string;
  tier: ApiKeyTier;
  created_at: Date;
}

export interface SimOrdersTable {
  order_id: string;
  account_id: string;
  client_order_id: string;
  ticker: string;
  status: 'resting' | 'canceled' | 'executed';
  created_at: Date;
  updated_at: Date;
  record: Jsonb<JsonObject>;
}

export interface SimFillsTable {
  fill_id: string;
  account_id: string;
  order_id: string;
  ticker: string;
  created_at: Date;
  record: Jsonb<JsonObject>;
}

export interface SimPositionsTable {
  account_id: string;
  ticker: string;
  event_ticker: string;
  position: Int8;
  updated_at: Date;
  record: Jsonb<JsonObject>;
}

export interface SimSettlementsTable {
  account_id: string;
  ticker: string;
  event_ticker: string;
  revenue_cc: Int8;
  settled_at: Date;
  record: Jsonb<JsonObject>;
}

// A type alias, not an interface: Kysely's withTables needs an index-signature-compatible type.
export type SimTables = {
  'sim.state': SimStateTable;
  'sim.journal': SimJournalTable;
  'sim.accounts': SimAccountsTable;
  'sim.api_keys': SimApiKeysTable;
  'sim.orders': SimOrdersTable;
  'sim.fills': SimFillsTable;
  'sim.positions': SimPositionsTable;
  'sim.settlements': SimSettlementsTable;
};
