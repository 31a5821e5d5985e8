/**
 * The model keeper's store on the platform database: src/storage/models (versioned models in
 * schema `model`, the synthetic bootstrap). Kept apart so tests give the keeper a fake.
 */
import type { Kysely } from 'kysely';
import type { Database } from '../../core/db/schema.ts';
import type { EpochMs } from '../../domain/units.ts';
import { bootstrapModels } from '../../storage/models/bootstrap.ts';
import { activeModelSummary, loadModel } from '../../storage/models/model-repository.ts';
import type { ModelStore } from './model-keeper.ts';

export interface StorageModelStoreOptions {
  db: Kysely<Database>;
  now: () => EpochMs;
  /** Days of synthetic history for the bootstrap (default: the bootstrap's own, a year). */
  bootstrapDays?: number;
  /** Run the bootstrap's CPU work inline instead of on a worker thread (tests). */
  inline?: boolean;
}

export function storageModelStore(options: StorageModelStoreOptions): ModelStore {
  const { db } = options;
  return {
    activeModelId: async (symbol) => (await activeModelSummary(db, symbol))?.modelId,
    load: (modelId) => loadModel(db, modelId),
    bootstrap: (symbols, onProgress, signal) =>
      bootstrapModels({
        db,
        symbols,
        now: options.now,
        signal,
        onProgress: (p) =>
          onProgress({
            symbol: p.symbol,
            fraction: p.fraction,
            message: p.message,
            // The model is active: tables can start while its history is still being stored.
            done: p.phase === 'activated',
          }),
        ...(options.bootstrapDays !== undefined ? { days: options.bootstrapDays } : {}),
        ...(options.inline ? { useWorker: false } : {}),
      }),
  };
}
