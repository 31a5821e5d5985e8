import { performance } from 'node:perf_hooks';
import { afterEach, describe, expect, it } from 'vitest';
import { SimulatedClock } from './simulated-clock.ts';

const START = Date.UTC(2025, 0, 6, 14, 0, 0); // 09:00 New York
const clocks: SimulatedClock[] = [];

function manual(): SimulatedClock {
  const clock = SimulatedClock.manual(START);
  clocks.push(clock);
  return clock;
}

function running(rate: number): SimulatedClock {
  const clock = new SimulatedClock({ start: START, rate });
  clocks.push(clock);
  return clock;
}

afterEach(() => {
  for (const clock of clocks.splice(0)) clock.clearAll();
});

describe('SimulatedClock, manual mode (rate 0)', () => {
  it('starts at the start time and only moves when advanced', async () => {
    const clock = manual();
    expect(clock.now()).toBe(START);
    await new Promise((resolve) => setTimeout(resolve, 20));
    expect(clock.now()).toBe(START);
    await clock.advance(1_500);
    expect(clock.now()).toBe(START + 1_500);
    await clock.runUntil(START + 10_000);
    expect(clock.now()).toBe(START + 10_000);
  });

  it('fires due timers in time order, ties in creation order, with now() at each due time', async () => {
    const clock = manual();
    const fired: Array<[string, number]> = [];
    const record = (name: string) => () => fired.push([name, clock.now() - START]);
    clock.setTimeout(record('c@300'), 300);
    clock.setTimeout(record('a@100'), 100);
    clock.setTimeout(record('b1@200'), 200);
    clock.setTimeout(record('b2@200'), 200);
    clock.setTimeout(record('late@5000'), 5_000);

    await clock.advance(1_000);

    expect(fired).toEqual([
      ['a@100', 100],
      ['b1@200', 200],
      ['b2@200', 200],
      ['c@300', 300],
    ]);
    expect(clock.pendingTimers()).toBe(1);
  });

  it('fires timers scheduled by a firing timer within the same advance, in order', async () => {
    const clock = manual();
    const fired: number[] = [];
    clock.setTimeout(() => {
      fired.push(clock.now() - START);
      clock.setTimeout(() => fired.push(clock.now() - START), 150); // due at 250
    }, 100);
    clock.setTimeout(() => fired.push(clock.now() - START), 200);
    await clock.advance(300);
    expect(fired).toEqual([100, 200, 250]);
  });

  it('runs intervals on every beat without drift or skips', async () => {
    const clock = manual();
    const beats: number[] = [];
    clock.setInterval(() => beats.push(clock.now() - START), 1_000);
    await clock.advance(10_500);
    expect(beats).toEqual([1, 2, 3, 4, 5, 6, 7, 8, 9, 10].map((s) => s * 1_000));
  });

  it('clear cancels timeouts and intervals, even from inside the interval; unknown handles are ignored', async () => {
    const clock = manual();
    const fired: string[] = [];
    const timeout = clock.setTimeout(() => fired.push('timeout'), 100);
    let beats = 0;
    const interval = clock.setInterval(() => {
      beats += 1;
      if (beats === 3) clock.clear(interval);
    }, 100);
    clock.clear(timeout);
    clock.clear({ id: 999_999 });
    await clock.advance(1_000);
    expect(fired).toEqual([]);
    expect(beats).toBe(3);
    expect(clock.pendingTimers()).toBe(0);
  });

  it('lets a sleep loop resume at each wake-up time, so it ticks every period', async () => {
    const clock = manual();
    const ticks: number[] = [];
    const loop = (async () => {
      for (let i = 0; i < 5; i++) {
        await clock.sleep(1_000);
        ticks.push(clock.now() - START);
      }
    })();
    await clock.advance(5_000);
    await loop;
    expect(ticks).toEqual([1_000, 2_000, 3_000, 4_000, 5_000]);
  });

  it('sleep rejects with the abort reason and cancels its timer', async () => {
    const clock = manual();
    const controller = new AbortController();
    const sleeping = clock.sleep(10_000, controller.signal);
    expect(clock.pendingTimers()).toBe(1);
    controller.abort(new Error('shutting down'));
    await expect(sleeping).rejects.toThrow('shutting down');
    expect(clock.pendingTimers()).toBe(0);

    await expect(clock.sleep(1, AbortSignal.abort(new Error('already')))).rejects.toThrow('already');
    expect(clock.pendingTimers()).toBe(0);
  });

  it('sleep resolves when its time comes and not before', async () => {
    const clock = manual();
    let woke = false;
    const sleeping = clock.sleep(1_000).then(() => (woke = true));
    await clock.advance(999);
    expect(woke).toBe(false);
    await clock.advance(1);
    await sleeping;
    expect(woke).toBe(true);
  });

  it('treats a delay below 1 ms as 1 ms and rejects impossible delays', async () => {
    const clock = manual();
    const fired: number[] = [];
    clock.setTimeout(() => fired.push(clock.now() - START), 0);
    await clock.advance(0);
    expect(fired).toEqual([]);
    await clock.advance(1);
    expect(fired).toEqual([1]);
    expect(() => clock.setTimeout(() => {}, -5)).toThrow(RangeError);
    expect(() => clock.setInterval(() => {}, Number.NaN)).toThrow(RangeError);
    expect(() => clock.advance(-1)).toThrow(RangeError);
  });

  it('hands a throwing callback to onTimerError and keeps firing the others', async () => {
    const errors: unknown[] = [];
    const clock = SimulatedClock.manual(START, { onTimerError: (error) => errors.push(error) });
    clocks.push(clock);
    const fired: string[] = [];
    clock.setTimeout(() => {
      throw new Error('boom');
    }, 10);
    clock.setTimeout(() => fired.push('after'), 20);
    await clock.advance(100);
    expect(errors).toHaveLength(1);
    expect((errors[0] as Error).message).toBe('boom');
    expect(fired).toEqual(['after']);
  });

  it('never reports time going backwards', async () => {
    const clock = manual();
    const seen: number[] = [];
    clock.setInterval(() => seen.push(clock.now()), 7);
    clock.setInterval(() => seen.push(clock.now()), 5);
    await clock.advance(200);
    seen.push(clock.now());
    expect(seen.length).toBeGreaterThan(60);
    expect([...seen].sort((a, b) => a - b)).toEqual(seen);
  });
});

