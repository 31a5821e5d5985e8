import { describe, it, expect } from 'vitest';
import { buildFingerprintGrid, countFingerprints, type FingerprintCounts } from './build-fingerprints.ts';
import { CandleSeriesError } from './candle-series.ts';
import {
  BASELINE_TABLE,
  cellIndex,
  HORIZON_MINUTES,
  tableIndexOfBucket,
  THRESHOLD_COUNT,
  validateGrid,
} from './fingerprint-grid.ts';
import { rowWeights } from './row-weights.ts';

/**
 * 34 closes: rows 0…30 at 100 (row 30 has momentum 0), then 100.05, 99.9, 100.1.
 * Momentum by hand: row 31 = 0.0005 · 1.0 · 10 000 = 5 bps → bucket 5;
 * row 32 = (99.9 − 100.05)/100.05 · 0.3 − 0.001 · 0.7 = −11.50 bps → bucket −11.
 */
const SMALL = Float64Array.from([...Array<number>(31).fill(100), 100.05, 99.9, 100.1]);

function counts(c: FingerprintCounts, bucket: number | 'baseline', minute: number) {
  const table = tableIndexOfBucket(bucket);
  const pos: number[] = [];
  const neg: number[] = [];
  for (let j = 0; j < THRESHOLD_COUNT; j++) {
    pos.push(c.pos[cellIndex(table, minute, j)]!);
    neg.push(c.neg[cellIndex(table, minute, j)]!);
  }
  return { total: c.total[table * HORIZON_MINUTES + minute - 1], pos, neg };
}

/** 41 counts: `value` for the first `n` thresholds, then 0. */
function firstN(n: number, value = 1): number[] {
  return Array.from({ length: THRESHOLD_COUNT }, (_, j) => (j < n ? value : 0));
}

describe('countFingerprints — exact counts on a small series', () => {
  const c = countFingerprints(SMALL);

  it('puts each start minute in its momentum bucket', () => {
    expect(c.tableRows[tableIndexOfBucket(0)]).toBe(1);
    expect(c.tableRows[tableIndexOfBucket(5)]).toBe(1);
    expect(c.tableRows[tableIndexOfBucket(-11)]).toBe(1);
    // Baseline: 30 rows without momentum + the 3 bucketed ones; row 33 has no future.
    expect(c.tableRows[BASELINE_TABLE]).toBe(33);
    expect(c.rowsUsed).toBe(33);
  });

  it('bucket 0 (row 30 at 100): +0.05 % exactly counts for 0.05, −0.10 % for 0.10', () => {
    // 100 → 100.05 is 0.04999999999999716 % in floating point: must reach 0.05.
    expect(counts(c, 0, 1)).toEqual({ total: 1, pos: firstN(2), neg: firstN(0) });
    expect(counts(c, 0, 2)).toEqual({ total: 1, pos: firstN(0), neg: firstN(3) });
    expect(counts(c, 0, 3)).toEqual({ total: 1, pos: firstN(3), neg: firstN(0) });
    expect(counts(c, 0, 4)).toEqual({ total: 0, pos: firstN(0), neg: firstN(0) });
  });

  it('bucket 5 (row 31 at 100.05): 0.04998 % does not reach 0.05', () => {
    // 99.9: −0.1499 % reaches 0, 0.05, 0.10 on the down side; 100.1: +0.04998 % only 0.00.
    expect(counts(c, 5, 1)).toEqual({ total: 1, pos: firstN(0), neg: firstN(3) });
    expect(counts(c, 5, 2)).toEqual({ total: 1, pos: firstN(1), neg: firstN(0) });
  });

  it('bucket −11 (row 32 at 99.9): +0.2002 % reaches 0.00 … 0.20', () => {
    expect(counts(c, -11, 1)).toEqual({ total: 1, pos: firstN(5), neg: firstN(0) });
  });

  it('baseline sums every start minute, flat moves counting on both sides', () => {
    // t = 1: 30 flat moves (rows 0…29), row 30 +0.05, row 31 −0.15, row 32 +0.20.
    const t1 = counts(c, 'baseline', 1);
    expect(t1.total).toBe(33);
    expect(t1.pos.slice(0, 6)).toEqual([32, 2, 1, 1, 1, 0]);
    expect(t1.neg.slice(0, 4)).toEqual([31, 1, 1, 0]);
    // t = 3: rows 0…27 flat, row 28 → 100.05, row 29 → 99.9, row 30 → 100.1.
    const t3 = counts(c, 'baseline', 3);
    expect(t3.total).toBe(31);
    expect(t3.pos.slice(0, 4)).toEqual([30, 2, 1, 0]);
    expect(t3.neg.slice(0, 4)).toEqual([29, 1, 1, 0]);
  });

  it('untouched buckets stay empty', () => {
    expect(counts(c, 1, 1)).toEqual({ total: 0, pos: firstN(0), neg: firstN(0) });
  });
});

