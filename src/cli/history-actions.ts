/** The work behind `recio history …` (see history-commands.ts for the definitions). */
import { resolve } from 'node:path';
import { RealClock } from '../core/clock/real-clock.ts';
import { exchangeEndpoints } from '../core/config/endpoints.ts';
import { loadManifest } from '../core/manifest/manifest.ts';
import { SYMBOLS, type EpochMs, type SymbolId } from '../domain/units.ts';
import { fetchCandles } from '../integrations/coinbase/candles.ts';
import { TokenBucket } from '../integrations/shared/token-bucket.ts';
import { MINUTE_MS, type CandleSeriesKind, type CandleSource } from '../storage/candles/candle.ts';
import { readCandleCsvFile } from '../storage/candles/candle-csv.ts';
import {
  candleGaps,
  deleteCandles,
  summarizeSeries,
  upsertCandles,
  upsertExchangeCandles,
  type GapReport,
} from '../storage/candles/candle-repository.ts';
import { syntheticCandleChunks, syntheticWindow } from '../storage/candles/synthetic-history.ts';
import { progressBar } from './progress-bar.ts';
import { userErrors, withStore } from './storage-context.ts';

const DAY_MINUTES = 1_440;
/** Coinbase allows ~10 public requests/s per IP; stay under it. */
const COINBASE_REQUESTS_PER_SECOND = 8;
/** A hole this long inside the range is fetched again (an interrupted run); shorter ones are
 * minutes Coinbase had no trade in — asking again would not fill them. */
const REFETCH_GAP_MINUTES = 60;

const iso = (ms: EpochMs | null) => (ms === null ? '—' : new Date(ms).toISOString().replace(':00.000Z', 'Z'));
const count = (n: number) => n.toLocaleString('en-US');
const seconds = (startedAt: number) => ((performance.now() - startedAt) / 1000).toFixed(1);

export const historyImport = userErrors(async (options: { symbol: SymbolId; file: string }) => {
  const startedAt = performance.now();
  const path = resolve(options.file);
  console.error(`reading ${path} …`);
  const candles = await readCandleCsvFile(path);
  await withStore(async ({ database }) => {
    const bar = progressBar(`importing ${options.symbol} candles`);
    await database.db.transaction().execute((trx) =>
      upsertCandles(trx, options.symbol, 'csv', candles, {
        onProgress: (done, total) => bar.update(done / total),
      }),
    );
    bar.done();
    const report = await candleGaps(database.db, { symbol: options.symbol, series: 'real' }, 0);
    console.log(
      `imported ${count(candles.length)} candles for ${options.symbol} from ${iso(candles.ts[0]!)} to ${iso(
        candles.ts[candles.length - 1]!,
      )} in ${seconds(startedAt)} s; the real series now holds ${count(report.count)} (${count(
        report.missing,
      )} minutes missing in ${count(report.gapCount)} gaps)`,
    );
  });
});

export const historySynth = userErrors(
  async (options: { symbol: SymbolId; days: number; seed: number; end?: EpochMs }) => {
    const startedAt = performance.now();
    const { startMs, minutes } = syntheticWindow(options.end ?? Date.now(), options.days);
    await withStore(async ({ database }) => {
      const bar = progressBar(`synthesizing ${options.symbol}`);
      // One transaction: the synthetic series is replaced whole, or not at all.
      const replaced = await database.db.transaction().execute(async (trx) => {
        const removed = await deleteCandles(trx, { symbol: options.symbol, series: 'synthetic' });
        let written = 0;
        for (const chunk of syntheticCandleChunks({
          symbol: options.symbol,
          startMs,
          minutes,
          seed: options.seed,
        })) {
          written += await upsertCandles(trx, options.symbol, 'synthetic', chunk);
          bar.update(written / minutes, `${count(written)} candles`);
        }
        return removed;
      });
      bar.done();
      console.log(
        `stored ${count(minutes)} SYNTHETIC candles for ${options.symbol} (seed ${options.seed}) from ${iso(
          startMs,
        )} to ${iso(startMs + (minutes - 1) * MINUTE_MS)}` +
          `${replaced > 0 ? `, replacing ${count(replaced)}` : ''} in ${seconds(startedAt)} s`,
      );
    });
  },
);

/** Ranges of [start, end) the series does not cover yet: before its first, after its last, long holes. */
export function rangesToFetch(
  start: EpochMs,
  end: EpochMs,
  stored: GapReport,
): { start: EpochMs; end: EpochMs }[] {
  if (stored.first === null || stored.last === null) return [{ start, end }];
  const ranges: { start: EpochMs; end: EpochMs }[] = [];
  if (stored.first > start) ranges.push({ start, end: stored.first });
  for (const gap of stored.gaps) {
    if (gap.minutes >= REFETCH_GAP_MINUTES) ranges.push({ start: gap.from, end: gap.to + MINUTE_MS });
  }
  if (stored.last + MINUTE_MS < end) ranges.push({ start: stored.last + MINUTE_MS, end });
  return ranges;
}

