/**
 * Candle CSV files (`recio history import`). Format, one candle per line:
 *
 *   time,open,high,low,close,volume
 *   2025-07-20T14:00:00Z,117950.01,118010.5,117940,118002.37,12.5
 *   1753020060,118002.37,118020,117990.12,118011,8.25
 *
 * - header line optional; when present it is exactly `time,open,high,low,close,volume`;
 * - time: epoch seconds (an integer) or ISO-8601 with `Z` or an offset; the candle's OPEN
 *   time, on a whole minute (1-minute candles);
 * - prices: plain decimals in dollars, > 0 (stored in cents: more decimals are rounded);
 *   low ≤ open, close ≤ high;
 * - volume: a decimal ≥ 0 (exponent allowed);
 * - any order; each minute at most once; blank lines only at the end.
 *
 * Strict: the first bad line throws CandleCsvError naming the file and the 1-based line, and
 * nothing is returned — so an import stores all of a file or none of it.
 */
import { createReadStream } from 'node:fs';
import { basename } from 'node:path';
import { createInterface } from 'node:readline';
import { allocateCandleColumns, MINUTE_MS, toCents, type CandleColumns } from './candle.ts';

export const CANDLE_CSV_HEADER = 'time,open,high,low,close,volume';

export class CandleCsvError extends Error {
  override name = 'CandleCsvError';
  constructor(
    readonly fileName: string,
    readonly line: number | undefined,
    detail: string,
  ) {
    super(line === undefined ? `${fileName}: ${detail}` : `${fileName}, line ${line}: ${detail}`);
  }
}

const EPOCH_SECONDS = /^\d{1,11}$/;
const ISO_TIME = /^\d{4}-\d{2}-\d{2}[T ]\d{2}:\d{2}(?::\d{2}(?:\.\d{1,9})?)?(?:Z|[+-]\d{2}:?\d{2})$/i;
const PRICE = /^\d{1,12}(?:\.\d{1,12})?$/;
const VOLUME = /^\d{1,20}(?:\.\d{1,20})?(?:[eE][-+]?\d{1,3})?$/;

/** Growable columns plus the source line of each row (for duplicate messages). */
class Rows {
  columns = allocateCandleColumns(1 << 16);
  lines = new Float64Array(1 << 16);
  length = 0;

  push(ts: number, o: number, h: number, l: number, c: number, v: number, line: number): void {
    if (this.length === this.lines.length) this.grow();
    const i = this.length++;
    const col = this.columns;
    col.ts[i] = ts;
    col.openCents[i] = o;
    col.highCents[i] = h;
    col.lowCents[i] = l;
    col.closeCents[i] = c;
    col.volume[i] = v;
    this.lines[i] = line;
  }

  private grow(): void {
    const size = this.lines.length * 2;
    const next = allocateCandleColumns(size);
    for (const key of ['ts', 'openCents', 'highCents', 'lowCents', 'closeCents', 'volume'] as const) {
      next[key].set(this.columns[key]);
    }
    const lines = new Float64Array(size);
    lines.set(this.lines);
    this.columns = next;
    this.lines = lines;
  }
}

/** Parses candle CSV lines (as they come, e.g. from readline). */
export async function parseCandleCsvLines(
  lines: AsyncIterable<string> | Iterable<string>,
  fileName: string,
): Promise<CandleColumns> {
  const rows = new Rows();
  let lineNo = 0;
  let blankAt: number | undefined;
  for await (const raw of lines) {
    lineNo += 1;
    const text = (lineNo === 1 ? raw.replace(/^\uFEFF/, '') : raw).trim();
    if (text === '') {
      blankAt ??= lineNo;
      continue;
    }
    if (blankAt !== undefined) {
      throw new CandleCsvError(
        fileName,
        blankAt,
        'blank line before more data (blank lines are allowed only at the end)',
      );
    }
    if (lineNo === 1 && /^[a-z]/i.test(text) && !ISO_TIME.test(text.split(',')[0]!.trim())) {
      const header = text
        .split(',')
        .map((cell) => cell.trim().toLowerCase())
        .join(',');
      if (header !== CANDLE_CSV_HEADER) {
        throw new CandleCsvError(
          fileName,
          1,
          `header is "${text}", expected "${CANDLE_CSV_HEADER}" (or no header)`,
        );
      }
      continue;
    }
    parseLine(text, lineNo, fileName, rows);
  }
  if (rows.length === 0) throw new CandleCsvError(fileName, undefined, 'no candles in the file');
  return sortAndCheckDuplicates(rows, fileName);
}

