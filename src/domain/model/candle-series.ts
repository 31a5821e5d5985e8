/**
 * A 1-minute close series as the model reads it: closes plus their open times (epoch ms UTC).
 * Real histories have holes (exchange outages, missing candles). Comparing row i with row
 * i + t is only "t minutes later" inside a contiguous run, so the model never looks across a
 * gap: a gap ends one run and starts the next.
 */
export const MINUTE_MS = 60_000;

export class CandleSeriesError extends Error {
  override name = 'CandleSeriesError';
}

/** Throws CandleSeriesError on the first bad close or timestamp, naming its row. */
export function validateCandleSeries(closes: Float64Array, timestamps: ArrayLike<number>): void {
  if (closes.length !== timestamps.length) {
    throw new CandleSeriesError(`${closes.length} closes but ${timestamps.length} timestamps`);
  }
  for (let i = 0; i < closes.length; i++) {
    const c = closes[i]!;
    if (!(c > 0) || !Number.isFinite(c)) throw new CandleSeriesError(`row ${i}: close ${c} is not a price`);
    const t = timestamps[i]!;
    if (!Number.isFinite(t)) throw new CandleSeriesError(`row ${i}: timestamp ${t} is not a time`);
    if (i > 0 && !(t > timestamps[i - 1]!)) {
      throw new CandleSeriesError(`row ${i}: timestamp ${t} does not follow ${timestamps[i - 1]}`);
    }
  }
}

/**
 * For each row, the index one past the last row of its contiguous run (rows spaced exactly
 * one minute apart). Without timestamps the whole series is one run.
 */
export function contiguousRunEnds(length: number, timestamps?: ArrayLike<number>): Int32Array {
  const ends = new Int32Array(length);
  let end = length;
  for (let i = length - 1; i >= 0; i--) {
    if (timestamps && i + 1 < length && timestamps[i + 1]! - timestamps[i]! !== MINUTE_MS) end = i + 1;
    ends[i] = end;
  }
  return ends;
}

/** For each row, the index of the first row of its contiguous run. */
export function contiguousRunStarts(length: number, timestamps?: ArrayLike<number>): Int32Array {
  const starts = new Int32Array(length);
  let start = 0;
  for (let i = 0; i < length; i++) {
    if (timestamps && i > 0 && timestamps[i]! - timestamps[i - 1]! !== MINUTE_MS) start = i;
    starts[i] = start;
  }
  return starts;
}
