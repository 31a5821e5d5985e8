import { describe, expect, it } from 'vitest';
import { DivergenceAlarm, divergenceBps } from './index-divergence.ts';

describe('divergenceBps', () => {
  it('is (spot − index) / index in basis points, positive when spot is above', () => {
    expect(divergenceBps(100_000, 100_010)).toBeCloseTo(1, 12);
    expect(divergenceBps(100_000, 99_950)).toBeCloseTo(-5, 12);
    expect(divergenceBps(2_000, 2_000)).toBe(0);
  });

  it('refuses a missing or non-positive price', () => {
    expect(() => divergenceBps(0, 1)).toThrow(/positive prices/);
    expect(() => divergenceBps(1, NaN)).toThrow(/positive prices/);
  });
});

describe('DivergenceAlarm', () => {
  it('raises once on crossing, stays quiet while above, clears once below the clear level', () => {
    const alarm = new DivergenceAlarm({ raiseBps: 10, clearBps: 6 });
    const events = [3, 9.99, 10, 25, -12, 8, 7, 6.5, 6, 2, 11].map((bps, t) => alarm.update(bps, t));
    expect(events).toEqual([
      undefined,
      undefined,
      { kind: 'raised', bps: 10, atMs: 2 },
      undefined,
      undefined,
      undefined, // 8: between the thresholds — still alerting (hysteresis)
      undefined,
      undefined,
      { kind: 'cleared', bps: 6, atMs: 8, raisedAtMs: 2, peakBps: 25 },
      undefined,
      { kind: 'raised', bps: 11, atMs: 10 },
    ]);
    expect(alarm.state).toBe('alerting');
  });

  it('uses the magnitude: a negative divergence alerts too and its peak keeps the sign', () => {
    const alarm = new DivergenceAlarm({ raiseBps: 5, clearBps: 1 });
    expect(alarm.update(-6, 1)).toEqual({ kind: 'raised', bps: -6, atMs: 1 });
    alarm.update(-9, 2);
    alarm.update(7, 3);
    expect(alarm.update(0.5, 4)).toEqual({ kind: 'cleared', bps: 0.5, atMs: 4, raisedAtMs: 1, peakBps: -9 });
  });

  it('needs confirmSamples consecutive samples to change state', () => {
    const alarm = new DivergenceAlarm({ raiseBps: 10, clearBps: 5, confirmSamples: 3 });
    const raised = [12, 12, 4, 12, 12, 12].map((bps, t) => alarm.update(bps, t));
    expect(raised.map((e) => e?.kind)).toEqual([
      undefined,
      undefined,
      undefined,
      undefined,
      undefined,
      'raised',
    ]);
    const cleared = [1, 1, 7, 1, 1, 1].map((bps, t) => alarm.update(bps, 10 + t));
    expect(cleared.map((e) => e?.kind)).toEqual([
      undefined,
      undefined,
      undefined,
      undefined,
      undefined,
      'cleared',
    ]);
  });

  it('ignores non-finite samples (a feed missing) without changing state', () => {
    const alarm = new DivergenceAlarm({ raiseBps: 10, clearBps: 5 });
    alarm.update(20, 1);
    expect(alarm.update(NaN, 2)).toBeUndefined();
    expect(alarm.state).toBe('alerting');
  });

  it('rejects thresholds without hysteresis', () => {
    expect(() => new DivergenceAlarm({ raiseBps: 10, clearBps: 10 })).toThrow(/clearBps/);
    expect(() => new DivergenceAlarm({ raiseBps: 0, clearBps: 0 })).toThrow(/raiseBps/);
    expect(() => new DivergenceAlarm({ raiseBps: 5, clearBps: 1, confirmSamples: 0 })).toThrow(
      /confirmSamples/,
    );
  });
});
