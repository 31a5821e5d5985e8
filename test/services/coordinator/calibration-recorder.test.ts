import { describe, expect, it } from 'vitest';
import type { StrikesMessage } from '../../../src/core/bus/strikes-topics.ts';
import {
  CalibrationRecorder,
  snapshotRows,
  type SnapshotStore,
} from '../../../src/services/unified_production_coordinator/calibration-recorder.ts';
import type {
  SettlementInput,
  StrikeSnapshot,
} from '../../../src/storage/strike-snapshots/strike-snapshot-repository.ts';
import { CLOSE, indexMessage, settlementOf } from './fixtures.ts';

function table(ttcSeconds: number, symbol: 'BTC' | 'ETH' = 'BTC', closeTimeMs = CLOSE): StrikesMessage {
  const row = (strike: number, side: 'yes' | 'no', probability: number) => ({
    strike,
    buffer: 0,
    buffer_pct: 0,
    probability,
    yes_bid: 55.5,
    yes_ask: 57,
    no_bid: 43,
    no_ask: 44.5,
    yes_diff: 1,
    no_diff: -1,
    volume: 3_000,
    ticker: `T-${strike}`,
    active_side: side,
  });
  return {
    symbol,
    seq: 1,
    at: closeTimeMs - ttcSeconds * 1000,
    closeTimeMs,
    model: { id: 'm1', source: 'synthetic', synthetic: true },
    inputs: { priceAtMs: 0, marketAtMs: 0, indexAtMs: null },
    table: {
      symbol,
      price: 118_237.42,
      ttc_seconds: ttcSeconds,
      event_ticker: 'KXBTCD-25JUL2617',
      market_title: 'BTC price today at 5pm?',
      strike_tier: 250,
      momentum_score: 4,
      momentum_bucket: 4,
      model_id: 'm1',
      settle: 'average60',
      seq: 1,
      rows: [row(118_000, 'yes', 80), row(118_500, 'no', 70)],
    },
    watchlist: [],
  };
}

class FakeStore implements SnapshotStore {
  inserts: StrikeSnapshot[][] = [];
  settles: SettlementInput[] = [];
  failNext = false;
  async insert(rows: StrikeSnapshot[]) {
    if (this.failNext) {
      this.failNext = false;
      throw new Error('database gone');
    }
    this.inserts.push(rows);
    return rows.length;
  }
  async settle(input: SettlementInput) {
    this.settles.push(input);
    return 7;
  }
}

describe('snapshotRows', () => {
  it('stores P(YES) and the quotes in centi-cents', () => {
    const rows = snapshotRows(table(300), 'paper', 5);
    expect(rows[0]).toEqual({
      mode: 'paper',
      symbol: 'BTC',
      closeTimeMs: CLOSE,
      offsetMinutes: 5,
      strike: 118_000,
      eventTicker: 'KXBTCD-25JUL2617',
      ticker: 'T-118000',
      takenAtMs: CLOSE - 300_000,
      ttcSeconds: 300,
      price: 118_237.42,
      modelId: 'm1',
      settle: 'average60',
      momentumBucket: 4,
      modelYesPercent: 80,
      activeSide: 'yes',
      yesBid: 5_550,
      yesAsk: 5_700,
      noBid: 4_300,
      noAsk: 4_450,
      volume: 3_000,
    });
    expect(rows[1]).toMatchObject({ strike: 118_500, activeSide: 'no', modelYesPercent: 30 });
  });
});

describe('CalibrationRecorder', () => {
  const options = { mode: 'paper' as const, offsetsMinutes: [15, 10, 5, 2, 1], toleranceSeconds: 15 };

  it('stores the first table inside each offset window once, and none outside', async () => {
    const store = new FakeStore();
    const recorder = new CalibrationRecorder(store, options, () => {});
    // A coordinator that started 7 minutes before the close: no "10" (it would really be a 7).
    for (let ttc = 420; ttc >= 0; ttc -= 0.5) recorder.onTable(table(ttc));
    await recorder.idle();
    expect(store.inserts.map((rows) => [rows[0]!.offsetMinutes, rows[0]!.ttcSeconds])).toEqual([
      [5, 300],
      [2, 120],
      [1, 60],
    ]);
    // A table 20 s late for its offset is outside the 15-s tolerance.
    const late = new FakeStore();
    const r2 = new CalibrationRecorder(late, options, () => {});
    r2.onTable(table(280));
    r2.onTable(table(100));
    r2.onTable(table(59));
    await r2.idle();
    expect(late.inserts.map((rows) => rows[0]!.offsetMinutes)).toEqual([1]);
  });

  it('keeps symbols and hours apart', async () => {
    const store = new FakeStore();
    const recorder = new CalibrationRecorder(store, options, () => {});
    recorder.onTable(table(300, 'BTC'));
    recorder.onTable(table(300, 'ETH'));
    recorder.onTable(table(300, 'BTC', CLOSE + 3_600_000));
    recorder.onTable(table(299, 'BTC'));
    await recorder.idle();
    expect(store.inserts.map((rows) => `${rows[0]!.symbol} ${rows[0]!.closeTimeMs - CLOSE}`)).toEqual([
      'BTC 0',
      'ETH 0',
      'BTC 3600000',
    ]);
  });

  it('settles an hour once from the index settlement, ignoring insufficient windows', async () => {
    const store = new FakeStore();
    const recorder = new CalibrationRecorder(store, options, () => {});
    recorder.onTable(table(60));
    const settlement = settlementOf(CLOSE, 118_250.5);
    recorder.onIndex(
      indexMessage({
        value: 118_300,
        at: CLOSE + 2_000,
        windowCloseTimeMs: CLOSE + 3_600_000,
        lastSettlement: settlement,
      }),
    );
    recorder.onIndex(
      indexMessage({
        value: 118_301,
        at: CLOSE + 3_000,
        windowCloseTimeMs: CLOSE + 3_600_000,
        lastSettlement: settlement,
      }),
    );
    recorder.onIndex(
      indexMessage({
        value: 118_301,
        at: CLOSE + 3_000,
        lastSettlement: {
          ...settlement!,
          closeTimeMs: CLOSE - 3_600_000,
          status: 'insufficient_prints',
          sumCents: null,
          average: null,
          display: null,
          printCount: 12,
        },
      }),
    );
    recorder.onIndex(indexMessage({ value: 118_301, at: CLOSE + 3_000 }));
    await recorder.idle();
    expect(store.inserts).toHaveLength(1);
    expect(store.settles).toEqual([
      {
        mode: 'paper',
        symbol: 'BTC',
        closeTimeMs: CLOSE,
        sumCents: 11_825_050 * 60,
        printCount: 60,
        settledAtMs: CLOSE + 2_000,
      },
    ]);
    expect(recorder.stats).toEqual({ snapshotsStored: 1, rowsSettled: 7, hoursSettled: 1, lastError: null });
  });

  it('reports a failed write and carries on with the next one', async () => {
    const store = new FakeStore();
    const errors: unknown[] = [];
    const recorder = new CalibrationRecorder(store, options, (e) => errors.push(e));
    store.failNext = true;
    recorder.onTable(table(300));
    await recorder.idle();
    expect(recorder.stats.lastError).toBe('database gone');
    expect(errors).toHaveLength(1);
    recorder.onTable(table(120));
    await recorder.idle();
    expect(store.inserts.map((rows) => rows[0]!.offsetMinutes)).toEqual([2]);
    expect(recorder.stats.lastError).toBeNull();
  });
});
