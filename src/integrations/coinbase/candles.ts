/**
 * 1-minute candle history from Coinbase Exchange REST:
 * `GET {baseUrl}/products/{id}/candles?granularity=60&start=<ISO>&end=<ISO>` →
 * `[[time_s, low, high, open, close, volume], …]`, newest first, ≤ 300 per request, no row for a
 * minute without trades.
 *
 * fetchCandles walks a time range in windows of 300 buckets, waits on an injected rate limiter
 * (Coinbase allows ~10 public requests/s), retries 429 / 5xx / network errors with jittered
 * backoff, and returns the candles sorted and de-duplicated with the gaps it found. It is
 * resumable: pass the last stored candle time as `resumeAfter`, and/or store each window from
 * `onWindow` as it arrives.
 */
import { z } from 'zod';
import type { Clock } from '../../core/clock/clock.ts';
import type { EpochMs } from '../../domain/units.ts';
import { backoffDelay, type BackoffPolicy, type RandomSource } from '../shared/backoff.ts';
import type { RateLimiter } from '../shared/token-bucket.ts';
import { candlesResponseSchema, type Candle } from './models.ts';

/** Coinbase refuses more than 300 buckets in one request. */
export const MAX_CANDLES_PER_REQUEST = 300;

export interface CandleGap {
  /** First missing bucket start, epoch ms. */
  from: EpochMs;
  /** Last missing bucket start, epoch ms (inclusive). */
  to: EpochMs;
  /** Missing buckets. */
  missing: number;
}

export interface FetchCandlesOptions {
  /** e.g. `https://api.exchange.coinbase.com` (or the simulator's). */
  baseUrl: string;
  productId: string;
  /** First bucket wanted (floored to the granularity). */
  start: EpochMs;
  /** End of the range, exclusive. */
  end: EpochMs;
  /** Last bucket already stored: fetching starts right after it. */
  resumeAfter?: EpochMs;
  /** Seconds per bucket; default 60. */
  granularitySec?: number;
  /** Shared limiter for Coinbase's public endpoints (e.g. a TokenBucket at 10/s). */
  limiter: RateLimiter;
  clock: Clock;
  random?: RandomSource;
  /** Attempts per window (default 5) and backoff (default 500 ms doubling to 10 s). */
  retry?: { maxAttempts?: number } & Partial<BackoffPolicy>;
  /** Per-request timeout, ms; default 15 000. */
  timeoutMs?: number;
  signal?: AbortSignal;
  /** Called with each window's candles (sorted) before the next window is fetched. */
  onWindow?: (candles: Candle[], window: { start: EpochMs; end: EpochMs }) => void | Promise<void>;
  /** Injected for tests; default the global fetch. */
  fetch?: typeof fetch;
}

export interface FetchCandlesResult {
  candles: Candle[];
  gaps: CandleGap[];
  requests: number;
  /** The range actually fetched (after `resumeAfter`). */
  range: { start: EpochMs; end: EpochMs };
}

export class CoinbaseApiError extends Error {
  override readonly name = 'CoinbaseApiError';
  constructor(
    readonly httpStatus: number,
    message: string,
    readonly url: string,
  ) {
    super(`${url} → ${httpStatus}: ${message}`);
  }
}

export class CoinbaseNetworkError extends Error {
  override readonly name = 'CoinbaseNetworkError';
}

export class CoinbaseResponseError extends Error {
  override readonly name = 'CoinbaseResponseError';
}

const DEFAULT_RETRY = { maxAttempts: 5, baseMs: 500, maxMs: 10_000 };

