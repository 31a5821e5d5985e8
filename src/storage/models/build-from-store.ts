/**
 * Builds a fingerprint model from stored candles: read one series of one symbol, count, and
 * return the grid (not saved: the caller decides, so a CLI can save and activate in one
 * transaction). A model is built from one series only — real and synthetic never mix.
 */
import type { Kysely } from 'kysely';
import type { Database } from '../../core/db/schema.ts';
import {
  buildFingerprintGrid,
  type FingerprintGrid,
  type ModelSource,
  type Weighting,
} from '../../domain/model/index.ts';
import type { EpochMs, SymbolId } from '../../domain/units.ts';
import type { CandleSeriesKind, CandleSource } from '../candles/candle.ts';
import { CandleStoreError, readCloseSeries } from '../candles/candle-repository.ts';
import { newModelId } from './model-id.ts';

export interface BuildFromStoreInput {
  symbol: SymbolId;
  series: CandleSeriesKind;
  from?: EpochMs;
  to?: EpochMs;
  /** Defaults to v2's year weights. */
  weighting?: Weighting;
  /** Generated from symbol, source and build time when absent. */
  modelId?: string;
  builtAt: EpochMs;
  /** Reading is the first ~third of the work, counting the rest. */
  onProgress?: (phase: 'read' | 'build', fraction: number) => void;
}

/** The model source of a real series: its most frequent candle source ('live' is Coinbase's feed). */
export function modelSourceOf(sources: Partial<Record<CandleSource, number>>): ModelSource {
  const counts = new Map<ModelSource, number>();
  for (const [source, n] of Object.entries(sources) as [CandleSource, number][]) {
    const as: ModelSource = source === 'live' ? 'coinbase' : source;
    counts.set(as, (counts.get(as) ?? 0) + n);
  }
  let best: ModelSource = 'coinbase';
  let most = -1;
  for (const [source, n] of counts) if (n > most) [best, most] = [source, n];
  return best;
}

export async function buildModelFromStore(
  db: Kysely<Database>,
  input: BuildFromStoreInput,
): Promise<FingerprintGrid> {
  const { symbol, series, onProgress } = input;
  const data = await readCloseSeries(
    db,
    {
      symbol,
      series,
      ...(input.from === undefined ? {} : { from: input.from }),
      ...(input.to === undefined ? {} : { to: input.to }),
    },
    { onProgress: (read, total) => onProgress?.('read', total === 0 ? 1 : read / total) },
  );
  if (data.closes.length === 0) {
    const range =
      input.from !== undefined || input.to !== undefined
        ? ` between ${input.from === undefined ? 'the start' : new Date(input.from).toISOString()} and ${
            input.to === undefined ? 'the end' : new Date(input.to).toISOString()
          }`
        : '';
    throw new CandleStoreError(
      `no ${series} candles stored for ${symbol}${range}` +
        (series === 'real'
          ? ' (load some with `recio history fetch` or `recio history import`, or build from the synthetic series)'
          : ' (generate some with `recio history synth`)'),
    );
  }
  const source: ModelSource = series === 'synthetic' ? 'synthetic' : modelSourceOf(data.sources);
  return buildFingerprintGrid({
    closes: data.closes,
    timestamps: data.timestamps,
    symbol,
    modelId: input.modelId ?? newModelId(symbol, source, input.builtAt),
    source,
    synthetic: series === 'synthetic',
    builtAt: input.builtAt,
    ...(input.weighting ? { weighting: input.weighting } : {}),
    ...(onProgress ? { onProgress: (fraction: number) => onProgress('build', fraction) } : {}),
  });
}