function parseLine(text: string, lineNo: number, fileName: string, rows: Rows): void {
  const fail = (detail: string): never => {
    throw new CandleCsvError(fileName, lineNo, detail);
  };
  const cells = text.split(',');
  if (cells.length !== 6) fail(`expected 6 values (${CANDLE_CSV_HEADER}), found ${cells.length}`);
  const [timeText, ...rest] = cells.map((cell) => cell.trim()) as [string, ...string[]];

  let ts: number;
  if (EPOCH_SECONDS.test(timeText)) ts = Number(timeText) * 1000;
  else if (ISO_TIME.test(timeText) && isCalendarDate(timeText)) ts = Date.parse(timeText.replace(' ', 'T'));
  else if (ISO_TIME.test(timeText)) ts = fail(`time "${timeText}" is not a valid date`);
  else ts = fail(`time "${timeText}" is neither epoch seconds nor ISO-8601 with Z or an offset`);
  if (!Number.isFinite(ts)) fail(`time "${timeText}" is not a valid date`);
  if (ts % MINUTE_MS !== 0)
    fail(`time "${timeText}" is not on a whole minute (1-minute candles start at :00 s)`);

  const names = ['open', 'high', 'low', 'close'] as const;
  const cents = names.map((name, k) => {
    const value = rest[k]!;
    if (!PRICE.test(value)) fail(`${name} "${value}" is not a price (a plain decimal in dollars)`);
    const c = toCents(Number(value));
    if (!(c > 0)) fail(`${name} "${value}" is not above zero`);
    return c;
  });
  const [o, h, l, c] = cents as [number, number, number, number];
  const volumeText = rest[4]!;
  if (!VOLUME.test(volumeText)) fail(`volume "${volumeText}" is not a number ≥ 0`);
  const volume = Number(volumeText);
  if (!Number.isFinite(volume)) fail(`volume "${volumeText}" is not a finite number`);
  if (l > Math.min(o, c)) fail(`low ${rest[2]} is above open ${rest[0]} or close ${rest[3]}`);
  if (h < Math.max(o, c)) fail(`high ${rest[1]} is below open ${rest[0]} or close ${rest[3]}`);
  rows.push(ts, o, h, l, c, volume, lineNo);
}

/** Date.parse rolls 2025-02-30 over to March 2nd; a candle file with that date is wrong, not late. */
function isCalendarDate(text: string): boolean {
  const year = Number(text.slice(0, 4));
  const month = Number(text.slice(5, 7));
  const day = Number(text.slice(8, 10));
  return month >= 1 && month <= 12 && day >= 1 && day <= new Date(Date.UTC(year, month, 0)).getUTCDate();
}

/** Oldest first (files come in either order: Coinbase returns newest first), minutes unique. */
function sortAndCheckDuplicates(rows: Rows, fileName: string): CandleColumns {
  const n = rows.length;
  const ts = rows.columns.ts;
  let ascending = true;
  let descending = true;
  for (let i = 1; i < n && (ascending || descending); i++) {
    if (!(ts[i]! > ts[i - 1]!)) ascending = false;
    if (!(ts[i]! < ts[i - 1]!)) descending = false;
  }
  let order: Uint32Array;
  if (ascending) order = Uint32Array.from({ length: n }, (_, i) => i);
  else if (descending) order = Uint32Array.from({ length: n }, (_, i) => n - 1 - i);
  else {
    order = Uint32Array.from({ length: n }, (_, i) => i);
    order.sort((a, b) => ts[a]! - ts[b]! || a - b);
  }
  const out = allocateCandleColumns(n);
  for (let k = 0; k < n; k++) {
    const i = order[k]!;
    if (k > 0 && ts[i] === out.ts[k - 1]) {
      const first = Math.min(rows.lines[i]!, rows.lines[order[k - 1]!]!);
      const second = Math.max(rows.lines[i]!, rows.lines[order[k - 1]!]!);
      throw new CandleCsvError(
        fileName,
        second,
        `minute ${new Date(ts[i]!).toISOString()} appears again (first on line ${first})`,
      );
    }
    out.ts[k] = ts[i]!;
    out.openCents[k] = rows.columns.openCents[i]!;
    out.highCents[k] = rows.columns.highCents[i]!;
    out.lowCents[k] = rows.columns.lowCents[i]!;
    out.closeCents[k] = rows.columns.closeCents[i]!;
    out.volume[k] = rows.columns.volume[i]!;
  }
  return out;
}

/** Reads and parses a candle CSV file; errors name the file by its base name and line. */
export async function readCandleCsvFile(path: string): Promise<CandleColumns> {
  const fileName = basename(path);
  const stream = createReadStream(path, { encoding: 'utf8' });
  const opened = new Promise<void>((resolve, reject) => {
    stream.once('open', () => resolve());
    stream.once('error', reject);
  });
  try {
    await opened;
  } catch (error) {
    throw new CandleCsvError(fileName, undefined, `cannot read ${path}: ${(error as Error).message}`);
  }
  const lines = createInterface({ input: stream, crlfDelay: Infinity });
  try {
    return await parseCandleCsvLines(lines, fileName);
  } finally {
    lines.close();
    stream.destroy();
  }
}
