/** Worker thread body: runs one SyntheticModelJob and posts progress, then the result (transferred, not copied). */
import { parentPort, workerData } from 'node:worker_threads';
import { runSyntheticModelJob, type SyntheticModelJob } from './synthetic-model-job.ts';

export type WorkerMessage =
  | { type: 'progress'; phase: 'synthesize' | 'build'; fraction: number }
  | { type: 'done'; result: Awaited<ReturnType<typeof runSyntheticModelJob>> }
  | { type: 'error'; message: string };

const port = parentPort!;
try {
  const result = await runSyntheticModelJob(workerData as SyntheticModelJob, (phase, fraction) =>
    port.postMessage({ type: 'progress', phase, fraction } satisfies WorkerMessage),
  );
  const { candles, grid } = result;
  const buffers = [
    candles.ts,
    candles.openCents,
    candles.highCents,
    candles.lowCents,
    candles.closeCents,
    candles.volume,
    grid.up,
    grid.down,
  ].map((array) => array.buffer as ArrayBuffer);
  port.postMessage({ type: 'done', result } satisfies WorkerMessage, buffers);
} catch (error) {
  port.postMessage({
    type: 'error',
    message: error instanceof Error ? error.message : String(error),
  } satisfies WorkerMessage);
}
