/**
 * The in-memory fingerprint model: 61 momentum-bucket tables (−30…30) plus a baseline table,
 * each P(close t minutes later ≥ +x %) ("up") and P(≤ −x %) ("down") in percent, for
 * t = 1…60 minutes and x = 0.00…2.00 % in steps of 0.05 (41 thresholds, 1.70 included).
 *
 * Two flat Float64Arrays (up, down) of 62 × 60 × 41 cells, 2.4 MB in all — v2 kept the same
 * information in a 1.15 GB PostgreSQL table. Float64 so counts divide exactly as tested and
 * imported 2-decimal values stay exact enough to export byte-identical.
 */
import { z } from 'zod';
import { SYMBOLS } from '../units.ts';

export const MIN_BUCKET = -30;
export const MAX_BUCKET = 30;
export const BUCKET_COUNT = MAX_BUCKET - MIN_BUCKET + 1; // 61
/** Table index of the baseline (all rows, whatever their momentum). */
export const BASELINE_TABLE = BUCKET_COUNT; // 61
export const TABLE_COUNT = BUCKET_COUNT + 1; // 62

export const HORIZON_MINUTES = 60;
/** Threshold j is j × 0.05 % = j × 5 basis points. */
export const THRESHOLD_STEP_PERCENT = 0.05;
export const THRESHOLD_COUNT = 41;
export const MAX_THRESHOLD_INDEX = THRESHOLD_COUNT - 1;
export const MAX_THRESHOLD_PERCENT = MAX_THRESHOLD_INDEX * THRESHOLD_STEP_PERCENT; // 2.00

export const CELLS_PER_TABLE = HORIZON_MINUTES * THRESHOLD_COUNT;
export const CELL_COUNT = TABLE_COUNT * CELLS_PER_TABLE;

/** Threshold j in percent, computed from the integer so 0.35 is 0.35 and not 7 × 0.05. */
export function thresholdPercent(j: number): number {
  return (j * 5) / 100;
}

/** Table of a bucket: −30 → 0 … 30 → 60; anything outside is clamped (v2 fell back to 50/50). */
export function tableIndexOfBucket(bucket: number | 'baseline'): number {
  if (bucket === 'baseline') return BASELINE_TABLE;
  if (!Number.isFinite(bucket)) return BASELINE_TABLE;
  const b = Math.round(bucket);
  return (b < MIN_BUCKET ? MIN_BUCKET : b > MAX_BUCKET ? MAX_BUCKET : b) - MIN_BUCKET;
}

/** Flat index of (table, t minutes 1…60, threshold index 0…40). */
export function cellIndex(table: number, minute: number, thresholdIndex: number): number {
  return (table * HORIZON_MINUTES + (minute - 1)) * THRESHOLD_COUNT + thresholdIndex;
}

export const MODEL_SOURCES = ['v2-import', 'coinbase', 'synthetic', 'csv'] as const;
export type ModelSource = (typeof MODEL_SOURCES)[number];

/**
 * How start rows are weighted when counting.
 * - none: every row counts 1.
 * - v2-year: v2's weights by the UTC year of the start minute — latest year 5, then 4, 3, 2,
 *   older 1 — relative to `latestYear` (the year of the last candle), so a 2026 build keeps
 *   v2's intent instead of giving 2026 rows weight 1.
 * - half-life: 0.5 ^ ((asOf − start) / half-life); asOf is the last candle's time.
 */
export const weightingSchema = z.discriminatedUnion('kind', [
  z.object({ kind: z.literal('none') }),
  z.object({ kind: z.literal('v2-year'), latestYear: z.number().int().optional() }),
  z.object({
    kind: z.literal('half-life'),
    halfLifeDays: z.number().positive(),
    asOf: z.number().optional(),
  }),
]);
export type Weighting = z.infer<typeof weightingSchema>;

