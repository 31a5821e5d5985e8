import { describe, expect, it } from 'vitest';
import { compareBooks, type BidBook } from './book-drift.ts';

const lv = (price: number, count: number) => ({ price, count });

describe('compareBooks', () => {
  it('is empty for equal books, whatever the level order', () => {
    const a: BidBook = { yesBids: [lv(100, 1), lv(300, 2)], noBids: [lv(9_000, 5)] };
    const b: BidBook = { yesBids: [lv(300, 2), lv(100, 1)], noBids: [lv(9_000, 5)] };
    expect(compareBooks(a, b)).toEqual([]);
  });

  it('lists changed, missing and extra levels: YES first, best price first', () => {
    const ws: BidBook = { yesBids: [lv(100, 1), lv(300, 2), lv(500, 4)], noBids: [lv(9_000, 5), lv(200, 0)] };
    const rest: BidBook = {
      yesBids: [lv(300, 3), lv(100, 1), lv(400, 7)],
      noBids: [lv(9_000, 5), lv(8_000, 1)],
    };
    expect(compareBooks(ws, rest)).toEqual([
      { leg: 'yes', price: 500, wsCount: 4, restCount: 0 },
      { leg: 'yes', price: 400, wsCount: 0, restCount: 7 },
      { leg: 'yes', price: 300, wsCount: 2, restCount: 3 },
      { leg: 'no', price: 8_000, wsCount: 0, restCount: 1 },
    ]);
  });

  it('compares a depth-limited REST leg only down to its worst listed price', () => {
    const ws: BidBook = {
      yesBids: [lv(500, 1), lv(400, 1), lv(300, 1), lv(200, 9)],
      noBids: [lv(100, 1), lv(50, 2)],
    };
    const rest: BidBook = { yesBids: [lv(500, 1), lv(400, 2)], noBids: [lv(100, 1)] };
    // YES: REST gave 2 of 2 levels → only prices ≥ 400 are compared (300 and 200 are beyond its view).
    // NO: REST gave 1 level but depth 2 means the leg is complete → 50 is missing from REST.
    expect(compareBooks(ws, rest, { restDepth: 2 })).toEqual([
      { leg: 'yes', price: 400, wsCount: 1, restCount: 2 },
      { leg: 'no', price: 50, wsCount: 2, restCount: 0 },
    ]);
    // Without the depth the same books differ at every unseen level.
    expect(compareBooks(ws, rest)).toHaveLength(4);
  });

  it('refuses a price listed twice or a bad depth', () => {
    const book: BidBook = { yesBids: [lv(1, 1), lv(1, 2)], noBids: [] };
    expect(() => compareBooks(book, { yesBids: [], noBids: [] })).toThrow(/ws yes: price 1 listed twice/);
    expect(() => compareBooks(book, book, { restDepth: 0 })).toThrow(/restDepth/);
  });
});
