/**
 * model.strike_snapshots (issue 5): the strike table at fixed offsets before each close (15, 10,
 * 5, 2, 1 min by default), stored by unified_production_coordinator and scored after the hour
 * settles — the model's probability and the market's quotes side by side (model.md, "Quality").
 * Frozen once released: never edit an applied migration, add a new one.
 *
 * One row per (mode, symbol, close, offset, strike). `mode` keeps the simulator's hours (paper)
 * apart from an exchange's (demo, live). Quotes are integer centi-cents (null: empty side),
 * the model's number is P(YES) in percent, the price dollars. `result` stays null until the
 * settlement value is known ('yes' / 'no' decided in integer cents, settlement.ts).
 * The table lives in no type in schema.ts: its repository declares it (withTables).
 */
import { sql, type Kysely } from 'kysely';

// Whitelists as literals: a migration must not change when code constants do.
const MODES_CHECK = sql`mode in ('paper', 'demo', 'live')`;
const SYMBOLS_CHECK = sql`symbol in ('BTC', 'ETH')`;

export async function up(db: Kysely<unknown>): Promise<void> {
  await db.schema
    .createTable('model.strike_snapshots')
    .addColumn('mode', 'text', (col) => col.notNull().check(MODES_CHECK))
    .addColumn('symbol', 'text', (col) => col.notNull().check(SYMBOLS_CHECK))
    .addColumn('close_time', 'timestamptz', (col) => col.notNull())
    .addColumn('offset_minutes', 'smallint', (col) =>
      col.notNull().check(sql`offset_minutes between 1 and 60`),
    )
    .addColumn('strike', 'integer', (col) => col.notNull().check(sql`strike > 0`))
    .addColumn('event_ticker', 'text', (col) => col.notNull())
    .addColumn('ticker', 'text', (col) => col.notNull())
    .addColumn('taken_at', 'timestamptz', (col) => col.notNull())
    .addColumn('ttc_seconds', 'double precision', (col) => col.notNull())
    .addColumn('price', 'double precision', (col) => col.notNull().check(sql`price > 0`))
    .addColumn('model_id', 'text', (col) => col.notNull())
    .addColumn('settle', 'text', (col) => col.notNull().check(sql`settle in ('close', 'average60')`))
    .addColumn('momentum_bucket', 'smallint')
    .addColumn('model_yes_percent', 'double precision', (col) =>
      col.notNull().check(sql`model_yes_percent between 0 and 100`),
    )
    .addColumn('active_side', 'text', (col) => col.notNull().check(sql`active_side in ('yes', 'no')`))
    .addColumn('yes_bid', 'integer')
    .addColumn('yes_ask', 'integer')
    .addColumn('no_bid', 'integer')
    .addColumn('no_ask', 'integer')
    .addColumn('volume', 'bigint', (col) => col.notNull())
    .addColumn('result', 'text', (col) => col.check(sql`result in ('yes', 'no')`))
    .addColumn('settled_at', 'timestamptz')
    .addPrimaryKeyConstraint('strike_snapshots_pkey', [
      'mode',
      'symbol',
      'close_time',
      'offset_minutes',
      'strike',
    ])
    .addCheckConstraint('strike_snapshots_settled', sql`(result is null) = (settled_at is null)`)
    .execute();
  // Scoring reads the settled rows of a symbol by close time.
  await db.schema
    .createIndex('strike_snapshots_scoring_idx')
    .on('model.strike_snapshots')
    .columns(['mode', 'symbol', 'close_time'])
    .where(sql.ref('result'), 'is not', null)
    .execute();
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await db.schema.dropTable('model.strike_snapshots').execute();
}