describe('SimulatedClock, running mode', () => {
  it('at rate 60, a 60-s timer fires after about one real second', async () => {
    const clock = running(60);
    const realStart = performance.now();
    const fired = await new Promise<{ real: number; sim: number }>((resolve) =>
      clock.setTimeout(() => resolve({ real: performance.now() - realStart, sim: clock.now() }), 60_000),
    );
    expect(fired.sim).toBeGreaterThanOrEqual(START + 60_000);
    // Never early; generous upper bound for a loaded 2-core machine.
    expect(fired.real).toBeGreaterThanOrEqual(990);
    expect(fired.real).toBeLessThan(3_000);
  });

  it('at rate 3600, an hour of minute intervals fires every beat in order, exactly a minute apart', async () => {
    const clock = running(3_600);
    const minutes: number[] = [];
    const seconds: number[] = [];
    const done = new Promise<void>((resolve) => {
      const interval = clock.setInterval(() => {
        minutes.push(clock.now());
        if (minutes.length === 60) {
          clock.clear(interval);
          resolve();
        }
      }, 60_000);
    });
    // A sleep loop alongside: at this rate a real millisecond is 3.6 simulated seconds, yet the
    // loop must still wake every simulated second.
    const loop = (async () => {
      for (let i = 0; i < 30; i++) {
        await clock.sleep(1_000);
        seconds.push(clock.now());
      }
    })();
    const realStart = performance.now();
    await Promise.all([done, loop]);
    const realElapsed = performance.now() - realStart;

    const firstMinute = minutes[0] as number;
    expect(firstMinute - START).toBeGreaterThanOrEqual(60_000);
    expect(minutes.map((t) => t - firstMinute)).toEqual(Array.from({ length: 60 }, (_, i) => i * 60_000));
    for (let i = 1; i < seconds.length; i++) {
      expect((seconds[i] as number) - (seconds[i - 1] as number)).toBeGreaterThanOrEqual(1_000);
      expect((seconds[i] as number) - (seconds[i - 1] as number)).toBeLessThan(2_000);
    }
    expect(realElapsed).toBeGreaterThanOrEqual(900);
    expect(realElapsed).toBeLessThan(5_000);
  });

  it('time advances with real time at the rate, and setRate(0) pauses it', async () => {
    const clock = running(1_000);
    await new Promise((resolve) => setTimeout(resolve, 50));
    const moved = clock.now() - START;
    expect(Number.isInteger(clock.now())).toBe(true);
    expect(moved).toBeGreaterThanOrEqual(45_000);
    clock.setRate(0);
    const paused = clock.now();
    await new Promise((resolve) => setTimeout(resolve, 30));
    expect(clock.now()).toBe(paused);
    expect(clock.rate).toBe(0);
  });

  it('advance jumps ahead in running mode too, firing what falls due', async () => {
    const clock = running(1);
    const fired: string[] = [];
    clock.setTimeout(() => fired.push('in an hour'), 3_600_000);
    await clock.advance(3_600_000);
    expect(fired).toEqual(['in an hour']);
  });

  it('rejects a negative or non-finite rate', () => {
    expect(() => new SimulatedClock({ start: START, rate: -1 })).toThrow(RangeError);
    expect(() => new SimulatedClock({ start: START, rate: Number.POSITIVE_INFINITY })).toThrow(RangeError);
  });
});
