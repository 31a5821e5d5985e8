/**
 * Versioned fingerprint models in PostgreSQL: model.models (what a listing shows) and
 * model.model_grids (the cells). A stored model is immutable; "active" marks the one per
 * symbol the live services use (a partial unique index enforces at most one).
 *
 * Everything that comes back from storage is validated (validateGrid: metadata schema, shape,
 * every cell a percent) — a damaged row is an error, never a silently wrong probability.
 */
import { sql, type Kysely, type Transaction } from 'kysely';
import type { Database, JsonObject } from '../../core/db/schema.ts';
import { toJsonb } from '../../core/db/schema.ts';
import {
  FingerprintGridError,
  fingerprintMetaSchema,
  validateGrid,
  type FingerprintGrid,
  type FingerprintMeta,
  type ModelSource,
  type Weighting,
} from '../../domain/model/index.ts';
import type { EpochMs, SymbolId } from '../../domain/units.ts';
import { checkSymbol } from '../candles/candle-repository.ts';
import { bytesToFloat64, float64ToBytes } from './grid-bytes.ts';
import { MODEL_ID_PATTERN } from './model-id.ts';

export class ModelStoreError extends Error {
  override name = 'ModelStoreError';
}

export class ModelNotFoundError extends ModelStoreError {
  override name = 'ModelNotFoundError';
  constructor(readonly modelId: string) {
    super(`no model "${modelId}" (see \`recio model list\`)`);
  }
}

/** A model as listed: everything but the cells. Times are epoch ms. */
export interface ModelSummary {
  modelId: string;
  symbol: SymbolId;
  source: ModelSource;
  synthetic: boolean;
  from: EpochMs | null;
  to: EpochMs | null;
  rowsUsed: number | null;
  builtAt: EpochMs;
  weighting: Weighting | null;
  active: boolean;
}

type ModelRow = {
  model_id: string;
  symbol: string;
  source: ModelSource;
  synthetic: boolean;
  date_from: Date | null;
  date_to: Date | null;
  rows_used: number | null;
  built_at: Date;
  weighting: JsonObject | null;
  active: boolean;
};

const SUMMARY_COLUMNS = [
  'model_id',
  'symbol',
  'source',
  'synthetic',
  'date_from',
  'date_to',
  'rows_used',
  'built_at',
  'weighting',
  'active',
] as const;

function summaryOf(row: ModelRow): ModelSummary {
  return {
    modelId: row.model_id,
    symbol: checkSymbol(row.symbol),
    source: row.source,
    synthetic: row.synthetic,
    from: row.date_from?.getTime() ?? null,
    to: row.date_to?.getTime() ?? null,
    rowsUsed: row.rows_used,
    builtAt: row.built_at.getTime(),
    weighting: row.weighting as Weighting | null,
    active: row.active,
  };
}

/**
 * Cells travel as base64 text decoded by the server: PGlite converts a bytea parameter or
 * result to hex in JavaScript, seconds for 2.4 MB; encode/decode run in the database's C code.
 */
function bytea(values: Float64Array) {
  return sql<Uint8Array>`decode(${Buffer.from(float64ToBytes(values)).toString('base64')}, 'base64')`;
}

/** Runs `fn` in a transaction, or inside the caller's when `db` already is one. */
function inTransaction<T>(db: Kysely<Database>, fn: (trx: Kysely<Database>) => Promise<T>): Promise<T> {
  return db.isTransaction ? fn(db) : db.transaction().execute((trx: Transaction<Database>) => fn(trx));
}

async function setActive(trx: Kysely<Database>, symbol: SymbolId, modelId: string): Promise<void> {
  // Lock the symbol's models so concurrent activations queue instead of racing the index.
  await trx.selectFrom('model.models').select('model_id').where('symbol', '=', symbol).forUpdate().execute();
  await trx
    .updateTable('model.models')
    .set({ active: false })
    .where('symbol', '=', symbol)
    .where('active', '=', true)
    .where('model_id', '!=', modelId)
    .execute();
  await trx.updateTable('model.models').set({ active: true }).where('model_id', '=', modelId).execute();
}

export interface SaveModelOptions {
  /** Make it the symbol's active model in the same transaction. */
  activate?: boolean;
}

