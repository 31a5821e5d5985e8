/**
 * Start-up model bootstrap: a fresh install has no model, and the strike table needs one. For
 * each symbol without an active model, generate synthetic history from the simulator's own
 * process, build a model from it, store both and activate the model — marked synthetic.
 *
 * Designed to run in the background of a running process (the coordinator calls it and does
 * not await it before serving). Models come first, history second, because the strike tables
 * need only the models: every symbol's CPU work runs at once, each on its own worker thread,
 * and each model is saved and activated the moment it is built; then the candles it was built
 * from are stored, one symbol at a time, in batches (short statements other services
 * interleave with, never one long transaction). Progress goes to a callback.
 *
 * A model `npm install` cached (bootstrap-cache.ts) is activated before anything is generated;
 * the job still runs, for the history and to check the cache, and replaces a cached model
 * that differs.
 *
 * Safe to repeat: a symbol that has an active model is skipped; a run that died half-way left
 * at most synthetic candles, which the next run replaces. If a model was activated while this
 * one was being built (an import by the user), the new one is stored but not activated.
 */
import type { Kysely } from 'kysely';
import type { Database } from '../../core/db/schema.ts';
import type { FingerprintGrid, Weighting } from '../../domain/model/index.ts';
import type { EpochMs, SymbolId } from '../../domain/units.ts';
import type { CandleColumns } from '../candles/candle.ts';
import { deleteCandles, upsertCandles } from '../candles/candle-repository.ts';
import { syntheticWindow } from '../candles/synthetic-history.ts';
import { defaultModelCacheDir, readCachedModel, sameCells, writeCachedModel } from './bootstrap-cache.ts';
import { newModelId } from './model-id.ts';
import { activeModelSummary, saveModel } from './model-repository.ts';
import { runSyntheticModelJobInWorker } from './run-in-worker.ts';
import {
  runSyntheticModelJob,
  type SyntheticModelJob,
  type SyntheticModelResult,
} from './synthetic-model-job.ts';

export const DEFAULT_BOOTSTRAP_DAYS = 365;
export const DEFAULT_BOOTSTRAP_SEED = 'recio-bootstrap';

export type BootstrapPhase =
  'synthesize' | 'build' | 'save' | 'activated' | 'store-candles' | 'done' | 'skipped' | 'failed';

export interface BootstrapProgress {
  symbol: SymbolId;
  phase: BootstrapPhase;
  /** Progress of the whole symbol, 0…1. */
  fraction: number;
  message: string;
}

export interface BootstrapOutcome {
  symbol: SymbolId;
  status: 'existing' | 'built' | 'failed' | 'aborted';
  modelId?: string;
  /** False when another model became active while this one was built. */
  activated?: boolean;
  error?: string;
}

export interface ModelBootstrapOptions {
  db: Kysely<Database>;
  symbols: readonly SymbolId[];
  /** The process clock (simulated time in a simulation): history ends at the current minute. */
  now: () => EpochMs;
  /** Days of synthetic history (default 365: ~525 000 candles, ~8 s of CPU on a worker). */
  days?: number;
  seed?: number | string;
  /** Default none: the synthetic process is stationary, recent years are no more relevant. */
  weighting?: Weighting;
  onProgress?: (progress: BootstrapProgress) => void;
  signal?: AbortSignal;
  /**
   * Run the CPU part on worker threads, every symbol at once (default), or inline, one symbol
   * after another, yielding between simulated days.
   */
  useWorker?: boolean;
  /**
   * Where models made at install time are cached (bootstrap-cache.ts); null: no cache. Default:
   * node_modules/.cache/recio, read for every job, written back only for the default job.
   */
  cacheDir?: string | null;
}

// Share of a symbol's progress bar per phase (roughly their time on a 2-core machine).
const WEIGHTS = { synthesize: 0.45, build: 0.1, save: 0.05, store: 0.4 };
const STORE_START = WEIGHTS.synthesize + WEIGHTS.build + WEIGHTS.save;

type Reporter = (phase: BootstrapPhase, fraction: number, message: string) => void;

interface BuiltModel {
  symbol: SymbolId;
  modelId: string;
  activated: boolean;
  candles: CandleColumns;
}

