import { describe, it, expect } from 'vitest';
import { BASELINE_TABLE, tableIndexOfBucket, THRESHOLD_COUNT, cellIndex } from './fingerprint-grid.ts';
import {
  exportV2FingerprintSet,
  formatV2FingerprintCsv,
  importV2FingerprintSet,
  parseV2FingerprintCsv,
  V2_VALUE_COLUMNS,
  V2CsvError,
  v2FileName,
} from './v2-csv.ts';

/** How v2 (Python) wrote a 2-decimal float: 20.6, 0.0, 49.91. */
function py(value: number): string {
  const n = Number(value.toFixed(2));
  return Number.isInteger(n) ? `${n}.0` : String(n);
}

/** A valid v2 file whose cells encode (minute, threshold, side, seed) so mix-ups show. */
function v2Text(seed = 0): string {
  const header = ['', ...V2_VALUE_COLUMNS].join(',');
  const rows = [header];
  for (let m = 1; m <= 60; m++) {
    const cells = [`${m}m TTC`];
    for (let j = 0; j < THRESHOLD_COUNT; j++) {
      if (j === 34) continue; // v2 has no 1.70 column
      cells.push(py(60 - j + m / 100 + seed / 1000), py(40 - j / 2 + m / 100));
    }
    rows.push(cells.join(','));
  }
  return rows.join('\n') + '\n';
}

function replaceLine(text: string, line: number, edit: (cells: string[]) => string[]): string {
  const lines = text.split('\n');
  lines[line - 1] = edit(lines[line - 1]!.split(',')).join(',');
  return lines.join('\n');
}

describe('parseV2FingerprintCsv', () => {
  it('reads up and down by minute and threshold', () => {
    const t = parseV2FingerprintCsv(v2Text(), 'f.csv');
    expect(t.up[0]).toBe(60.01); // 1m, 0.00 %
    expect(t.down[0]).toBe(40.01);
    expect(t.up[59 * THRESHOLD_COUNT + 40]).toBe(20.6); // 60m, 2.00 %
    expect(t.down[59 * THRESHOLD_COUNT + 40]).toBe(20.6);
    expect(t.up[4 * THRESHOLD_COUNT + 35]).toBe(25.05); // 5m, 1.75 %: after the skipped column
  });

  it('fills 1.70 % as the midpoint of 1.65 % and 1.75 %', () => {
    const t = parseV2FingerprintCsv(v2Text(), 'f.csv');
    for (const m of [1, 30, 60]) {
      const row = (m - 1) * THRESHOLD_COUNT;
      expect(t.up[row + 34]).toBeCloseTo((t.up[row + 33]! + t.up[row + 35]!) / 2, 12);
      expect(t.down[row + 34]).toBeCloseTo((t.down[row + 33]! + t.down[row + 35]!) / 2, 12);
    }
  });

  it('accepts CRLF line ends and a BOM', () => {
    const t = parseV2FingerprintCsv('\uFEFF' + v2Text().replace(/\n/g, '\r\n'), 'f.csv');
    expect(t.up[0]).toBe(60.01);
  });

  const bad: [string, (text: string) => string, RegExp][] = [
    [
      'a header with 1.70',
      (s) => replaceLine(s, 1, (c) => [...c.slice(0, 69), '>= +1.70%', ...c.slice(69)]),
      /line 1: header column 70 is ">= \+1\.70%", expected ">= \+1\.75%"/,
    ],
    [
      'a missing header column',
      (s) => replaceLine(s, 1, (c) => c.slice(0, 80)),
      /line 1: header column 81 is missing/,
    ],
    [
      'a wrong row label',
      (s) => replaceLine(s, 5, (c) => ['5m TTC', ...c.slice(1)]),
      /line 5: row label is "5m TTC", expected "4m TTC"/,
    ],
    ['a short row', (s) => replaceLine(s, 7, (c) => c.slice(0, 60)), /line 7: expected 80 values, found 59/],
    [
      'a non-number',
      (s) => replaceLine(s, 9, (c) => [...c.slice(0, 3), 'abc', ...c.slice(4)]),
      /line 9: column ">= \+0\.05%": "abc" is not a percent value/,
    ],
    [
      'an empty cell',
      (s) => replaceLine(s, 9, (c) => [...c.slice(0, 3), '', ...c.slice(4)]),
      /line 9: column ">= \+0\.05%": "" is not a percent value/,
    ],
    [
      'a negative value',
      (s) => replaceLine(s, 10, (c) => [...c.slice(0, 80), '-0.5']),
      /line 10: column "<= -2\.00%": "-0\.5" is not a percent value/,
    ],
    [
      'a value above 100',
      (s) => replaceLine(s, 2, (c) => ['1m TTC', '100.5', ...c.slice(2)]),
      /line 2: column ">= \+0\.00%": 100\.5 exceeds 100/,
    ],
    [
      'a probability growing with the threshold',
      (s) => replaceLine(s, 3, (c) => [...c.slice(0, 5), '99.00', ...c.slice(6)]),
      /line 3: column ">= \+0\.10%" \(99\) exceeds ">= \+0\.05%"/,
    ],
    [
      'a missing row',
      (s) =>
        s
          .split('\n')
          .filter((_, i) => i !== 30)
          .join('\n'),
      /line 60: expected 60 data rows \(1m TTC … 60m TTC\), found 59/,
    ],
    [
      'an extra row',
      (s) => s + '61m TTC,1\n',
      /line 62: expected 60 data rows \(1m TTC … 60m TTC\), found 61/,
    ],
    [
      'a blank line inside',
      (s) => replaceLine(s, 20, () => []),
      /line 20: row label is "", expected "19m TTC"/,
    ],
  ];
  for (const [what, corrupt, message] of bad) {
    it(`rejects ${what}, naming file and line`, () => {
      const text = corrupt(v2Text());
      expect(() => parseV2FingerprintCsv(text, 'btc_x.csv')).toThrow(V2CsvError);
      expect(() => parseV2FingerprintCsv(text, 'btc_x.csv')).toThrow(
        new RegExp(`^btc_x\\.csv, ${message.source}`),
      );
    });
  }

  it('rejects an empty file', () => {
    expect(() => parseV2FingerprintCsv('\n', 'e.csv')).toThrow('e.csv: the file is empty');
  });
});

