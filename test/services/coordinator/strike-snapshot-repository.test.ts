import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { DatabaseHandle } from '../../../src/core/db/index.ts';
import { scoreModelVsMarket } from '../../../src/domain/calibration/index.ts';
import {
  insertStrikeSnapshots,
  readCalibrationObservations,
  settleStrikeSnapshots,
  strikeSnapshotCounts,
  type StrikeSnapshot,
} from '../../../src/storage/strike-snapshots/strike-snapshot-repository.ts';
import { ENGINES } from '../../storage/engines.ts';

const HOUR = 3_600_000;
const CLOSE = Date.UTC(2025, 6, 26, 21);

function snapshot(
  strike: number,
  offsetMinutes: number,
  overrides: Partial<StrikeSnapshot> = {},
): StrikeSnapshot {
  return {
    mode: 'paper',
    symbol: 'BTC',
    closeTimeMs: CLOSE,
    offsetMinutes,
    strike,
    eventTicker: 'KXBTCD-25JUL2617',
    ticker: `KXBTCD-25JUL2617-T${strike - 1}.99`,
    takenAtMs: CLOSE - offsetMinutes * 60_000,
    ttcSeconds: offsetMinutes * 60,
    price: 118_237.42,
    modelId: 'm1',
    settle: 'average60',
    momentumBucket: 4,
    modelYesPercent: strike < 118_237.42 ? 90 : 10,
    activeSide: strike < 118_237.42 ? 'yes' : 'no',
    yesBid: 4_000,
    yesAsk: 4_200,
    noBid: 5_800,
    noAsk: 6_000,
    volume: 1_500,
    ...overrides,
  };
}

for (const engine of ENGINES) {
  describe(`strike snapshots on ${engine.name}`, () => {
    let handle: DatabaseHandle;
    let close: () => Promise<void>;
    beforeAll(async () => {
      ({ handle, close } = await engine.open());
    });
    afterAll(async () => {
      await close?.();
    });

    it('stores snapshots once, settles them in integer cents, reads them back as observations', async () => {
      const rows = [snapshot(118_000, 5), snapshot(118_250, 5), snapshot(118_500, 5, { yesBid: null })];
      expect(await insertStrikeSnapshots(handle.db, rows)).toBe(3);
      // A repeat (a restarted coordinator) keeps the first snapshot.
      expect(await insertStrikeSnapshots(handle.db, [snapshot(118_000, 5, { modelYesPercent: 1 })])).toBe(0);
      expect(await insertStrikeSnapshots(handle.db, [snapshot(118_000, 1)])).toBe(1);
      // Other mode and symbol: separate series.
      await insertStrikeSnapshots(handle.db, [snapshot(118_000, 5, { mode: 'live' })]);
      await insertStrikeSnapshots(handle.db, [
        snapshot(3_760, 5, { symbol: 'ETH', ticker: 'KXETHD-25JUL2617-T3759.99' }),
      ]);
      expect(await strikeSnapshotCounts(handle.db, 'paper', 'BTC')).toEqual({ stored: 4, unsettled: 4 });

      // Average 118 249.99: YES needs > strike − 0.01, so 118 250 settles NO by one cent.
      const settled = await settleStrikeSnapshots(handle.db, {
        mode: 'paper',
        symbol: 'BTC',
        closeTimeMs: CLOSE,
        sumCents: 11_824_999 * 60,
        printCount: 60,
        settledAtMs: CLOSE + 2_000,
      });
      expect(settled).toBe(4);
      // Idempotent.
      expect(
        await settleStrikeSnapshots(handle.db, {
          mode: 'paper',
          symbol: 'BTC',
          closeTimeMs: CLOSE,
          sumCents: 1,
          printCount: 60,
          settledAtMs: CLOSE + 9_000,
        }),
      ).toBe(0);
      expect(await strikeSnapshotCounts(handle.db, 'paper', 'BTC')).toEqual({ stored: 4, unsettled: 0 });
      expect(await strikeSnapshotCounts(handle.db, 'live', 'BTC')).toEqual({ stored: 1, unsettled: 1 });

      const observations = await readCalibrationObservations(handle.db, { mode: 'paper', symbol: 'BTC' });
      expect(observations).toEqual([
        { closeTimeMs: CLOSE, offsetMinutes: 5, modelPercent: 90, marketPercent: 41, outcome: true },
        { closeTimeMs: CLOSE, offsetMinutes: 5, modelPercent: 10, marketPercent: 41, outcome: false },
        { closeTimeMs: CLOSE, offsetMinutes: 5, modelPercent: 10, marketPercent: null, outcome: false },
        { closeTimeMs: CLOSE, offsetMinutes: 1, modelPercent: 90, marketPercent: 41, outcome: true },
      ]);
      expect(
        await readCalibrationObservations(handle.db, { mode: 'paper', symbol: 'BTC', sinceMs: CLOSE + HOUR }),
      ).toEqual([]);
      const report = scoreModelVsMarket(observations, { minObservations: 1, minEvents: 1 });
      expect(report.observations).toBe(3);
      expect(report.model!.brier).toBeCloseTo((0.01 + 0.01 + 0.01) / 3, 12);
      expect(report.market!.brier).toBeCloseTo((0.59 ** 2 + 0.41 ** 2 + 0.59 ** 2) / 3, 12);
    });

    it('refuses a bad row with a message naming the field, storing nothing', async () => {
      await expect(
        insertStrikeSnapshots(handle.db, [snapshot(119_000, 5), snapshot(119_250, 5, { yesAsk: 10_000 })]),
      ).rejects.toThrow(/strike snapshot 1: yesAsk/);
      expect(await strikeSnapshotCounts(handle.db, 'paper', 'BTC')).toEqual({ stored: 4, unsettled: 0 });
    });
  });
}
