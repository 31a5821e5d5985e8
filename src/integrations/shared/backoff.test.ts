import { describe, it, expect } from 'vitest';
import { Backoff, backoffDelay } from './backoff.ts';

const policy = { baseMs: 100, maxMs: 5_000 };

describe('backoffDelay', () => {
  it('grows exponentially with equal jitter between half and all of the ceiling', () => {
    expect(backoffDelay(0, policy, () => 0)).toBe(50);
    expect(backoffDelay(0, policy, () => 0.999999)).toBe(100);
    expect(backoffDelay(1, policy, () => 0)).toBe(100);
    expect(backoffDelay(3, policy, () => 0.5)).toBe(600); // ceiling 800: 400 + 200
  });

  it('caps at maxMs', () => {
    expect(backoffDelay(30, policy, () => 0.999999)).toBe(5_000);
    expect(backoffDelay(30, policy, () => 0)).toBe(2_500);
  });

  it('spreads clients out: different random draws give different delays', () => {
    const draws = [0.1, 0.4, 0.7].map((r) => backoffDelay(4, policy, () => r));
    expect(new Set(draws).size).toBe(3);
  });

  it('honours a custom factor', () => {
    expect(backoffDelay(2, { baseMs: 100, maxMs: 10_000, factor: 3 }, () => 0)).toBe(450);
  });

  it('rejects bad inputs', () => {
    expect(() => backoffDelay(-1, policy, () => 0)).toThrow(RangeError);
    expect(() => backoffDelay(0.5, policy, () => 0)).toThrow(RangeError);
    expect(() => backoffDelay(0, { baseMs: 0, maxMs: 1 }, () => 0)).toThrow(/policy/);
    expect(() => backoffDelay(0, { baseMs: 10, maxMs: 5 }, () => 0)).toThrow(/policy/);
    expect(() => backoffDelay(0, policy, () => 1)).toThrow(/random source/);
    expect(() => backoffDelay(0, policy, () => NaN)).toThrow(/random source/);
  });
});

describe('Backoff', () => {
  it('counts attempts and resets', () => {
    const backoff = new Backoff(policy, () => 0);
    expect([backoff.next(), backoff.next(), backoff.next()]).toEqual([50, 100, 200]);
    expect(backoff.attempt).toBe(3);
    backoff.reset();
    expect(backoff.attempt).toBe(0);
    expect(backoff.next()).toBe(50);
  });

  it('validates the policy at construction', () => {
    expect(() => new Backoff({ baseMs: -1, maxMs: 10 }, Math.random)).toThrow(/policy/);
  });
});
