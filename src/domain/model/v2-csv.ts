/**
 * REC.IO v2's fingerprint CSV format — v2 users have these files; v3 imports and exports them.
 *
 * One file per table: `btc_fingerprint_directional_momentum_-05.csv` … `_000.csv` … `_030.csv`
 * (Python's `%03d`) plus `btc_fingerprint_directional_baseline.csv`. Header: an empty cell,
 * then 80 columns `>= +0.00%, <= -0.00%, >= +0.05%, <= -0.05%, …, >= +2.00%, <= -2.00%`
 * WITHOUT 1.70 (a typo in v2's threshold list). Rows `1m TTC` … `60m TTC`, values in percent.
 *
 * Import fills the missing 1.70 % column by linear interpolation between 1.65 % and 1.75 %
 * (the midpoint). That is exactly what v2's own bilinear lookup did across the gap, so
 * imported models answer like v2 did. Export drops the 1.70 column again, so importing and
 * re-exporting a v2 set gives the same bytes.
 */
import type { EpochMs, SymbolId } from '../units.ts';
import {
  BASELINE_TABLE,
  cellIndex,
  createEmptyGrid,
  HORIZON_MINUTES,
  MAX_BUCKET,
  MIN_BUCKET,
  THRESHOLD_COUNT,
  thresholdPercent,
  type FingerprintGrid,
} from './fingerprint-grid.ts';

/** The threshold index v2 skipped: 1.70 % = 34 × 0.05 %. */
export const V2_MISSING_THRESHOLD_INDEX = 34;
/** Threshold indices present in a v2 file, in column order. */
export const V2_THRESHOLD_INDICES: readonly number[] = Array.from(
  { length: THRESHOLD_COUNT },
  (_, j) => j,
).filter((j) => j !== V2_MISSING_THRESHOLD_INDEX);

/** The 80 value column names, in order. */
export const V2_VALUE_COLUMNS: readonly string[] = V2_THRESHOLD_INDICES.flatMap((j) => {
  const x = thresholdPercent(j).toFixed(2);
  return [`>= +${x}%`, `<= -${x}%`];
});
const V2_HEADER_LINE = ['', ...V2_VALUE_COLUMNS].join(',');

export class V2CsvError extends Error {
  override name = 'V2CsvError';
  constructor(
    readonly fileName: string,
    readonly line: number | undefined,
    detail: string,
  ) {
    super(line === undefined ? `${fileName}: ${detail}` : `${fileName}, line ${line}: ${detail}`);
  }
}

/** One table: up / down cells for minutes 1…60 × 41 thresholds, index (minute − 1) × 41 + j. */
export interface V2Table {
  up: Float64Array;
  down: Float64Array;
}

/** A plain non-negative decimal ("49.91", "0.0", "7"): no sign, exponent, spaces or NaN. */
const DECIMAL = /^\d{1,3}(?:\.\d{1,12})?$/;

/**
 * Parses one file's text. Strict: the header must be exactly v2's, there must be exactly 60
 * rows labelled `1m TTC` … `60m TTC` in order, each with 80 percent values, and within a row
 * the probabilities must not increase with the threshold (counts of "move ≥ x" cannot) —
 * which catches swapped or shifted columns. Blank lines are tolerated only at the end.
 * Any violation throws V2CsvError naming the file and the 1-based line.
 */
export function parseV2FingerprintCsv(text: string, fileName: string): V2Table {
  const lines = text.replace(/^\uFEFF/, '').split(/\r?\n/);
  while (lines.length > 0 && lines[lines.length - 1]!.trim() === '') lines.pop();
  if (lines.length === 0) throw new V2CsvError(fileName, undefined, 'the file is empty');
  if (lines[0] !== V2_HEADER_LINE) {
    throw new V2CsvError(fileName, 1, describeHeaderMismatch(lines[0]!));
  }
  if (lines.length !== HORIZON_MINUTES + 1) {
    throw new V2CsvError(
      fileName,
      lines.length < HORIZON_MINUTES + 1 ? lines.length : HORIZON_MINUTES + 2,
      `expected ${HORIZON_MINUTES} data rows (1m TTC … 60m TTC), found ${lines.length - 1}`,
    );
  }
  const up = new Float64Array(HORIZON_MINUTES * THRESHOLD_COUNT);
  const down = new Float64Array(HORIZON_MINUTES * THRESHOLD_COUNT);
  for (let minute = 1; minute <= HORIZON_MINUTES; minute++) {
    const lineNo = minute + 1;
    const cells = lines[minute]!.split(',');
    if (cells[0] !== `${minute}m TTC`) {
      throw new V2CsvError(fileName, lineNo, `row label is "${cells[0]}", expected "${minute}m TTC"`);
    }
    if (cells.length !== V2_VALUE_COLUMNS.length + 1) {
      throw new V2CsvError(
        fileName,
        lineNo,
        `expected ${V2_VALUE_COLUMNS.length} values, found ${cells.length - 1}`,
      );
    }
    const row = (minute - 1) * THRESHOLD_COUNT;
    for (let c = 0; c < V2_VALUE_COLUMNS.length; c++) {
      const raw = cells[c + 1]!;
      const column = V2_VALUE_COLUMNS[c]!;
      if (!DECIMAL.test(raw)) {
        throw new V2CsvError(fileName, lineNo, `column "${column}": "${raw}" is not a percent value`);
      }
      const value = Number(raw);
      if (value > 100) throw new V2CsvError(fileName, lineNo, `column "${column}": ${raw} exceeds 100`);
      const j = V2_THRESHOLD_INDICES[c >> 1]!;
      (c % 2 === 0 ? up : down)[row + j] = value;
    }
    for (const [side, cellsOfSide] of [
      ['>= +', up],
      ['<= -', down],
    ] as const) {
      for (let k = 1; k < V2_THRESHOLD_INDICES.length; k++) {
        const prev = V2_THRESHOLD_INDICES[k - 1]!;
        const j = V2_THRESHOLD_INDICES[k]!;
        if (cellsOfSide[row + j]! > cellsOfSide[row + prev]!) {
          throw new V2CsvError(
            fileName,
            lineNo,
            `column "${side}${thresholdPercent(j).toFixed(2)}%" (${cellsOfSide[row + j]}) exceeds ` +
              `"${side}${thresholdPercent(prev).toFixed(2)}%" (${cellsOfSide[row + prev]}): ` +
              'a probability cannot grow with the threshold',
          );
        }
      }
    }
    const m = V2_MISSING_THRESHOLD_INDEX;
    up[row + m] = (up[row + m - 1]! + up[row + m + 1]!) / 2;
    down[row + m] = (down[row + m - 1]! + down[row + m + 1]!) / 2;
  }
  return { up, down };
}

