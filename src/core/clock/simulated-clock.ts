import { performance } from 'node:perf_hooks';
import { normalizeDelay, type Clock, type TimerHandle } from './clock.ts';
import { sleepOn } from './sleep.ts';
import { TimerQueue, type QueuedTimer } from './timer-queue.ts';

const MAX_NODE_DELAY_MS = 2 ** 31 - 1;

export interface SimulatedClockOptions {
  /** Simulated time at creation, epoch ms. */
  start: number;
  /** Simulated ms per real ms (60: a minute per second; 3600: an hour per second). 0 = manual. */
  rate: number;
  /** Where a throwing timer callback's error goes; default: re-thrown uncaught, as Node does. */
  onTimerError?: (error: unknown) => void;
}

function rethrowUncaught(error: unknown): void {
  queueMicrotask(() => {
    throw error;
  });
}

interface SimTimer {
  fn: () => void;
  /** Interval period; undefined for a one-shot timeout. */
  period: number | undefined;
  /** The queue entry that is live for this timer (older entries are stale and skipped). */
  seq: number;
}

/** Lets promise continuations and I/O callbacks run between two firings. */
function yieldToEventLoop(): Promise<void> {
  return new Promise((resolve) => setImmediate(resolve));
}

/**
 * Simulated time: `now = start + real elapsed × rate`, plus any `advance()` jumps.
 *
 * Timers fire in simulated-time order, ties in creation order. Between two firings the event
 * loop gets a turn, so code awaiting `sleep()` resumes *at the simulated time it woke up* and can
 * schedule its next timer before later ones fire — a `while (…) await clock.sleep(1000)` loop
 * ticks every simulated second even at rate 3600. Intervals are re-armed from their previous
 * due time: they never drift and, unlike real timers, never skip a beat.
 *
 * Rate 0 is the manual mode for deterministic tests: time moves only by `advance(ms)` /
 * `runUntil(t)`, and inside a firing `now()` is exactly the timer's due time.
 *
 * A throwing timer callback is re-thrown as an uncaught exception (as Node does for real
 * timers, unless `onTimerError` is given); the remaining timers still fire.
 */
export class SimulatedClock implements Clock {
  readonly #timers = new Map<number, SimTimer>();
  readonly #queue = new TimerQueue<QueuedTimer>();
  #anchorSim: number;
  #anchorReal: number;
  #rate: number;
  /** Due time of the timer being fired; `now()` reports it (never going backwards). */
  #firingAt: number | undefined;
  #lastNow = -Infinity;
  #nextId = 1;
  #nextSeq = 1;
  #wake: NodeJS.Timeout | undefined;
  #wakeDue = Infinity;
  #draining: Promise<void> | undefined;
  readonly #onTimerError: (error: unknown) => void;

  constructor(options: SimulatedClockOptions) {
    if (!Number.isFinite(options.start)) throw new RangeError(`start must be epoch ms, got ${options.start}`);
    SimulatedClock.#checkRate(options.rate);
    this.#anchorSim = options.start;
    this.#anchorReal = performance.now();
    this.#rate = options.rate;
    this.#onTimerError = options.onTimerError ?? rethrowUncaught;
  }

  /** A clock that only moves by `advance()` / `runUntil()`. */
  static manual(start: number, options: Pick<SimulatedClockOptions, 'onTimerError'> = {}): SimulatedClock {
    return new SimulatedClock({ ...options, start, rate: 0 });
  }

  get rate(): number {
    return this.#rate;
  }

