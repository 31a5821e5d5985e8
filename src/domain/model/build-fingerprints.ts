/**
 * Builds the fingerprint grid from 1-minute closes (model.md, "Fingerprints").
 *
 * For every start minute i with momentum bucket b and every t = 1…60 with i + t in the same
 * contiguous run: move = (close[i+t] − close[i]) / close[i] · 100; every threshold x adds the
 * row's weight to total, to pos if move ≥ x and to neg if move ≤ −x; cell = 100 · pos / total.
 * The baseline table counts every start minute, including those without momentum yet.
 *
 * Speed: instead of 41 comparisons per (i, t), each move is dropped into the histogram bin of
 * the highest threshold it reaches, and suffix sums over the bins turn the histogram into
 * "reaches threshold j" counts. Rows without momentum go to a scratch table; the baseline is
 * the sum of all tables, so each (i, t) touches one table, not two.
 *
 * Threshold edges: a move is measured in threshold units (1 unit = 0.05 %) and counts as
 * reaching threshold j when units ≥ j − 1e-8, i.e. the move is rounded to 5e-10 % before the
 * comparison. Float noise of the division (~1e-14 units) can therefore never drop a move of
 * exactly 0.05 % below the 0.05 % threshold, and no real price move (a cent on a six-figure
 * price is 1e-8 %) is close enough to a threshold to be counted wrongly.
 */
import type { EpochMs, SymbolId } from '../units.ts';
import { CandleSeriesError, contiguousRunEnds, validateCandleSeries } from './candle-series.ts';
import {
  BASELINE_TABLE,
  BUCKET_COUNT,
  CELL_COUNT,
  CELLS_PER_TABLE,
  createEmptyGrid,
  HORIZON_MINUTES,
  MAX_THRESHOLD_INDEX,
  MIN_BUCKET,
  TABLE_COUNT,
  THRESHOLD_COUNT,
  type FingerprintGrid,
  type ModelSource,
  type Weighting,
} from './fingerprint-grid.ts';
import { historicalMomentumBps, momentumBucket } from './momentum.ts';
import { resolveWeighting, rowWeights } from './row-weights.ts';

/** Threshold units per unit of relative move: 1 unit = 0.05 % = 0.0005. */
const UNITS_PER_RELATIVE_MOVE = 2000;
/** Tolerance in threshold units (= 5e-10 %): see the header comment. */
export const THRESHOLD_EPSILON_UNITS = 1e-8;

/**
 * Raw weighted counts. `total` is per (table, minute): index table × 60 + (minute − 1).
 * `pos` / `neg` are per cell (cellIndex): weight of moves ≥ +x / ≤ −x. Table BASELINE_TABLE is
 * the baseline.
 */
export interface FingerprintCounts {
  total: Float64Array;
  pos: Float64Array;
  neg: Float64Array;
  /** Start minutes (unweighted) per table. */
  tableRows: number[];
  /** Start minutes that had at least one horizon. */
  rowsUsed: number;
}

export interface CountOptions {
  timestamps?: ArrayLike<number>;
  /** Per-row weights (rowWeights); all 1 when absent. */
  weights?: Float64Array;
  /** Called with the fraction done (0…1), about a hundred times per build. */
  onProgress?: (fraction: number) => void;
}