export const historyFetch = userErrors(async (options: { symbol: SymbolId; days: number }) => {
  const startedAt = performance.now();
  await withStore(async ({ config, database }) => {
    const endpoints = exchangeEndpoints(config, loadManifest(undefined, { env: process.env }));
    // Paper mode talks to the simulator: its candles are simulated and stored as such.
    const simulated = config.mode === 'paper' && !config.coinbase.restUrl;
    const source: CandleSource = simulated ? 'synthetic' : 'coinbase';
    const series: CandleSeriesKind = simulated ? 'synthetic' : 'real';
    const end = Math.floor(Date.now() / MINUTE_MS) * MINUTE_MS; // the current minute is not complete
    const start = end - Math.round(options.days * DAY_MINUTES) * MINUTE_MS;
    const stored = await candleGaps(
      database.db,
      { symbol: options.symbol, series, from: start, to: end - MINUTE_MS },
      1_000_000,
    );
    const ranges = rangesToFetch(start, end, stored);
    const windows = ranges.reduce((n, r) => n + Math.ceil((r.end - r.start) / (300 * MINUTE_MS)), 0);
    console.error(
      `fetching ${options.symbol}-USD 1-minute candles from ${endpoints.coinbaseRestUrl}${
        simulated ? ' (paper mode: the simulator — stored as SYNTHETIC)' : ''
      }: ${ranges.length === 0 ? 'nothing missing' : `${ranges.length} range(s), ${count(windows)} requests`}`,
    );

    const abort = new AbortController();
    const onSigint = () => abort.abort(new Error('interrupted'));
    process.once('SIGINT', onSigint);
    const clock = new RealClock();
    const limiter = new TokenBucket({ ratePerSecond: COINBASE_REQUESTS_PER_SECOND, clock });
    const bar = progressBar(`fetching ${options.symbol}`);
    let done = 0;
    let written = 0;
    try {
      for (const range of ranges) {
        await fetchCandles({
          baseUrl: endpoints.coinbaseRestUrl,
          productId: `${options.symbol}-USD`,
          start: range.start,
          end: range.end,
          limiter,
          clock,
          signal: abort.signal,
          // Each window is stored as it arrives: an interrupted fetch keeps what it got and resumes.
          onWindow: async (candles) => {
            written += await upsertExchangeCandles(database.db, options.symbol, source, candles);
            done += 1;
            bar.update(windows === 0 ? 1 : done / windows, `${count(written)} candles`);
          },
        });
      }
    } catch (error) {
      bar.done();
      if (abort.signal.aborted) {
        console.error(`interrupted: ${count(written)} candles stored; run the same command again to resume`);
        process.exitCode = 130;
        return;
      }
      throw error;
    } finally {
      process.off('SIGINT', onSigint);
    }
    bar.done();
    const after = await candleGaps(database.db, {
      symbol: options.symbol,
      series,
      from: start,
      to: end - MINUTE_MS,
    });
    console.log(
      `stored ${count(written)} ${simulated ? 'SYNTHETIC ' : ''}candles for ${options.symbol} in ${seconds(
        startedAt,
      )} s; ${iso(start)} … ${iso(end - MINUTE_MS)} now holds ${count(after.count)} of ${count(
        (end - start) / MINUTE_MS,
      )} minutes (${count(after.gapCount)} gaps: minutes without trades, or not yet fetched)`,
    );
  });
});

export const historyStatus = userErrors(async (options: { symbol?: SymbolId; gaps: number }) => {
  await withStore(async ({ database }) => {
    for (const symbol of options.symbol ? [options.symbol] : SYMBOLS) {
      for (const series of ['real', 'synthetic'] as const) {
        const summary = await summarizeSeries(database.db, { symbol, series });
        const label = `${symbol} ${series === 'synthetic' ? 'SYNTHETIC' : 'real'}`;
        if (summary.count === 0) {
          console.log(`${label}: no candles`);
          continue;
        }
        const report = await candleGaps(database.db, { symbol, series }, options.gaps);
        const sources = Object.entries(report.sources)
          .map(([name, n]) => `${name} ${count(n)}`)
          .join(', ');
        console.log(
          `${label}: ${count(report.count)} candles ${iso(report.first)} … ${iso(report.last)} (${sources}); ` +
            `${count(report.missing)} minutes missing in ${count(report.gapCount)} gaps`,
        );
        for (const gap of report.gaps)
          console.log(`  gap ${iso(gap.from)} … ${iso(gap.to)} (${count(gap.minutes)} min)`);
      }
    }
  });
});
