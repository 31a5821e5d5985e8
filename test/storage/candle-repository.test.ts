import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { DatabaseHandle } from '../../src/core/db/index.ts';
import { CandleDataError, type Candle } from '../../src/storage/candles/candle.ts';
import {
  candleGaps,
  CandleStoreError,
  deleteCandles,
  lastCandleTime,
  readCandles,
  readCloseSeries,
  summarizeSeries,
  upsertCandles,
} from '../../src/storage/candles/candle-repository.ts';
import { ENGINES } from './engines.ts';

const T0 = Date.UTC(2025, 6, 20, 12, 0);
const MIN = 60_000;

/** A rising staircase of candles at the given minute offsets from T0. */
function candlesAt(minutes: number[], base = 100_000): Candle[] {
  return minutes.map((m) => ({
    ts: T0 + m * MIN,
    open: base + m,
    high: base + m + 0.5,
    low: base + m - 0.25,
    close: base + m + 0.01,
    volume: m / 10,
  }));
}

async function countRows(handle: DatabaseHandle): Promise<number> {
  const row = await sql<{ n: number }>`select count(*)::int as n from market.candles_1m`.execute(handle.db);
  return row.rows[0]!.n;
}

for (const engine of ENGINES) {
  describe(`candle storage on ${engine.name}`, () => {
    let handle: DatabaseHandle;
    let close: () => Promise<void>;
    beforeAll(async () => {
      ({ handle, close } = await engine.open());
    });
    afterAll(async () => {
      await close?.();
    });

    it('stores prices in cents and reads them back exactly, oldest first', async () => {
      const candles = candlesAt([2, 0, 1]);
      expect(await upsertCandles(handle.db, 'BTC', 'coinbase', candles)).toBe(3);
      const back = await readCandles(handle.db, { symbol: 'BTC', series: 'real' });
      expect(back).toEqual(
        [...candles].sort((a, b) => a.ts - b.ts).map((c) => ({ ...c, source: 'coinbase' })),
      );
      const raw = await sql<{ close: number }>`
        select close from market.candles_1m where symbol = 'BTC' order by ts limit 1
      `.execute(handle.db);
      expect(raw.rows[0]!.close).toBe(10_000_001); // $100 000.01 in cents
    });

    it('replaces a minute on upsert, keeps the synthetic series apart', async () => {
      await upsertCandles(handle.db, 'BTC', 'csv', [{ ...candlesAt([1])[0]!, close: 100_001.5 }]);
      await upsertCandles(handle.db, 'BTC', 'synthetic', candlesAt([0, 1, 2, 3], 50_000));
      const real = await readCloseSeries(handle.db, { symbol: 'BTC', series: 'real' });
      expect([...real.closes]).toEqual([100_000.01, 100_001.5, 100_002.01]);
      expect([...real.timestamps]).toEqual([T0, T0 + MIN, T0 + 2 * MIN]);
      expect(real.sources).toEqual({ coinbase: 2, csv: 1 });
      const synthetic = await readCloseSeries(handle.db, { symbol: 'BTC', series: 'synthetic' });
      expect([...synthetic.closes]).toEqual([50_000.01, 50_001.01, 50_002.01, 50_003.01]);
      expect(synthetic.sources).toEqual({ synthetic: 4 });
      expect(await lastCandleTime(handle.db, 'BTC', 'real')).toBe(T0 + 2 * MIN);
      expect(await lastCandleTime(handle.db, 'BTC', 'real', 'csv')).toBe(T0 + MIN);
      expect(await lastCandleTime(handle.db, 'BTC', 'synthetic')).toBe(T0 + 3 * MIN);
      expect(await lastCandleTime(handle.db, 'ETH', 'real')).toBeUndefined();
    });

    it('reads a range in pages without losing or repeating a row', async () => {
      const minutes = Array.from({ length: 1_000 }, (_, i) => 100 + i);
      await upsertCandles(handle.db, 'ETH', 'coinbase', candlesAt(minutes, 3_000), { batchSize: 77 });
      let calls = 0;
      const series = await readCloseSeries(
        handle.db,
        { symbol: 'ETH', series: 'real', from: T0 + 150 * MIN, to: T0 + 949 * MIN },
        { pageSize: 128, onProgress: () => calls++ },
      );
      expect(series.closes.length).toBe(800);
      expect(series.timestamps[0]).toBe(T0 + 150 * MIN);
      expect(series.timestamps[799]).toBe(T0 + 949 * MIN);
      expect(series.closes[10]).toBeCloseTo(3_000 + 160.01, 9);
      for (let i = 1; i < 800; i++) expect(series.timestamps[i]! - series.timestamps[i - 1]!).toBe(MIN);
      expect(calls).toBe(Math.ceil(800 / 128));
    });

    it('reports gaps: count, missing minutes and where they are', async () => {
      // ETH real: minutes 100…1099 are stored; remove 200…204 and 500.
      await deleteCandles(handle.db, {
        symbol: 'ETH',
        series: 'real',
        from: T0 + 200 * MIN,
        to: T0 + 204 * MIN,
      });
      await deleteCandles(handle.db, {
        symbol: 'ETH',
        series: 'real',
        from: T0 + 500 * MIN,
        to: T0 + 500 * MIN,
      });
      const report = await candleGaps(handle.db, { symbol: 'ETH', series: 'real' });
      expect(report).toMatchObject({
        count: 994,
        first: T0 + 100 * MIN,
        last: T0 + 1099 * MIN,
        expected: 1000,
        missing: 6,
        gapCount: 2,
        gaps: [
          { from: T0 + 200 * MIN, to: T0 + 204 * MIN, minutes: 5 },
          { from: T0 + 500 * MIN, to: T0 + 500 * MIN, minutes: 1 },
        ],
      });
      expect((await candleGaps(handle.db, { symbol: 'ETH', series: 'real' }, 1)).gaps).toEqual([
        { from: T0 + 200 * MIN, to: T0 + 204 * MIN, minutes: 5 },
      ]);
      expect(await summarizeSeries(handle.db, { symbol: 'ETH', series: 'synthetic' })).toEqual({
        count: 0,
        first: null,
        last: null,
        sources: {},
      });
    });

    it('refuses a bad candle before sending anything, naming the row', async () => {
      const before = await countRows(handle);
      const candles = candlesAt([5000, 5001, 5002]);
      candles[2] = { ...candles[2]!, low: candles[2]!.close + 1 };
      await expect(upsertCandles(handle.db, 'BTC', 'coinbase', candles, { batchSize: 1 })).rejects.toThrow(
        /candle 2 \(2025-07-23T23:22:00\.000Z\): low .* do not enclose/,
      );
      await expect(
        upsertCandles(handle.db, 'BTC', 'coinbase', [{ ...candles[0]!, ts: T0 + 1 }]),
      ).rejects.toThrow(CandleDataError);
      expect(await countRows(handle)).toBe(before);
    });

    it('takes symbols only from the whitelist, and the table enforces series = source', async () => {
      await expect(
        upsertCandles(
          handle.db,
          "BTC'; drop table market.candles_1m; --" as never,
          'coinbase',
          candlesAt([1]),
        ),
      ).rejects.toThrow(CandleStoreError);
      await expect(readCloseSeries(handle.db, { symbol: 'DOGE' as never, series: 'real' })).rejects.toThrow(
        /unknown symbol "DOGE"/,
      );
      await expect(
        sql`insert into market.candles_1m values ('BTC', true, '2025-01-01T00:00:00Z', 1, 1, 1, 1, 0, 'coinbase')`.execute(
          handle.db,
        ),
      ).rejects.toThrow(/candles_1m_synthetic_source/);
      await expect(
        sql`insert into market.candles_1m values ('BTC', false, '2025-01-01T00:00:30Z', 1, 1, 1, 1, 0, 'csv')`.execute(
          handle.db,
        ),
      ).rejects.toThrow(/candles_1m_minute/);
    });
  });
}
