/**
 * /health and /metrics of a symbol price watchdog.
 * - `spot feed` (critical): the newest tick is at most 10 s old (a silent feed is reconnected
 *   by the client after the same 10 s); reconnects, gaps and duplicates are shown with it.
 *   Before the first tick the service gets the same 10 s of grace from its start.
 * - `price publishing`: a `price.<sym>` message went out in the last 3 s.
 * - `storage`: the last write of prices and candles succeeded.
 * - `momentum` (always ok): which horizons are available and how many seeds were used.
 */
import { Gauge } from 'prom-client';
import type { ServiceContext } from '../../core/service/service.ts';
import type { SymbolId } from '../../domain/units.ts';
import type { CoinbaseTickerClient } from '../../integrations/coinbase/index.ts';
import type { SpotPipeline } from './spot-pipeline.ts';
import type { SpotStore } from './spot-store.ts';

const MAX_TICK_AGE_MS = 10_000;
const MAX_PUBLISH_AGE_MS = 3_000;

export interface SpotHealthSources {
  symbol: SymbolId;
  pipeline: SpotPipeline;
  client: CoinbaseTickerClient;
  store: SpotStore;
  lastPublishedAt: () => number | undefined;
}

export function registerSpotHealth(ctx: ServiceContext, s: SpotHealthSources): void {
  const startedAt = ctx.clock.now();
  const tickAgeMs = () => {
    const last = s.pipeline.lastTickReceivedAt;
    return last === undefined ? undefined : ctx.clock.now() - last;
  };

  ctx.health.add({
    name: 'spot feed',
    critical: true,
    check: () => {
      const age = tickAgeMs();
      const stats = s.client.stats();
      const data = {
        tickAgeMs: age ?? null,
        subscribed: s.client.isSubscribed,
        reconnects: stats.reconnects,
        ticks: stats.ticks,
        gaps: stats.gaps,
        missedTrades: stats.missedTrades,
        duplicates: stats.duplicates,
        parseErrors: stats.parseErrors,
      };
      if (age === undefined) {
        const waited = ctx.clock.now() - startedAt;
        return {
          ok: waited <= MAX_TICK_AGE_MS,
          detail: `no tick yet (${Math.round(waited / 1000)} s since start)`,
          data,
        };
      }
      return {
        ok: age <= MAX_TICK_AGE_MS,
        detail: `last tick ${(age / 1000).toFixed(1)} s ago, ${stats.reconnects} reconnects`,
        data,
      };
    },
  });

  ctx.health.add({
    name: 'price publishing',
    check: () => {
      const last = s.lastPublishedAt();
      const age = last === undefined ? undefined : ctx.clock.now() - last;
      const price = s.pipeline.lastPrice;
      const data = {
        lastPublishAgeMs: age ?? null,
        lastSecondMs: price?.secondMs ?? null,
        price: price?.price ?? null,
        ...s.pipeline.stats(),
      };
      if (age === undefined) {
        const waited = ctx.clock.now() - startedAt;
        return { ok: waited <= MAX_TICK_AGE_MS, detail: 'nothing published yet', data };
      }
      return {
        ok: age <= MAX_PUBLISH_AGE_MS,
        detail: `last price.${s.symbol.toLowerCase()} ${age} ms ago`,
        data,
      };
    },
  });

  ctx.health.add({
    name: 'storage',
    check: () => {
      const status = s.store.status();
      const failing =
        status.lastErrorAt !== undefined &&
        (status.lastWriteAt === undefined || status.lastErrorAt > status.lastWriteAt);
      return {
        ok: !failing,
        detail: failing ? `last write failed: ${status.lastError}` : 'prices and candles stored',
        data: { ...status },
      };
    },
  });

  ctx.health.add({
    name: 'momentum',
    check: () => {
      const reading = s.pipeline.momentum();
      return {
        ok: true,
        detail:
          reading === undefined
            ? 'no price yet'
            : reading.missingHorizons.length === 0
              ? 'all horizons available'
              : `missing horizons: ${reading.missingHorizons.join(', ')} min`,
        data: {
          percent: reading?.percent ?? null,
          missingHorizons: reading?.missingHorizons ?? null,
          seededCloses: s.pipeline.seededCloses,
        },
      };
    },
  });

  const labels = { symbol: s.symbol };
  new Gauge({
    name: 'recio_spot_tick_age_seconds',
    help: 'Age of the newest Coinbase tick',
    labelNames: ['symbol'],
    registers: [ctx.metrics],
    collect() {
      const age = tickAgeMs();
      if (age !== undefined) this.set(labels, age / 1000);
    },
  });
  const statGauge = (name: string, help: string, read: () => number) =>
    new Gauge({
      name,
      help,
      labelNames: ['symbol'],
      registers: [ctx.metrics],
      collect() {
        this.set(labels, read());
      },
    });
  statGauge(
    'recio_spot_reconnects',
    'Coinbase feed reconnects since start',
    () => s.client.stats().reconnects,
  );
  statGauge('recio_spot_ticks', 'Coinbase ticks received since start', () => s.client.stats().ticks);
  statGauge('recio_spot_trade_gaps', 'Coinbase trade-id gaps since start', () => s.client.stats().gaps);
  statGauge(
    'recio_spot_carried_seconds',
    'Seconds published without a trade',
    () => s.pipeline.stats().carriedSeconds,
  );
  statGauge('recio_spot_store_failures', 'Failed price/candle writes', () => s.store.status().failures);
}
