import { describe, expect, it } from 'vitest';
import { expectedEvents, isRolloverDue, selectCurrentAndNext } from './event-selection.ts';

const H = 3_600_000;
const C16 = Date.UTC(2025, 7, 3, 20, 0, 0); // 16:00 EDT
const events = [
  { eventTicker: 'KXBTCD-25AUG0317', closeTimeMs: C16 + H },
  { eventTicker: 'KXBTCD-25AUG0315', closeTimeMs: C16 - H },
  { eventTicker: 'KXBTCD-25AUG0316', closeTimeMs: C16 },
  { eventTicker: 'KXBTCD-25AUG0318', closeTimeMs: C16 + 2 * H },
];

describe('event selection', () => {
  it('picks the nearest close after now as current and the one after as next', () => {
    const { current, next } = selectCurrentAndNext(events, C16 - 30 * 60_000);
    expect(current?.eventTicker).toBe('KXBTCD-25AUG0316');
    expect(next?.eventTicker).toBe('KXBTCD-25AUG0317');
  });

  it('rolls over at the close instant: at now = close the next event is current', () => {
    expect(selectCurrentAndNext(events, C16 - 1).current?.eventTicker).toBe('KXBTCD-25AUG0316');
    expect(isRolloverDue(events[2]!, C16 - 1)).toBe(false);
    expect(isRolloverDue(events[2]!, C16)).toBe(true);
    const atClose = selectCurrentAndNext(events, C16);
    expect(atClose.current?.eventTicker).toBe('KXBTCD-25AUG0317');
    expect(atClose.next?.eventTicker).toBe('KXBTCD-25AUG0318');
  });

  it('returns undefined where nothing is listed yet, keeping the caller’s own type', () => {
    const listed = [{ eventTicker: 'KXETHD-25AUG0316', closeTimeMs: C16, markets: 75 }];
    const selection = selectCurrentAndNext(listed, C16 - 1);
    expect(selection.current?.markets).toBe(75);
    expect(selection.next).toBeUndefined();
    expect(selectCurrentAndNext(listed, C16)).toEqual({ current: undefined, next: undefined });
  });

  it('counts a ticker listed twice once and breaks close-time ties by ticker', () => {
    const dup = [events[2]!, events[2]!, events[0]!, { eventTicker: 'KXBTCD-ZZZ', closeTimeMs: C16 }];
    const { current, next } = selectCurrentAndNext(dup, C16 - 5);
    expect(current?.eventTicker).toBe('KXBTCD-25AUG0316');
    expect(next?.eventTicker).toBe('KXBTCD-25AUG0317');
  });

  it('predicts the current and next tickers from the schedule', () => {
    expect(expectedEvents('BTC', C16 - 10 * 60_000)).toEqual({
      current: { eventTicker: 'KXBTCD-25AUG0316', closeTimeMs: C16 },
      next: { eventTicker: 'KXBTCD-25AUG0317', closeTimeMs: C16 + H },
    });
    // At the close itself the prediction has already rolled over.
    expect(expectedEvents('ETH', C16).current.eventTicker).toBe('KXETHD-25AUG0317');
  });

  it('skips the repeated New York hour when daylight saving ends', () => {
    // 2025-11-02: 01:00 EDT = 05:00Z, 01:00 EST = 06:00Z (same ticker; only the first is an event).
    const firstOne = Date.UTC(2025, 10, 2, 5, 0, 0);
    expect(expectedEvents('BTC', firstOne - 60_000)).toEqual({
      current: { eventTicker: 'KXBTCD-25NOV0201', closeTimeMs: firstOne },
      next: { eventTicker: 'KXBTCD-25NOV0202', closeTimeMs: firstOne + 2 * H },
    });
  });
});