/** Weighted threshold counts for a close series (no validation: buildFingerprintGrid does it). */
export function countFingerprints(closes: Float64Array, options: CountOptions = {}): FingerprintCounts {
  const n = closes.length;
  const { timestamps, weights, onProgress } = options;
  const momentum = historicalMomentumBps(closes, timestamps);
  const runEnds = contiguousRunEnds(n, timestamps);

  const posHist = new Float64Array(CELL_COUNT);
  const negHist = new Float64Array(CELL_COUNT);
  // weightByReach[table × 61 + tmax]: start rows whose last reachable horizon is tmax.
  const weightByReach = new Float64Array(TABLE_COUNT * (HORIZON_MINUTES + 1));
  const tableRows = new Array<number>(TABLE_COUNT).fill(0);
  let rowsUsed = 0;

  const progressStep = Math.max(1, Math.floor(n / 100));
  // Locals, not imported bindings: the hot loop should not re-read module slots.
  const eps = THRESHOLD_EPSILON_UNITS;
  const top = MAX_THRESHOLD_INDEX;
  const width = THRESHOLD_COUNT;
  const tableSize = CELLS_PER_TABLE;
  const minBucket = MIN_BUCKET;

  for (let i = 0; i < n; i++) {
    if (onProgress && i % progressStep === 0) onProgress(i / n);
    const reach = runEnds[i]! - 1 - i;
    const tmax = reach < HORIZON_MINUTES ? reach : HORIZON_MINUTES;
    if (tmax < 1) continue;
    const bucket = momentumBucket(momentum[i]!);
    // Rows without momentum go to the scratch slot BASELINE_TABLE, summed into the baseline below.
    const table = bucket === undefined ? BASELINE_TABLE : bucket - minBucket;
    const w = weights ? weights[i]! : 1;
    tableRows[table]! += 1;
    rowsUsed += 1;
    weightByReach[table * (HORIZON_MINUTES + 1) + tmax]! += w;

    const c0 = closes[i]!;
    const scale = UNITS_PER_RELATIVE_MOVE / c0;
    let cell = table * tableSize;
    for (let t = 1; t <= tmax; t++, cell += width) {
      const units = (closes[i + t]! - c0) * scale;
      if (units > -eps) {
        const k = Math.floor(units + eps);
        posHist[cell + (k > top ? top : k)]! += w;
      }
      if (units < eps) {
        const k = Math.floor(eps - units);
        negHist[cell + (k > top ? top : k)]! += w;
      }
    }
  }

  // Baseline = scratch (rows without momentum) + every bucket table.
  const baseStart = BASELINE_TABLE * CELLS_PER_TABLE;
  for (let table = 0; table < BUCKET_COUNT; table++) {
    const start = table * CELLS_PER_TABLE;
    for (let c = 0; c < CELLS_PER_TABLE; c++) {
      posHist[baseStart + c]! += posHist[start + c]!;
      negHist[baseStart + c]! += negHist[start + c]!;
    }
    for (let r = 0; r <= HORIZON_MINUTES; r++) {
      weightByReach[BASELINE_TABLE * (HORIZON_MINUTES + 1) + r]! +=
        weightByReach[table * (HORIZON_MINUTES + 1) + r]!;
    }
  }
  for (let table = 0; table < BUCKET_COUNT; table++) tableRows[BASELINE_TABLE]! += tableRows[table]!;

  // Suffix sums: bin k holds moves whose highest reached threshold is k; threshold j is
  // reached by every move in bins k ≥ j.
  for (let row = 0; row < TABLE_COUNT * HORIZON_MINUTES; row++) {
    const start = row * THRESHOLD_COUNT;
    for (let j = top - 1; j >= 0; j--) {
      posHist[start + j]! += posHist[start + j + 1]!;
      negHist[start + j]! += negHist[start + j + 1]!;
    }
  }

  // total(table, t) = weight of rows reaching at least t minutes.
  const total = new Float64Array(TABLE_COUNT * HORIZON_MINUTES);
  for (let table = 0; table < TABLE_COUNT; table++) {
    let running = 0;
    for (let t = HORIZON_MINUTES; t >= 1; t--) {
      running += weightByReach[table * (HORIZON_MINUTES + 1) + t]!;
      total[table * HORIZON_MINUTES + t - 1] = running;
    }
  }

  onProgress?.(1);
  return { total, pos: posHist, neg: negHist, tableRows, rowsUsed };
}

export interface GridMetaInput {
  symbol: SymbolId;
  modelId: string;
  source: ModelSource;
  /** Defaults to source === 'synthetic'. */
  synthetic?: boolean;
  builtAt: EpochMs;
}

