import { describe, expect, it } from 'vitest';
import { createClock, type ClockConfig } from './create-clock.ts';
import { RealClock } from './real-clock.ts';
import { SimulatedClock } from './simulated-clock.ts';

describe('createClock', () => {
  it('builds a real clock', () => {
    expect(createClock({ mode: 'real' })).toBeInstanceOf(RealClock);
  });

  it('builds a simulated clock at the configured start and rate', () => {
    const start = Date.UTC(2025, 5, 1);
    const clock = createClock({ mode: 'simulated', start, rate: 3_600 });
    expect(clock).toBeInstanceOf(SimulatedClock);
    expect((clock as SimulatedClock).rate).toBe(3_600);
    expect(clock.now()).toBeGreaterThanOrEqual(start);
    expect(clock.now()).toBeLessThan(start + 3_600_000); // well under a real second elapsed
  });

  it('names the bad field of an invalid config', () => {
    const bad = (config: unknown) => () => createClock(config as ClockConfig);
    expect(bad({ mode: 'simulated', start: 0, rate: 0 })).toThrow(/invalid clock config: rate/);
    expect(bad({ mode: 'simulated', rate: 60 })).toThrow(/invalid clock config: start/);
    expect(bad({ mode: 'warp' })).toThrow(/invalid clock config: mode/);
  });
});
