/**
 * One queue for everything the runtime writes, in the order it happened in memory: a journal
 * entry is committed before any snapshot that includes it, and listeners hear about a batch
 * only after it is durable (so nobody sees a fill that a crash could take back).
 *
 * A failed write poisons the queue: memory is now ahead of the database, and only a restart
 * (restore from the database) makes them agree again. Later writes reject with the same error.
 */
import type { PersistBatch, SimStore } from '../persistence/store.ts';

export class OrderedWriter {
  readonly #store: SimStore;
  readonly #onFatal: (error: Error) => void;
  #tail: Promise<void> = Promise.resolve();
  #failed: Error | undefined;
  #pending = 0;

  constructor(store: SimStore, onFatal: (error: Error) => void) {
    this.#store = store;
    this.#onFatal = onFatal;
  }

  get failed(): Error | undefined {
    return this.#failed;
  }

  /** Batches queued and not yet written. */
  get pending(): number {
    return this.#pending;
  }

  /** Queues a batch; `then` runs once it is committed. Resolves after both. */
  enqueue(batch: PersistBatch, then?: () => void): Promise<void> {
    if (this.#failed) return Promise.reject(this.#failed);
    this.#pending += 1;
    const run = this.#tail.then(async () => {
      try {
        if (this.#failed) throw this.#failed;
        await this.#store.write(batch);
      } finally {
        this.#pending -= 1;
      }
      then?.();
    });
    this.#tail = run.catch((error: unknown) => {
      if (this.#failed) return;
      this.#failed = error instanceof Error ? error : new Error(String(error));
      this.#onFatal(this.#failed);
    });
    return run;
  }

  /** Resolves when everything queued so far is written (or the queue failed). */
  idle(): Promise<void> {
    return this.#tail;
  }
}
