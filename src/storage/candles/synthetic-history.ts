/**
 * Synthetic 1-minute history from the simulator's own index process (GARCH(1,1) with
 * Student-t innovations, one print per second — src/simulator/market/price-process.ts), so a
 * model built from it describes exactly the market paper trading runs against.
 *
 * Deterministic: the same symbol, seed, start and length give the same candles. Each candle
 * is 60 one-second prints: open = the print before the minute (the previous close), high /
 * low = the extremes of the prints, close = the last one, all rounded to cents. Volume is 0:
 * the process has prices, not trades. Source 'synthetic' — its own series in storage.
 */
import type { EpochMs, SymbolId } from '../../domain/units.ts';
import { DEFAULT_GARCH, GarchProcess, type GarchParams } from '../../simulator/market/price-process.ts';
import { Random } from '../../simulator/market/random.ts';
import { allocateCandleColumns, MINUTE_MS, type CandleColumns } from './candle.ts';

/** Start levels near the simulator's defaults; the model only sees relative moves. */
export const SYNTHETIC_START_PRICES: Readonly<Record<SymbolId, number>> = { BTC: 115_000, ETH: 3_800 };

export interface SyntheticHistoryOptions {
  symbol: SymbolId;
  /** Open time of the first candle (a whole minute, epoch ms UTC). */
  startMs: EpochMs;
  minutes: number;
  seed: number | string;
  startPrice?: number;
  garch?: GarchParams;
  /** Candles per yielded chunk (default one day). */
  chunkMinutes?: number;
}

/** The candles in chunks (CandleColumns, cents), oldest first; lazy, so 5 years never sit in memory twice. */
export function* syntheticCandleChunks(options: SyntheticHistoryOptions): Generator<CandleColumns> {
  const { symbol, startMs, minutes } = options;
  if (!Number.isSafeInteger(startMs) || startMs % MINUTE_MS !== 0) {
    throw new RangeError(`synthetic history must start on a whole minute, not ${startMs}`);
  }
  if (!Number.isInteger(minutes) || minutes < 1) throw new RangeError(`minutes must be ≥ 1, not ${minutes}`);
  const chunkMinutes = Math.max(1, options.chunkMinutes ?? 1_440);
  const random = Random.seeded(`history:${symbol}:${options.seed}`);
  const indexProcess = GarchProcess.start(
    options.garch ?? DEFAULT_GARCH[symbol],
    options.startPrice ?? SYNTHETIC_START_PRICES[symbol],
  );
  let price = indexProcess.price;
  for (let done = 0; done < minutes;) {
    const n = Math.min(chunkMinutes, minutes - done);
    const chunk = allocateCandleColumns(n);
    for (let k = 0; k < n; k++) {
      const open = price;
      let high = open;
      let low = open;
      for (let s = 0; s < 60; s++) {
        price = indexProcess.step(random);
        if (price > high) high = price;
        else if (price < low) low = price;
      }
      chunk.ts[k] = startMs + (done + k) * MINUTE_MS;
      chunk.openCents[k] = Math.round(open * 100);
      chunk.highCents[k] = Math.round(high * 100);
      chunk.lowCents[k] = Math.round(low * 100);
      chunk.closeCents[k] = Math.round(price * 100);
    }
    done += n;
    yield chunk;
  }
}

/** Whole-minute window of `days` days ending just before the minute containing `now`. */
export function syntheticWindow(now: EpochMs, days: number): { startMs: EpochMs; minutes: number } {
  if (!(days > 0) || !Number.isFinite(days)) throw new RangeError(`days must be > 0, not ${days}`);
  const minutes = Math.round(days * 1_440);
  const end = Math.floor(now / MINUTE_MS) * MINUTE_MS;
  return { startMs: end - minutes * MINUTE_MS, minutes };
}
