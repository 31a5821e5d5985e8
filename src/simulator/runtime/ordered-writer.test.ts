import { describe, expect, it } from 'vitest';
import type { PersistBatch, SimStore } from '../persistence/store.ts';
import { OrderedWriter } from './ordered-writer.ts';

/** A store whose writes finish when the test says so, and fail on demand. */
function fakeStore() {
  const written: number[] = [];
  const pending: Array<{ seq: number; finish: (error?: Error) => void }> = [];
  const store = {
    write(batch: PersistBatch) {
      return new Promise<void>((resolve, reject) => {
        const seq = batch.journal?.seq ?? -1;
        pending.push({
          seq,
          finish: (error) => {
            if (error) reject(error);
            else {
              written.push(seq);
              resolve();
            }
          },
        });
      });
    },
  } as unknown as SimStore;
  return { store, written, pending };
}

const batch = (seq: number): PersistBatch => ({
  journal: { seq, atMs: 0, kind: 'cancel_order', command: {}, result: null },
});

const flush = () => new Promise((resolve) => setImmediate(resolve));

describe('OrderedWriter', () => {
  it('writes one batch at a time, in order, and tells listeners only after each commit', async () => {
    const { store, written, pending } = fakeStore();
    const told: number[] = [];
    const writer = new OrderedWriter(store, () => {});
    const done = [1, 2, 3].map((seq) => writer.enqueue(batch(seq), () => told.push(seq)));
    await flush();
    expect(pending.map((p) => p.seq)).toEqual([1]); // the second waits for the first
    expect(writer.pending).toBe(3);
    pending[0]!.finish();
    await flush();
    expect(told).toEqual([1]);
    expect(pending.map((p) => p.seq)).toEqual([1, 2]);
    pending[1]!.finish();
    await flush();
    pending[2]!.finish();
    await Promise.all(done);
    expect(written).toEqual([1, 2, 3]);
    expect(told).toEqual([1, 2, 3]);
    expect(writer.pending).toBe(0);
  });

  it('a failed write poisons the queue: later writes reject, the fatal hook runs once', async () => {
    const { store, pending } = fakeStore();
    const fatal: Error[] = [];
    const told: number[] = [];
    const writer = new OrderedWriter(store, (error) => fatal.push(error));
    const first = writer.enqueue(batch(1), () => told.push(1));
    const second = writer.enqueue(batch(2), () => told.push(2));
    await flush();
    pending[0]!.finish(new Error('disk full'));
    await expect(first).rejects.toThrow('disk full');
    await expect(second).rejects.toThrow('disk full');
    await expect(writer.enqueue(batch(3))).rejects.toThrow('disk full');
    expect(fatal.map((e) => e.message)).toEqual(['disk full']);
    expect(writer.failed?.message).toBe('disk full');
    expect(told).toEqual([]); // nobody heard of what was not written
    expect(pending).toHaveLength(1); // batch 2 was never attempted
  });
});
