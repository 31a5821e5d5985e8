import { describe, it, expect } from 'vitest';
import { OrderBook, OrderBookError } from './order-book.ts';

function sample() {
  return OrderBook.fromSnapshot({
    marketTicker: 'M',
    yesBids: [
      { price: 800, count: 300 },
      { price: 2_200, count: 333 },
    ],
    noBids: [
      { price: 5_400, count: 20 },
      { price: 5_600, count: 146 },
    ],
  });
}

describe('OrderBook', () => {
  it('derives asks from the other leg', () => {
    const book = sample();
    expect(book.top()).toEqual({
      yesBid: { price: 2_200, count: 333 },
      yesAsk: { price: 4_400, count: 146 },
      noBid: { price: 5_600, count: 146 },
      noAsk: { price: 7_800, count: 333 },
    });
  });

  it('applies deltas: new better level, removal of the best, partial reduction', () => {
    const book = sample();
    book.applyDelta('yes', 2_300, 10);
    expect(book.bestBid('yes')).toEqual({ price: 2_300, count: 10 });
    expect(book.bestAsk('no')).toEqual({ price: 7_700, count: 10 });
    book.applyDelta('yes', 2_300, -10);
    expect(book.bestBid('yes')).toEqual({ price: 2_200, count: 333 });
    book.applyDelta('no', 5_600, -146);
    expect(book.bestBid('no')).toEqual({ price: 5_400, count: 20 });
    book.applyDelta('no', 5_400, -5);
    expect(book.bestAsk('yes')).toEqual({ price: 4_600, count: 15 });
    expect(book.depth('yes')).toEqual([
      { price: 2_200, count: 333 },
      { price: 800, count: 300 },
    ]);
    expect(book.depth('yes', 1)).toEqual([{ price: 2_200, count: 333 }]);
    expect(book.levelCount('no')).toBe(1);
    expect(book.bidSizeAtOrAbove('yes', 800)).toBe(633);
  });

  it('an emptied side has no bid and the other leg no ask', () => {
    const book = sample();
    book.applyDelta('no', 5_400, -20);
    book.applyDelta('no', 5_600, -146);
    expect(book.bestBid('no')).toBeUndefined();
    expect(book.bestAsk('yes')).toBeUndefined();
    book.applyDelta('no', 100, 1);
    expect(book.bestAsk('yes')).toEqual({ price: 9_900, count: 1 });
  });

  it('refuses a level going negative (the book diverged) and impossible prices', () => {
    const book = sample();
    expect(() => book.applyDelta('yes', 2_200, -334)).toThrow(OrderBookError);
    expect(() => book.applyDelta('yes', 1_000, -1)).toThrow(/would hold -1/);
    expect(() => book.applyDelta('yes', 10_000, 1)).toThrow(/outside/);
    expect(() => book.applyDelta('yes', 0, 1)).toThrow(/outside/);
    expect(() => book.applyDelta('yes', 500, 0.5)).toThrow(/bad delta/);
    expect(book.bestBid('yes')).toEqual({ price: 2_200, count: 333 });
  });

  it('a snapshot replaces everything; bad snapshots throw', () => {
    const book = sample();
    book.applySnapshot([{ price: 100, count: 1 }], []);
    expect(book.snapshot()).toEqual({ marketTicker: 'M', yesBids: [{ price: 100, count: 1 }], noBids: [] });
    expect(() => book.applySnapshot([{ price: 100, count: 0 }], [])).toThrow(/bad size/);
    expect(() =>
      book.applySnapshot(
        [
          { price: 100, count: 1 },
          { price: 100, count: 2 },
        ],
        [],
      ),
    ).toThrow(/twice/);
  });

  it('agrees with a brute-force book over a random delta stream', () => {
    let seed = 42;
    const random = () => (seed = (seed * 1_103_515_245 + 12_345) % 2 ** 31) / 2 ** 31;
    const book = new OrderBook('R');
    const reference = { yes: new Map<number, number>(), no: new Map<number, number>() };
    for (let i = 0; i < 5_000; i++) {
      const side = random() < 0.5 ? 'yes' : 'no';
      const price = 100 * (1 + Math.floor(random() * 99));
      const current = reference[side].get(price) ?? 0;
      const delta =
        random() < 0.6 || current === 0 ? 1 + Math.floor(random() * 50) : -Math.ceil(random() * current);
      book.applyDelta(side, price, delta);
      const next = current + delta;
      if (next === 0) reference[side].delete(price);
      else reference[side].set(price, next);
      for (const s of ['yes', 'no'] as const) {
        const prices = [...reference[s].keys()];
        const best = prices.length === 0 ? undefined : Math.max(...prices);
        expect(book.bestBid(s)?.price).toBe(best);
      }
    }
  });
});
