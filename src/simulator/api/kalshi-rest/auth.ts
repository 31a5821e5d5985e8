/**
 * Authentication and rate limits of the portfolio endpoints, as Kalshi applies them:
 * - the three KALSHI-ACCESS-* headers, an RSA-PSS signature over timestamp + METHOD + path
 *   (verified with the same verifier the platform's tests trust), a fresh timestamp → else 401;
 * - per API key, a read and a write token bucket at the key's tier → else 429.
 *
 * Freshness: the timestamp must be near the simulator's clock — or near the host's wall clock,
 * because an unmodified client (the official SDK) signs with real time even when the
 * simulator runs on simulated time. Stale means far from both.
 */
import type { FastifyRequest } from 'fastify';
import { KALSHI_TIER_LIMITS, type KalshiRequestKind } from '../../../integrations/kalshi/rate-limiter.ts';
import { readKalshiAuthHeaders, verifyKalshiSignature } from '../../../integrations/kalshi/signer.ts';
import { TokenBucket } from '../../../integrations/shared/token-bucket.ts';
import type { Clock } from '../../../core/clock/clock.ts';
import type { ApiKeyTier } from '../../persistence/schema.ts';
import type { SimulatorRuntime } from '../../runtime/runtime.ts';
import { KalshiHttpError, unauthorized } from './errors.ts';

export interface AuthenticatedKey {
  accountId: string;
  keyId: string;
  tier: ApiKeyTier;
}

export interface AuthOptions {
  runtime: SimulatorRuntime;
  maxSkewMs: number;
  /** The host's real time (default Date.now). */
  wallNow?: () => number;
}

export function authenticate(request: FastifyRequest, options: AuthOptions): AuthenticatedKey {
  const headers = readKalshiAuthHeaders(request.headers);
  if (!headers) {
    throw unauthorized(
      'KALSHI-ACCESS-KEY, KALSHI-ACCESS-TIMESTAMP and KALSHI-ACCESS-SIGNATURE are required',
      'missing_headers',
    );
  }
  const key = options.runtime.apiKey(headers.keyId);
  if (!key) throw unauthorized('authentication_error', 'NOT_FOUND');
  const check = (now: number) =>
    verifyKalshiSignature({
      publicKeyPem: key.publicKey,
      headers: request.headers,
      method: request.method,
      path: request.url,
      now,
      maxSkewMs: options.maxSkewMs,
    });
  let result = check(options.runtime.clock.now());
  if (!result.ok && result.reason === 'stale_timestamp') result = check((options.wallNow ?? Date.now)());
  if (!result.ok) throw unauthorized(result.message, result.reason);
  return { accountId: key.accountId, keyId: key.keyId, tier: key.tier };
}

/** Per-key token buckets at each key's tier (one second of burst), on the simulator's clock. */
export class KeyRateLimits {
  readonly #clock: Clock;
  readonly #buckets = new Map<string, Record<KalshiRequestKind, TokenBucket>>();

  constructor(clock: Clock) {
    this.#clock = clock;
  }

  /** Takes a token or throws 429 rate_limit_exceeded. */
  take(key: AuthenticatedKey, kind: KalshiRequestKind): void {
    let buckets = this.#buckets.get(key.keyId);
    if (!buckets) {
      const limits = KALSHI_TIER_LIMITS[key.tier];
      buckets = {
        read: new TokenBucket({ ratePerSecond: limits.read, clock: this.#clock }),
        write: new TokenBucket({ ratePerSecond: limits.write, clock: this.#clock }),
      };
      this.#buckets.set(key.keyId, buckets);
    }
    if (!buckets[kind].tryAcquire()) {
      throw new KalshiHttpError(
        429,
        'rate_limit_exceeded',
        `too many ${kind} requests for this API key (tier ${key.tier}: ${KALSHI_TIER_LIMITS[key.tier][kind]}/s)`,
      );
    }
  }
}
