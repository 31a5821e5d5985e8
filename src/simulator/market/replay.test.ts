import { describe, it, expect } from 'vitest';
import { indexCandles, minutePath } from './replay.ts';
import type { ReplayCandle } from './replay.ts';
import { defaultSimulationConfig, MarketSimulation } from './simulation.ts';

const T0 = Date.parse('2025-08-03T19:40:00Z');

function candles(count: number): ReplayCandle[] {
  const out: ReplayCandle[] = [];
  let price = 114_000;
  for (let i = 0; i < count; i++) {
    const close = price + (i % 3 === 0 ? 40 : -25);
    out.push({
      startMs: T0 + i * 60_000,
      open: price,
      high: Math.max(price, close) + 30,
      low: Math.min(price, close) - 20,
      close,
    });
    price = close;
  }
  return out;
}

describe('candle replay', () => {
  it('runs open → extremes → close inside the candle', () => {
    const candle = candles(1)[0] as ReplayCandle;
    const path = minutePath(candle, 'seed');
    expect(path).toHaveLength(60);
    expect(path[0]).toBe(candle.open);
    expect(path[59]).toBe(candle.close);
    expect(Math.max(...path)).toBe(candle.high);
    expect(Math.min(...path)).toBe(candle.low);
    expect(minutePath(candle, 'seed')).toEqual(path);
    expect(minutePath(candle, 'other')).not.toEqual(path);
  });

  it('rejects inconsistent candles', () => {
    expect(() => indexCandles([{ startMs: T0, open: 10, high: 9, low: 8, close: 9 }])).toThrow(/OHLC/);
    expect(() => indexCandles([{ startMs: T0 + 1, open: 10, high: 11, low: 9, close: 10 }])).toThrow(
      /minute/,
    );
  });

  it('drives the simulated index through the replayed minutes, then runs on', () => {
    const series = candles(5);
    const base = defaultSimulationConfig();
    const { simulation } = MarketSimulation.create(
      defaultSimulationConfig({
        startTimeMs: T0,
        maker: null,
        flow: null,
        symbols: { BTC: { ...base.symbols.BTC!, startPrice: 114_000, replay: series } },
      }),
    );
    const prints: { timeMs: number; price: number }[] = [];
    for (let t = T0 + 1000; t <= T0 + 7 * 60_000; t += 1000)
      prints.push(...simulation.advanceTo(t).indexPrints);
    for (const candle of series) {
      const minute = prints.filter((p) => p.timeMs >= candle.startMs && p.timeMs < candle.startMs + 60_000);
      expect(minute.length).toBeGreaterThanOrEqual(59);
      for (const p of minute) {
        expect(p.price).toBeGreaterThanOrEqual(candle.low - 0.005);
        expect(p.price).toBeLessThanOrEqual(candle.high + 0.005);
      }
      expect(minute.at(-1)?.price).toBeCloseTo(candle.close, 2);
    }
    const after = prints.filter((p) => p.timeMs >= T0 + 5 * 60_000);
    expect(new Set(after.map((p) => p.price)).size).toBeGreaterThan(30); // the process runs on
  });
});
