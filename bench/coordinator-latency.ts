/**
 * Price tick → `strikes.<sym>` latency in one process (target p99 < 5 ms), the same for a
 * market update, CPU per table, and model memory.
 *
 * The path measured is the all-in-one one: a `price.btc` message published on the in-process
 * bus (validated), delivered to the coordinator, the 21-row table and watchlist computed, the
 * `strikes.btc` message published (validated) and delivered to a subscriber — with the JSON
 * file writer and the calibration recorder attached as in the service. BTC runs on the real v2
 * fingerprint set (../shared/data), ETH on an analytic grid.
 *
 * Run: node --expose-gc --import tsx bench/coordinator-latency.ts
 */
import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { performance } from 'node:perf_hooks';
import type { IndexMessage, MarketMessage, PriceMessage } from '../src/core/bus/market-data-topics.ts';
import { MemoryBus } from '../src/core/bus/memory-bus.ts';
import type { StrikesMessage } from '../src/core/bus/strikes-topics.ts';
import { SimulatedClock } from '../src/core/clock/simulated-clock.ts';
import { gridByteSize, importV2FingerprintSet, type FingerprintGrid } from '../src/domain/model/index.ts';
import type { SymbolId } from '../src/domain/units.ts';
import { CalibrationRecorder } from '../src/services/unified_production_coordinator/calibration-recorder.ts';
import { LatestFileWriter } from '../src/services/unified_production_coordinator/latest-file-writer.ts';
import { StrikeCoordinator } from '../src/services/unified_production_coordinator/strike-coordinator.ts';
import { writeJsonAtomic } from '../src/storage/market-snapshots/json-file.ts';
import {
  CLOSE,
  ladderQuote,
  marketMessage,
  priceMessage,
  testGrid,
} from '../test/services/coordinator/fixtures.ts';

const gc = (globalThis as { gc?: () => void }).gc;
function memory(): number {
  gc?.();
  const m = process.memoryUsage();
  return m.heapUsed + m.arrayBuffers;
}

// --- model memory -------------------------------------------------------------------------
const V2_DIR = fileURLToPath(new URL('../../shared/data/v2-fingerprints-btc/', import.meta.url));
const files = new Map(readdirSync(V2_DIR).map((name) => [name, readFileSync(V2_DIR + name, 'utf8')]));
const beforeModel = memory();
const btcGrid = importV2FingerprintSet(files, { symbol: 'BTC', modelId: 'v2-btc-2025-07-20', builtAt: 0 });
files.clear();
const afterModel = memory();
const grids = new Map<SymbolId, FingerprintGrid>([
  ['BTC', btcGrid],
  ['ETH', testGrid('ETH')],
]);

// --- the coordinator as the service wires it ------------------------------------------------
const dir = mkdtempSync(join(tmpdir(), 'recio-bench-upc-'));
const bus = new MemoryBus();
const clock = SimulatedClock.manual(CLOSE - 3_000_000);
const writer = new LatestFileWriter(join(dir, 'strikes-btc.json'), writeJsonAtomic, (e) => {
  throw e;
});
const recorder = new CalibrationRecorder(
  { insert: async (rows) => rows.length, settle: async () => 0 },
  { mode: 'paper', offsetsMinutes: [15, 10, 5, 2, 1], toleranceSeconds: 15 },
  (e) => {
    throw e;
  },
);
const coordinator = new StrikeCoordinator({
  clock,
  models: { current: (s) => grids.get(s) },
  options: { symbols: ['BTC', 'ETH'], maxUpdatesPerSecond: 10, rows: 21, settle: 'average60', watchlist: {} },
  publish: (m) => bus.publish(`strikes.${m.symbol.toLowerCase()}`, m),
  onPublishError: (e) => {
    throw e;
  },
  onTable: (m) => {
    writer.set(m);
    recorder.onTable(m);
  },
  onError: (e) => {
    throw e;
  },
});
await bus.subscribe('price.*', (m) => coordinator.handlePrice(m.payload as PriceMessage));
await bus.subscribe('index.*', (m) => coordinator.handleIndex(m.payload as IndexMessage));
await bus.subscribe('market.*', (m) => coordinator.handleMarket(m.payload as MarketMessage));

let waiting: ((m: StrikesMessage) => void) | undefined;
await bus.subscribe('strikes.btc', (m) => waiting?.(m.payload as StrikesMessage));
const nextTable = () => new Promise<StrikesMessage>((resolve) => (waiting = resolve));

const PRICE = 118_237.42;
const market = (at: number, shift: number) =>
  marketMessage({ first: 109_000, spacing: 250, count: 75, quote: ladderQuote(PRICE + shift), at });

await bus.publish('market.btc', market(clock.now(), 0));
await bus.publish('price.btc', priceMessage({ price: PRICE, at: clock.now() }));
await nextTable();

function percentile(sorted: number[], p: number): number {
  return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))]!;
}

async function measure(kind: 'price' | 'market', count: number): Promise<number[]> {
  const samples: number[] = [];
  for (let i = 0; i < count; i++) {
    await clock.advance(500); // above the 100-ms rate limit; 4 300 ticks stay inside the hour
    const at = clock.now();
    const wiggle = Math.sin(i / 7) * 150;
    const received = nextTable();
    const t0 = performance.now();
    if (kind === 'price') {
      await bus.publish(
        'price.btc',
        priceMessage({
          price: Math.round((PRICE + wiggle) * 100) / 100,
          momentumPercent: wiggle / 2_000,
          at,
          seq: i,
        }),
      );
    } else {
      await bus.publish('market.btc', market(at, wiggle));
    }
    await received;
    samples.push(performance.now() - t0);
    await new Promise((r) => setTimeout(r, 1)); // lets the file write of this table finish
  }
  return samples.sort((a, b) => a - b);
}

await measure('price', 300); // warm-up (JIT)
const cpuStart = process.cpuUsage();
const tablesBefore = coordinator.published.get('BTC')!;
const price = await measure('price', 3_000);
const cpu = process.cpuUsage(cpuStart);
const tables = coordinator.published.get('BTC')! - tablesBefore;
const marketSamples = await measure('market', 1_000);
await writer.flush();
await recorder.idle();

const fmt = (ms: number) => `${(ms * 1000).toFixed(0)} µs`;
const line = (name: string, s: number[]) =>
  console.log(
    `${name.padEnd(34)} p50 ${fmt(percentile(s, 50)).padStart(8)}  p99 ${fmt(percentile(s, 99)).padStart(8)}  max ${fmt(s.at(-1)!).padStart(8)}  (n = ${s.length})`,
  );
line('price tick → strikes.btc', price);
line('market update (75 rows) → strikes', marketSamples);
console.log(
  `CPU per table (whole path, incl. JSON file): ${(((cpu.user + cpu.system) / tables) | 0).toString()} µs over ${tables} tables`,
);
console.log(`model cells (one symbol): ${(gridByteSize(btcGrid) / 1024 / 1024).toFixed(2)} MB`);
console.log(
  `heap + buffers after loading the v2 BTC model: +${((afterModel - beforeModel) / 1024 / 1024).toFixed(2)} MB`,
);
console.log(`process RSS at the end: ${(process.memoryUsage().rss / 1024 / 1024).toFixed(0)} MB`);
console.log(`files written: ${writer.written}, calibration snapshots: ${recorder.stats.snapshotsStored}`);
console.log(`p99 target < 5 ms: ${percentile(price, 99) < 5 ? 'met' : 'NOT met'}`);

coordinator.stop();
await bus.close();
rmSync(dir, { recursive: true, force: true });
