import { describe, expect, it } from 'vitest';
import { createClock, simulatedNow, type ClockConfig } from './create-clock.ts';
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

  it('puts every process given one anchor on one simulated timeline', () => {
    const anchorMs = Date.UTC(2026, 10, 24, 14, 0, 0);
    const startMs = Date.UTC(2025, 7, 3, 19, 59, 40);
    // A process (re)started 90 real seconds after the anchor, at rate 60: 90 simulated minutes on.
    expect(simulatedNow({ startMs, anchorMs, rate: 60 }, anchorMs + 90_000)).toBe(startMs + 90 * 60_000);
    // No anchor: the timeline starts now, at the start (or at the real time without one).
    expect(simulatedNow({ startMs, rate: 60 }, anchorMs + 90_000)).toBe(startMs);
    expect(simulatedNow({ rate: 60 }, anchorMs)).toBe(anchorMs);
    // An anchor without a start: simulated time was the anchor's real time at the anchor.
    expect(simulatedNow({ anchorMs, rate: 2 }, anchorMs + 1_000)).toBe(anchorMs + 2_000);
  });
});