/**
 * Percent cells from counts. A (bucket, minute) row with no sample at all (a bucket the data
 * never visited) is copied from the baseline row — a sensible prior, and counted in
 * meta.rowsFilledFromBaseline so it is visible. A baseline row without samples means the
 * series is too short: error.
 */
export function gridFromCounts(
  counts: FingerprintCounts,
  meta: GridMetaInput & { from: EpochMs | null; to: EpochMs | null; weighting: Weighting | null },
): FingerprintGrid {
  const grid = createEmptyGrid({
    modelId: meta.modelId,
    symbol: meta.symbol,
    source: meta.source,
    synthetic: meta.synthetic ?? meta.source === 'synthetic',
    from: meta.from,
    to: meta.to,
    rowsUsed: counts.rowsUsed,
    builtAt: meta.builtAt,
    weighting: meta.weighting,
    tableRows: counts.tableRows,
    rowsFilledFromBaseline: 0,
  });
  for (let t = 1; t <= HORIZON_MINUTES; t++) {
    if (!(counts.total[BASELINE_TABLE * HORIZON_MINUTES + t - 1]! > 0)) {
      throw new CandleSeriesError(
        `no ${t}-minute move in the data: the model needs a contiguous run of at least ${HORIZON_MINUTES + 1} candles`,
      );
    }
  }
  let filled = 0;
  // Baseline first: the other tables may copy from it.
  const order = [BASELINE_TABLE, ...Array.from({ length: BUCKET_COUNT }, (_, b) => b)];
  for (const table of order) {
    for (let t = 1; t <= HORIZON_MINUTES; t++) {
      const tot = counts.total[table * HORIZON_MINUTES + t - 1]!;
      const start = (table * HORIZON_MINUTES + t - 1) * THRESHOLD_COUNT;
      if (tot > 0) {
        for (let j = 0; j < THRESHOLD_COUNT; j++) {
          // pos ≤ total mathematically, but with fractional weights the two float sums are added
          // in different orders and 100 · pos / total can come out as 100.00000000000001.
          grid.up[start + j] = Math.min(100, (100 * counts.pos[start + j]!) / tot);
          grid.down[start + j] = Math.min(100, (100 * counts.neg[start + j]!) / tot);
        }
      } else {
        const base = (BASELINE_TABLE * HORIZON_MINUTES + t - 1) * THRESHOLD_COUNT;
        grid.up.copyWithin(start, base, base + THRESHOLD_COUNT);
        grid.down.copyWithin(start, base, base + THRESHOLD_COUNT);
        filled += 1;
      }
    }
  }
  return { ...grid, meta: { ...grid.meta, rowsFilledFromBaseline: filled } };
}

export interface BuildFingerprintsInput extends GridMetaInput {
  /** 1-minute closes, oldest first. */
  closes: Float64Array;
  /** Open time of each candle (epoch ms UTC), strictly increasing; gaps split the series. */
  timestamps: ArrayLike<number>;
  /** Defaults to v2's year weights. */
  weighting?: Weighting;
  onProgress?: (fraction: number) => void;
}

/** Validates the series, counts, and returns the grid with its metadata. */
export function buildFingerprintGrid(input: BuildFingerprintsInput): FingerprintGrid {
  const { closes, timestamps } = input;
  validateCandleSeries(closes, timestamps);
  if (closes.length === 0) throw new CandleSeriesError('no candles');
  const weighting = resolveWeighting(input.weighting ?? { kind: 'v2-year' }, timestamps);
  const counts = countFingerprints(closes, {
    timestamps,
    weights: rowWeights(weighting, timestamps),
    ...(input.onProgress ? { onProgress: input.onProgress } : {}),
  });
  return gridFromCounts(counts, {
    symbol: input.symbol,
    modelId: input.modelId,
    source: input.source,
    builtAt: input.builtAt,
    ...(input.synthetic === undefined ? {} : { synthetic: input.synthetic }),
    from: timestamps[0]!,
    to: timestamps[timestamps.length - 1]!,
    weighting,
  });
}