  /** Whole milliseconds, like Date.now() (payload schemas expect integer epoch ms). */
  now(): number {
    const candidate = Math.floor(this.#firingAt ?? this.#baseNow());
    if (candidate > this.#lastNow) this.#lastNow = candidate;
    return this.#lastNow;
  }

  setTimeout(fn: () => void, ms: number): TimerHandle {
    return this.#add(fn, normalizeDelay(ms), undefined);
  }

  setInterval(fn: () => void, ms: number): TimerHandle {
    const period = normalizeDelay(ms);
    return this.#add(fn, period, period);
  }

  clear(handle: TimerHandle): void {
    this.#timers.delete(handle.id); // its queue entry becomes stale and is skipped
  }

  sleep(ms: number, signal?: AbortSignal): Promise<void> {
    return sleepOn(this, ms, signal);
  }

  /**
   * Jumps simulated time forward by `ms`, firing every timer that falls due on the way, in
   * order. Resolves once they have fired and the code they woke up has had its turn.
   */
  advance(ms: number): Promise<void> {
    if (!Number.isFinite(ms) || ms < 0) throw new RangeError(`advance needs ms ≥ 0, got ${ms}`);
    this.#anchorSim += ms;
    return this.#drain();
  }

  /** Advances to simulated time `t` (epoch ms); a time already passed only fires what is due. */
  runUntil(t: number): Promise<void> {
    return this.advance(Math.max(0, t - this.now()));
  }

  /** Changes the rate from now on (0 pauses time); simulated time does not jump. */
  setRate(rate: number): void {
    SimulatedClock.#checkRate(rate);
    this.#anchorSim = this.#baseNow();
    this.#anchorReal = performance.now();
    this.#rate = rate;
    this.#disarm();
    this.#arm();
  }

  /** Timeouts and intervals still pending. */
  pendingTimers(): number {
    return this.#timers.size;
  }

  /** Cancels every timer (end of a test, shutdown): nothing keeps the process alive. */
  clearAll(): void {
    this.#timers.clear();
    this.#queue.clear();
    this.#disarm();
  }

  static #checkRate(rate: number): void {
    if (!Number.isFinite(rate) || rate < 0) throw new RangeError(`rate must be a number ≥ 0, got ${rate}`);
  }

  #baseNow(): number {
    return this.#anchorSim + (performance.now() - this.#anchorReal) * this.#rate;
  }

  #add(fn: () => void, delay: number, period: number | undefined): TimerHandle {
    const id = this.#nextId++;
    const seq = this.#nextSeq++;
    this.#timers.set(id, { fn, period, seq });
    this.#queue.push({ id, due: this.now() + delay, seq });
    this.#arm();
    return { id };
  }

  /** The next queue entry that still belongs to a live timer (stale ones are dropped). */
  #peekLive(): QueuedTimer | undefined {
    for (let next = this.#queue.peek(); next !== undefined; next = this.#queue.peek()) {
      if (this.#timers.get(next.id)?.seq === next.seq) return next;
      this.#queue.pop();
    }
    return undefined;
  }

  /** Fires every due timer, one at a time, yielding to the event loop after each. */
  #drain(): Promise<void> {
    // The flag is set before the loop can finish, so a synchronous end cannot leave it stuck.
    this.#draining ??= this.#fireDueTimers().finally(() => {
      this.#firingAt = undefined;
      this.#draining = undefined;
      this.#arm();
    });
    return this.#draining;
  }

  async #fireDueTimers(): Promise<void> {
    for (let next = this.#peekLive(); next !== undefined; next = this.#peekLive()) {
      if (next.due > this.#baseNow()) break;
      this.#queue.pop();
      this.#fire(next);
      await yieldToEventLoop();
    }
    this.#firingAt = undefined;
  }

  #fire(entry: QueuedTimer): void {
    const timer = this.#timers.get(entry.id) as SimTimer;
    this.#firingAt = entry.due;
    if (timer.period === undefined) {
      this.#timers.delete(entry.id);
    } else {
      timer.seq = this.#nextSeq++;
      this.#queue.push({ id: entry.id, due: entry.due + timer.period, seq: timer.seq });
    }
    try {
      timer.fn();
    } catch (error) {
      this.#onTimerError(error);
    }
  }

  /** In running mode, one real timeout wakes the clock when the earliest timer falls due. */
  #arm(): void {
    if (this.#rate === 0 || this.#draining !== undefined) return;
    const next = this.#peekLive();
    if (next === undefined || next.due >= this.#wakeDue) return;
    this.#disarm();
    const realDelay = Math.min(Math.max(0, (next.due - this.#baseNow()) / this.#rate), MAX_NODE_DELAY_MS);
    this.#wakeDue = next.due;
    this.#wake = setTimeout(() => {
      this.#wake = undefined;
      this.#wakeDue = Infinity;
      void this.#drain();
    }, realDelay);
  }

  #disarm(): void {
    if (this.#wake !== undefined) clearTimeout(this.#wake);
    this.#wake = undefined;
    this.#wakeDue = Infinity;
  }
}
