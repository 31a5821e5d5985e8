import { describe, it, expect } from 'vitest';
import { fillFee, makerFee, takerFee, MAKER_FEE_BPS } from './fees.ts';

describe('taker fee per fill', () => {
  it('matches the documented examples', () => {
    expect(takerFee(1, 5_000)).toBe(200); // 1 @ $0.50 → $0.02
    expect(takerFee(200, 9_600)).toBe(5_400); // 200 NO @ $0.96 → $0.54
  });

  it('rounds up to the next cent', () => {
    expect(takerFee(10, 3_000)).toBe(1_500); // 0.147 → $0.15
    expect(takerFee(100, 100)).toBe(700); // 0.0693 → $0.07
    expect(takerFee(1, 100)).toBe(100); // 0.000693 → $0.01
    expect(takerFee(100, 5_000)).toBe(17_500); // exactly $1.75: no rounding
  });

  it('is symmetric in P and 1 − P (YES and NO buyers pay the same)', () => {
    for (const price of [100, 1_700, 4_200, 5_000, 8_300, 9_900]) {
      expect(takerFee(37, price)).toBe(takerFee(37, 10_000 - price));
    }
  });

  it('charges nothing for zero contracts or a certain price', () => {
    expect(takerFee(0, 5_000)).toBe(0);
    expect(takerFee(10, 0)).toBe(0);
    expect(takerFee(10, 10_000)).toBe(0);
  });

  it('stays exact beyond the safe-integer range of the product', () => {
    expect(takerFee(1_000_000, 5_000)).toBe(175_000_000); // $17 500 exactly
    expect(takerFee(1_000_001, 5_000)).toBe(175_000_200); // $17 500.0175 → $17 500.02
  });

  it('agrees with a float reference within rounding for many fills', () => {
    for (let count = 1; count <= 300; count += 7) {
      for (let cents = 1; cents <= 99; cents += 3) {
        const exactDollars = 0.07 * count * (cents / 100) * (1 - cents / 100);
        const fee = takerFee(count, cents * 100);
        expect(fee % 100).toBe(0);
        expect(fee / 10_000).toBeGreaterThanOrEqual(exactDollars - 1e-9);
        expect(fee / 10_000).toBeLessThan(exactDollars + 0.01 + 1e-9);
      }
    }
  });

  it('rejects non-integer inputs', () => {
    expect(() => takerFee(1.5, 5_000)).toThrow(/count/);
    expect(() => takerFee(1, 50.5)).toThrow(/price/);
    expect(() => takerFee(1, 10_001)).toThrow(/price/);
    expect(() => fillFee(1, 5_000, { coefficientBps: 0.5 })).toThrow(/coefficient/);
  });
});

describe('maker fee', () => {
  it('uses the 0.0175 coefficient', () => {
    expect(MAKER_FEE_BPS).toBe(175);
    expect(makerFee(1, 5_000)).toBe(100); // 0.004375 → $0.01
    expect(makerFee(100, 5_000)).toBe(4_400); // 0.4375 → $0.44
    expect(fillFee(100, 5_000, { coefficientBps: 0 })).toBe(0);
  });
});
