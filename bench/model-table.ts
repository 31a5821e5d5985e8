/**
 * One 21-strike table computation (target < 50 µs), one strike probability, and model memory.
 * Run: node --expose-gc --import tsx bench/model-table.ts
 */
import { buildFingerprintGrid } from '../src/domain/model/build-fingerprints.ts';
import { gridByteSize } from '../src/domain/model/fingerprint-grid.ts';
import { strikeProbability } from '../src/domain/model/probability.ts';
import { computeStrikeTable, type StrikeMarket } from '../src/domain/model/strike-table.ts';
import { mulberry32, syntheticCloses } from './model-synthetic.ts';

const gc = (globalThis as { gc?: () => void }).gc;

function heapUsed(): number {
  gc?.();
  return process.memoryUsage().heapUsed + process.memoryUsage().arrayBuffers;
}

// A real-shaped model: 90 days of synthetic closes.
const { closes, timestamps } = syntheticCloses(90 * 1440, 7);
const before = heapUsed();
const grid = buildFingerprintGrid({
  closes,
  timestamps,
  symbol: 'BTC',
  modelId: 'bench',
  source: 'synthetic',
  builtAt: 0,
});
const after = heapUsed();

// 81 markets every 250 $ around 118 000, like a KXBTCD event.
const markets: StrikeMarket[] = [];
for (let k = 108_000; k <= 128_000; k += 250) {
  markets.push({
    ticker: `KXBTCD-25JUL2617-T${k - 1}.99`,
    strike: k,
    yesBid: 4_000,
    yesAsk: 4_100,
    noBid: 5_800,
    noAsk: 5_900,
    volume: 2_000,
  });
}

function percentile(sorted: Float64Array, p: number): number {
  return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))]!;
}

const random = mulberry32(1);
const ITERATIONS = 50_000;
const samples = new Float64Array(ITERATIONS);
let sink = 0;
for (let warm = 0; warm < 2; warm++) {
  for (let i = 0; i < ITERATIONS; i++) {
    const price = 118_000 + (random() - 0.5) * 400;
    const start = process.hrtime.bigint();
    const table = computeStrikeTable({
      symbol: 'BTC',
      price,
      ttcSeconds: 30 + Math.floor(random() * 3570),
      eventTicker: 'KXBTCD-25JUL2617',
      closeTimeMs: Date.UTC(2025, 6, 26, 21),
      strikeTier: 250,
      momentumPercent: (random() - 0.5) * 0.4,
      grid,
      settle: 'average60',
      markets,
      seq: i,
    });
    samples[i] = Number(process.hrtime.bigint() - start) / 1000;
    sink += table.rows[10]!.probability;
  }
}
samples.sort();
const mean = samples.reduce((a, b) => a + b, 0) / ITERATIONS;

// One strike probability, timed in bulk (a single call is below the timer's resolution).
const CALLS = 2_000_000;
const start = process.hrtime.bigint();
for (let i = 0; i < CALLS; i++) {
  sink += strikeProbability({
    grid,
    price: 118_000,
    strike: 117_500 + (i % 1000),
    ttcSeconds: 100 + (i % 3000),
    bucket: (i % 61) - 30,
    settle: 'close',
  }).probability;
}
const nsPerCall = Number(process.hrtime.bigint() - start) / CALLS;

console.log(
  `strike table (21 strikes of 81, settle average60): mean ${mean.toFixed(2)} µs, ` +
    `p50 ${percentile(samples, 50).toFixed(2)} µs, p99 ${percentile(samples, 99).toFixed(2)} µs (target < 50 µs)`,
);
console.log(`strikeProbability: ${nsPerCall.toFixed(0)} ns per call`);
console.log(
  `model memory: grid cells ${gridByteSize(grid).toLocaleString('en-US')} bytes; heap + buffers delta ` +
    `${gc ? (after - before).toLocaleString('en-US') + ' bytes' : 'n/a (run with --expose-gc)'}`,
);
if (Number.isNaN(sink)) console.log('unreachable');