export async function fetchCandles(options: FetchCandlesOptions): Promise<FetchCandlesResult> {
  const granularitySec = options.granularitySec ?? 60;
  const step = granularitySec * 1000;
  if (!Number.isInteger(granularitySec) || granularitySec <= 0)
    throw new RangeError(`bad granularity ${granularitySec}`);
  let start = Math.floor(options.start / step) * step;
  if (options.resumeAfter !== undefined)
    start = Math.max(start, Math.floor(options.resumeAfter / step) * step + step);
  const end = options.end;
  const byTime = new Map<EpochMs, Candle>();
  let requests = 0;
  for (let windowStart = start; windowStart < end; windowStart += MAX_CANDLES_PER_REQUEST * step) {
    const windowEnd = Math.min(windowStart + MAX_CANDLES_PER_REQUEST * step, end);
    const { candles, attempts } = await fetchWindow(options, granularitySec, windowStart, windowEnd);
    requests += attempts;
    const inWindow = candles.filter(
      (c) => c.time >= windowStart && c.time < windowEnd && c.time % step === 0,
    );
    inWindow.sort((a, b) => a.time - b.time);
    const unique = inWindow.filter((c, i) => i === 0 || c.time !== inWindow[i - 1]!.time);
    for (const candle of unique) byTime.set(candle.time, candle);
    await options.onWindow?.(unique, { start: windowStart, end: windowEnd });
  }
  const candles = [...byTime.values()].sort((a, b) => a.time - b.time);
  return { candles, gaps: findGaps(candles, start, end, step), requests, range: { start, end } };
}

/** Missing buckets in [start, end) given sorted candles. */
export function findGaps(
  candles: readonly Candle[],
  start: EpochMs,
  end: EpochMs,
  step: number,
): CandleGap[] {
  const gaps: CandleGap[] = [];
  let expected = start;
  const push = (from: EpochMs, until: EpochMs) => {
    if (until > from) gaps.push({ from, to: until - step, missing: (until - from) / step });
  };
  for (const candle of candles) {
    if (candle.time < start || candle.time >= end) continue;
    push(expected, candle.time);
    expected = candle.time + step;
  }
  push(expected, Math.ceil(end / step) * step);
  return gaps;
}

async function fetchWindow(
  options: FetchCandlesOptions,
  granularitySec: number,
  windowStart: EpochMs,
  windowEnd: EpochMs,
): Promise<{ candles: Candle[]; attempts: number }> {
  const retry = { ...DEFAULT_RETRY, ...options.retry };
  const random = options.random ?? Math.random;
  const doFetch = options.fetch ?? fetch;
  const lastBucket = windowEnd - granularitySec * 1000; // `end` is inclusive at Coinbase: ask ≤ 300 buckets
  const url = new URL(
    `${options.baseUrl.replace(/\/+$/, '')}/products/${encodeURIComponent(options.productId)}/candles`,
  );
  url.searchParams.set('granularity', String(granularitySec));
  url.searchParams.set('start', new Date(windowStart).toISOString());
  url.searchParams.set('end', new Date(Math.max(windowStart, lastBucket)).toISOString());
  for (let attempt = 1; ; attempt++) {
    await options.limiter.acquire(options.signal);
    try {
      const response = await doFetch(url, {
        headers: { accept: 'application/json', 'user-agent': 'recio/3' },
        // a network timeout is real I/O time, not simulated time
        signal: combine(options.signal, AbortSignal.timeout(options.timeoutMs ?? 15_000)),
      });
      if (response.ok) {
        const parsed = candlesResponseSchema.safeParse(await response.json().catch(() => undefined));
        if (!parsed.success)
          throw new CoinbaseResponseError(`${url.pathname}: ${z.prettifyError(parsed.error)}`);
        return { candles: parsed.data, attempts: attempt };
      }
      const error = new CoinbaseApiError(
        response.status,
        errorMessage(await response.text().catch(() => '')),
        url.href,
      );
      const retryable = response.status === 429 || response.status >= 500;
      if (!retryable || attempt >= retry.maxAttempts) throw error;
    } catch (error) {
      if (error instanceof CoinbaseApiError || error instanceof CoinbaseResponseError) throw error;
      if (options.signal?.aborted) throw options.signal.reason;
      if (attempt >= retry.maxAttempts) {
        throw new CoinbaseNetworkError(`${url.href}: ${(error as Error).message}`, { cause: error });
      }
    }
    await options.clock.sleep(backoffDelay(attempt - 1, retry, random), options.signal);
  }
}

function errorMessage(text: string): string {
  try {
    const body = JSON.parse(text) as { message?: unknown };
    if (typeof body.message === 'string') return body.message;
  } catch {
    // not JSON
  }
  return text.slice(0, 200) || 'no message';
}

function combine(a: AbortSignal | undefined, b: AbortSignal): AbortSignal {
  return a === undefined ? b : AbortSignal.any([a, b]);
}
