import { describe, it, expect } from 'vitest';
import { SimulatedClock } from '../../core/clock/index.ts';
import { KALSHI_TIER_LIMITS, KalshiRateLimiter, KalshiRateLimiterRegistry } from './rate-limiter.ts';
import { advanceInSteps } from '../shared/testing/advance.ts';

const START = Date.UTC(2025, 7, 3, 20, 0, 0);

async function countGranted(
  limiter: KalshiRateLimiter,
  kind: 'read' | 'write',
  clock: SimulatedClock,
  ms: number,
) {
  let granted = 0;
  for (let i = 0; i < 1_000; i++) void limiter.acquire(kind).then(() => granted++);
  await advanceInSteps(clock, ms);
  return granted;
}

describe('KalshiRateLimiter', () => {
  it('has the documented tiers', () => {
    expect(KALSHI_TIER_LIMITS).toEqual({
      basic: { read: 20, write: 10 },
      advanced: { read: 30, write: 30 },
      premier: { read: 100, write: 100 },
      prime: { read: 400, write: 400 },
    });
  });

  it('limits reads and writes separately (Basic: 20 reads/s, 10 writes/s)', async () => {
    const clock = SimulatedClock.manual(START);
    const limiter = new KalshiRateLimiter({ tier: 'basic', clock });
    const reads = await countGranted(limiter, 'read', clock, 2_000);
    const writes = await countGranted(limiter, 'write', clock, 2_000);
    // a burst of one second's worth, then the rate; the idle write bucket saved no more than its burst
    expect(reads).toBe(20 + 2 * 20);
    expect(writes).toBe(10 + 2 * 10);
  });

  it('Prime allows 400/s', async () => {
    const clock = SimulatedClock.manual(START);
    const limiter = new KalshiRateLimiter({ tier: 'prime', clock });
    expect(await countGranted(limiter, 'write', clock, 1_000)).toBe(800);
  });

  it('rejects an unknown tier', () => {
    const clock = SimulatedClock.manual(START);
    expect(() => new KalshiRateLimiter({ tier: 'gold' as never, clock })).toThrow(/unknown Kalshi tier/);
  });
});

describe('KalshiRateLimiterRegistry', () => {
  it('shares one limiter per key', async () => {
    const clock = SimulatedClock.manual(START);
    const registry = new KalshiRateLimiterRegistry();
    const a = registry.forKey('key-1', { tier: 'basic', clock });
    const b = registry.forKey('key-1', { tier: 'basic', clock });
    const other = registry.forKey('key-2', { tier: 'basic', clock });
    expect(a).toBe(b);
    expect(other).not.toBe(a);
    for (let i = 0; i < 10; i++) await a.acquire('write');
    expect(b.available('write')).toBe(0);
    expect(other.available('write')).toBe(10);
  });

  it('refuses two tiers for one key', () => {
    const clock = SimulatedClock.manual(START);
    const registry = new KalshiRateLimiterRegistry();
    registry.forKey('key-1', { tier: 'basic', clock });
    expect(() => registry.forKey('key-1', { tier: 'prime', clock })).toThrow(/one key has one tier/);
  });
});
