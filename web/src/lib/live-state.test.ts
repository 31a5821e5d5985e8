import { describe, expect, it } from 'vitest';
import { isStale, reconnectDelayMs, silenceLimitMs } from './live-state.ts';

describe('isStale', () => {
  it('is stale after 5 s without an update, without data, or when disconnected', () => {
    expect(isStale(1_000, 6_000, true)).toBe(false);
    expect(isStale(1_000, 6_001, true)).toBe(true);
    expect(isStale(null, 0, true)).toBe(true);
    expect(isStale(1_000, 1_000, false)).toBe(true);
  });
});

describe('reconnectDelayMs', () => {
  it('doubles from 0.5 s to at most 10 s, spread by ±20 %', () => {
    expect([0, 1, 2, 3, 4, 5, 10].map((a) => reconnectDelayMs(a, 0.5))).toEqual([
      500, 1_000, 2_000, 4_000, 8_000, 10_000, 10_000,
    ]);
    expect(reconnectDelayMs(0, 0)).toBe(400);
    expect(reconnectDelayMs(0, 0.999999)).toBe(600);
    expect(reconnectDelayMs(8, 0)).toBe(8_000);
  });
});

describe('silenceLimitMs', () => {
  it('allows three heartbeats, at least 1 s', () => {
    expect(silenceLimitMs(15_000)).toBe(45_000);
    expect(silenceLimitMs(100)).toBe(1_000);
  });
});