describe('countFingerprints — weights and gaps', () => {
  it('adds each row’s weight instead of 1', () => {
    const weights = new Float64Array(SMALL.length).fill(1);
    weights[30] = 2.5;
    const c = countFingerprints(SMALL, { weights });
    expect(counts(c, 0, 1)).toEqual({ total: 2.5, pos: firstN(2, 2.5), neg: firstN(0) });
    expect(counts(c, 'baseline', 1).total).toBe(34.5);
  });

  it('never compares across a gap', () => {
    // A 2-minute gap between row 31 and row 32.
    const ts = Array.from({ length: SMALL.length }, (_, i) => (i + (i >= 32 ? 1 : 0)) * 60_000);
    const c = countFingerprints(SMALL, { timestamps: ts });
    // Row 30 reaches only row 31; row 31 ends its run; row 32 starts a new run (no momentum).
    expect(counts(c, 0, 1)).toEqual({ total: 1, pos: firstN(2), neg: firstN(0) });
    expect(counts(c, 0, 2).total).toBe(0);
    expect(c.tableRows[tableIndexOfBucket(5)]).toBe(0);
    expect(c.tableRows[tableIndexOfBucket(-11)]).toBe(0);
    // Rows 0…30 and 32 start something: 32 rows.
    expect(c.rowsUsed).toBe(32);
    // Baseline t = 1: rows 0…29 flat, row 30 +0.05 %, row 32 (99.9 → 100.1) +0.2002 %.
    const t1 = counts(c, 'baseline', 1);
    expect(t1.total).toBe(32);
    expect(t1.pos.slice(0, 6)).toEqual([32, 2, 1, 1, 1, 0]);
    expect(t1.neg.slice(0, 2)).toEqual([30, 0]);
  });

  it('reports progress from 0 to 1', () => {
    const seen: number[] = [];
    countFingerprints(SMALL, { onProgress: (f) => seen.push(f) });
    expect(seen[0]).toBe(0);
    expect(seen[seen.length - 1]).toBe(1);
    for (let i = 1; i < seen.length; i++) expect(seen[i]!).toBeGreaterThanOrEqual(seen[i - 1]!);
  });
});

/** Deterministic pseudo-random walk on whole cents (a small LCG — tests take no Math.random). */
function walk(n: number, seed: number): Float64Array {
  let s = seed >>> 0;
  const closes = new Float64Array(n);
  let p = 1000;
  for (let i = 0; i < n; i++) {
    s = (Math.imul(s, 1664525) + 1013904223) >>> 0;
    // Steps of −2.00 … +2.00 dollars in cents, often landing exactly on a 0.05 % threshold.
    p = Math.max(1, Math.round((p + ((s % 401) - 200) / 100) * 100) / 100);
    closes[i] = p;
  }
  return closes;
}

describe('countFingerprints — agrees with a naive count', () => {
  it('matches 41 comparisons per (row, horizon) with the move rounded to 1e-9 %', () => {
    const closes = walk(400, 7);
    const ts = Array.from({ length: closes.length }, (_, i) => (i + (i >= 250 ? 3 : 0)) * 60_000);
    const weights = Float64Array.from(closes, (_, i) => 1 + (i % 3));
    const fast = countFingerprints(closes, { timestamps: ts, weights });

    const naive = { pos: new Float64Array(fast.pos.length), neg: new Float64Array(fast.neg.length) };
    const totals = new Float64Array(fast.total.length);
    const momentumTable = (i: number): number => {
      const runStart = i >= 250 ? 250 : 0;
      if (i - runStart < 30) return BASELINE_TABLE;
      const r = (k: number) => (closes[i]! - closes[i - k]!) / closes[i - k]!;
      const bps =
        (r(1) * 0.3 + r(2) * 0.25 + r(3) * 0.2 + r(4) * 0.15 + r(15) * 0.05 + r(30) * 0.05) * 10_000;
      return tableIndexOfBucket(Math.max(-30, Math.min(30, Math.round(bps))));
    };
    for (let i = 0; i < closes.length; i++) {
      const runEnd = i < 250 ? 250 : closes.length;
      const table = momentumTable(i);
      for (let t = 1; t <= 60 && i + t < runEnd; t++) {
        const move = Math.round(((closes[i + t]! - closes[i]!) / closes[i]!) * 100 * 1e9) / 1e9;
        for (const tb of table === BASELINE_TABLE ? [table] : [table, BASELINE_TABLE]) {
          totals[tb * 60 + t - 1]! += weights[i]!;
          for (let j = 0; j < THRESHOLD_COUNT; j++) {
            const x = (j * 5) / 100;
            if (move >= x) naive.pos[cellIndex(tb, t, j)]! += weights[i]!;
            if (move <= -x) naive.neg[cellIndex(tb, t, j)]! += weights[i]!;
          }
        }
      }
    }
    expect(Array.from(fast.total)).toEqual(Array.from(totals));
    expect(Array.from(fast.pos)).toEqual(Array.from(naive.pos));
    expect(Array.from(fast.neg)).toEqual(Array.from(naive.neg));
    // The walk must actually exercise thresholds and several buckets for this to mean much.
    expect(fast.tableRows.filter((r) => r > 0).length).toBeGreaterThan(5);
  });
});

