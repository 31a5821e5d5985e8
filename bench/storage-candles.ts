/**
 * Candle storage throughput: upsert and read back 5 years of 1-minute candles (≈ 2.6 M rows)
 * on embedded PGlite (in memory and on disk) and on the local PostgreSQL.
 * Run: node --import tsx bench/storage-candles.ts [rows]
 */
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { migrateToLatest, openDatabase, type DatabaseHandle } from '../src/core/db/index.ts';
import { allocateCandleColumns, type CandleColumns } from '../src/storage/candles/candle.ts';
import { readCloseSeries, upsertCandles } from '../src/storage/candles/candle-repository.ts';
import { createTestDatabase } from '../test/support/postgres.ts';
import { MINUTES_PER_YEAR, syntheticCloses } from './model-synthetic.ts';

const rows = Number(process.argv[2] ?? 5 * MINUTES_PER_YEAR);

function candleColumns(n: number): CandleColumns {
  const { closes, timestamps } = syntheticCloses(n, 20250720);
  const columns = allocateCandleColumns(n);
  let previous = Math.round(closes[0]! * 100);
  for (let i = 0; i < n; i++) {
    const close = Math.round(closes[i]! * 100);
    columns.ts[i] = timestamps[i]!;
    columns.openCents[i] = previous;
    columns.closeCents[i] = close;
    columns.highCents[i] = Math.max(previous, close) + 150;
    columns.lowCents[i] = Math.min(previous, close) - 150;
    columns.volume[i] = 1.5 + (i % 7);
    previous = close;
  }
  return columns;
}

async function measure(name: string, handle: DatabaseHandle, columns: CandleColumns) {
  await migrateToLatest(handle.db);
  let start = performance.now();
  await upsertCandles(handle.db, 'BTC', 'synthetic', columns);
  const insertS = (performance.now() - start) / 1000;
  start = performance.now();
  const series = await readCloseSeries(handle.db, { symbol: 'BTC', series: 'synthetic' });
  const readS = (performance.now() - start) / 1000;
  if (series.closes.length !== columns.length) throw new Error(`read ${series.closes.length} rows`);
  start = performance.now();
  await upsertCandles(handle.db, 'BTC', 'synthetic', columns); // every row a conflict → update
  const updateS = (performance.now() - start) / 1000;
  const fmt = (s: number) =>
    `${s.toFixed(1)} s (${Math.round(columns.length / s).toLocaleString('en-US')} rows/s)`;
  console.log(
    `${name.padEnd(18)} insert ${fmt(insertS)}; read closes ${fmt(readS)}; re-upsert ${fmt(updateS)}`,
  );
}

const columns = candleColumns(rows);
console.log(`candles: ${rows.toLocaleString('en-US')} rows, batches of 20 000`);

const memory = await openDatabase({ dataDir: 'memory://' });
try {
  await measure('PGlite (memory)', memory, columns);
} finally {
  await memory.close();
}

const dir = await mkdtemp(join(tmpdir(), 'recio-bench-'));
const disk = await openDatabase({ dataDir: join(dir, 'pglite') });
try {
  await measure('PGlite (disk)', disk, columns);
} finally {
  await disk.close();
  await rm(dir, { recursive: true, force: true });
}

const server = await createTestDatabase('recio_bench');
const postgres = await openDatabase({ databaseUrl: server.url });
try {
  await measure('PostgreSQL', postgres, columns);
} finally {
  await postgres.close();
  await server.drop();
}
