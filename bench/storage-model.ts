/**
 * Model storage and the start-up bootstrap: save / load one fingerprint grid (2 × 152 520
 * float64) on PGlite and PostgreSQL, and a full bootstrap (365 synthetic days → model) on an
 * embedded database on disk, with the event-loop delay the calling process sees meanwhile.
 * Run: node --import tsx bench/storage-model.ts [bootstrapDays]
 */
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { monitorEventLoopDelay } from 'node:perf_hooks';
import { migrateToLatest, openDatabase, type DatabaseHandle } from '../src/core/db/index.ts';
import { gridFromFunction } from '../src/domain/model/index.ts';
import { bootstrapModels } from '../src/storage/models/bootstrap.ts';
import { loadModel, saveModel } from '../src/storage/models/model-repository.ts';
import { createTestDatabase } from '../test/support/postgres.ts';

const days = Number(process.argv[2] ?? 365);
const RUNS = 5;

function grid(modelId: string) {
  return gridFromFunction(
    {
      modelId,
      symbol: 'BTC',
      source: 'synthetic',
      synthetic: true,
      from: 0,
      to: 0,
      rowsUsed: 0,
      builtAt: 0,
      weighting: null,
      tableRows: null,
      rowsFilledFromBaseline: 0,
    },
    (table, minute, x) => ({ up: 100 / (1 + table + minute + x), down: 100 / (2 + table + minute + x) }),
  );
}

async function saveLoad(name: string, handle: DatabaseHandle) {
  await migrateToLatest(handle.db);
  let save = 0;
  let load = 0;
  for (let i = 0; i < RUNS; i++) {
    let start = performance.now();
    await saveModel(handle.db, grid(`bench-${i}`));
    save += performance.now() - start;
    start = performance.now();
    await loadModel(handle.db, `bench-${i}`);
    load += performance.now() - start;
  }
  console.log(
    `${name.padEnd(16)} save ${(save / RUNS).toFixed(0)} ms, load + validate ${(load / RUNS).toFixed(0)} ms (mean of ${RUNS})`,
  );
}

const memory = await openDatabase({ dataDir: 'memory://' });
await saveLoad('PGlite (memory)', memory).finally(() => memory.close());
const server = await createTestDatabase('recio_bench');
const postgres = await openDatabase({ databaseUrl: server.url });
await saveLoad('PostgreSQL', postgres).finally(async () => {
  await postgres.close();
  await server.drop();
});

const dir = await mkdtemp(join(tmpdir(), 'recio-bench-'));
const disk = await openDatabase({ dataDir: join(dir, 'pglite') });
try {
  await migrateToLatest(disk.db);
  const delay = monitorEventLoopDelay({ resolution: 5 });
  delay.enable();
  const phases = new Map<string, number>(); // last report of each phase
  const firsts = new Map<string, number>(); // first report of each phase
  const start = performance.now();
  const [outcome] = await bootstrapModels({
    db: disk.db,
    symbols: ['BTC'],
    now: () => Date.UTC(2026, 0, 1),
    days,
    onProgress: (p) => {
      const t = performance.now() - start;
      phases.set(p.phase, t);
      if (!firsts.has(p.phase)) firsts.set(p.phase, t);
    },
  });
  delay.disable();
  const seconds = (performance.now() - start) / 1000;
  const at = (phase: string) => ((phases.get(phase) ?? 0) / 1000).toFixed(1);
  console.log(
    `bootstrap ${days} days on PGlite (disk), worker thread: ${outcome?.status} in ${seconds.toFixed(1)} s ` +
      `(synthesized + built on the worker by ${at('build')} s, model saved and active by ` +
      `${((firsts.get('store-candles') ?? 0) / 1000).toFixed(1)} s, candles stored by ${at('store-candles')} s); ` +
      `event-loop delay p50 ${(delay.percentile(50) / 1e6).toFixed(1)} ms, p99 ${(delay.percentile(99) / 1e6).toFixed(1)} ms, ` +
      `max ${(delay.max / 1e6).toFixed(1)} ms`,
  );
} finally {
  await disk.close();
  await rm(dir, { recursive: true, force: true });
}
