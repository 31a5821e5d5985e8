import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import {
  CandleCsvError,
  parseCandleCsvLines,
  readCandleCsvFile,
} from '../../src/storage/candles/candle-csv.ts';

const T = Date.UTC(2025, 6, 20, 14, 0);
const parse = (text: string) => parseCandleCsvLines(text.split('\n'), 'c.csv');

describe('candle CSV', () => {
  it('reads ISO and epoch-second times, any order, header optional, into cents oldest first', async () => {
    const columns = await parse(
      [
        'time,open,high,low,close,volume',
        `${T / 1000 + 120},118002.37,118020,117990.12,118011,8.25`,
        '2025-07-20T14:00:00Z,117950.01,118010.5,117940,118002.37,12.5',
        '2025-07-20T16:01:00+02:00,118002.37,118003,117999.999,118000,1e-3',
        '',
      ].join('\n'),
    );
    expect(columns.length).toBe(3);
    expect([...columns.ts]).toEqual([T, T + 60_000, T + 120_000]);
    expect([...columns.openCents]).toEqual([11_795_001, 11_800_237, 11_800_237]);
    expect([...columns.highCents]).toEqual([11_801_050, 11_800_300, 11_802_000]);
    expect([...columns.lowCents]).toEqual([11_794_000, 11_800_000, 11_799_012]); // 117999.999 → cents
    expect([...columns.closeCents]).toEqual([11_800_237, 11_800_000, 11_801_100]);
    expect([...columns.volume]).toEqual([12.5, 0.001, 8.25]);

    const noHeader = await parse(`\uFEFF${T / 1000},1,2,0.5,1.5,0\r`);
    expect([...noHeader.closeCents]).toEqual([150]);
  });

  it('reverses a newest-first file (as Coinbase returns candles)', async () => {
    const lines = [2, 1, 0].map((m) => `${T / 1000 + m * 60},10,11,9,10,1`);
    expect([...(await parse(lines.join('\n'))).ts]).toEqual([T, T + 60_000, T + 120_000]);
  });

  const cases: [string, string, RegExp][] = [
    ['a bad header', 'time,open,high,low,close\n', /c\.csv, line 1: header is "time,open,high,low,close"/],
    [
      'a missing value',
      `${T / 1000},1,2,0.5,1.5,0\n${T / 1000 + 60},1,2,0.5,1.5`,
      /line 2: expected 6 values/,
    ],
    ['a word for a price', `${T / 1000},1,2,0.5,abc,0`, /line 1: close "abc" is not a price/],
    ['a negative price', `${T / 1000},-1,2,0.5,1.5,0`, /line 1: open "-1" is not a price/],
    ['a zero price', `${T / 1000},0,2,0,1.5,0`, /line 1: open "0" is not above zero/],
    ['epoch milliseconds', `${T},1,2,0.5,1.5,0`, /line 1: time "\d+" is neither epoch seconds nor ISO-8601/],
    ['a time without zone', '2025-07-20T14:00:00,1,2,0.5,1.5,0', /neither epoch seconds nor ISO-8601 with Z/],
    [
      'a time off the minute',
      `${T / 1000 + 30},1,2,0.5,1.5,0`,
      /line 1: time "\d+" is not on a whole minute/,
    ],
    ['an impossible date', '2025-02-30T14:00:00Z,1,2,0.5,1.5,0', /not a valid date/],
    ['low above close', `${T / 1000},1,2,1.6,1.5,0`, /line 1: low 1\.6 is above open 1 or close 1\.5/],
    ['high below open', `${T / 1000},3,2,0.5,1.5,0`, /line 1: high 2 is below open 3 or close 1\.5/],
    ['a negative volume', `${T / 1000},1,2,0.5,1.5,-2`, /line 1: volume "-2" is not a number ≥ 0/],
    [
      'a blank line inside',
      `${T / 1000},1,2,0.5,1.5,0\n\n${T / 1000 + 60},1,2,0.5,1.5,0`,
      /line 2: blank line/,
    ],
    ['nothing', 'time,open,high,low,close,volume\n\n', /^c\.csv: no candles in the file$/],
  ];
  for (const [name, text, message] of cases) {
    it(`names the file and line of ${name}`, async () => {
      const attempt = parse(text);
      await expect(attempt).rejects.toThrow(CandleCsvError);
      await expect(attempt).rejects.toThrow(message);
    });
  }

  it('names both lines of a minute given twice', async () => {
    const text = [0, 1, 2, 1].map((m) => `${T / 1000 + m * 60},10,11,9,10,1`).join('\n');
    await expect(parse(text)).rejects.toThrow(
      /c\.csv, line 4: minute 2025-07-20T14:01:00\.000Z appears again \(first on line 2\)/,
    );
  });

  it('reads a file from disk line by line, and names a missing file', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'recio-csv-'));
    const lines = ['time,open,high,low,close,volume'];
    for (let m = 0; m < 100_000; m++) lines.push(`${T / 1000 + m * 60},100,101,99,100.5,1`);
    writeFileSync(join(dir, 'big.csv'), lines.join('\r\n'));
    const columns = await readCandleCsvFile(join(dir, 'big.csv'));
    expect(columns.length).toBe(100_000);
    expect(columns.ts[99_999]).toBe(T + 99_999 * 60_000);
    await expect(readCandleCsvFile(join(dir, 'none.csv'))).rejects.toThrow(
      /^none\.csv: cannot read .*none\.csv/,
    );
  });
});
