import type { Clock } from '../../core/clock/clock.ts';

/** Anything that makes a caller wait for permission to send one request. */
export interface RateLimiter {
  /** Resolves when one request may be sent; rejects with the signal's reason when aborted. */
  acquire(signal?: AbortSignal): Promise<void>;
}

export interface TokenBucketOptions {
  /** Tokens added per second of the clock's time. */
  ratePerSecond: number;
  /** Largest burst; default one second's worth (`ratePerSecond`). */
  capacity?: number;
  clock: Clock;
}

/**
 * A token bucket that waits on an injected Clock (so a simulated clock makes it instant in
 * tests). Waiters are served first come, first served: a burst of callers cannot starve an
 * earlier one.
 */
export class TokenBucket implements RateLimiter {
  readonly ratePerSecond: number;
  readonly capacity: number;
  readonly #clock: Clock;
  #tokens: number;
  #refilledAt: number;
  /** The turn of the last waiter in line; each new waiter queues behind it. */
  #tail: Promise<void> = Promise.resolve();
  /** Callers queued or sleeping in acquire(). */
  #waiting = 0;

  constructor(options: TokenBucketOptions) {
    const { ratePerSecond, capacity = ratePerSecond, clock } = options;
    if (!(ratePerSecond > 0) || !Number.isFinite(ratePerSecond)) {
      throw new RangeError(`ratePerSecond must be a positive number, got ${ratePerSecond}`);
    }
    if (!(capacity >= 1) || !Number.isFinite(capacity)) {
      throw new RangeError(`capacity must be ≥ 1, got ${capacity}`);
    }
    this.ratePerSecond = ratePerSecond;
    this.capacity = capacity;
    this.#clock = clock;
    this.#tokens = capacity;
    this.#refilledAt = clock.now();
  }

  /** Tokens available now (fractional while refilling). */
  available(): number {
    this.#refill();
    return this.#tokens;
  }

  /** Takes a token if one is available right now and nobody is waiting; never waits. */
  tryAcquire(): boolean {
    this.#refill();
    if (this.#waiting > 0 || this.#tokens < 1) return false;
    this.#tokens -= 1;
    return true;
  }

  acquire(signal?: AbortSignal): Promise<void> {
    if (signal?.aborted) return Promise.reject(abortReason(signal));
    this.#waiting += 1;
    const turn = this.#tail.then(() => this.#takeWhenAvailable(signal));
    const settled = turn.finally(() => {
      this.#waiting -= 1;
    });
    this.#tail = settled.catch(() => undefined);
    return signal === undefined ? settled : raceAbort(settled, signal);
  }

  async #takeWhenAvailable(signal: AbortSignal | undefined): Promise<void> {
    for (;;) {
      if (signal?.aborted) throw abortReason(signal);
      this.#refill();
      if (this.#tokens >= 1) {
        this.#tokens -= 1;
        return;
      }
      const waitMs = Math.ceil(((1 - this.#tokens) * 1000) / this.ratePerSecond);
      await this.#clock.sleep(waitMs, signal);
    }
  }

  #refill(): void {
    const now = this.#clock.now();
    const elapsed = now - this.#refilledAt;
    if (elapsed > 0) {
      this.#tokens = Math.min(this.capacity, this.#tokens + (elapsed * this.ratePerSecond) / 1000);
      this.#refilledAt = now;
    }
  }
}

function abortReason(signal: AbortSignal): unknown {
  return signal.reason ?? new DOMException('This operation was aborted', 'AbortError');
}

/** Rejects as soon as the signal aborts, even while still queued behind other waiters. */
function raceAbort<T>(promise: Promise<T>, signal: AbortSignal): Promise<T> {
  return new Promise<T>((resolve, reject) => {
    const onAbort = () => reject(abortReason(signal));
    signal.addEventListener('abort', onAbort, { once: true });
    promise.then(
      (value) => {
        signal.removeEventListener('abort', onAbort);
        resolve(value);
      },
      (error: unknown) => {
        signal.removeEventListener('abort', onAbort);
        reject(error);
      },
    );
  });
}
