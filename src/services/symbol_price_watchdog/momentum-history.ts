/**
 * The stored history momentum starts from. First the exchange's own 1-minute candles of the
 * last half hour are fetched and stored (best effort: Coinbase's candles endpoint, or the
 * simulator's in paper mode) — they fill the minutes the watchdog was down and feed the
 * model's history; then the stored candles of the window are read back as momentum seeds.
 */
import type { Kysely } from 'kysely';
import type { Logger } from 'pino';
import type { Clock } from '../../core/clock/clock.ts';
import type { Database } from '../../core/db/schema.ts';
import { floorMinute, type CandleClose } from '../../domain/market-data/index.ts';
import type { SymbolId } from '../../domain/units.ts';
import { fetchCandles } from '../../integrations/coinbase/index.ts';
import { TokenBucket } from '../../integrations/shared/token-bucket.ts';
import { readCandles, upsertExchangeCandles } from '../../storage/candles/candle-repository.ts';
import type { CandleSeriesKind, CandleSource } from '../../storage/candles/candle.ts';

/** 30 minutes of horizon plus the tracker's 60-s staleness and a spare minute. */
export const SEED_WINDOW_MS = 32 * 60_000;

export interface MomentumHistoryOptions {
  db: Kysely<Database>;
  symbol: SymbolId;
  series: CandleSeriesKind;
  clock: Clock;
  log: Logger;
  signal: AbortSignal;
  /** Fetch the exchange's recent candles first (skipped when absent). */
  backfill?: { baseUrl: string; productId: string; source: CandleSource };
}

export interface MomentumHistory {
  seeds: CandleClose[];
  backfilled: number;
}

export async function loadMomentumHistory(options: MomentumHistoryOptions): Promise<MomentumHistory> {
  const { db, symbol, series, clock, log } = options;
  const now = clock.now();
  const from = floorMinute(now - SEED_WINDOW_MS);
  let backfilled = 0;
  if (options.backfill) {
    const { baseUrl, productId, source } = options.backfill;
    try {
      const result = await fetchCandles({
        baseUrl,
        productId,
        start: from,
        end: floorMinute(now), // the minute in progress is the live feed's
        limiter: new TokenBucket({ ratePerSecond: 5, clock }),
        clock,
        retry: { maxAttempts: 2, baseMs: 250, maxMs: 1_000 },
        timeoutMs: 5_000,
        signal: options.signal,
      });
      if (result.candles.length > 0) {
        backfilled = await upsertExchangeCandles(db, symbol, source, result.candles);
      }
    } catch (error) {
      if (options.signal.aborted) throw error;
      log.warn(
        { err: error, productId },
        'recent candles could not be fetched; momentum seeds from storage only',
      );
    }
  }
  const stored = await readCandles(db, { symbol, series, from, to: now });
  const seeds = stored.map((c) => ({ startMs: c.ts, closeCents: Math.round(c.close * 100) }));
  return { seeds, backfilled };
}
