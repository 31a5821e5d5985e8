/**
 * Every time read and every timer in the platform goes through a Clock, so that a simulated
 * clock can make an hour of market life pass in seconds (tests, demos, backtests).
 * Times are epoch milliseconds, UTC.
 */
export interface TimerHandle {
  readonly id: number;
}

export interface Clock {
  /** Current time, epoch milliseconds (UTC). */
  now(): number;
  /**
   * Runs `fn` once after `ms` of this clock's time. `ms` must be a finite number ≥ 0; like
   * Node, a delay below 1 ms is treated as 1 ms (so a zero-delay loop cannot freeze time).
   */
  setTimeout(fn: () => void, ms: number): TimerHandle;
  /** Runs `fn` every `ms` of this clock's time (same rules for `ms`); fires never drift. */
  setInterval(fn: () => void, ms: number): TimerHandle;
  /** Cancels a timeout or an interval; unknown or fired handles are ignored. */
  clear(handle: TimerHandle): void;
  /** Resolves after `ms` of this clock's time; rejects with the signal's reason when aborted. */
  sleep(ms: number, signal?: AbortSignal): Promise<void>;
}

/** Rejects what no timer can honour (NaN, Infinity, negative), and applies Node's 1-ms floor. */
export function normalizeDelay(ms: number): number {
  if (!Number.isFinite(ms) || ms < 0) {
    throw new RangeError(`timer delay must be a finite number of milliseconds ≥ 0, got ${ms}`);
  }
  return Math.max(1, ms);
}
