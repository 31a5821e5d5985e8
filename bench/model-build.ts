/**
 * Fingerprint build on 5 years of synthetic 1-minute closes (≈ 2.6 M rows), one core.
 * Target: well under 60 s. Run: node --import tsx bench/model-build.ts
 */
import { buildFingerprintGrid } from '../src/domain/model/build-fingerprints.ts';
import { gridByteSize } from '../src/domain/model/fingerprint-grid.ts';
import { MINUTES_PER_YEAR, syntheticCloses } from './model-synthetic.ts';

const YEARS = 5;
const rows = YEARS * MINUTES_PER_YEAR;
const { closes, timestamps } = syntheticCloses(rows, 20250720);

for (const weighting of [{ kind: 'v2-year' as const }, { kind: 'half-life' as const, halfLifeDays: 365 }]) {
  let progressCalls = 0;
  const start = process.hrtime.bigint();
  const grid = buildFingerprintGrid({
    closes,
    timestamps,
    symbol: 'BTC',
    modelId: 'bench',
    source: 'synthetic',
    builtAt: 0,
    weighting,
    onProgress: () => progressCalls++,
  });
  const seconds = Number(process.hrtime.bigint() - start) / 1e9;
  console.log(
    `model build (${weighting.kind}): ${rows.toLocaleString('en-US')} rows × 60 horizons in ${seconds.toFixed(2)} s ` +
      `= ${Math.round(rows / seconds).toLocaleString('en-US')} rows/s; ` +
      `buckets visited ${grid.meta.tableRows!.slice(0, 61).filter((n) => n > 0).length}/61, ` +
      `grid ${gridByteSize(grid).toLocaleString('en-US')} bytes, ${progressCalls} progress calls`,
  );
}
