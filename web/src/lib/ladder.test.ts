import { describe, expect, it } from 'vitest';
import type { StrikeRow } from '../live/protocol.ts';
import { diffTone, momentumArrows, probabilityBand, quoteCell, selectLadder } from './ladder.ts';

function row(strike: number, price: number, extra: Partial<StrikeRow> = {}): StrikeRow {
  const side = strike < price ? 'yes' : 'no';
  return {
    strike,
    buffer: Math.abs(price - strike),
    buffer_pct: (Math.abs(price - strike) / price) * 100,
    probability: 60,
    yes_bid: 40,
    yes_ask: 42,
    no_bid: 57,
    no_ask: 60,
    yes_diff: 0.5,
    no_diff: -1.25,
    volume: 1200,
    ticker: `KXBTCD-T${strike}`,
    active_side: side,
    ...extra,
  };
}

/** The coordinator's 21 strikes, 250 apart, around `price`. */
function table(price: number, first: number, count = 21): StrikeRow[] {
  return Array.from({ length: count }, (_, i) => row(first + i * 250, price));
}

describe('selectLadder', () => {
  it('takes the 7 strikes nearest the price on each side, highest first', () => {
    const price = 118_237.42;
    const { above, below } = selectLadder(table(price, 115_750), price);
    expect(above.map((r) => r.strike)).toEqual([
      119_750, 119_500, 119_250, 119_000, 118_750, 118_500, 118_250,
    ]);
    expect(below.map((r) => r.strike)).toEqual([
      118_000, 117_750, 117_500, 117_250, 117_000, 116_750, 116_500,
    ]);
  });

  it('counts a strike equal to the price as above', () => {
    const { above, below } = selectLadder(table(118_250, 115_750), 118_250);
    expect(above.at(-1)!.strike).toBe(118_250);
    expect(below[0]!.strike).toBe(118_000);
  });

  it('sorts unsorted input and shows fewer rows at an edge of the table', () => {
    const rows = table(116_000, 115_750).reverse();
    const { above, below } = selectLadder(rows, 116_000);
    expect(below.map((r) => r.strike)).toEqual([115_750]);
    expect(above).toHaveLength(7);
    expect(above.at(-1)!.strike).toBe(116_000);
    expect(selectLadder([], 100)).toEqual({ above: [], below: [] });
    expect(selectLadder(table(200_000, 115_750), 200_000).above).toEqual([]);
  });
});

describe('probabilityBand', () => {
  it('colours by ≥ 98, ≥ 95, ≥ 80, below', () => {
    expect([100, 98, 97.99, 95, 94.99, 80, 79.99, 0].map(probabilityBand)).toEqual([
      'p98',
      'p98',
      'p95',
      'p95',
      'p80',
      'p80',
      'plow',
      'plow',
    ]);
  });
});

describe('momentumArrows', () => {
  it('0–3 arrows by |score| < 5 / < 10 / < 20 / ≥ 20, pointing with the sign', () => {
    expect(momentumArrows(null)).toEqual({ count: 0, direction: 'flat' });
    expect(momentumArrows(4)).toEqual({ count: 0, direction: 'flat' });
    expect(momentumArrows(-4)).toEqual({ count: 0, direction: 'flat' });
    expect(momentumArrows(5)).toEqual({ count: 1, direction: 'up' });
    expect(momentumArrows(-9)).toEqual({ count: 1, direction: 'down' });
    expect(momentumArrows(10)).toEqual({ count: 2, direction: 'up' });
    expect(momentumArrows(-19)).toEqual({ count: 2, direction: 'down' });
    expect(momentumArrows(20)).toEqual({ count: 3, direction: 'up' });
    expect(momentumArrows(-250)).toEqual({ count: 3, direction: 'down' });
  });
});

describe('quoteCell (the ± toggle)', () => {
  // model.md's example: strike 118 500 at 118 237.42, NO active at 90.13, asks YES 9 / NO 92.
  const r = row(118_500, 118_237.42, {
    probability: 90.13,
    yes_ask: 9,
    no_ask: 92,
    yes_diff: 0.87,
    no_diff: -1.87,
  });

  it('shows the ask by default, the diff with the toggle', () => {
    expect(quoteCell(r, 'yes', false)).toEqual({ kind: 'ask', text: '9', tone: 'none', active: false });
    expect(quoteCell(r, 'no', false)).toEqual({ kind: 'ask', text: '92', tone: 'none', active: true });
    expect(quoteCell(r, 'yes', true)).toEqual({ kind: 'diff', text: '+0.87', tone: 'pos', active: false });
    expect(quoteCell(r, 'no', true)).toEqual({ kind: 'diff', text: '\u22121.87', tone: 'neg', active: true });
  });

  it('shows a dash for an empty book side, in either mode', () => {
    const empty = { ...r, no_ask: null, no_diff: null };
    expect(quoteCell(empty, 'no', false).text).toBe('—');
    expect(quoteCell(empty, 'no', true)).toMatchObject({ text: '—', tone: 'none' });
  });

  it('calls a diff that rounds to 0.00 zero', () => {
    expect(diffTone(0.004)).toBe('zero');
    expect(diffTone(-0.004)).toBe('zero');
    expect(diffTone(0.005)).toBe('pos');
    expect(diffTone(null)).toBe('none');
  });
});
