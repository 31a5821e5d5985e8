import { describe, it, expect } from 'vitest';
import { marketResult, priceToCents, settlementValue, settlesYes } from './settlement.ts';
import type { IndexPrint } from './settlement.ts';

const CLOSE = Date.UTC(2025, 7, 3, 20); // 16:00 ET

function window(prices: readonly number[], close = CLOSE): IndexPrint[] {
  return prices.map((price, i) => ({ timeMs: close - 60_000 + i * 1000, price }));
}

describe('settlement value', () => {
  it('averages the 60 prints of the minute before close and ignores prints outside it', () => {
    const prints = [
      { timeMs: CLOSE - 61_000, price: 1 }, // before the window
      ...window(Array.from({ length: 60 }, (_, i) => 114_700 + i)),
      { timeMs: CLOSE, price: 999_999 }, // the close second itself is outside
    ];
    const value = settlementValue(prints, CLOSE);
    expect(value).toEqual({
      status: 'ok',
      printCount: 60,
      sumCents: 60 * 11_470_000 + 100 * ((59 * 60) / 2),
      displayDollars: '114729.50',
    });
  });

  it('decides strictly above floor_strike, in integers', () => {
    // Mean exactly 114 749.99 = floor_strike of strike 114 750 → NO (not strictly above).
    const atFloor = settlementValue(window(Array(60).fill(114_749.99)), CLOSE);
    if (atFloor.status !== 'ok') throw new Error('expected ok');
    expect(marketResult(atFloor, 114_750)).toBe('no');
    // One print one cent higher lifts the mean by 1/60 cent: strictly above → YES.
    const prices = Array(60).fill(114_749.99);
    prices[17] = 114_750.0;
    const above = settlementValue(window(prices), CLOSE);
    if (above.status !== 'ok') throw new Error('expected ok');
    expect(marketResult(above, 114_750)).toBe('yes');
    expect(above.displayDollars).toBe('114749.99');
  });

  it('is not fooled by float sums (0.1 + 0.2 style prices)', () => {
    const prices = Array.from({ length: 60 }, (_, i) => (i % 2 === 0 ? 3_000.1 : 3_000.2));
    const value = settlementValue(window(prices), CLOSE);
    if (value.status !== 'ok') throw new Error('expected ok');
    expect(value.sumCents).toBe(30 * 300_010 + 30 * 300_020);
    expect(settlesYes(value.sumCents, 60, 3_000)).toBe(true); // 3000.15 > 2999.99
    expect(settlesYes(value.sumCents, 60, 3_001)).toBe(false); // 3000.15 < 3000.99
  });

  it('reports fewer than 60 prints explicitly, and settles on them only when allowed', () => {
    const prints = window(Array(59).fill(100_000));
    expect(settlementValue(prints, CLOSE)).toEqual({
      status: 'insufficient_prints',
      printCount: 59,
      required: 60,
    });
    const lenient = settlementValue(prints, CLOSE, { minPrints: 30 });
    expect(lenient).toMatchObject({ status: 'ok', printCount: 59, sumCents: 59 * 10_000_000 });
    expect(settlementValue([], CLOSE, { minPrints: 0 })).toMatchObject({
      status: 'insufficient_prints',
      printCount: 0,
    });
  });

  it('rejects two prints in one second and prices finer than a cent', () => {
    const dup = [...window([100, 101]), { timeMs: CLOSE - 60_000 + 500, price: 100 }];
    expect(() => settlementValue(dup, CLOSE)).toThrow(/two index prints/);
    expect(() => priceToCents(100.001)).toThrow(/2 decimals/);
    expect(priceToCents(114_749.99)).toBe(11_474_999);
  });
});
