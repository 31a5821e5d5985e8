import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { DatabaseHandle } from '../../src/core/db/index.ts';
import {
  CELL_COUNT,
  FingerprintGridError,
  gridFromFunction,
  type FingerprintGrid,
  type FingerprintMeta,
} from '../../src/domain/model/index.ts';
import {
  activateModel,
  activeModelSummary,
  getModelSummary,
  listModels,
  loadActiveModel,
  loadModel,
  ModelNotFoundError,
  ModelStoreError,
  saveModel,
} from '../../src/storage/models/model-repository.ts';
import { ENGINES } from './engines.ts';

const T0 = Date.UTC(2025, 6, 20);

function meta(modelId: string, overrides: Partial<FingerprintMeta> = {}): FingerprintMeta {
  return {
    modelId,
    symbol: 'BTC',
    source: 'synthetic',
    synthetic: true,
    from: T0 - 86_400_000,
    to: T0,
    rowsUsed: 1_440,
    builtAt: T0 + 1_000,
    weighting: { kind: 'half-life', halfLifeDays: 30, asOf: T0 },
    tableRows: Array.from({ length: 62 }, (_, i) => i),
    rowsFilledFromBaseline: 3,
    ...overrides,
  };
}

/** Cells that differ everywhere, with values no float32 or rounding would keep (1/3, 1/7 …). */
function grid(modelId: string, overrides: Partial<FingerprintMeta> = {}): FingerprintGrid {
  return gridFromFunction(meta(modelId, overrides), (table, minute, x) => ({
    up: 100 / (1 + table + minute / 3 + x * 7),
    down: 100 / (2 + table / 7 + minute + x),
  }));
}

async function modelRows(handle: DatabaseHandle): Promise<{ models: number; grids: number }> {
  const row = await sql<{ models: number; grids: number }>`
    select (select count(*)::int from model.models) as models, (select count(*)::int from model.model_grids) as grids
  `.execute(handle.db);
  return row.rows[0]!;
}

for (const engine of ENGINES) {
  describe(`model storage on ${engine.name}`, () => {
    let handle: DatabaseHandle;
    let close: () => Promise<void>;
    beforeAll(async () => {
      ({ handle, close } = await engine.open());
    });
    afterAll(async () => {
      await close?.();
    });

    it('saves a grid and loads back the same metadata and every cell bit for bit', async () => {
      const original = grid('btc-a');
      const summary = await saveModel(handle.db, original);
      expect(summary).toEqual({
        modelId: 'btc-a',
        symbol: 'BTC',
        source: 'synthetic',
        synthetic: true,
        from: T0 - 86_400_000,
        to: T0,
        rowsUsed: 1_440,
        builtAt: T0 + 1_000,
        weighting: { kind: 'half-life', halfLifeDays: 30, asOf: T0 },
        active: false,
      });
      const loaded = await loadModel(handle.db, 'btc-a');
      expect(loaded.meta).toEqual(original.meta);
      expect(loaded.up).toBeInstanceOf(Float64Array);
      expect(loaded.up.length).toBe(CELL_COUNT);
      expect(Buffer.from(loaded.up.buffer).equals(Buffer.from(original.up.buffer))).toBe(true);
      expect(Buffer.from(loaded.down.buffer).equals(Buffer.from(original.down.buffer))).toBe(true);
      expect(await loadActiveModel(handle.db, 'BTC')).toBeUndefined();
    });

    it('keeps one active model per symbol: activate switches, saving with activate too', async () => {
      await saveModel(handle.db, grid('btc-b', { builtAt: T0 + 2_000 }), { activate: true });
      expect((await activeModelSummary(handle.db, 'BTC'))?.modelId).toBe('btc-b');
      await saveModel(handle.db, grid('eth-a', { symbol: 'ETH', builtAt: T0 + 3_000 }), { activate: true });
      expect((await activateModel(handle.db, 'btc-a')).active).toBe(true);
      expect((await activeModelSummary(handle.db, 'BTC'))?.modelId).toBe('btc-a');
      expect((await getModelSummary(handle.db, 'btc-b'))?.active).toBe(false);
      expect((await activeModelSummary(handle.db, 'ETH'))?.modelId).toBe('eth-a'); // other symbol untouched
      expect((await loadActiveModel(handle.db, 'BTC'))?.meta.modelId).toBe('btc-a');

      expect((await listModels(handle.db)).map((m) => [m.modelId, m.active])).toEqual([
        ['eth-a', true],
        ['btc-b', false],
        ['btc-a', true],
      ]);
      expect((await listModels(handle.db, { symbol: 'BTC' })).map((m) => m.modelId)).toEqual([
        'btc-b',
        'btc-a',
      ]);

      // The database itself refuses a second active model, whatever the code does.
      await expect(
        sql`update model.models set active = true where model_id = 'btc-b'`.execute(handle.db),
      ).rejects.toThrow(/models_one_active_per_symbol/);
    });

    it('refuses unknown ids, duplicate ids, bad ids and invalid grids — storing nothing', async () => {
      const before = await modelRows(handle);
      await expect(activateModel(handle.db, 'nope')).rejects.toThrow(ModelNotFoundError);
      await expect(loadModel(handle.db, 'nope')).rejects.toThrow(/no model "nope"/);
      await expect(saveModel(handle.db, grid('btc-a'))).rejects.toThrow(/already exists/);
      await expect(saveModel(handle.db, grid('bad id; drop'))).rejects.toThrow(ModelStoreError);
      const broken = grid('btc-broken');
      broken.up[12_345] = 100.5;
      await expect(saveModel(handle.db, broken)).rejects.toThrow(FingerprintGridError);
      expect(await modelRows(handle)).toEqual(before);
    });

    it('validates what it loads: damaged cells or metadata are an error, not a model', async () => {
      await saveModel(handle.db, grid('btc-damaged'));
      await sql`update model.model_grids set down = substring(down from 1 for 800) where model_id = 'btc-damaged'`.execute(
        handle.db,
      );
      await expect(loadModel(handle.db, 'btc-damaged')).rejects.toThrow(
        /stored model "btc-damaged" is damaged: down must be a Float64Array of 152520 cells/,
      );
      await saveModel(handle.db, grid('btc-nan'));
      // Every cell a little-endian NaN (0x7ff8000000000000), written by the server.
      await sql`
        update model.model_grids set up = decode(repeat('000000000000f87f', ${CELL_COUNT}), 'hex')
        where model_id = 'btc-nan'
      `.execute(handle.db);
      await expect(loadModel(handle.db, 'btc-nan')).rejects.toThrow(
        /is damaged: up cell \(table 0, 1m, 0\.00%\) is NaN/,
      );
      await sql`update model.models set meta = meta - 'tableRows' where model_id = 'btc-a'`.execute(
        handle.db,
      );
      await expect(loadModel(handle.db, 'btc-a')).rejects.toThrow(
        /stored model "btc-a" has invalid metadata/,
      );
    });
  });
}
