import type { Clock } from '../../core/clock/clock.ts';
import { TokenBucket } from '../shared/token-bucket.ts';

/** Requests per second by Kalshi API tier. Writes = create/cancel/amend/decrease/batch orders. */
export const KALSHI_TIER_LIMITS = {
  basic: { read: 20, write: 10 },
  advanced: { read: 30, write: 30 },
  premier: { read: 100, write: 100 },
  prime: { read: 400, write: 400 },
} as const satisfies Record<string, { read: number; write: number }>;

export type KalshiTier = keyof typeof KALSHI_TIER_LIMITS;
export type KalshiRequestKind = 'read' | 'write';

export interface KalshiRateLimiterOptions {
  tier: KalshiTier;
  clock: Clock;
}

/**
 * Kalshi's limits for one API key: a read bucket and a write bucket, each refilled at the tier's
 * rate with one second of burst. Exceeding them costs a 429, so we wait here instead.
 */
export class KalshiRateLimiter {
  readonly tier: KalshiTier;
  readonly #buckets: Record<KalshiRequestKind, TokenBucket>;

  constructor(options: KalshiRateLimiterOptions) {
    const limits = KALSHI_TIER_LIMITS[options.tier];
    if (limits === undefined) throw new RangeError(`unknown Kalshi tier ${JSON.stringify(options.tier)}`);
    this.tier = options.tier;
    this.#buckets = {
      read: new TokenBucket({ ratePerSecond: limits.read, clock: options.clock }),
      write: new TokenBucket({ ratePerSecond: limits.write, clock: options.clock }),
    };
  }

  acquire(kind: KalshiRequestKind, signal?: AbortSignal): Promise<void> {
    return this.#buckets[kind].acquire(signal);
  }

  /** Tokens available now in a bucket (for metrics and tests). */
  available(kind: KalshiRequestKind): number {
    return this.#buckets[kind].available();
  }
}

/**
 * One limiter per API key, shared by every client in the process that uses the key (the REST
 * client of the executor and of account sync both count against the same Kalshi budget).
 */
export class KalshiRateLimiterRegistry {
  readonly #byKey = new Map<string, KalshiRateLimiter>();

  /** The key's limiter, created on first use. A second caller asking another tier is a config error. */
  forKey(keyId: string, options: KalshiRateLimiterOptions): KalshiRateLimiter {
    const existing = this.#byKey.get(keyId);
    if (existing !== undefined) {
      if (existing.tier !== options.tier) {
        throw new Error(
          `Kalshi key ${keyId} is already limited as tier ${existing.tier}, not ${options.tier}: one key has one tier`,
        );
      }
      return existing;
    }
    const limiter = new KalshiRateLimiter(options);
    this.#byKey.set(keyId, limiter);
    return limiter;
  }

  /** Forgets every limiter (tests). */
  clear(): void {
    this.#byKey.clear();
  }
}

/** The process-wide registry the REST client uses unless it is handed a limiter. */
export const sharedKalshiRateLimiters = new KalshiRateLimiterRegistry();
