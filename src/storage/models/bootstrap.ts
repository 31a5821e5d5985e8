/**
 * Start-up model bootstrap: a fresh install has no model, and the strike table needs one. For
 * each symbol without an active model, generate synthetic history from the simulator's own
 * process, build a model from it, store both and activate the model — marked synthetic.
 *
 * Designed to run in the background of a running process (the coordinator calls it and does
 * not await it before serving): the CPU work runs on a worker thread, candles are stored in
 * batches (short statements other services interleave with, never one long transaction), and
 * progress goes to a callback. Symbols are done one after another to leave the other core free.
 *
 * Safe to repeat: a symbol that has an active model is skipped; a run that died half-way left
 * at most synthetic candles, which the next run replaces. If a model was activated while this
 * one was being built (an import by the user), the new one is stored but not activated.
 */
import type { Kysely } from 'kysely';
import type { Database } from '../../core/db/schema.ts';
import type { Weighting } from '../../domain/model/index.ts';
import type { EpochMs, SymbolId } from '../../domain/units.ts';
import { deleteCandles, upsertCandles } from '../candles/candle-repository.ts';
import { syntheticWindow } from '../candles/synthetic-history.ts';
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
  'synthesize' | 'build' | 'store-candles' | 'save' | 'done' | 'skipped' | 'failed';

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
  /** Days of synthetic history (default 365: ~525 000 candles, ~10 s of CPU on the worker). */
  days?: number;
  seed?: number | string;
  /** Default none: the synthetic process is stationary, recent years are no more relevant. */
  weighting?: Weighting;
  onProgress?: (progress: BootstrapProgress) => void;
  signal?: AbortSignal;
  /** Run the CPU part on a worker thread (default) or inline, yielding between simulated days. */
  useWorker?: boolean;
}

// Share of a symbol's progress bar per phase (roughly their time on a 2-core machine).
const WEIGHTS = { synthesize: 0.45, build: 0.1, store: 0.4, save: 0.05 };

export async function bootstrapModels(options: ModelBootstrapOptions): Promise<BootstrapOutcome[]> {
  const outcomes: BootstrapOutcome[] = [];
  for (const symbol of options.symbols) {
    if (options.signal?.aborted) {
      outcomes.push({ symbol, status: 'aborted' });
      continue;
    }
    outcomes.push(await bootstrapSymbol(symbol, options));
  }
  return outcomes;
}

async function bootstrapSymbol(symbol: SymbolId, options: ModelBootstrapOptions): Promise<BootstrapOutcome> {
  const { db, signal } = options;
  const report = (phase: BootstrapPhase, fraction: number, message: string) =>
    options.onProgress?.({ symbol, phase, fraction: Math.min(1, Math.max(0, fraction)), message });
  try {
    const active = await activeModelSummary(db, symbol);
    if (active) {
      report('skipped', 1, `${symbol}: active model ${active.modelId}, nothing to do`);
      return { symbol, status: 'existing', modelId: active.modelId };
    }
    const now = options.now();
    const days = options.days ?? DEFAULT_BOOTSTRAP_DAYS;
    const window = syntheticWindow(now, days);
    const job: SyntheticModelJob = {
      symbol,
      ...window,
      seed: options.seed ?? DEFAULT_BOOTSTRAP_SEED,
      modelId: newModelId(symbol, 'synthetic', now),
      builtAt: now,
      weighting: options.weighting ?? { kind: 'none' },
    };
    report('synthesize', 0, `${symbol}: no active model — generating ${days} days of synthetic history`);
    const onJobProgress = (phase: 'synthesize' | 'build', fraction: number) =>
      phase === 'synthesize'
        ? report('synthesize', WEIGHTS.synthesize * fraction, `${symbol}: synthetic history ${pct(fraction)}`)
        : report(
            'build',
            WEIGHTS.synthesize + WEIGHTS.build * fraction,
            `${symbol}: building model ${pct(fraction)}`,
          );
    const result: SyntheticModelResult =
      options.useWorker === false
        ? await runSyntheticModelJob(job, onJobProgress)
        : await runSyntheticModelJobInWorker(job, {
            onProgress: onJobProgress,
            ...(signal ? { signal } : {}),
          });
    if (signal?.aborted) return { symbol, status: 'aborted' };

    // The model first, so the strike tables can start; then the history it was built from.
    const saveStart = WEIGHTS.synthesize + WEIGHTS.build;
    report('save', saveStart, `${symbol}: saving model ${job.modelId}`);
    const saved = await db.transaction().execute(async (trx) => {
      const activeNow = await activeModelSummary(trx, symbol);
      return saveModel(trx, result.grid, { activate: !activeNow });
    });

    const storeStart = saveStart + WEIGHTS.save;
    await deleteCandles(db, { symbol, series: 'synthetic' });
    await upsertCandles(db, symbol, 'synthetic', result.candles, {
      batchSize: 2_000, // short statements: other users of the database get their turn in between
      onProgress: (written, total) => {
        if (signal?.aborted) throw new BootstrapAborted();
        report(
          'store-candles',
          storeStart + WEIGHTS.store * (written / total),
          `${symbol}: storing candles ${pct(written / total)}`,
        );
      },
    });
    report(
      'done',
      1,
      saved.active
        ? `${symbol}: synthetic model ${saved.modelId} built from ${result.grid.meta.rowsUsed} minutes and activated`
        : `${symbol}: synthetic model ${saved.modelId} stored; another model became active meanwhile`,
    );
    return { symbol, status: 'built', modelId: saved.modelId, activated: saved.active };
  } catch (error) {
    if (signal?.aborted) return { symbol, status: 'aborted' };
    const message = error instanceof Error ? error.message : String(error);
    report('failed', 1, `${symbol}: model bootstrap failed: ${message}`);
    return { symbol, status: 'failed', error: message };
  }
}

class BootstrapAborted extends Error {
  override name = 'BootstrapAborted';
}

function pct(fraction: number): string {
  return `${Math.round(fraction * 100)}%`;
}