export async function bootstrapModels(options: ModelBootstrapOptions): Promise<BootstrapOutcome[]> {
  const outcomes = new Map<SymbolId, BootstrapOutcome>();
  const reporter =
    (symbol: SymbolId): Reporter =>
    (phase, fraction, message) =>
      options.onProgress?.({ symbol, phase, fraction: Math.min(1, Math.max(0, fraction)), message });

  const missing: SymbolId[] = [];
  for (const symbol of options.symbols) {
    if (options.signal?.aborted) {
      outcomes.set(symbol, { symbol, status: 'aborted' });
      continue;
    }
    const active = await guard(symbol, options, reporter(symbol), () =>
      activeModelSummary(options.db, symbol),
    );
    if ('outcome' in active) outcomes.set(symbol, active.outcome);
    else if (active.value) {
      reporter(symbol)('skipped', 1, `${symbol}: active model ${active.value.modelId}, nothing to do`);
      outcomes.set(symbol, { symbol, status: 'existing', modelId: active.value.modelId });
    } else missing.push(symbol);
  }

  // 1. The models: what the strike tables wait for.
  const buildOne = (symbol: SymbolId) =>
    guard(symbol, options, reporter(symbol), () => buildAndActivate(symbol, options, reporter(symbol)));
  const built: Array<Awaited<ReturnType<typeof buildOne>>> = [];
  if (options.useWorker === false) {
    for (const symbol of missing) built.push(await buildOne(symbol));
  } else {
    built.push(...(await Promise.all(missing.map(buildOne))));
  }

  // 2. The history the models were built from, for later rebuilds and backtests.
  for (const result of built) {
    if ('outcome' in result) {
      outcomes.set(result.symbol, result.outcome);
      continue;
    }
    const model = result.value;
    const stored = await guard(model.symbol, options, reporter(model.symbol), () =>
      storeHistory(model, options, reporter(model.symbol)),
    );
    outcomes.set(
      model.symbol,
      'outcome' in stored
        ? { ...stored.outcome, modelId: model.modelId, activated: model.activated }
        : { symbol: model.symbol, status: 'built', modelId: model.modelId, activated: model.activated },
    );
  }
  return options.symbols.map((symbol) => outcomes.get(symbol)!);
}

/** The model job the bootstrap runs for a symbol at `now` (tests and benchmarks score exactly this). */
export function bootstrapJob(
  symbol: SymbolId,
  now: EpochMs,
  options: Pick<ModelBootstrapOptions, 'days' | 'seed' | 'weighting'> = {},
): SyntheticModelJob {
  return {
    symbol,
    ...syntheticWindow(now, options.days ?? DEFAULT_BOOTSTRAP_DAYS),
    seed: options.seed ?? DEFAULT_BOOTSTRAP_SEED,
    modelId: newModelId(symbol, 'synthetic', now),
    builtAt: now,
    weighting: options.weighting ?? { kind: 'none' },
  };
}

async function buildAndActivate(
  symbol: SymbolId,
  options: ModelBootstrapOptions,
  report: Reporter,
): Promise<BuiltModel> {
  const { signal } = options;
  const job = bootstrapJob(symbol, options.now(), options);
  const cacheDir = options.cacheDir === undefined ? defaultModelCacheDir() : options.cacheDir;
  const cached = cacheDir === null ? undefined : await readCachedModel(job, cacheDir);
  // From the cache: active at once; the job still runs below, for the candles and as a check.
  const early = cached
    ? await saveAndActivate(cached, options, report, 'from the install-time cache')
    : undefined;

  report(
    'synthesize',
    early ? STORE_START : 0,
    `${symbol}: ${early ? 'model active from the cache —' : 'no active model —'} generating ${job.minutes / 1_440} days of synthetic history`,
  );
  const onJobProgress = (phase: 'synthesize' | 'build', fraction: number) => {
    if (early) return; // the bar already stands at the model's activation
    if (phase === 'synthesize')
      report('synthesize', WEIGHTS.synthesize * fraction, `${symbol}: synthetic history ${pct(fraction)}`);
    else
      report(
        'build',
        WEIGHTS.synthesize + WEIGHTS.build * fraction,
        `${symbol}: building model ${pct(fraction)}`,
      );
  };
  const result: SyntheticModelResult =
    options.useWorker === false
      ? await runSyntheticModelJob(job, onJobProgress)
      : await runSyntheticModelJobInWorker(job, { onProgress: onJobProgress, ...(signal ? { signal } : {}) });
  if (signal?.aborted) throw new BootstrapAborted();

  if (cacheDir !== null && (!cached || !sameCells(cached, result.grid)) && isDefaultJob(options)) {
    await writeCachedModel(job, result.grid, cacheDir).catch(() => undefined); // only a cache
  }
  if (early && cached && sameCells(cached, result.grid)) return { symbol, ...early, candles: result.candles };
  if (early) {
    // The cache was wrong (it should never be): the model just built replaces it, under a new id.
    const rebuilt = {
      ...result.grid,
      meta: { ...result.grid.meta, modelId: newModelId(symbol, 'synthetic', options.now()) },
    };
    const replaced = await saveAndActivate(
      rebuilt,
      options,
      report,
      'rebuilt (the cached model differed)',
      early.modelId,
    );
    return { symbol, ...replaced, candles: result.candles };
  }
  const saved = await saveAndActivate(
    result.grid,
    options,
    report,
    `built from ${result.grid.meta.rowsUsed} minutes`,
  );
  return { symbol, ...saved, candles: result.candles };
}

