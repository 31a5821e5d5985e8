import { describe, expect, it } from 'vitest';
import {
  allocateCandleColumns,
  checkCandleColumns,
  type CandleColumns,
} from '../../src/storage/candles/candle.ts';
import {
  SYNTHETIC_START_PRICES,
  syntheticCandleChunks,
  syntheticWindow,
  type SyntheticHistoryOptions,
} from '../../src/storage/candles/synthetic-history.ts';

const START = Date.UTC(2025, 0, 1);

function generate(options: SyntheticHistoryOptions): CandleColumns {
  const all = allocateCandleColumns(options.minutes);
  let at = 0;
  for (const chunk of syntheticCandleChunks(options)) {
    for (const key of ['ts', 'openCents', 'highCents', 'lowCents', 'closeCents', 'volume'] as const) {
      all[key].set(chunk[key], at);
    }
    at += chunk.length;
  }
  expect(at).toBe(options.minutes);
  return all;
}

function oneMinuteLogReturnStdev(c: CandleColumns): number {
  let sum = 0;
  let sumSq = 0;
  for (let i = 1; i < c.length; i++) {
    const r = Math.log(c.closeCents[i]! / c.closeCents[i - 1]!);
    sum += r;
    sumSq += r * r;
  }
  const n = c.length - 1;
  return Math.sqrt(sumSq / n - (sum / n) ** 2);
}

describe("synthetic history from the simulator's process", () => {
  it('is deterministic per seed, independent of the chunk size, and consecutive minutes', () => {
    const base = { symbol: 'BTC' as const, startMs: START, minutes: 3_000, seed: 42 };
    const a = generate(base);
    const b = generate({ ...base, chunkMinutes: 97 });
    const other = generate({ ...base, seed: 43 });
    expect(Buffer.from(b.closeCents.buffer).equals(Buffer.from(a.closeCents.buffer))).toBe(true);
    expect(Buffer.from(b.highCents.buffer).equals(Buffer.from(a.highCents.buffer))).toBe(true);
    expect(other.closeCents[2_999]).not.toBe(a.closeCents[2_999]);
    expect(a.openCents[0]).toBe(SYNTHETIC_START_PRICES.BTC * 100);
    for (let i = 0; i < a.length; i++) {
      expect(a.ts[i]).toBe(START + i * 60_000);
      if (i > 0) expect(a.openCents[i]).toBe(a.closeCents[i - 1]); // open = previous close
    }
    checkCandleColumns(a); // whole minutes, positive cents, low ≤ open/close ≤ high
    expect([...a.volume].every((v) => v === 0)).toBe(true);
  });

  it('has the volatility the simulator is calibrated to (1-minute stdev ≈ 0.069 % BTC, 0.097 % ETH)', () => {
    const days = 5;
    const btc = oneMinuteLogReturnStdev(
      generate({ symbol: 'BTC', startMs: START, minutes: days * 1_440, seed: 1 }),
    );
    const eth = oneMinuteLogReturnStdev(
      generate({ symbol: 'ETH', startMs: START, minutes: days * 1_440, seed: 1 }),
    );
    // price-process.ts measures 0.064–0.074 % on 5-day BTC samples; bounds leave room for other seeds.
    expect(btc).toBeGreaterThan(0.00055);
    expect(btc).toBeLessThan(0.00085);
    expect(eth / btc).toBeGreaterThan(1.15);
    expect(eth / btc).toBeLessThan(1.7);
  });

  it('ends its window just before the current minute', () => {
    const now = Date.UTC(2025, 6, 20, 14, 3, 27);
    expect(syntheticWindow(now, 2)).toEqual({ startMs: Date.UTC(2025, 6, 18, 14, 3), minutes: 2_880 });
    expect(() => syntheticWindow(now, 0)).toThrow(RangeError);
    expect(() => [
      ...syntheticCandleChunks({ symbol: 'BTC', startMs: START + 1, minutes: 1, seed: 1 }),
    ]).toThrow(/whole minute/);
  });
});