export const fingerprintMetaSchema = z.object({
  modelId: z.string().min(1),
  symbol: z.enum(SYMBOLS),
  source: z.enum(MODEL_SOURCES),
  /** True when built from simulated prices: shown everywhere the model is shown. */
  synthetic: z.boolean(),
  /** First and last candle used (epoch ms UTC); null when unknown (a v2 import). */
  from: z.number().nullable(),
  to: z.number().nullable(),
  /** Start minutes counted (each contributes up to 60 horizons); null when unknown. */
  rowsUsed: z.number().int().nonnegative().nullable(),
  builtAt: z.number(),
  weighting: weightingSchema.nullable(),
  /** Start minutes per table (index = tableIndexOfBucket); null when unknown (a v2 import). */
  tableRows: z.array(z.number().int().nonnegative()).length(TABLE_COUNT).nullable(),
  /** (table, minute) rows without a single sample, filled from the baseline row. */
  rowsFilledFromBaseline: z.number().int().nonnegative(),
});
export type FingerprintMeta = z.infer<typeof fingerprintMetaSchema>;

export interface FingerprintGrid {
  readonly meta: FingerprintMeta;
  /** percent, P(move ≥ +x), at cellIndex(table, minute, j) */
  readonly up: Float64Array;
  /** percent, P(move ≤ −x), at cellIndex(table, minute, j) */
  readonly down: Float64Array;
}

export function createEmptyGrid(meta: FingerprintMeta): FingerprintGrid {
  return { meta, up: new Float64Array(CELL_COUNT), down: new Float64Array(CELL_COUNT) };
}

/** Bytes the cells take (meta is a few hundred bytes more). */
export function gridByteSize(grid: FingerprintGrid): number {
  return grid.up.byteLength + grid.down.byteLength;
}

export class FingerprintGridError extends Error {
  override name = 'FingerprintGridError';
}

/**
 * Checks a grid that came from outside (storage, import): shape, metadata, every cell a
 * percent. Throws FingerprintGridError naming the first bad cell.
 */
export function validateGrid(grid: FingerprintGrid): FingerprintGrid {
  const meta = fingerprintMetaSchema.safeParse(grid.meta);
  if (!meta.success) throw new FingerprintGridError(`invalid model metadata: ${meta.error.message}`);
  for (const [name, cells] of [
    ['up', grid.up],
    ['down', grid.down],
  ] as const) {
    if (!(cells instanceof Float64Array) || cells.length !== CELL_COUNT) {
      throw new FingerprintGridError(`${name} must be a Float64Array of ${CELL_COUNT} cells`);
    }
    for (let i = 0; i < CELL_COUNT; i++) {
      const v = cells[i]!;
      if (!(v >= 0 && v <= 100)) {
        const table = Math.floor(i / CELLS_PER_TABLE);
        const minute = Math.floor((i % CELLS_PER_TABLE) / THRESHOLD_COUNT) + 1;
        const j = i % THRESHOLD_COUNT;
        throw new FingerprintGridError(
          `${name} cell (table ${table}, ${minute}m, ${thresholdPercent(j).toFixed(2)}%) is ${v}, not a percent`,
        );
      }
    }
  }
  return grid;
}

/**
 * A grid from a formula — analytic models (e.g. a Gaussian random walk for the simulator)
 * and tests. `cell` gets the table, the minute (1…60) and the threshold in percent.
 */
export function gridFromFunction(
  meta: FingerprintMeta,
  cell: (table: number, minute: number, threshold: number) => { up: number; down: number },
): FingerprintGrid {
  const grid = createEmptyGrid(meta);
  for (let table = 0; table < TABLE_COUNT; table++) {
    for (let minute = 1; minute <= HORIZON_MINUTES; minute++) {
      for (let j = 0; j < THRESHOLD_COUNT; j++) {
        const { up, down } = cell(table, minute, thresholdPercent(j));
        const i = cellIndex(table, minute, j);
        grid.up[i] = up;
        grid.down[i] = down;
      }
    }
  }
  return grid;
}
