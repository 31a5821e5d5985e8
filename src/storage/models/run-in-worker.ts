/**
 * Runs a SyntheticModelJob on a worker thread: the event loop of the calling process (all
 * services in all-in-one mode) stays free while a year of seconds is simulated and counted.
 */
import { Worker } from 'node:worker_threads';
import type { JobProgress, SyntheticModelJob, SyntheticModelResult } from './synthetic-model-job.ts';
import type { WorkerMessage } from './synthetic-model-worker.ts';

const WORKER_ENTRY = new URL('./synthetic-model-worker.mjs', import.meta.url);

export class JobAbortedError extends Error {
  override name = 'JobAbortedError';
}

export function runSyntheticModelJobInWorker(
  job: SyntheticModelJob,
  options: { onProgress?: JobProgress; signal?: AbortSignal } = {},
): Promise<SyntheticModelResult> {
  const { onProgress, signal } = options;
  return new Promise((resolve, reject) => {
    if (signal?.aborted) return reject(new JobAbortedError('aborted before start'));
    const worker = new Worker(WORKER_ENTRY, { workerData: job });
    let settled = false;
    const finish = (fn: () => void) => {
      if (settled) return;
      settled = true;
      signal?.removeEventListener('abort', onAbort);
      fn();
      void worker.terminate();
    };
    const onAbort = () => finish(() => reject(new JobAbortedError('aborted')));
    signal?.addEventListener('abort', onAbort, { once: true });
    worker.on('message', (message: WorkerMessage) => {
      if (message.type === 'progress') onProgress?.(message.phase, message.fraction);
      else if (message.type === 'done') finish(() => resolve(message.result));
      else finish(() => reject(new Error(message.message)));
    });
    worker.on('error', (error) => finish(() => reject(error)));
    worker.on('exit', (code) =>
      finish(() => reject(new Error(`model worker exited with code ${code} before finishing`))),
    );
  });
}
