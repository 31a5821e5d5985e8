/** A pending firing: due time in clock ms; `seq` breaks ties so equal due times fire FIFO. */
export interface QueuedTimer {
  readonly id: number;
  readonly due: number;
  readonly seq: number;
}

function earlier(a: QueuedTimer, b: QueuedTimer): boolean {
  return a.due < b.due || (a.due === b.due && a.seq < b.seq);
}

/** Binary min-heap ordered by (due, seq): timers fire in time order, ties in creation order. */
export class TimerQueue<T extends QueuedTimer> {
  readonly #heap: T[] = [];

  get size(): number {
    return this.#heap.length;
  }

  peek(): T | undefined {
    return this.#heap[0];
  }

  push(item: T): void {
    const heap = this.#heap;
    heap.push(item);
    let i = heap.length - 1;
    while (i > 0) {
      const parent = (i - 1) >> 1;
      if (!earlier(heap[i] as T, heap[parent] as T)) break;
      [heap[i], heap[parent]] = [heap[parent] as T, heap[i] as T];
      i = parent;
    }
  }

  pop(): T | undefined {
    const heap = this.#heap;
    const top = heap[0];
    const last = heap.pop();
    if (heap.length === 0 || last === undefined) return top;
    heap[0] = last;
    let i = 0;
    for (;;) {
      const left = 2 * i + 1;
      const right = left + 1;
      let smallest = i;
      if (left < heap.length && earlier(heap[left] as T, heap[smallest] as T)) smallest = left;
      if (right < heap.length && earlier(heap[right] as T, heap[smallest] as T)) smallest = right;
      if (smallest === i) break;
      [heap[i], heap[smallest]] = [heap[smallest] as T, heap[i] as T];
      i = smallest;
    }
    return top;
  }

  clear(): void {
    this.#heap.length = 0;
  }
}