describe('buildFingerprintGrid', () => {
  const minute = (i: number) => Date.UTC(2025, 0, 1) + i * 60_000;

  it('turns counts into percent cells and fills unvisited buckets from the baseline', () => {
    // 62 flat closes then one +0.1 % close: rows 0…61 start somewhere.
    const closes = Float64Array.from([...Array<number>(62).fill(100), 100.1]);
    const grid = buildFingerprintGrid({
      closes,
      timestamps: closes.map((_, i) => minute(i)),
      symbol: 'BTC',
      modelId: 'test-1',
      source: 'synthetic',
      builtAt: 42,
      weighting: { kind: 'none' },
    });
    validateGrid(grid);
    const b0 = tableIndexOfBucket(0);
    // Bucket 0 (rows 30…61), t = 1: 31 flat moves + one +0.1 % move (row 61).
    expect(grid.up[cellIndex(b0, 1, 0)]).toBe(100);
    expect(grid.up[cellIndex(b0, 1, 1)]).toBe(100 / 32);
    expect(grid.up[cellIndex(b0, 1, 2)]).toBe(100 / 32);
    expect(grid.up[cellIndex(b0, 1, 3)]).toBe(0);
    expect(grid.down[cellIndex(b0, 1, 0)]).toBe((100 * 31) / 32);
    expect(grid.down[cellIndex(b0, 1, 1)]).toBe(0);
    // Bucket 7 was never visited: a copy of the baseline row, flagged in the metadata.
    const b7 = tableIndexOfBucket(7);
    expect(grid.up[cellIndex(b7, 1, 1)]).toBe(grid.up[cellIndex(BASELINE_TABLE, 1, 1)]);
    expect(grid.up[cellIndex(BASELINE_TABLE, 1, 1)]).toBe(100 / 62);
    // 60 empty buckets × 60 minutes, plus bucket 0 beyond 32 minutes (its first row, 30, reaches 62).
    expect(grid.meta.rowsFilledFromBaseline).toBe(60 * 60 + 28);
    expect(grid.meta).toMatchObject({
      modelId: 'test-1',
      symbol: 'BTC',
      source: 'synthetic',
      synthetic: true,
      from: minute(0),
      to: minute(62),
      rowsUsed: 62,
      builtAt: 42,
      weighting: { kind: 'none' },
    });
  });

  it('records the resolved weighting (v2 years relative to the last candle)', () => {
    const closes = new Float64Array(61).fill(100);
    const grid = buildFingerprintGrid({
      closes,
      timestamps: closes.map((_, i) => minute(i)),
      symbol: 'ETH',
      modelId: 'w',
      source: 'csv',
      builtAt: 0,
    });
    expect(grid.meta.weighting).toEqual({ kind: 'v2-year', latestYear: 2025 });
    expect(grid.meta.synthetic).toBe(false);
  });

  it('refuses a series too short for a 60-minute horizon', () => {
    const closes = new Float64Array(60).fill(100);
    expect(() =>
      buildFingerprintGrid({
        closes,
        timestamps: closes.map((_, i) => minute(i)),
        symbol: 'BTC',
        modelId: 'x',
        source: 'synthetic',
        builtAt: 0,
      }),
    ).toThrow(/contiguous run of at least 61 candles/);
  });

  it('refuses bad closes and unordered timestamps, naming the row', () => {
    const base = { symbol: 'BTC' as const, modelId: 'x', source: 'csv' as const, builtAt: 0 };
    const closes = new Float64Array(70).fill(100);
    closes[12] = NaN;
    expect(() =>
      buildFingerprintGrid({ ...base, closes, timestamps: closes.map((_, i) => minute(i)) }),
    ).toThrow(CandleSeriesError);
    const ts = Array.from({ length: 70 }, (_, i) => minute(i));
    ts[40] = ts[39]!;
    expect(() =>
      buildFingerprintGrid({ ...base, closes: new Float64Array(70).fill(1), timestamps: ts }),
    ).toThrow(/row 40/);
  });
});

describe('rowWeights', () => {
  it('gives v2 year weights relative to the latest year', () => {
    const ts = [
      Date.UTC(2020, 5, 1),
      Date.UTC(2022, 11, 31, 23, 59),
      Date.UTC(2023, 0, 1),
      Date.UTC(2025, 6, 20),
    ];
    expect(Array.from(rowWeights({ kind: 'v2-year' }, ts)!)).toEqual([1, 2, 3, 5]);
    expect(Array.from(rowWeights({ kind: 'v2-year', latestYear: 2026 }, ts)!)).toEqual([1, 1, 2, 4]);
  });

  it('halves per half-life back from the last candle', () => {
    const day = 86_400_000;
    const w = rowWeights({ kind: 'half-life', halfLifeDays: 30 }, [0, 30 * day, 60 * day])!;
    expect(Array.from(w)).toEqual([0.25, 0.5, 1]);
  });

  it('is absent (all ones) without weighting', () => {
    expect(rowWeights({ kind: 'none' }, [1, 2])).toBeUndefined();
  });
});