/**
 * Stores the model and activates it unless another model is active — except `replacing`, the
 * model this run activated itself, which it may supersede.
 */
async function saveAndActivate(
  grid: FingerprintGrid,
  options: ModelBootstrapOptions,
  report: Reporter,
  how: string,
  replacing?: string,
): Promise<{ modelId: string; activated: boolean }> {
  const { symbol, modelId } = grid.meta;
  report(
    'save',
    replacing ? STORE_START : WEIGHTS.synthesize + WEIGHTS.build,
    `${symbol}: saving model ${modelId}`,
  );
  const saved = await options.db.transaction().execute(async (trx) => {
    const activeNow = await activeModelSummary(trx, symbol);
    return saveModel(trx, grid, { activate: !activeNow || activeNow.modelId === replacing });
  });
  report(
    'activated',
    STORE_START,
    saved.active
      ? `${symbol}: synthetic model ${saved.modelId} ${how} and activated`
      : `${symbol}: synthetic model ${saved.modelId} stored; another model became active meanwhile`,
  );
  return { modelId: saved.modelId, activated: saved.active };
}

/** The job `npm install` caches: the default length and seed (tests' short jobs never evict it). */
function isDefaultJob(options: ModelBootstrapOptions): boolean {
  return (
    (options.days ?? DEFAULT_BOOTSTRAP_DAYS) === DEFAULT_BOOTSTRAP_DAYS &&
    String(options.seed ?? DEFAULT_BOOTSTRAP_SEED) === DEFAULT_BOOTSTRAP_SEED &&
    (options.weighting ?? { kind: 'none' }).kind === 'none'
  );
}

async function storeHistory(
  model: BuiltModel,
  options: ModelBootstrapOptions,
  report: Reporter,
): Promise<void> {
  const { db, signal } = options;
  const { symbol } = model;
  report('store-candles', STORE_START, `${symbol}: storing candles 0%`);
  await deleteCandles(db, { symbol, series: 'synthetic' });
  await upsertCandles(db, symbol, 'synthetic', model.candles, {
    batchSize: 2_000, // short statements: other users of the database get their turn in between
    onProgress: (written, total) => {
      if (signal?.aborted) throw new BootstrapAborted();
      report(
        'store-candles',
        STORE_START + WEIGHTS.store * (written / total),
        `${symbol}: storing candles ${pct(written / total)}`,
      );
    },
  });
  report(
    'done',
    1,
    `${symbol}: model ${model.modelId} and its ${model.candles.length} synthetic candles stored`,
  );
}

/** Runs one step for a symbol; an abort or an error becomes that symbol's outcome, never a throw. */
async function guard<T>(
  symbol: SymbolId,
  options: ModelBootstrapOptions,
  report: Reporter,
  step: () => Promise<T>,
): Promise<{ value: T } | { symbol: SymbolId; outcome: BootstrapOutcome }> {
  try {
    return { value: await step() };
  } catch (error) {
    if (options.signal?.aborted) return { symbol, outcome: { symbol, status: 'aborted' } };
    const message = error instanceof Error ? error.message : String(error);
    report('failed', 1, `${symbol}: model bootstrap failed: ${message}`);
    return { symbol, outcome: { symbol, status: 'failed', error: message } };
  }
}

class BootstrapAborted extends Error {
  override name = 'BootstrapAborted';
}

function pct(fraction: number): string {
  return `${Math.round(fraction * 100)}%`;
}
