/**
 * Kalshi REST health over a rolling window (default 5 minutes of clock time): latency of each
 * call (p50 / p99, retries included — what a caller waits), the share of calls that failed in
 * the end, and the share of attempts answered 429 (a retried 429 counts, the call may still
 * succeed). Memory is bounded by the window and `maxSamples`.
 */
import type { EpochMs } from '../../domain/units.ts';
import { KalshiApiError } from '../../integrations/kalshi/index.ts';

interface CallSample {
  at: EpochMs;
  latencyMs: number;
  ok: boolean;
}

export interface RestStatsSummary {
  windowMs: number;
  calls: number;
  errors: number;
  rateLimited: number;
  /** Failed calls / calls (0 without calls). */
  errorRate: number;
  /** 429 answers / attempts (calls + retries). */
  rateLimitedRate: number;
  p50Ms: number | null;
  p99Ms: number | null;
  lastError: string | null;
  lastErrorAt: EpochMs | null;
  lastOkAt: EpochMs | null;
}

export class RestStats {
  readonly windowMs: number;
  readonly #maxSamples: number;
  readonly #now: () => EpochMs;
  #calls: CallSample[] = [];
  /** Times of 429 answers (final or retried). */
  #limited: EpochMs[] = [];
  #retries: EpochMs[] = [];
  #lastError: { message: string; at: EpochMs } | undefined;
  #lastOkAt: EpochMs | undefined;

  constructor(now: () => EpochMs, windowMs = 300_000, maxSamples = 10_000) {
    this.#now = now;
    this.windowMs = windowMs;
    this.#maxSamples = maxSamples;
  }

  /** Runs a call and records it. */
  async time<T>(call: () => Promise<T>): Promise<T> {
    const started = this.#now();
    try {
      const value = await call();
      this.#record({ at: this.#now(), latencyMs: this.#now() - started, ok: true });
      this.#lastOkAt = this.#now();
      return value;
    } catch (error) {
      const at = this.#now();
      this.#record({ at, latencyMs: at - started, ok: false });
      if (error instanceof KalshiApiError && error.isRateLimited) this.#push(this.#limited, at);
      this.#lastError = { message: error instanceof Error ? error.message : String(error), at };
      throw error;
    }
  }

  /** The REST client's onRetry hook: a retried attempt, rate-limited when it was a 429. */
  onRetry(reason: string): void {
    const at = this.#now();
    this.#push(this.#retries, at);
    if (reason === 'HTTP 429') this.#push(this.#limited, at);
  }

  summary(): RestStatsSummary {
    this.#prune();
    const latencies = this.#calls.map((c) => c.latencyMs).sort((a, b) => a - b);
    const errors = this.#calls.filter((c) => !c.ok).length;
    const attempts = this.#calls.length + this.#retries.length;
    return {
      windowMs: this.windowMs,
      calls: this.#calls.length,
      errors,
      rateLimited: this.#limited.length,
      errorRate: this.#calls.length === 0 ? 0 : errors / this.#calls.length,
      rateLimitedRate: attempts === 0 ? 0 : this.#limited.length / attempts,
      p50Ms: quantile(latencies, 0.5),
      p99Ms: quantile(latencies, 0.99),
      lastError: this.#lastError?.message ?? null,
      lastErrorAt: this.#lastError?.at ?? null,
      lastOkAt: this.#lastOkAt ?? null,
    };
  }

  #record(sample: CallSample): void {
    this.#calls.push(sample);
    if (this.#calls.length > this.#maxSamples) this.#calls.shift();
  }

  #push(list: EpochMs[], at: EpochMs): void {
    list.push(at);
    if (list.length > this.#maxSamples) list.shift();
  }

  #prune(): void {
    const from = this.#now() - this.windowMs;
    this.#calls = this.#calls.filter((c) => c.at >= from);
    this.#limited = this.#limited.filter((t) => t >= from);
    this.#retries = this.#retries.filter((t) => t >= from);
  }
}

/** Nearest-rank quantile of sorted values. */
export function quantile(sorted: readonly number[], q: number): number | null {
  if (sorted.length === 0) return null;
  const rank = Math.min(sorted.length, Math.max(1, Math.ceil(q * sorted.length)));
  return sorted[rank - 1]!;
}
