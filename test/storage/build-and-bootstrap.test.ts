import { mkdtempSync, readdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { DatabaseHandle } from '../../src/core/db/index.ts';
import { buildFingerprintGrid, validateGrid, type FingerprintGrid } from '../../src/domain/model/index.ts';
import { sliceCandleColumns, type CandleColumns } from '../../src/storage/candles/candle.ts';
import {
  readCloseSeries,
  summarizeSeries,
  upsertCandles,
} from '../../src/storage/candles/candle-repository.ts';
import { syntheticCandleChunks } from '../../src/storage/candles/synthetic-history.ts';
import { bootstrapJob, bootstrapModels, type BootstrapProgress } from '../../src/storage/models/bootstrap.ts';
import { writeCachedModel } from '../../src/storage/models/bootstrap-cache.ts';
import { runSyntheticModelJob } from '../../src/storage/models/synthetic-model-job.ts';
import { buildModelFromStore, modelSourceOf } from '../../src/storage/models/build-from-store.ts';
import { listModels, loadActiveModel, loadModel } from '../../src/storage/models/model-repository.ts';
import { ENGINES } from './engines.ts';

const START = Date.UTC(2025, 11, 30, 20, 0); // crosses a year boundary: v2-year weights differ by row
const MIN = 60_000;

function sameCells(a: FingerprintGrid, b: FingerprintGrid): boolean {
  return (
    Buffer.from(a.up.buffer).equals(Buffer.from(b.up.buffer)) &&
    Buffer.from(a.down.buffer).equals(Buffer.from(b.down.buffer))
  );
}

function history(minutes: number, seed: number): CandleColumns {
  return [
    ...syntheticCandleChunks({ symbol: 'BTC', startMs: START, minutes, seed, chunkMinutes: minutes }),
  ][0]!;
}

describe('fractional weights', () => {
  it('keep every cell a percent (pos and total are float sums in different orders)', () => {
    // 3 days of the simulator's BTC: with a 30-day half-life one cell summed to 100.00000000000001 %.
    const startMs = Date.UTC(2025, 6, 17);
    const [c] = [
      ...syntheticCandleChunks({ symbol: 'BTC', startMs, minutes: 4_320, seed: 11, chunkMinutes: 4_320 }),
    ];
    const grid = buildFingerprintGrid({
      closes: c!.closeCents.map((x) => x / 100),
      timestamps: c!.ts,
      symbol: 'BTC',
      modelId: 'weights',
      source: 'csv',
      builtAt: 0,
      weighting: { kind: 'half-life', halfLifeDays: 30 },
    });
    expect(() => validateGrid(grid)).not.toThrow();
    expect(grid.up.reduce((m, v) => Math.max(m, v), 0)).toBe(100);
  });
});

describe('modelSourceOf', () => {
  it('names a real series by its main source; live candles are Coinbase candles', () => {
    expect(modelSourceOf({ csv: 10, coinbase: 3 })).toBe('csv');
    expect(modelSourceOf({ csv: 5, coinbase: 3, live: 4 })).toBe('coinbase');
  });
});

for (const engine of ENGINES) {
  describe(`model build from stored candles on ${engine.name}`, () => {
    let handle: DatabaseHandle;
    let close: () => Promise<void>;
    beforeAll(async () => {
      ({ handle, close } = await engine.open());
    });
    afterAll(async () => {
      await close?.();
    });

    it('equals buildFingerprintGrid on the same closes and times, gap included', async () => {
      const candles = history(3_000, 5);
      // Store everything but minutes 1000…1099: the builder must not count across the hole.
      await upsertCandles(handle.db, 'BTC', 'csv', sliceCandleColumns(candles, 0, 1_000));
      await upsertCandles(handle.db, 'BTC', 'csv', sliceCandleColumns(candles, 1_100, 3_000));
      const closes: number[] = [];
      const timestamps: number[] = [];
      for (let i = 0; i < candles.length; i++) {
        if (i >= 1_000 && i < 1_100) continue;
        closes.push(candles.closeCents[i]! / 100);
        timestamps.push(candles.ts[i]!);
      }
      const phases = new Set<string>();
      const built = await buildModelFromStore(handle.db, {
        symbol: 'BTC',
        series: 'real',
        builtAt: START + 10 * 86_400_000,
        modelId: 'from-store',
        onProgress: (phase) => phases.add(phase),
      });
      const direct = buildFingerprintGrid({
        closes: Float64Array.from(closes),
        timestamps: Float64Array.from(timestamps),
        symbol: 'BTC',
        modelId: 'from-store',
        source: 'csv',
        builtAt: START + 10 * 86_400_000,
      });
      expect(built.meta).toEqual(direct.meta);
      expect(built.meta).toMatchObject({
        source: 'csv',
        synthetic: false,
        from: START,
        to: START + 2_999 * MIN,
      });
      expect(built.meta.weighting).toEqual({ kind: 'v2-year', latestYear: 2026 });
      expect(sameCells(built, direct)).toBe(true);
      expect([...phases]).toEqual(['read', 'build']);

      const ranged = await buildModelFromStore(handle.db, {
        symbol: 'BTC',
        series: 'real',
        from: START + 1_500 * MIN,
        to: START + 2_499 * MIN,
        weighting: { kind: 'none' },
        builtAt: 0,
      });
      expect(ranged.meta).toMatchObject({
        from: START + 1_500 * MIN,
        to: START + 2_499 * MIN,
        rowsUsed: 999,
      });
      expect(ranged.meta.modelId).toMatch(/^btc-csv-19700101-000000-[0-9a-f]{4}$/);
    });

    it('says what to do when the series is empty', async () => {
      await expect(
        buildModelFromStore(handle.db, { symbol: 'ETH', series: 'synthetic', builtAt: 0 }),
      ).rejects.toThrow(/no synthetic candles stored for ETH \(generate some with `recio history synth`\)/);
      await expect(
        buildModelFromStore(handle.db, {
          symbol: 'BTC',
          series: 'real',
          from: Date.UTC(2030, 0, 1),
          builtAt: 0,
        }),
      ).rejects.toThrow(/no real candles stored for BTC between 2030-01-01T00:00:00\.000Z and the end/);
    });

    it('bootstraps a synthetic model for each symbol without one, then leaves them alone', async () => {
      const progress: BootstrapProgress[] = [];
      const now = Date.UTC(2026, 0, 2, 12, 0, 42);
      // On PGlite the CPU part runs on a worker thread, as in the all-in-one process; on
      // PostgreSQL inline — the same job, so both must give the same model.
      const useWorker = engine.name === 'PGlite';
      const outcomes = await bootstrapModels({
        db: handle.db,
        symbols: ['ETH'],
        now: () => now,
        days: 1,
        seed: 9,
        useWorker,
        onProgress: (p) => progress.push(p),
      });
      expect(outcomes).toEqual([
        {
          symbol: 'ETH',
          status: 'built',
          modelId: expect.stringMatching(/^eth-synthetic-20260102-120042-/),
          activated: true,
        },
      ]);
      const grid = (await loadActiveModel(handle.db, 'ETH'))!;
      expect(grid.meta).toMatchObject({
        source: 'synthetic',
        synthetic: true,
        from: Date.UTC(2026, 0, 1, 12, 0),
        to: Date.UTC(2026, 0, 2, 11, 59),
        rowsUsed: 1_439,
        weighting: { kind: 'none' },
      });
      // The stored candles are the synthetic series, and the model is exactly their model.
      expect(await summarizeSeries(handle.db, { symbol: 'ETH', series: 'synthetic' })).toMatchObject({
        count: 1_440,
        sources: { synthetic: 1_440 },
      });
      const rebuilt = await buildModelFromStore(handle.db, {
        symbol: 'ETH',
        series: 'synthetic',
        weighting: { kind: 'none' },
        modelId: grid.meta.modelId,
        builtAt: now,
      });
      expect(sameCells(rebuilt, grid)).toBe(true);
      const series = await readCloseSeries(handle.db, { symbol: 'ETH', series: 'synthetic' });
      const expected = [
        ...syntheticCandleChunks({ symbol: 'ETH', startMs: grid.meta.from!, minutes: 1_440, seed: 9 }),
      ];
      expect(series.closes[1_439]).toBe(expected[0]!.closeCents[1_439]! / 100);

      // Progress: every phase in order (the model is saved before its history, so tables can start
      // sooner), fractions never going back, ending done at 1.
      const phases = [...new Set(progress.map((p) => p.phase))];
      expect(phases).toEqual(['synthesize', 'build', 'save', 'activated', 'store-candles', 'done']);
      for (let i = 1; i < progress.length; i++) {
        expect(progress[i]!.fraction).toBeGreaterThanOrEqual(progress[i - 1]!.fraction);
      }
      expect(progress.at(-1)).toMatchObject({ phase: 'done', fraction: 1 });

      const again = await bootstrapModels({ db: handle.db, symbols: ['ETH'], now: () => now, days: 1 });
      expect(again).toEqual([{ symbol: 'ETH', status: 'existing', modelId: grid.meta.modelId }]);
      expect((await listModels(handle.db, { symbol: 'ETH' })).length).toBe(1);
      expect((await loadModel(handle.db, grid.meta.modelId)).meta.modelId).toBe(grid.meta.modelId);
    });

    it('reports a failure per symbol instead of throwing, and stops when aborted', async () => {
      const failed = await bootstrapModels({
        db: handle.db,
        symbols: ['BTC'],
        now: () => Date.UTC(2026, 0, 1),
        days: 0.01, // 14 minutes: too short for a 60-minute model
        useWorker: false,
      });
      expect(failed).toEqual([
        {
          symbol: 'BTC',
          status: 'failed',
          error: expect.stringMatching(/contiguous run of at least 61 candles/),
        },
      ]);
      expect(await loadActiveModel(handle.db, 'BTC')).toBeUndefined();
      const abort = new AbortController();
      abort.abort();
      expect(
        await bootstrapModels({ db: handle.db, symbols: ['BTC'], now: () => 0, signal: abort.signal }),
      ).toEqual([{ symbol: 'BTC', status: 'aborted' }]);
    });
  });
}

describe('bootstrap of several symbols', () => {
  it('activates every model before it stores any history (the strike tables wait only for models)', async () => {
    const { handle, close } = await ENGINES.find((e) => e.name === 'PostgreSQL')!.open();
    try {
      const progress: BootstrapProgress[] = [];
      const outcomes = await bootstrapModels({
        db: handle.db,
        symbols: ['BTC', 'ETH'],
        now: () => Date.UTC(2026, 0, 2, 12, 0),
        days: 1,
        onProgress: (p) => progress.push(p),
      });
      expect(outcomes.map((o) => [o.symbol, o.status, o.activated])).toEqual([
        ['BTC', 'built', true],
        ['ETH', 'built', true],
      ]);
      const firstStore = progress.findIndex((p) => p.phase === 'store-candles');
      const activated = progress.flatMap((p, i) => (p.phase === 'activated' ? [[p.symbol, i] as const] : []));
      expect(activated.map(([symbol]) => symbol).sort()).toEqual(['BTC', 'ETH']);
      for (const [, index] of activated) expect(index).toBeLessThan(firstStore);
      for (const symbol of ['BTC', 'ETH'] as const) {
        expect((await summarizeSeries(handle.db, { symbol, series: 'synthetic' })).count).toBe(1_440);
        expect((await loadActiveModel(handle.db, symbol))?.meta.modelId).toBe(
          outcomes.find((o) => o.symbol === symbol)!.modelId,
        );
      }
    } finally {
      await close();
    }
  });
});

describe('bootstrap from the install-time model cache', () => {
  const NOW = Date.UTC(2026, 10, 24, 15, 4, 9);
  const JOB = { days: 1, seed: 9 } as const;

  /** A cache holding the ETH job's model as an install would have made it, earlier; `tamper` spoils a cell. */
  async function cacheWithModel(tamper = false): Promise<string> {
    const dir = mkdtempSync(join(tmpdir(), 'recio-model-cache-'));
    const job = bootstrapJob('ETH', Date.UTC(2026, 0, 2), JOB);
    const { grid } = await runSyntheticModelJob(job);
    if (tamper) grid.up[1_000] = grid.up[1_000] === 50 ? 51 : 50;
    await writeCachedModel(job, grid, dir);
    return dir;
  }

  it('activates the cached model before generating anything, then stores the history it checked it against', async () => {
    const { handle, close } = await ENGINES.find((e) => e.name === 'PostgreSQL')!.open();
    try {
      const progress: BootstrapProgress[] = [];
      const cacheDir = await cacheWithModel();
      const [outcome] = await bootstrapModels({
        db: handle.db,
        symbols: ['ETH'],
        now: () => NOW,
        ...JOB,
        cacheDir,
        onProgress: (p) => progress.push(p),
      });
      expect(outcome).toMatchObject({ symbol: 'ETH', status: 'built', activated: true });
      const phases = [...new Set(progress.map((p) => p.phase))];
      expect(phases).toEqual(['save', 'activated', 'synthesize', 'store-candles', 'done']);
      expect(progress.find((p) => p.phase === 'activated')!.message).toMatch(/from the install-time cache/);
      for (let i = 1; i < progress.length; i++) {
        expect(progress[i]!.fraction).toBeGreaterThanOrEqual(progress[i - 1]!.fraction);
      }
      // One model, exactly the one the job builds now, with its history stored.
      const models = await listModels(handle.db, { symbol: 'ETH' });
      expect(models.map((m) => m.modelId)).toEqual([outcome!.modelId]);
      const active = (await loadActiveModel(handle.db, 'ETH'))!;
      const fresh = (await runSyntheticModelJob(bootstrapJob('ETH', NOW, JOB))).grid;
      expect(sameCells(active, fresh)).toBe(true);
      expect(active.meta).toMatchObject({
        from: fresh.meta.from,
        to: fresh.meta.to,
        rowsUsed: fresh.meta.rowsUsed,
      });
      expect((await summarizeSeries(handle.db, { symbol: 'ETH', series: 'synthetic' })).count).toBe(1_440);
      // A short job is not the install's: the cache is read, never rewritten by it.
      expect(readdirSync(cacheDir)).toHaveLength(1);
    } finally {
      await close();
    }
  });

  it('replaces a cached model that differs from the one it builds', async () => {
    const { handle, close } = await ENGINES.find((e) => e.name === 'PostgreSQL')!.open();
    try {
      const progress: BootstrapProgress[] = [];
      const [outcome] = await bootstrapModels({
        db: handle.db,
        symbols: ['ETH'],
        now: () => NOW,
        ...JOB,
        cacheDir: await cacheWithModel(true),
        onProgress: (p) => progress.push(p),
      });
      const activated = progress.filter((p) => p.phase === 'activated');
      expect(activated.map((p) => p.message)).toEqual([
        expect.stringMatching(/from the install-time cache and activated/),
        expect.stringMatching(/rebuilt \(the cached model differed\) and activated/),
      ]);
      for (let i = 1; i < progress.length; i++) {
        expect(progress[i]!.fraction).toBeGreaterThanOrEqual(progress[i - 1]!.fraction);
      }
      const active = (await loadActiveModel(handle.db, 'ETH'))!;
      expect(active.meta.modelId).toBe(outcome!.modelId);
      const fresh = (await runSyntheticModelJob(bootstrapJob('ETH', NOW, JOB))).grid;
      expect(sameCells(active, fresh)).toBe(true);
      expect((await listModels(handle.db, { symbol: 'ETH' })).length).toBe(2); // the spoilt one, inactive
    } finally {
      await close();
    }
  });
});
