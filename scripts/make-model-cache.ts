/**
 * `npm install` runs this (postinstall): builds the start-up bootstrap's synthetic models once,
 * so a fresh install's first start activates them at once instead of spending ~9 s of CPU
 * before its first strike tables (src/storage/models/bootstrap-cache.ts). Never fails the
 * install: without the cache, the first start builds the models itself.
 */
import { SYMBOLS } from '../src/domain/units.ts';
import { bootstrapJob } from '../src/storage/models/bootstrap.ts';
import { writeCachedModel } from '../src/storage/models/bootstrap-cache.ts';
import { runSyntheticModelJobInWorker } from '../src/storage/models/run-in-worker.ts';

try {
  const started = performance.now();
  const files = await Promise.all(
    SYMBOLS.map(async (symbol) => {
      const job = bootstrapJob(symbol, Date.now());
      const { grid } = await runSyntheticModelJobInWorker(job);
      return writeCachedModel(job, grid);
    }),
  );
  console.log(
    `recio: start-up models (${SYMBOLS.join(', ')}) cached in ${((performance.now() - started) / 1000).toFixed(1)} s (${files.join(', ')})`,
  );
} catch (error) {
  console.warn(
    `recio: no cached start-up models (${error instanceof Error ? error.message : String(error)}); the first start builds them`,
  );
}
