import { describe, expect, it } from 'vitest';
import { rangesToFetch } from '../../src/cli/history-actions.ts';
import { timeArg } from '../../src/cli/cli-args.ts';
import { weightingArg } from '../../src/cli/model-commands.ts';
import { progressBar } from '../../src/cli/progress-bar.ts';
import type { GapReport } from '../../src/storage/candles/candle-repository.ts';

function recorder(isTTY: boolean) {
  const writes: string[] = [];
  return { stream: { isTTY, columns: 100, write: (text: string) => writes.push(text) }, writes };
}

describe('progress bar', () => {
  it('prints a line per 10 % when stderr is not a terminal', () => {
    const { stream, writes } = recorder(false);
    const bar = progressBar('building BTC model', stream);
    for (let i = 0; i <= 1000; i++) bar.update(i / 1000, 'counting');
    bar.done('done in 1 s');
    expect(writes).toEqual([
      ...Array.from({ length: 11 }, (_, k) => `building BTC model: ${k * 10}% counting\n`),
      'done in 1 s\n',
    ]);
  });

  it('redraws one line on a terminal and ends it with a newline', () => {
    const { stream, writes } = recorder(true);
    const bar = progressBar('fetching BTC', stream);
    bar.update(0.5, '1,000 candles');
    bar.update(0.6); // within 100 ms of the last draw: skipped
    bar.done();
    expect(writes[0]).toBe(
      `\r${`fetching BTC [${'#'.repeat(15)}${'-'.repeat(15)}]  50% 1,000 candles`.padEnd(99)}`,
    );
    expect(writes.at(-2)).toContain(`[${'#'.repeat(30)}] 100% 1,000 candles`);
    expect(writes.at(-1)).toBe('\n');
    expect(writes.length).toBe(3);
  });
});

describe('command arguments', () => {
  it('parses weightings and times, refusing the rest', () => {
    expect(weightingArg('none')).toEqual({ kind: 'none' });
    expect(weightingArg('v2-year')).toEqual({ kind: 'v2-year' });
    expect(weightingArg('half-life:182.5')).toEqual({ kind: 'half-life', halfLifeDays: 182.5 });
    expect(() => weightingArg('half-life:0')).toThrow(/expected v2-year, none or half-life:DAYS/);
    expect(() => weightingArg('yearly')).toThrow();
    expect(timeArg('2025-07-20')).toBe(Date.UTC(2025, 6, 20));
    expect(timeArg('2025-07-20T16:30:00+02:00')).toBe(Date.UTC(2025, 6, 20, 14, 30));
    expect(() => timeArg('2025-07-20T16:30:00')).toThrow(/with Z or an offset/);
    expect(() => timeArg('yesterday')).toThrow();
  });
});

describe('what `history fetch` asks Coinbase for', () => {
  const MIN = 60_000;
  const report = (first: number | null, last: number | null, gaps: GapReport['gaps'] = []): GapReport => ({
    count: 0,
    first,
    last,
    sources: {},
    expected: 0,
    missing: 0,
    gapCount: gaps.length,
    gaps,
  });

  it('everything when nothing is stored; else the part before, long holes, and the part after', () => {
    expect(rangesToFetch(0, 1_000 * MIN, report(null, null))).toEqual([{ start: 0, end: 1_000 * MIN }]);
    const stored = report(100 * MIN, 800 * MIN, [
      { from: 200 * MIN, to: 200 * MIN, minutes: 1 }, // a minute without trades: not asked again
      { from: 300 * MIN, to: 419 * MIN, minutes: 120 }, // an interrupted run's hole
    ]);
    expect(rangesToFetch(0, 1_000 * MIN, stored)).toEqual([
      { start: 0, end: 100 * MIN },
      { start: 300 * MIN, end: 420 * MIN },
      { start: 801 * MIN, end: 1_000 * MIN },
    ]);
    expect(rangesToFetch(100 * MIN, 801 * MIN, report(100 * MIN, 800 * MIN))).toEqual([]);
  });
});
