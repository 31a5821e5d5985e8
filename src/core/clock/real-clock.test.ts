import { describe, expect, it } from 'vitest';
import { RealClock } from './real-clock.ts';

describe('RealClock', () => {
  it('reads wall-clock time', () => {
    const clock = new RealClock();
    const before = Date.now();
    const now = clock.now();
    expect(now).toBeGreaterThanOrEqual(before);
    expect(now).toBeLessThanOrEqual(Date.now());
  });

  it('fires timeouts in order and not early', async () => {
    const clock = new RealClock();
    const start = Date.now();
    const fired: Array<[string, number]> = [];
    await new Promise<void>((resolve) => {
      // Wide gaps: on a loaded machine scheduling the three can itself take tens of ms.
      clock.setTimeout(() => fired.push(['b', Date.now() - start]), 250);
      clock.setTimeout(() => {
        fired.push(['c', Date.now() - start]);
        resolve();
      }, 450);
      clock.setTimeout(() => fired.push(['a', Date.now() - start]), 50);
    });
    expect(fired.map(([name]) => name)).toEqual(['a', 'b', 'c']);
    expect(fired[0]?.[1]).toBeGreaterThanOrEqual(49);
    expect(clock.pendingTimers()).toBe(0);
  });

  it('repeats intervals until cleared, and clear stops timeouts', async () => {
    const clock = new RealClock();
    let beats = 0;
    let cancelledFired = false;
    const cancelled = clock.setTimeout(() => (cancelledFired = true), 10);
    clock.clear(cancelled);
    clock.clear({ id: 424_242 });
    await new Promise<void>((resolve) => {
      const interval = clock.setInterval(() => {
        beats += 1;
        if (beats === 3) {
          clock.clear(interval);
          resolve();
        }
      }, 10);
    });
    await new Promise((resolve) => setTimeout(resolve, 40));
    expect(beats).toBe(3);
    expect(cancelledFired).toBe(false);
    expect(clock.pendingTimers()).toBe(0);
  });

  it('sleeps, and rejects a sleep with the abort reason', async () => {
    const clock = new RealClock();
    const start = Date.now();
    await clock.sleep(25);
    expect(Date.now() - start).toBeGreaterThanOrEqual(24);

    const controller = new AbortController();
    const sleeping = clock.sleep(60_000, controller.signal);
    controller.abort(new Error('stop'));
    await expect(sleeping).rejects.toThrow('stop');
    expect(clock.pendingTimers()).toBe(0);

    const aborted = clock.sleep(10, AbortSignal.abort());
    await expect(aborted).rejects.toMatchObject({ name: 'AbortError' });
  });

  it('rejects impossible delays', () => {
    const clock = new RealClock();
    expect(() => clock.setTimeout(() => {}, Number.POSITIVE_INFINITY)).toThrow(RangeError);
    expect(() => clock.setInterval(() => {}, -1)).toThrow(RangeError);
  });
});
