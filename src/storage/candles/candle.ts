/**
 * 1-minute candles as storage and its callers see them.
 *
 * Two shapes: `Candle` objects in dollars (what an exchange client hands over, a few hundred
 * at a time) and `CandleColumns` in integer cents (millions of rows from a CSV file or the
 * synthetic generator, kept compact: 48 bytes a row instead of an object each).
 */
import { z } from 'zod';
import type { EpochMs } from '../../domain/units.ts';

export const MINUTE_MS = 60_000;

/** Where a candle came from. 'synthetic' is the simulator's process and its own series. */
export const CANDLE_SOURCES = ['coinbase', 'synthetic', 'csv', 'live'] as const;
export type CandleSource = (typeof CANDLE_SOURCES)[number];

/** The two series of a symbol: real history (coinbase, csv, live) and synthetic. */
export type CandleSeriesKind = 'real' | 'synthetic';

export function seriesOfSource(source: CandleSource): CandleSeriesKind {
  return source === 'synthetic' ? 'synthetic' : 'real';
}

/** One candle: open time (epoch ms UTC, whole minute), prices in dollars, volume in base units. */
export interface Candle {
  ts: EpochMs;
  open: number;
  high: number;
  low: number;
  close: number;
  volume: number;
}

export const candleSchema = z.object({
  ts: z.number().int().nonnegative(),
  open: z.number().positive(),
  high: z.number().positive(),
  low: z.number().positive(),
  close: z.number().positive(),
  volume: z.number().nonnegative(),
});

/** Candles column-wise; prices in integer cents. Row i is (ts[i], openCents[i], …). */
export interface CandleColumns {
  length: number;
  ts: Float64Array;
  openCents: Float64Array;
  highCents: Float64Array;
  lowCents: Float64Array;
  closeCents: Float64Array;
  volume: Float64Array;
}

export function allocateCandleColumns(length: number): CandleColumns {
  return {
    length,
    ts: new Float64Array(length),
    openCents: new Float64Array(length),
    highCents: new Float64Array(length),
    lowCents: new Float64Array(length),
    closeCents: new Float64Array(length),
    volume: new Float64Array(length),
  };
}

/** Dollars to whole cents (spot prices have 2 decimals; anything finer is rounded). */
export function toCents(dollars: number): number {
  return Math.round(dollars * 100);
}

/** Candle objects (dollars) to columns (cents). */
export function candleColumnsFrom(candles: readonly Candle[]): CandleColumns {
  const columns = allocateCandleColumns(candles.length);
  candles.forEach((candle, i) => {
    columns.ts[i] = candle.ts;
    columns.openCents[i] = toCents(candle.open);
    columns.highCents[i] = toCents(candle.high);
    columns.lowCents[i] = toCents(candle.low);
    columns.closeCents[i] = toCents(candle.close);
    columns.volume[i] = candle.volume;
  });
  return columns;
}

/** Rows [start, end) of a column set, sharing memory. */
export function sliceCandleColumns(columns: CandleColumns, start: number, end: number): CandleColumns {
  return {
    length: end - start,
    ts: columns.ts.subarray(start, end),
    openCents: columns.openCents.subarray(start, end),
    highCents: columns.highCents.subarray(start, end),
    lowCents: columns.lowCents.subarray(start, end),
    closeCents: columns.closeCents.subarray(start, end),
    volume: columns.volume.subarray(start, end),
  };
}

export class CandleDataError extends Error {
  override name = 'CandleDataError';
}

/**
 * What the table's constraints would reject, found before any SQL runs and named by row:
 * whole-minute times, positive integer cents with low ≤ open, close ≤ high, volume ≥ 0.
 */
export function checkCandleColumns(columns: CandleColumns): void {
  for (let i = 0; i < columns.length; i++) {
    const ts = columns.ts[i]!;
    const o = columns.openCents[i]!;
    const h = columns.highCents[i]!;
    const l = columns.lowCents[i]!;
    const c = columns.closeCents[i]!;
    const v = columns.volume[i]!;
    const at = () => `candle ${i} (${Number.isFinite(ts) ? new Date(ts).toISOString() : ts})`;
    if (!Number.isSafeInteger(ts) || ts % MINUTE_MS !== 0) {
      throw new CandleDataError(`${at()}: time is not a whole minute`);
    }
    for (const [name, cents] of [
      ['open', o],
      ['high', h],
      ['low', l],
      ['close', c],
    ] as const) {
      if (!Number.isSafeInteger(cents) || cents <= 0) {
        throw new CandleDataError(`${at()}: ${name} ${cents / 100} is not a positive price`);
      }
    }
    if (l > Math.min(o, c) || h < Math.max(o, c)) {
      throw new CandleDataError(
        `${at()}: low ${l / 100} / high ${h / 100} do not enclose open ${o / 100} and close ${c / 100}`,
      );
    }
    if (!(v >= 0) || !Number.isFinite(v)) throw new CandleDataError(`${at()}: volume ${v} is not ≥ 0`);
  }
}
