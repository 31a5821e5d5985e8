import { describe, expect, it } from 'vitest';
import {
  countdownClass,
  formatBuffer,
  formatCents,
  formatCountdown,
  formatDiff,
  formatEtHour,
  formatEtTime,
  formatPrice,
  formatProbability,
  formatScore,
  formatStrike,
  formatUptime,
  formatVolume,
  secondsToClose,
} from './format.ts';

describe('numbers', () => {
  it('formats strikes, prices, quotes, diffs, probabilities, volumes and scores', () => {
    expect(formatStrike(118_250)).toBe('$118,250');
    expect(formatPrice(118_237.4)).toBe('$118,237.40');
    expect(formatPrice(null)).toBe('—');
    expect(formatCents(56)).toBe('56');
    expect(formatCents(5.5)).toBe('5.5');
    expect(formatCents(0.25)).toBe('0.25');
    expect(formatCents(null)).toBe('—');
    expect(formatDiff(0.87)).toBe('+0.87');
    expect(formatDiff(-1.87)).toBe('\u22121.87');
    expect(formatDiff(12)).toBe('+12.00');
    expect(formatDiff(-0.004)).toBe('0.00');
    expect(formatDiff(null)).toBe('—');
    expect(formatProbability(90.126)).toBe('90.1');
    expect(formatProbability(100)).toBe('100.0');
    expect(formatVolume(1_234_567)).toBe('1,234,567');
    expect(formatScore(12)).toBe('+12');
    expect(formatScore(-7)).toBe('\u22127');
    expect(formatScore(0)).toBe('0');
    expect(formatScore(null)).toBe('—');
  });

  it('keeps cents on buffers near the money and drops them far out when compact', () => {
    expect(formatBuffer(12.58, false)).toBe('$12.58');
    expect(formatBuffer(1_579.87, false)).toBe('$1,579.87');
    expect(formatBuffer(97.9, true)).toBe('$97.90');
    expect(formatBuffer(1_579.87, true)).toBe('$1,580');
  });
});

describe('New York time', () => {
  it('shows times in ET whatever the zone, across daylight saving', () => {
    // 2025-07-26 21:00 UTC = 5:00 PM EDT; 2025-01-15 22:00 UTC = 5:00 PM EST.
    expect(formatEtHour(Date.UTC(2025, 6, 26, 21))).toBe('5:00 PM ET');
    expect(formatEtHour(Date.UTC(2025, 0, 15, 22))).toBe('5:00 PM ET');
    expect(formatEtTime(Date.UTC(2025, 6, 26, 20, 47, 12))).toBe('4:47:12 PM ET');
    expect(formatEtTime(Date.UTC(2025, 6, 26, 4, 5, 6))).toBe('12:05:06 AM ET');
  });
});

describe('countdown', () => {
  it('formats mm:ss, h:mm:ss from an hour, 00:00 after the close', () => {
    expect(formatCountdown(754)).toBe('12:34');
    expect(formatCountdown(59.9)).toBe('00:59');
    expect(formatCountdown(3_600)).toBe('1:00:00');
    expect(formatCountdown(0)).toBe('00:00');
    expect(formatCountdown(-5)).toBe('00:00');
  });

  it('is red ≤ 3 min, amber ≤ 5, green ≤ 15, calm beyond', () => {
    expect([0, 180, 181, 300, 301, 900, 901, 3_600].map(countdownClass)).toEqual([
      'cd-red',
      'cd-red',
      'cd-amber',
      'cd-amber',
      'cd-green',
      'cd-green',
      'cd-calm',
      'cd-calm',
    ]);
  });

  it('counts down from the last table by the time since it arrived', () => {
    expect(secondsToClose(754, 1_000_000, 1_000_000)).toBe(754);
    expect(secondsToClose(754, 1_000_000, 1_004_500)).toBe(749.5);
    expect(secondsToClose(3, 1_000_000, 1_010_000)).toBe(0);
    // A browser clock behind the arrival time does not add time.
    expect(secondsToClose(754, 1_000_000, 999_000)).toBe(754);
  });
});

describe('uptime', () => {
  it('is short and readable', () => {
    expect(formatUptime(40)).toBe('40 s');
    expect(formatUptime(725)).toBe('12 m 5 s');
    expect(formatUptime(11_040)).toBe('3 h 4 m');
    expect(formatUptime(null)).toBe('—');
  });
});