/** Stores a validated grid (metadata row + cells) in one transaction; returns its summary. */
export async function saveModel(
  db: Kysely<Database>,
  grid: FingerprintGrid,
  options: SaveModelOptions = {},
): Promise<ModelSummary> {
  validateGrid(grid);
  const meta = grid.meta;
  const symbol = checkSymbol(meta.symbol);
  if (!MODEL_ID_PATTERN.test(meta.modelId)) {
    throw new ModelStoreError(
      `model id "${meta.modelId}" must be 1–80 letters, digits, '.', '_' or '-', starting with a letter or digit`,
    );
  }
  return inTransaction(db, async (trx) => {
    const existing = await trx
      .selectFrom('model.models')
      .select('model_id')
      .where('model_id', '=', meta.modelId)
      .executeTakeFirst();
    if (existing)
      throw new ModelStoreError(`a model "${meta.modelId}" already exists; models are never overwritten`);
    await trx
      .insertInto('model.models')
      .values({
        model_id: meta.modelId,
        symbol,
        source: meta.source,
        synthetic: meta.synthetic,
        date_from: meta.from === null ? null : new Date(meta.from),
        date_to: meta.to === null ? null : new Date(meta.to),
        rows_used: meta.rowsUsed,
        built_at: new Date(meta.builtAt),
        weighting: meta.weighting === null ? null : toJsonb(meta.weighting),
        meta: toJsonb(meta as unknown as JsonObject),
      })
      .execute();
    await trx
      .insertInto('model.model_grids')
      .values({ model_id: meta.modelId, up: bytea(grid.up), down: bytea(grid.down) })
      .execute();
    if (options.activate) await setActive(trx, symbol, meta.modelId);
    return (await getModelSummary(trx, meta.modelId))!;
  });
}

export async function getModelSummary(
  db: Kysely<Database>,
  modelId: string,
): Promise<ModelSummary | undefined> {
  const row = await db
    .selectFrom('model.models')
    .select(SUMMARY_COLUMNS)
    .where('model_id', '=', modelId)
    .executeTakeFirst();
  return row ? summaryOf(row) : undefined;
}

/** Models, newest first; optionally of one symbol. */
export async function listModels(
  db: Kysely<Database>,
  options: { symbol?: SymbolId } = {},
): Promise<ModelSummary[]> {
  let query = db
    .selectFrom('model.models')
    .select(SUMMARY_COLUMNS)
    .orderBy('built_at', 'desc')
    .orderBy('model_id');
  if (options.symbol !== undefined) query = query.where('symbol', '=', checkSymbol(options.symbol));
  return (await query.execute()).map(summaryOf);
}

/** The active model's summary of a symbol, if any. */
export async function activeModelSummary(
  db: Kysely<Database>,
  symbol: SymbolId,
): Promise<ModelSummary | undefined> {
  const row = await db
    .selectFrom('model.models')
    .select(SUMMARY_COLUMNS)
    .where('symbol', '=', checkSymbol(symbol))
    .where('active', '=', true)
    .executeTakeFirst();
  return row ? summaryOf(row) : undefined;
}

/** Loads and validates a stored model; ModelNotFoundError when there is none. */
export async function loadModel(db: Kysely<Database>, modelId: string): Promise<FingerprintGrid> {
  const row = await db
    .selectFrom('model.models as m')
    .innerJoin('model.model_grids as g', 'g.model_id', 'm.model_id')
    .select([
      'm.model_id',
      'm.symbol',
      'm.meta',
      sql<string>`encode(g.up, 'base64')`.as('up'),
      sql<string>`encode(g.down, 'base64')`.as('down'),
    ])
    .where('m.model_id', '=', modelId)
    .executeTakeFirst();
  if (!row) throw new ModelNotFoundError(modelId);
  const meta = fingerprintMetaSchema.safeParse(row.meta);
  if (!meta.success) {
    throw new ModelStoreError(
      `stored model "${modelId}" has invalid metadata: ${meta.error.issues[0]?.message}`,
    );
  }
  if (meta.data.modelId !== row.model_id || meta.data.symbol !== row.symbol) {
    throw new ModelStoreError(
      `stored model "${modelId}": metadata names ${meta.data.modelId} (${meta.data.symbol})`,
    );
  }
  try {
    return validateGrid({
      meta: meta.data as FingerprintMeta,
      up: bytesToFloat64(Buffer.from(row.up, 'base64')),
      down: bytesToFloat64(Buffer.from(row.down, 'base64')),
    });
  } catch (error) {
    if (error instanceof FingerprintGridError || error instanceof RangeError) {
      throw new ModelStoreError(`stored model "${modelId}" is damaged: ${error.message}`);
    }
    throw error;
  }
}

/** The symbol's active model, loaded and validated, or undefined when none is active. */
export async function loadActiveModel(
  db: Kysely<Database>,
  symbol: SymbolId,
): Promise<FingerprintGrid | undefined> {
  const active = await activeModelSummary(db, symbol);
  return active ? loadModel(db, active.modelId) : undefined;
}

/** Makes a stored model its symbol's active one (the previous one is deactivated). */
export async function activateModel(db: Kysely<Database>, modelId: string): Promise<ModelSummary> {
  return inTransaction(db, async (trx) => {
    const summary = await getModelSummary(trx, modelId);
    if (!summary) throw new ModelNotFoundError(modelId);
    await setActive(trx, summary.symbol, modelId);
    return { ...summary, active: true };
  });
}
