/**
 * Schema `sim`: the exchange simulator's durable state (src/simulator/persistence).
 * Frozen once released: never edit an applied migration, add a new one.
 *
 * - `sim.state`: one row, the latest JSON snapshot of the whole simulation (market + exchange
 *   engine) and the last journal entry it includes.
 * - `sim.journal`: every state-changing command (order, cancel, decrease, account, deposit) in the order
 *   it was applied, with the simulated time it ran at — written in the same transaction as its
 *   ledger rows, before the answer leaves. Restore = snapshot + replay of the newer entries.
 * - `sim.accounts`, `sim.api_keys`: accounts and their registered RSA public keys.
 * - `sim.orders`, `sim.fills`, `sim.positions`, `sim.settlements`: the ledger of the accounts
 *   that record history (users, not the simulator's own makers/takers), the engine record kept
 *   whole in `record` with the columns needed to query it.
 *
 * Money in integer centi-cents (bigint), counts in contracts, times timestamptz.
 */
import { sql, type Kysely } from 'kysely';

export async function up(db: Kysely<unknown>): Promise<void> {
  await db.schema.createSchema('sim').execute();

  await db.schema
    .createTable('sim.state')
    .addColumn('id', 'smallint', (col) => col.primaryKey().check(sql`id = 1`))
    .addColumn('snapshot', 'jsonb', (col) => col.notNull())
    .addColumn('journal_seq', 'bigint', (col) => col.notNull().check(sql`journal_seq >= 0`))
    .addColumn('sim_time', 'timestamptz', (col) => col.notNull())
    .addColumn('saved_at', 'timestamptz', (col) => col.notNull())
    .execute();

  await db.schema
    .createTable('sim.journal')
    .addColumn('seq', 'bigint', (col) => col.primaryKey().check(sql`seq > 0`))
    .addColumn('at', 'timestamptz', (col) => col.notNull())
    .addColumn('kind', 'text', (col) =>
      col
        .notNull()
        .check(
          sql`kind in ('create_account', 'adjust_balance', 'place_order', 'cancel_order', 'decrease_order')`,
        ),
    )
    .addColumn('command', 'jsonb', (col) => col.notNull())
    .addColumn('result', 'jsonb', (col) => col.notNull())
    .execute();

  await db.schema
    .createTable('sim.accounts')
    .addColumn('account_id', 'text', (col) => col.primaryKey())
    .addColumn('label', 'text', (col) => col.notNull().defaultTo(''))
    .addColumn('balance_cc', 'bigint', (col) => col.notNull())
    .addColumn('reserved_cc', 'bigint', (col) => col.notNull().check(sql`reserved_cc >= 0`))
    .addColumn('created_at', 'timestamptz', (col) => col.notNull())
    .addColumn('updated_at', 'timestamptz', (col) => col.notNull())
    .execute();

  await db.schema
    .createTable('sim.api_keys')
    .addColumn('key_id', 'text', (col) => col.primaryKey())
    .addColumn('account_id', 'text', (col) => col.notNull().references('sim.accounts.account_id'))
    .addColumn('public_key_pem', 'text', (col) => col.notNull())
    .addColumn('tier', 'text', (col) =>
      col.notNull().check(sql`tier in ('basic', 'advanced', 'premier', 'prime')`),
    )
    .addColumn('created_at', 'timestamptz', (col) => col.notNull())
    .execute();

  await db.schema
    .createTable('sim.orders')
    .addColumn('order_id', 'text', (col) => col.primaryKey())
    .addColumn('account_id', 'text', (col) => col.notNull())
    .addColumn('client_order_id', 'text', (col) => col.notNull())
    .addColumn('ticker', 'text', (col) => col.notNull())
    .addColumn('status', 'text', (col) =>
      col.notNull().check(sql`status in ('resting', 'canceled', 'executed')`),
    )
    .addColumn('created_at', 'timestamptz', (col) => col.notNull())
    .addColumn('updated_at', 'timestamptz', (col) => col.notNull())
    .addColumn('record', 'jsonb', (col) => col.notNull())
    .execute();
  await db.schema
    .createIndex('orders_account_created')
    .on('sim.orders')
    .columns(['account_id', 'created_at'])
    .execute();

  await db.schema
    .createTable('sim.fills')
    .addColumn('fill_id', 'text', (col) => col.notNull())
    .addColumn('account_id', 'text', (col) => col.notNull())
    .addColumn('order_id', 'text', (col) => col.notNull())
    .addColumn('ticker', 'text', (col) => col.notNull())
    .addColumn('created_at', 'timestamptz', (col) => col.notNull())
    .addColumn('record', 'jsonb', (col) => col.notNull())
    .addPrimaryKeyConstraint('fills_pkey', ['fill_id', 'account_id'])
    .execute();
  await db.schema
    .createIndex('fills_account_created')
    .on('sim.fills')
    .columns(['account_id', 'created_at'])
    .execute();

  await db.schema
    .createTable('sim.positions')
    .addColumn('account_id', 'text', (col) => col.notNull())
    .addColumn('ticker', 'text', (col) => col.notNull())
    .addColumn('event_ticker', 'text', (col) => col.notNull())
    .addColumn('position', 'bigint', (col) => col.notNull())
    .addColumn('updated_at', 'timestamptz', (col) => col.notNull())
    .addColumn('record', 'jsonb', (col) => col.notNull())
    .addPrimaryKeyConstraint('positions_pkey', ['account_id', 'ticker'])
    .execute();

  await db.schema
    .createTable('sim.settlements')
    .addColumn('account_id', 'text', (col) => col.notNull())
    .addColumn('ticker', 'text', (col) => col.notNull())
    .addColumn('event_ticker', 'text', (col) => col.notNull())
    .addColumn('revenue_cc', 'bigint', (col) => col.notNull())
    .addColumn('settled_at', 'timestamptz', (col) => col.notNull())
    .addColumn('record', 'jsonb', (col) => col.notNull())
    .addPrimaryKeyConstraint('settlements_pkey', ['account_id', 'ticker'])
    .execute();
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await db.schema.dropSchema('sim').cascade().execute();
}
