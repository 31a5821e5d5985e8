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
  // A plain loop without allocations: this runs over millions of rows on the services' thread.
  const { ts, openCents, highCents, lowCents, closeCents, volume } = columns;
  for (let i = 0; i < columns.length; i++) {
    const t = ts[i]!;
    const o = openCents[i]!;
    const h = highCents[i]!;
    const l = lowCents[i]!;
    const c = closeCents[i]!;
    const v = volume[i]!;
    if (!Number.isSafeInteger(t) || t % MINUTE_MS !== 0)
      throw candleError(i, t, 'time is not a whole minute');
    if (!(isPositiveCents(o) && isPositiveCents(h) && isPositiveCents(l) && isPositiveCents(c))) {
      throw candleError(
        i,
        t,
        `prices ${o / 100} / ${h / 100} / ${l / 100} / ${c / 100} are not all positive cents`,
      );
    }
    if (l > Math.min(o, c) || h < Math.max(o, c)) {
      throw candleError(
        i,
        t,
        `low ${l / 100} / high ${h / 100} do not enclose open ${o / 100} and close ${c / 100}`,
      );
    }
    if (!(v >= 0) || v === Infinity) throw candleError(i, t, `volume ${v} is not ≥ 0`);
  }
}

function isPositiveCents(cents: number): boolean {
  return cents > 0 && Number.isSafeInteger(cents);
}

function candleError(row: number, ts: number, detail: string): CandleDataError {
  const when = Math.abs(ts) <= 8.64e15 ? new Date(ts).toISOString() : String(ts);
  return new CandleDataError(`candle ${row} (${when}): ${detail}`);
}
