import type { Clock, TimerHandle } from '../../core/clock/clock.ts';

/**
 * Runs `run` after changes, at most once per `minIntervalMs` of clock time. A change when the
 * last run is old enough runs at once (the lowest latency for a price tick); changes inside
 * the interval are merged into one run at its end — the inputs are snapshots, so only the
 * newest state matters. A run that produced nothing (returns false: inputs incomplete) does
 * not count, so the first complete input is not held back by an earlier incomplete one.
 */
export class Coalescer {
  readonly #clock: Clock;
  readonly #minIntervalMs: number;
  readonly #run: () => boolean;
  #lastRunAt = -Infinity;
  #timer: TimerHandle | undefined;
  #stopped = false;
  /** Requests merged into a later run (for metrics and tests). */
  coalesced = 0;

  constructor(clock: Clock, minIntervalMs: number, run: () => boolean) {
    if (!(minIntervalMs >= 0) || !Number.isFinite(minIntervalMs)) {
      throw new RangeError(`minIntervalMs must be a finite number ≥ 0, got ${minIntervalMs}`);
    }
    this.#clock = clock;
    this.#minIntervalMs = minIntervalMs;
    this.#run = run;
  }

  /** Something changed: run now, or once the interval since the last run is over. */
  request(): void {
    if (this.#stopped) return;
    if (this.#timer !== undefined) {
      this.coalesced++;
      return;
    }
    const wait = this.#lastRunAt + this.#minIntervalMs - this.#clock.now();
    if (wait <= 0) {
      this.#fire();
      return;
    }
    this.coalesced++;
    this.#timer = this.#clock.setTimeout(() => {
      this.#timer = undefined;
      if (!this.#stopped) this.#fire();
    }, wait);
  }

  stop(): void {
    this.#stopped = true;
    if (this.#timer !== undefined) this.#clock.clear(this.#timer);
    this.#timer = undefined;
  }

  #fire(): void {
    const at = this.#clock.now();
    if (this.#run()) this.#lastRunAt = at;
  }
}
