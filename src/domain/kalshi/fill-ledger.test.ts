import { describe, expect, it } from 'vitest';
import { FillLedger, type LedgerFill } from './fill-ledger.ts';

const T = Date.UTC(2025, 7, 3, 19, 40);

function fill(id: number, overrides: Partial<LedgerFill> = {}): LedgerFill {
  return {
    fillId: `trade-${String(id).padStart(3, '0')}`,
    orderId: 'order-1',
    ticker: 'KXBTCD-25AUG0316-T115000',
    side: 'bid',
    count: 2,
    yesPriceCc: 5_600,
    isTaker: true,
    createdTime: T + id * 1_000,
    ...overrides,
  };
}

describe('FillLedger', () => {
  it('keeps each fill once, whichever source repeats it, oldest first', () => {
    const ledger = new FillLedger();
    expect(ledger.record(fill(2), 'ws')).toBe('new');
    expect(ledger.record(fill(2), 'ws')).toBe('duplicate');
    expect(ledger.record(fill(1), 'rest')).toBe('new');
    expect(ledger.record(fill(1), 'rest')).toBe('duplicate');
    expect(ledger.record(fill(2), 'rest')).toBe('confirmed');
    expect(ledger.record(fill(1), 'ws')).toBe('confirmed');
    expect(ledger.record(fill(2), 'ws')).toBe('duplicate');
    expect(ledger.size).toBe(2);
    expect(ledger.fills().map((f) => f.fillId)).toEqual(['trade-001', 'trade-002']);
    expect(ledger.contractsOf('order-1')).toBe(4);
    expect(ledger.isConsistent()).toBe(true);
  });

  it("takes REST's exact time, fee and client order id when it confirms a WebSocket fill", () => {
    const ledger = new FillLedger();
    const exact = fill(5, { createdTime: T + 5_437, feeCc: 200, clientOrderId: 'c-1' });
    ledger.record({ ...exact, createdTime: T + 5_000, feeCc: undefined, clientOrderId: undefined }, 'ws');
    expect(ledger.unconfirmed().map((e) => e.fillId)).toEqual(['trade-005']);
    ledger.record(exact, 'rest');
    expect(ledger.fills()).toEqual([exact]);
    expect(ledger.entries()[0]).toMatchObject({ seenOnWs: true, seenOnRest: true });
    expect(ledger.unconfirmed()).toEqual([]);
  });

  it('reports a fill id seen with different terms as a conflict and keeps the first version', () => {
    const ledger = new FillLedger();
    ledger.record(fill(1), 'ws');
    expect(ledger.record(fill(1, { count: 3 }), 'rest')).toBe('conflict');
    expect(ledger.record(fill(1, { feeCc: 100 }), 'rest')).toBe('confirmed'); // a fee the WS lacked is no conflict
    expect(ledger.record(fill(1, { feeCc: 200 }), 'rest')).toBe('conflict');
    expect(ledger.fills()).toEqual([{ ...fill(1), feeCc: 100 }]);
    expect(ledger.conflicts().map((c) => [c.fillId, c.received.count, c.received.feeCc])).toEqual([
      ['trade-001', 3, undefined],
      ['trade-001', 2, 200],
    ]);
    expect(ledger.isConsistent()).toBe(false);
  });

  it('finds orders short of fills from what their order records say they filled', () => {
    const ledger = new FillLedger();
    ledger.record(fill(1, { orderId: 'a', count: 2 }), 'rest');
    ledger.noteOrderFillCount('a', 5);
    ledger.noteOrderFillCount('a', 3); // an older answer never lowers it
    ledger.noteOrderFillCount('b', 0);
    expect(ledger.shortfalls()).toEqual([{ orderId: 'a', expected: 5, recorded: 2 }]);
    expect(ledger.isConsistent()).toBe(false);
    ledger.record(fill(2, { orderId: 'a', count: 3 }), 'ws');
    expect(ledger.shortfalls()).toEqual([]);
    expect(ledger.isConsistent()).toBe(false); // the WS fill still waits for REST
    ledger.record(fill(2, { orderId: 'a', count: 3 }), 'rest');
    expect(ledger.isConsistent()).toBe(true);
  });

  it('starts the next REST read early enough for lagging and unconfirmed fills', () => {
    const ledger = new FillLedger();
    const since = T - 60_000;
    expect(ledger.backfillFrom(since, 30_000)).toBe(since); // nothing known yet
    ledger.record(fill(100), 'ws');
    expect(ledger.backfillFrom(since, 30_000)).toBe(since); // nothing confirmed yet
    ledger.record(fill(100), 'rest');
    ledger.record(fill(200), 'rest');
    expect(ledger.backfillFrom(since, 30_000)).toBe(T + 200_000 - 30_000);
    ledger.record(fill(150), 'ws'); // REST has not shown it: read from it on
    expect(ledger.backfillFrom(since, 30_000)).toBe(T + 150_000);
    ledger.record(fill(150), 'rest');
    ledger.noteOrderFillCount('order-9', 1); // a fill of unknown time is missing: read everything
    expect(ledger.backfillFrom(since, 30_000)).toBe(since);
    expect(() => ledger.backfillFrom(since, -1)).toThrow(RangeError);
  });

  it('nets positions per market from the fills', () => {
    const ledger = new FillLedger();
    ledger.record(fill(1, { count: 5 }), 'rest');
    ledger.record(fill(2, { side: 'ask', count: 7 }), 'ws');
    ledger.record(fill(3, { ticker: 'OTHER', side: 'ask', count: 1 }), 'rest');
    expect(Object.fromEntries(ledger.netPositions())).toEqual({ 'KXBTCD-25AUG0316-T115000': -2, OTHER: -1 });
  });

  it('refuses counts that are not positive whole contracts', () => {
    const ledger = new FillLedger();
    expect(() => ledger.record(fill(1, { count: 0 }), 'ws')).toThrow(RangeError);
    expect(() => ledger.record(fill(1, { count: 1.5 }), 'ws')).toThrow(RangeError);
    expect(() => ledger.noteOrderFillCount('x', -1)).toThrow(RangeError);
  });
});
