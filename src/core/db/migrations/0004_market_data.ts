/**
 * Schema `market` (issue 4): the 1-s spot price log and stored Kalshi market snapshots.
 * Frozen once released: never edit an applied migration, add a new one.
 *
 * Both tables carry the trading mode: the simulator's prices and books (paper) never mix with
 * an exchange's (demo, live). Both are pruned by age (retention from config).
 *
 * - market.prices_1s: one row per (mode, symbol, whole UTC second); the price in integer cents;
 *   `carried` when no trade happened in that second (the previous price carried forward).
 * - market.market_snapshots: the `market.<sym>` rows of one moment, stored column-wise as jsonb
 *   (src/storage/market-snapshots/snapshot-codec.ts) — a few KB per snapshot.
 */
import { sql, type Kysely } from 'kysely';

// Whitelists as literals: a migration must not change when code constants do.
const MODES_CHECK = sql`mode in ('paper', 'demo', 'live')`;
const SYMBOLS_CHECK = sql`symbol in ('BTC', 'ETH')`;

export async function up(db: Kysely<unknown>): Promise<void> {
  await db.schema
    .createTable('market.prices_1s')
    .addColumn('mode', 'text', (col) => col.notNull().check(MODES_CHECK))
    .addColumn('symbol', 'text', (col) => col.notNull().check(SYMBOLS_CHECK))
    .addColumn('ts', 'timestamptz', (col) => col.notNull())
    .addColumn('price', 'bigint', (col) => col.notNull().check(sql`price > 0`))
    .addColumn('carried', 'boolean', (col) => col.notNull())
    .addPrimaryKeyConstraint('prices_1s_pkey', ['mode', 'symbol', 'ts'])
    .addCheckConstraint(
      'prices_1s_second',
      sql`date_trunc('second', ts at time zone 'UTC') = ts at time zone 'UTC'`,
    )
    .execute();
  // Retention deletes by age across symbols.
  await db.schema.createIndex('prices_1s_ts_idx').on('market.prices_1s').column('ts').execute();

  await db.schema
    .createTable('market.market_snapshots')
    .addColumn('id', 'bigint', (col) => col.primaryKey().generatedAlwaysAsIdentity())
    .addColumn('mode', 'text', (col) => col.notNull().check(MODES_CHECK))
    .addColumn('symbol', 'text', (col) => col.notNull().check(SYMBOLS_CHECK))
    .addColumn('event_ticker', 'text', (col) => col.notNull())
    .addColumn('close_time', 'timestamptz', (col) => col.notNull())
    .addColumn('at', 'timestamptz', (col) => col.notNull())
    /** The publisher's `seq` of the market.<sym> message stored. */
    .addColumn('seq', 'bigint', (col) => col.notNull())
    .addColumn('rows', 'jsonb', (col) => col.notNull())
    .execute();
  await db.schema
    .createIndex('market_snapshots_mode_symbol_at_idx')
    .on('market.market_snapshots')
    .columns(['mode', 'symbol', 'at'])
    .execute();
  await db.schema.createIndex('market_snapshots_at_idx').on('market.market_snapshots').column('at').execute();
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await db.schema.dropTable('market.market_snapshots').execute();
  await db.schema.dropTable('market.prices_1s').execute();
}
