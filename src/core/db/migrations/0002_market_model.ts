/**
 * Schema `market`: 1-minute candle history per symbol (the model's input).
 * Schema `model`: versioned fingerprint models (metadata + the two cell buffers).
 * Frozen once released: never edit an applied migration, add a new one.
 *
 * Candles: prices in integer cents (spot prices have 2 decimals), volume as double precision.
 * The key is (symbol, synthetic, ts): real history (coinbase / csv / live) and the synthetic
 * series are two separate series that never overwrite or mix with each other — a model is
 * built from one of them, and synthetic candles never make a real fetch look complete.
 *
 * Models: `model.models` holds what a listing shows; `model.model_grids` the 2 × 152 520
 * float64 cells (little-endian bytea), read only when a model is loaded. At most one active
 * model per symbol (partial unique index).
 */
import { sql, type Kysely } from 'kysely';

// Whitelists, written here as literals: a migration must not change when code constants do.
const SYMBOLS_CHECK = sql`symbol in ('BTC', 'ETH')`;
const CANDLE_SOURCES_CHECK = sql`source in ('coinbase', 'synthetic', 'csv', 'live')`;
const MODEL_SOURCES_CHECK = sql`source in ('v2-import', 'coinbase', 'synthetic', 'csv')`;

export async function up(db: Kysely<unknown>): Promise<void> {
  await db.schema.createSchema('market').execute();
  await db.schema
    .createTable('market.candles_1m')
    .addColumn('symbol', 'text', (col) => col.notNull().check(SYMBOLS_CHECK))
    .addColumn('synthetic', 'boolean', (col) => col.notNull())
    .addColumn('ts', 'timestamptz', (col) => col.notNull())
    .addColumn('open', 'bigint', (col) => col.notNull())
    .addColumn('high', 'bigint', (col) => col.notNull())
    .addColumn('low', 'bigint', (col) => col.notNull())
    .addColumn('close', 'bigint', (col) => col.notNull())
    .addColumn('volume', 'double precision', (col) => col.notNull())
    .addColumn('source', 'text', (col) => col.notNull().check(CANDLE_SOURCES_CHECK))
    .addPrimaryKeyConstraint('candles_1m_pkey', ['symbol', 'synthetic', 'ts'])
    .addCheckConstraint('candles_1m_synthetic_source', sql`synthetic = (source = 'synthetic')`)
    .addCheckConstraint(
      'candles_1m_prices',
      sql`low > 0 and low <= least(open, close) and high >= greatest(open, close) and volume >= 0`,
    )
    .addCheckConstraint(
      'candles_1m_minute',
      sql`date_trunc('minute', ts at time zone 'UTC') = ts at time zone 'UTC'`,
    )
    .execute();

  await db.schema.createSchema('model').execute();
  await db.schema
    .createTable('model.models')
    .addColumn('model_id', 'text', (col) => col.primaryKey())
    .addColumn('symbol', 'text', (col) => col.notNull().check(SYMBOLS_CHECK))
    .addColumn('source', 'text', (col) => col.notNull().check(MODEL_SOURCES_CHECK))
    .addColumn('synthetic', 'boolean', (col) => col.notNull())
    .addColumn('date_from', 'timestamptz')
    .addColumn('date_to', 'timestamptz')
    .addColumn('rows_used', 'bigint')
    .addColumn('built_at', 'timestamptz', (col) => col.notNull())
    .addColumn('weighting', 'jsonb')
    .addColumn('meta', 'jsonb', (col) => col.notNull())
    .addColumn('active', 'boolean', (col) => col.notNull().defaultTo(false))
    .execute();
  await db.schema
    .createIndex('models_one_active_per_symbol')
    .on('model.models')
    .column('symbol')
    .unique()
    .where(sql.ref('active'), '=', true)
    .execute();
  await db.schema
    .createIndex('models_symbol_built_at_idx')
    .on('model.models')
    .columns(['symbol', 'built_at'])
    .execute();

  await db.schema
    .createTable('model.model_grids')
    .addColumn('model_id', 'text', (col) =>
      col.primaryKey().references('model.models.model_id').onDelete('cascade'),
    )
    .addColumn('up', 'bytea', (col) => col.notNull())
    .addColumn('down', 'bytea', (col) => col.notNull())
    .execute();
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await db.schema.dropSchema('model').cascade().execute();
  await db.schema.dropSchema('market').cascade().execute();
}