describe('v2 file names', () => {
  it("follows Python's %03d", () => {
    expect(v2FileName('BTC', -5)).toBe('btc_fingerprint_directional_momentum_-05.csv');
    expect(v2FileName('BTC', -30)).toBe('btc_fingerprint_directional_momentum_-30.csv');
    expect(v2FileName('BTC', 0)).toBe('btc_fingerprint_directional_momentum_000.csv');
    expect(v2FileName('ETH', 30)).toBe('eth_fingerprint_directional_momentum_030.csv');
    expect(v2FileName('BTC', 'baseline')).toBe('btc_fingerprint_directional_baseline.csv');
  });
});

const FULL_SET = new Map<string, string>([
  [v2FileName('BTC', 'baseline'), v2Text(999)],
  ...Array.from({ length: 61 }, (_, i): [string, string] => [
    v2FileName('BTC', i - 30),
    v2Text(i - 30 + 500),
  ]),
]);

/** A fresh copy of a valid 62-file set (tests may edit it). */
function fullSet(): Map<string, string> {
  return new Map(FULL_SET);
}

describe('importV2FingerprintSet / exportV2FingerprintSet', () => {
  const options = { symbol: 'BTC' as const, modelId: 'v2-test', builtAt: 1 };

  it('puts each file in its table and marks the model as a v2 import', () => {
    const grid = importV2FingerprintSet(fullSet(), options);
    // up at 1m, 0.00 % = 60.01 + seed/1000 (rounded to 2 decimals by the writer).
    expect(grid.up[cellIndex(tableIndexOfBucket(-30), 1, 0)]).toBe(Number((60.01 + 0.47).toFixed(2)));
    expect(grid.up[cellIndex(tableIndexOfBucket(30), 1, 0)]).toBe(Number((60.01 + 0.53).toFixed(2)));
    expect(grid.up[cellIndex(BASELINE_TABLE, 1, 0)]).toBe(Number((60.01 + 0.999).toFixed(2)));
    expect(grid.meta).toMatchObject({
      source: 'v2-import',
      synthetic: false,
      modelId: 'v2-test',
      from: null,
    });
  });

  it('round-trips: export(import(files)) gives the same text', () => {
    const files = fullSet();
    const exported = exportV2FingerprintSet(importV2FingerprintSet(files, options));
    expect(exported.size).toBe(62);
    for (const [name, text] of files) expect(exported.get(name)).toBe(text);
  });

  it('writes whole numbers the way v2 did (0.0, 100.0)', () => {
    const grid = importV2FingerprintSet(fullSet(), options);
    grid.up.fill(0);
    grid.down.fill(100);
    const line2 = formatV2FingerprintCsv(grid, 0).split('\n')[1]!;
    expect(line2.startsWith('1m TTC,0.0,100.0,0.0,100.0')).toBe(true);
  });

  it('lists every missing file and stores nothing', () => {
    const files = fullSet();
    files.delete(v2FileName('BTC', 7));
    files.delete(v2FileName('BTC', 'baseline'));
    expect(() => importV2FingerprintSet(files, options)).toThrow(
      /2 of 62 files missing: btc_fingerprint_directional_baseline\.csv, btc_fingerprint_directional_momentum_007\.csv/,
    );
  });

  it('names the malformed file and line', () => {
    const files = fullSet();
    const name = v2FileName('BTC', -12);
    files.set(
      name,
      replaceLine(files.get(name)!, 33, (c) => [...c.slice(0, 10), 'x', ...c.slice(11)]),
    );
    expect(() => importV2FingerprintSet(files, options)).toThrow(
      /^btc_fingerprint_directional_momentum_-12\.csv, line 33: column "<= -0\.20%": "x"/,
    );
  });

  it('ignores unrelated files', () => {
    const files = fullSet();
    files.set('README.txt', 'hello');
    expect(() => importV2FingerprintSet(files, options)).not.toThrow();
  });
});
