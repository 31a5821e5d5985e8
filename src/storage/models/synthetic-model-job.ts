/**
 * The CPU part of a synthetic model: generate the simulator's history and count it. No I/O,
 * so it runs in a worker thread (synthetic-model-worker.ts) — a year is ~10 s of CPU that must
 * not stall the services sharing the process — or inline, yielding between days.
 */
import { buildFingerprintGrid, type FingerprintGrid, type Weighting } from '../../domain/model/index.ts';
import type { EpochMs, SymbolId } from '../../domain/units.ts';
import { allocateCandleColumns, type CandleColumns } from '../candles/candle.ts';
import { syntheticCandleChunks } from '../candles/synthetic-history.ts';

export interface SyntheticModelJob {
  symbol: SymbolId;
  startMs: EpochMs;
  minutes: number;
  seed: number | string;
  modelId: string;
  builtAt: EpochMs;
  weighting: Weighting;
}

export interface SyntheticModelResult {
  candles: CandleColumns;
  grid: FingerprintGrid;
}

export type JobProgress = (phase: 'synthesize' | 'build', fraction: number) => void;

const yieldToEventLoop = () => new Promise<void>((resolve) => setImmediate(resolve));

export async function runSyntheticModelJob(
  job: SyntheticModelJob,
  onProgress: JobProgress = () => {},
): Promise<SyntheticModelResult> {
  const candles = allocateCandleColumns(job.minutes);
  let filled = 0;
  for (const chunk of syntheticCandleChunks(job)) {
    candles.ts.set(chunk.ts, filled);
    candles.openCents.set(chunk.openCents, filled);
    candles.highCents.set(chunk.highCents, filled);
    candles.lowCents.set(chunk.lowCents, filled);
    candles.closeCents.set(chunk.closeCents, filled);
    candles.volume.set(chunk.volume, filled);
    filled += chunk.length;
    onProgress('synthesize', filled / job.minutes);
    await yieldToEventLoop();
  }
  const closes = new Float64Array(candles.length);
  for (let i = 0; i < closes.length; i++) closes[i] = candles.closeCents[i]! / 100;
  const grid = buildFingerprintGrid({
    closes,
    timestamps: candles.ts,
    symbol: job.symbol,
    modelId: job.modelId,
    source: 'synthetic',
    synthetic: true,
    builtAt: job.builtAt,
    weighting: job.weighting,
    onProgress: (fraction) => onProgress('build', fraction),
  });
  return { candles, grid };
}
