import { describe, it, expect } from 'vitest';
import { SimulatedClock } from '../../core/clock/index.ts';
import { TokenBucket } from './token-bucket.ts';
import { advanceInSteps, settle } from './testing/advance.ts';

const START = Date.UTC(2025, 7, 3, 20, 0, 0);

describe('TokenBucket', () => {
  it('allows a burst of `capacity`, then one token per 1/rate seconds', async () => {
    const clock = SimulatedClock.manual(START);
    const bucket = new TokenBucket({ ratePerSecond: 10, clock });
    const granted: number[] = [];
    for (let i = 0; i < 13; i++) void bucket.acquire().then(() => granted.push(clock.now() - START));
    await settle();
    expect(granted).toEqual([0, 0, 0, 0, 0, 0, 0, 0, 0, 0]);
    await advanceInSteps(clock, 100);
    expect(granted.slice(10)).toEqual([100]);
    await advanceInSteps(clock, 200);
    expect(granted.slice(10)).toEqual([100, 200, 300]);
  });

  it('serves waiters in arrival order', async () => {
    const clock = SimulatedClock.manual(START);
    const bucket = new TokenBucket({ ratePerSecond: 2, capacity: 1, clock });
    const order: string[] = [];
    await bucket.acquire();
    void bucket.acquire().then(() => order.push('a'));
    void bucket.acquire().then(() => order.push('b'));
    void bucket.acquire().then(() => order.push('c'));
    await advanceInSteps(clock, 1_500);
    expect(order).toEqual(['a', 'b', 'c']);
  });

  it('never grants more than the rate over a long run', async () => {
    const clock = SimulatedClock.manual(START);
    const bucket = new TokenBucket({ ratePerSecond: 20, clock });
    let granted = 0;
    for (let i = 0; i < 200; i++) void bucket.acquire().then(() => granted++);
    await advanceInSteps(clock, 5_000);
    // 20 of burst + 20/s × 5 s
    expect(granted).toBe(120);
  });

  it('refills up to capacity only', async () => {
    const clock = SimulatedClock.manual(START);
    const bucket = new TokenBucket({ ratePerSecond: 5, capacity: 3, clock });
    expect(bucket.tryAcquire()).toBe(true);
    expect(bucket.available()).toBe(2);
    await advanceInSteps(clock, 60_000);
    expect(bucket.available()).toBe(3);
  });

  it('tryAcquire never jumps the queue', async () => {
    const clock = SimulatedClock.manual(START);
    const bucket = new TokenBucket({ ratePerSecond: 1, capacity: 1, clock });
    expect(bucket.tryAcquire()).toBe(true);
    expect(bucket.tryAcquire()).toBe(false);
    const waiting = bucket.acquire();
    await advanceInSteps(clock, 1_000);
    await waiting;
    expect(bucket.tryAcquire()).toBe(false);
  });

  it('rejects an aborted waiter at once and lets the next one through', async () => {
    const clock = SimulatedClock.manual(START);
    const bucket = new TokenBucket({ ratePerSecond: 1, capacity: 1, clock });
    await bucket.acquire();
    const controller = new AbortController();
    const first = bucket.acquire(controller.signal);
    let secondAt: number | undefined;
    const second = bucket.acquire().then(() => (secondAt = clock.now() - START));
    controller.abort(new Error('gave up'));
    await expect(first).rejects.toThrow('gave up');
    await advanceInSteps(clock, 1_000);
    await second;
    expect(secondAt).toBe(1_000);
  });

  it('rejects a pre-aborted signal without taking a token', async () => {
    const clock = SimulatedClock.manual(START);
    const bucket = new TokenBucket({ ratePerSecond: 1, capacity: 1, clock });
    const controller = new AbortController();
    controller.abort();
    await expect(bucket.acquire(controller.signal)).rejects.toThrow(/abort/i);
    expect(bucket.available()).toBe(1);
  });

  it('validates its options', () => {
    const clock = SimulatedClock.manual(START);
    expect(() => new TokenBucket({ ratePerSecond: 0, clock })).toThrow(RangeError);
    expect(() => new TokenBucket({ ratePerSecond: 5, capacity: 0.5, clock })).toThrow(RangeError);
  });
});
