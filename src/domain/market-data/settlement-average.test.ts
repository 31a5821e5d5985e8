import { describe, expect, it } from 'vitest';
import { settlementValue, settlesYes, type IndexPrint } from '../kalshi/settlement.ts';
import { SettlementAverageTracker, summarizeSettlement } from './settlement-average.ts';

const CLOSE = Date.UTC(2025, 6, 26, 19, 0, 0);
const WINDOW_START = CLOSE - 60_000;
const S = 1_000;

/** 60 prints of the settlement minute: $114 780.00 + i·$0.37, stamped mid-second. */
function windowPrints(): IndexPrint[] {
  return Array.from({ length: 60 }, (_, i) => ({
    timeMs: WINDOW_START + i * S + 420,
    price: Math.round((114_780 + i * 0.37) * 100) / 100,
  }));
}

describe('SettlementAverageTracker', () => {
  it('keeps the running average inside the last minute and publishes at close exactly settlementValue', () => {
    const tracker = new SettlementAverageTracker();
    expect(tracker.addPrint({ timeMs: WINDOW_START - S, price: 114_000 })).toEqual({
      kind: 'outside_window',
      finalized: [],
    });
    expect(tracker.state()).toMatchObject({
      value: 114_000,
      window: { closeTimeMs: CLOSE, inWindow: false, secondsCovered: 0, runningAverage: null },
    });

    const prints = windowPrints();
    let sumCents = 0;
    prints.forEach((print, i) => {
      expect(tracker.addPrint(print)).toEqual({ kind: 'in_window', replaced: false, finalized: [] });
      sumCents += Math.round(print.price * 100);
      const state = tracker.state()!;
      expect(state.window).toMatchObject({ inWindow: true, secondsCovered: i + 1, sumCents });
      expect(state.window.runningAverage).toBeCloseTo(sumCents / (i + 1) / 100, 9);
      expect(state.valueAtMs).toBe(WINDOW_START + i * S);
    });
    // Mean of 114 780.00 + 0.37·i for i = 0…59 = 114 780 + 0.37·29.5 = 114 790.915 → "114790.92" (half up).
    expect(tracker.state()!.window.runningAverageDisplay).toBe('114790.92');

    const { finalized } = tracker.addPrint({ timeMs: CLOSE + 300, price: 114_800 }) as {
      finalized: unknown[];
    };
    const expected = settlementValue(prints, CLOSE);
    expect(expected).toEqual({
      status: 'ok',
      printCount: 60,
      sumCents: 688_745_490,
      displayDollars: '114790.92',
    });
    expect(finalized).toEqual([{ closeTimeMs: CLOSE, value: expected, averageDollars: 114_790.915 }]);
    expect(tracker.lastSettlement).toEqual(finalized[0]);
    // The published integers decide strikes exactly: 114 790.915 is above 114 789.99, not above 114 790.99.
    const last = tracker.lastSettlement!.value as { sumCents: number; printCount: number };
    expect(settlesYes(last.sumCents, last.printCount, 114_790)).toBe(true);
    expect(settlesYes(last.sumCents, last.printCount, 114_791)).toBe(false);
    const window = tracker.state()!.window;
    expect(window).toMatchObject({ closeTimeMs: CLOSE + 3_600_000, secondsCovered: 0, inWindow: false });
  });

  it('finalizes on the clock when no print arrives after close, once', () => {
    const tracker = new SettlementAverageTracker({ finalizeDelayMs: 2_000 });
    for (const print of windowPrints()) tracker.addPrint(print);
    expect(tracker.finalizeDue(CLOSE + 1_999)).toBeUndefined();
    const result = tracker.finalizeDue(CLOSE + 2_000);
    expect(result).toEqual({
      closeTimeMs: CLOSE,
      value: settlementValue(windowPrints(), CLOSE),
      averageDollars: 114_790.915,
    });
    expect(tracker.finalizeDue(CLOSE + 5_000)).toBeUndefined();
    // A straggler of the finalized minute changes nothing.
    expect(tracker.addPrint({ timeMs: CLOSE - 500, price: 1 })).toEqual({ kind: 'late' });
    expect(tracker.latePrints).toBe(1);
  });

  it('replaces a corrected print of the same second and counts the seconds once', () => {
    const tracker = new SettlementAverageTracker({ minPrints: 2 });
    tracker.addPrint({ timeMs: WINDOW_START + 10 * S, price: 100 });
    expect(tracker.addPrint({ timeMs: WINDOW_START + 10 * S + 999, price: 102 })).toMatchObject({
      replaced: true,
    });
    tracker.addPrint({ timeMs: WINDOW_START + 11 * S, price: 104 });
    expect(tracker.state()!.window).toMatchObject({
      secondsCovered: 2,
      sumCents: 20_600,
      runningAverage: 103,
    });
    expect(tracker.replacedPrints).toBe(1);
    const result = tracker.finalizeDue(CLOSE + 2_000)!;
    expect(result.value).toEqual({ status: 'ok', printCount: 2, sumCents: 20_600, displayDollars: '103.00' });
  });

  it('reports an incomplete minute as settlementValue does (insufficient prints)', () => {
    const tracker = new SettlementAverageTracker();
    const prints = windowPrints().filter((_, i) => i % 2 === 0);
    for (const print of prints) tracker.addPrint(print);
    expect(tracker.state()!.window.secondsCovered).toBe(30);
    const result = tracker.finalizeDue(CLOSE + 60_000)!;
    expect(result.value).toEqual({ status: 'insufficient_prints', printCount: 30, required: 60 });
    expect(result.averageDollars).toBeNull();
    expect(summarizeSettlement(result)).toEqual({
      closeTimeMs: CLOSE,
      status: 'insufficient_prints',
      printCount: 30,
      sumCents: null,
      average: null,
      display: null,
    });
  });

  it('summarizes a complete window for publication', () => {
    const tracker = new SettlementAverageTracker();
    for (const print of windowPrints()) tracker.addPrint(print);
    expect(summarizeSettlement(tracker.finalizeDue(CLOSE + 2_000)!)).toEqual({
      closeTimeMs: CLOSE,
      status: 'ok',
      printCount: 60,
      sumCents: 688_745_490,
      average: 114_790.915,
      display: '114790.92',
    });
  });

  it('puts the print stamped exactly at close into the next hour', () => {
    const tracker = new SettlementAverageTracker({ minPrints: 1 });
    tracker.addPrint({ timeMs: CLOSE - S, price: 10 });
    const outcome = tracker.addPrint({ timeMs: CLOSE, price: 20 });
    expect(outcome).toMatchObject({ kind: 'outside_window' });
    expect(outcome.kind !== 'late' && outcome.finalized[0]?.value).toMatchObject({
      printCount: 1,
      sumCents: 1_000,
    });
  });

  it('produces no result for an hour whose window saw no print', () => {
    const tracker = new SettlementAverageTracker();
    tracker.addPrint({ timeMs: WINDOW_START - 10 * S, price: 10 });
    expect(tracker.finalizeDue(CLOSE + 10_000)).toBeUndefined();
    expect(tracker.addPrint({ timeMs: CLOSE + S, price: 10 })).toEqual({
      kind: 'outside_window',
      finalized: [],
    });
  });

  it('rejects sub-cent prices and bad options', () => {
    const tracker = new SettlementAverageTracker();
    expect(() => tracker.addPrint({ timeMs: WINDOW_START, price: 1.005 })).toThrow(/2 decimals/);
    expect(() => new SettlementAverageTracker({ minPrints: 61 })).toThrow(/minPrints/);
  });
});
