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
  /** Runs `fn` once after `ms` of this clock's time. */
  setTimeout(fn: () => void, ms: number): TimerHandle;
  /** Runs `fn` every `ms` of this clock's time. */
  setInterval(fn: () => void, ms: number): TimerHandle;
  /** Cancels a timeout or an interval; unknown or fired handles are ignored. */
  clear(handle: TimerHandle): void;
  /** Resolves after `ms` of this clock's time; rejects with the signal's reason when aborted. */
  sleep(ms: number, signal?: AbortSignal): Promise<void>;
}