function describeHeaderMismatch(header: string): string {
  const cells = header.split(',');
  const expected = ['', ...V2_VALUE_COLUMNS];
  for (let i = 0; i < Math.max(cells.length, expected.length); i++) {
    if (cells[i] !== expected[i]) {
      return `header column ${i + 1} is ${cells[i] === undefined ? 'missing' : `"${cells[i]}"`}, expected ${
        expected[i] === undefined ? 'no more columns' : `"${expected[i]}"`
      }`;
    }
  }
  return 'malformed header';
}

/** Python's repr of a float rounded to 2 decimals, as v2 wrote them: 0.0, 0.5, 49.91. */
function formatV2Value(value: number): string {
  const rounded = Math.round(value * 100) / 100;
  const text = String(rounded);
  return Number.isInteger(rounded) ? `${text}.0` : text;
}

/** One table of a grid as v2 CSV text (no 1.70 column, values rounded to 2 decimals). */
export function formatV2FingerprintCsv(grid: FingerprintGrid, table: number): string {
  const lines = [V2_HEADER_LINE];
  for (let minute = 1; minute <= HORIZON_MINUTES; minute++) {
    const cells = [`${minute}m TTC`];
    for (const j of V2_THRESHOLD_INDICES) {
      const i = cellIndex(table, minute, j);
      cells.push(formatV2Value(grid.up[i]!), formatV2Value(grid.down[i]!));
    }
    lines.push(cells.join(','));
  }
  return lines.join('\n') + '\n';
}

/** `btc_fingerprint_directional_momentum_-05.csv`, `…_004.csv`, or `…_baseline.csv`. */
export function v2FileName(symbol: SymbolId, bucket: number | 'baseline'): string {
  const prefix = `${symbol.toLowerCase()}_fingerprint_directional_`;
  if (bucket === 'baseline') return `${prefix}baseline.csv`;
  const digits = String(Math.abs(bucket)).padStart(bucket < 0 ? 2 : 3, '0');
  return `${prefix}momentum_${bucket < 0 ? '-' : ''}${digits}.csv`;
}

/** Every table of a grid as v2 files: file name → text (62 files). */
export function exportV2FingerprintSet(grid: FingerprintGrid): Map<string, string> {
  const files = new Map<string, string>();
  files.set(v2FileName(grid.meta.symbol, 'baseline'), formatV2FingerprintCsv(grid, BASELINE_TABLE));
  for (let b = MIN_BUCKET; b <= MAX_BUCKET; b++) {
    files.set(v2FileName(grid.meta.symbol, b), formatV2FingerprintCsv(grid, b - MIN_BUCKET));
  }
  return files;
}

export interface ImportV2Options {
  symbol: SymbolId;
  modelId: string;
  /** When the import happens (passed in: the domain reads no clock). */
  builtAt: EpochMs;
}

/**
 * Assembles a model from a v2 set: file name → text (other names are ignored, so a whole
 * directory can be passed). All 62 files must be present and valid; a missing file lists
 * every missing name, a malformed one throws its V2CsvError — nothing partial comes back.
 */
export function importV2FingerprintSet(
  files: ReadonlyMap<string, string>,
  options: ImportV2Options,
): FingerprintGrid {
  const wanted: { name: string; table: number }[] = [
    { name: v2FileName(options.symbol, 'baseline'), table: BASELINE_TABLE },
  ];
  for (let b = MIN_BUCKET; b <= MAX_BUCKET; b++) {
    wanted.push({ name: v2FileName(options.symbol, b), table: b - MIN_BUCKET });
  }
  const missing = wanted.filter((w) => !files.has(w.name)).map((w) => w.name);
  if (missing.length > 0) {
    throw new V2CsvError(
      missing[0]!,
      undefined,
      `missing from the v2 set (${missing.length} of ${wanted.length} files missing: ${missing.join(', ')})`,
    );
  }
  const grid = createEmptyGrid({
    modelId: options.modelId,
    symbol: options.symbol,
    source: 'v2-import',
    synthetic: false,
    from: null,
    to: null,
    rowsUsed: null,
    builtAt: options.builtAt,
    weighting: null,
    tableRows: null,
    rowsFilledFromBaseline: 0,
  });
  const tableSize = HORIZON_MINUTES * THRESHOLD_COUNT;
  for (const { name, table } of wanted) {
    const parsed = parseV2FingerprintCsv(files.get(name)!, name);
    grid.up.set(parsed.up, table * tableSize);
    grid.down.set(parsed.down, table * tableSize);
  }
  return grid;
}
