import { normalizeDelay, type Clock, type TimerHandle } from './clock.ts';
import { sleepOn } from './sleep.ts';

/** Node's timers overflow (and fire at once) beyond this delay, so longer waits are chained. */
const MAX_NODE_DELAY_MS = 2 ** 31 - 1;

interface RealTimer {
  native: NodeJS.Timeout;
}

/** Wall-clock time and Node timers, behind the Clock interface. */
export class RealClock implements Clock {
  readonly #timers = new Map<number, RealTimer>();
  #nextId = 1;

  now(): number {
    return Date.now();
  }

  setTimeout(fn: () => void, ms: number): TimerHandle {
    const id = this.#nextId++;
    this.#arm(id, Date.now() + normalizeDelay(ms), fn, undefined);
    return { id };
  }

  setInterval(fn: () => void, ms: number): TimerHandle {
    const period = normalizeDelay(ms);
    const id = this.#nextId++;
    this.#arm(id, Date.now() + period, fn, period);
    return { id };
  }

  clear(handle: TimerHandle): void {
    const timer = this.#timers.get(handle.id);
    if (timer === undefined) return;
    clearTimeout(timer.native);
    this.#timers.delete(handle.id);
  }

  sleep(ms: number, signal?: AbortSignal): Promise<void> {
    return sleepOn(this, ms, signal);
  }

  /** Timers still pending (for tests and shutdown checks). */
  pendingTimers(): number {
    return this.#timers.size;
  }

  /**
   * One native timeout per firing, aimed at an absolute due time: an interval's next due time is
   * its previous due time + period, so slow callbacks do not make it drift.
   */
  #arm(id: number, due: number, fn: () => void, period: number | undefined): void {
    const delay = Math.min(Math.max(0, due - Date.now()), MAX_NODE_DELAY_MS);
    const native = setTimeout(() => {
      if (Date.now() < due) {
        this.#arm(id, due, fn, period); // a chained long wait, or Node woke up a hair early
        return;
      }
      if (period === undefined) {
        this.#timers.delete(id);
      } else {
        // Keep the phase; beats missed while the event loop was blocked are skipped, not burst.
        const behind = Math.max(0, Date.now() - due);
        this.#arm(id, due + period * (Math.floor(behind / period) + 1), fn, period);
      }
      fn();
    }, delay);
    this.#timers.set(id, { native });
  }
}
