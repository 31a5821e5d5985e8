/**
 * symbol_price_watchdog_btc (8006) / symbol_price_watchdog_eth (8008): the Coinbase spot feed
 * of one symbol → one price per second → momentum → `price.<sym>` every second; 1-minute
 * candles and the 1-s price log stored; /health reports the tick age and reconnects.
 *
 * Wiring only: the rules live in src/domain/market-data (via SpotPipeline), the socket in
 * CoinbaseTickerClient (reconnect after 10 s of silence, with backoff), storage in SpotStore.
 * Paper mode reads the simulator's Coinbase feed; demo and live read Coinbase.
 */
import { marketDataTopic } from '../../core/bus/market-data-topics.ts';
import { exchangeEndpoints } from '../../core/config/endpoints.ts';
import type { ServiceName } from '../../core/manifest/service-names.ts';
import type { ServiceContext, ServiceDefinition } from '../../core/service/service.ts';
import type { SymbolId } from '../../domain/units.ts';
import { CoinbaseTickerClient } from '../../integrations/coinbase/index.ts';
import { loadMomentumHistory } from './momentum-history.ts';
import { registerSpotHealth } from './spot-health.ts';
import { SpotPipeline } from './spot-pipeline.ts';
import { SpotStore } from './spot-store.ts';

const STORE_EVERY_MS = 5_000;
const PRUNE_EVERY_MS = 3_600_000;
export const TICK_SILENCE_MS = 10_000;

const SERVICE_OF: Record<SymbolId, ServiceName> = {
  BTC: 'symbol_price_watchdog_btc',
  ETH: 'symbol_price_watchdog_eth',
};

export function createSymbolPriceWatchdog(symbol: SymbolId): ServiceDefinition {
  return {
    name: SERVICE_OF[symbol],
    start: (ctx) => startWatchdog(ctx, symbol),
  };
}

export const symbolPriceWatchdogBtc = createSymbolPriceWatchdog('BTC');
export const symbolPriceWatchdogEth = createSymbolPriceWatchdog('ETH');

async function startWatchdog(ctx: ServiceContext, symbol: SymbolId) {
  const { config, clock, log } = ctx;
  const endpoints = exchangeEndpoints(config, ctx.manifest);
  const productId = `${symbol}-USD`;
  const paper = config.mode === 'paper';
  const topic = marketDataTopic('price', symbol);
  const pipeline = new SpotPipeline(symbol);
  const store = new SpotStore({
    db: ctx.database.db,
    mode: config.mode,
    symbol,
    // The simulator's prices are its process's series, never "real" history.
    candleSource: paper ? 'synthetic' : 'live',
    now: () => clock.now(),
  });
  const client = new CoinbaseTickerClient({
    url: endpoints.coinbaseWsUrl,
    productIds: [productId],
    clock,
    silenceTimeoutMs: TICK_SILENCE_MS,
  });
  let seq = 0;
  let lastPublishedAt: number | undefined;

  client.on('tick', (tick) => {
    if (tick.productId !== productId) return;
    pipeline.addTick({
      sequence: tick.sequence,
      timeMs: tick.time,
      price: tick.price,
      size: tick.lastSize ?? 0,
      receivedAt: tick.receivedAt,
    });
  });
  client.on('reconnecting', ({ attempt, delayMs }) =>
    log.warn({ attempt, delayMs }, 'coinbase feed lost; reconnecting'),
  );
  client.on('subscribed', () => log.info({ productId, url: client.url }, 'coinbase feed subscribed'));
  client.on('gap', (gap) => log.warn(gap, 'coinbase trades missed'));
  client.on('warning', (warning) => log.warn(warning, 'coinbase feed warning'));
  client.on('exchangeError', (error) => log.error(error, 'coinbase feed error message'));

  registerSpotHealth(ctx, { symbol, pipeline, client, store, lastPublishedAt: () => lastPublishedAt });

  const sealDue = async () => {
    const { seconds, candles } = pipeline.seal(clock.now());
    for (const { price, message } of seconds) {
      seq += 1;
      await ctx.bus.publish(topic, { ...message, seq });
      lastPublishedAt = clock.now();
      store.queuePrice({ secondMs: price.secondMs, priceCents: price.priceCents, carried: price.carried });
    }
    for (const candle of candles) store.queueCandle(candle);
  };
  // Wake at each second's deadline (its end + the lateness allowance): a price goes out as soon
  // as it is final, not up to a polling interval later.
  ctx.spawn('seal', async (signal) => {
    while (!signal.aborted) {
      const now = clock.now();
      const deadline = Math.floor((now - pipeline.latenessMs) / 1_000) * 1_000 + 1_000 + pipeline.latenessMs;
      await clock.sleep(Math.max(1, deadline - now), signal);
      await sealDue();
    }
  });
  ctx.every('store', STORE_EVERY_MS, () => store.flush());
  ctx.every('prune', PRUNE_EVERY_MS, async () => {
    await store.prune(config.marketData.priceLogRetentionDays);
  });

  ctx.spawn('momentum history', async (signal) => {
    const history = await loadMomentumHistory({
      db: ctx.database.db,
      symbol,
      series: paper ? 'synthetic' : 'real',
      clock,
      log,
      signal,
      backfill: {
        baseUrl: endpoints.coinbaseRestUrl,
        productId,
        source: paper ? 'synthetic' : 'coinbase',
      },
    });
    pipeline.offerSeeds(history.seeds);
    log.info({ seeds: history.seeds.length, backfilled: history.backfilled }, 'momentum history loaded');
    await store.prune(config.marketData.priceLogRetentionDays);
  });

  // Connecting must not hold the start: the client retries with backoff until the feed answers.
  client.start().catch((error: unknown) => {
    if (!ctx.signal.aborted) log.warn({ err: error }, 'coinbase feed start interrupted');
  });

  return {
    async stop() {
      await client.close();
      await store.flush();
    },
  };
}
