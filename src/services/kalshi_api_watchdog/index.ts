/**
 * kalshi_api_watchdog (8005): discovers each symbol's current and next hourly event (REST),
 * keeps live books of all their markets over the WebSocket (seq-checked; a gap → fresh
 * snapshot, done by KalshiWsClient), follows lifecycle messages, cross-checks WebSocket books
 * against REST, rolls over to the next event at the close without a gap, and publishes
 * `market.<sym>` (throttled); snapshots go to PostgreSQL (throttled, pruned) and to
 * `<dataDir>/snapshots/market-<sym>.json`. /health: Kalshi API latency, error and 429 rates,
 * message age, resubscribes, books, drift.
 *
 * Wiring only: rules in src/domain/market-data, sockets in src/integrations/kalshi, the parts
 * in this folder (board, subscriptions, discovery, publisher, cross-check, health).
 */
import { exchangeEndpoints } from '../../core/config/endpoints.ts';
import { notFound } from '../../core/http/problem.ts';
import type { ServiceContext, ServiceDefinition } from '../../core/service/service.ts';
import { symbolOfSeries } from '../../domain/kalshi/tickers.ts';
import { KalshiRestClient, KalshiWsClient } from '../../integrations/kalshi/index.ts';
import { deleteMarketSnapshotsBefore } from '../../storage/market-snapshots/market-snapshot-repository.ts';
import { BookCrossCheck } from './book-check.ts';
import { BookSubscriptions } from './book-subscriptions.ts';
import { KalshiCredentialsError, signerFromConfig } from './credentials.ts';
import { EventDiscovery } from './event-discovery.ts';
import { registerKalshiHealth, type WsActivity } from './kalshi-health.ts';
import { MarketBoard } from './market-board.ts';
import { MarketPublisher } from './market-publisher.ts';
import { RestStats } from './rest-stats.ts';

const DISCOVERY_EVERY_MS = 30_000;
const HOUSEKEEPING_EVERY_MS = 250;
const EXCHANGE_STATUS_EVERY_MS = 10_000;
const PRUNE_EVERY_MS = 3_600_000;
const DAY_MS = 86_400_000;

export const kalshiApiWatchdog: ServiceDefinition = {
  name: 'kalshi_api_watchdog',
  start: startKalshiWatchdog,
};

async function startKalshiWatchdog(ctx: ServiceContext) {
  const { config, clock, log } = ctx;
  const endpoints = exchangeEndpoints(config, ctx.manifest);
  const signer = signerFromConfig(config, clock);
  if (signer === undefined) {
    throw new KalshiCredentialsError(
      `no paper API key in ${config.dataDir}/simulator yet (exchange_simulator creates it on its first start)`,
    );
  }
  const stats = new RestStats(() => clock.now());
  const rest = new KalshiRestClient({
    baseUrl: endpoints.kalshiRestUrl,
    clock,
    signer,
    tier: config.kalshi.tier,
    onRetry: (info) => {
      stats.onRetry(info.reason);
      log.debug(info, 'kalshi read retried');
    },
  });
  const ws = new KalshiWsClient({ url: endpoints.kalshiWsUrl, clock, signer });
  const board = new MarketBoard();
  const subscriptions = new BookSubscriptions(ws, log);
  const publisher = new MarketPublisher({
    bus: ctx.bus,
    board,
    bookTop: (ticker) => ws.book(ticker)?.top(),
    clock,
    db: ctx.database.db,
    mode: config.mode,
    dataDir: config.dataDir,
    perSecond: config.marketData.marketPublishPerSecond,
    storeIntervalMs: config.marketData.snapshotStoreIntervalSeconds * 1_000,
    log,
    onError: (error) => ctx.fail(error),
  });
  const discovery = new EventDiscovery({
    rest,
    stats,
    board,
    subscriptions,
    now: () => clock.now(),
    log,
    onChange: (symbol) => publisher.markDirty(symbol),
  });
  const crossCheck = new BookCrossCheck({ rest, ws, stats, board, subscriptions, clock, log });
  const activity: WsActivity = {
    lastDataAt: undefined,
    bookUpdates: 0,
    resubscribes: 0,
    exchange: undefined,
  };

  /** A change in a followed market: publish its symbol when the market is in the current event. */
  const touched = (ticker: string) => {
    activity.lastDataAt = clock.now();
    const event = board.eventOfMarket(ticker);
    if (event && board.selection(event.symbol, clock.now()).current === event)
      publisher.markDirty(event.symbol);
  };
  ws.on('book', ({ marketTicker }) => {
    activity.bookUpdates += 1;
    touched(marketTicker);
  });
  ws.on('bookReset', ({ marketTicker }) => touched(marketTicker));
  ws.on('ticker', (update) => {
    if (board.applyTicker(update)) touched(update.marketTicker);
    else activity.lastDataAt = clock.now();
  });
  ws.on('marketLifecycle', (message) => {
    activity.lastDataAt = clock.now();
    const change = board.applyLifecycle(message);
    if (!change) return;
    if (change.added) subscriptions.follow(change.event.eventTicker, [message.marketTicker]);
    publisher.markDirty(change.event.symbol);
  });
  ws.on('eventLifecycle', (message) => {
    // A new hourly event of ours: discover it now rather than at the next round.
    if (symbolOfSeries(message.seriesTicker)) void discovery.run(ctx.signal);
  });
  ws.on('subscribed', ({ resubscribed }) => {
    if (resubscribed) activity.resubscribes += 1;
  });
  ws.on('seqGap', (gap) => log.info(gap, 'kalshi seq gap; resyncing the books'));
  ws.on('reconnecting', ({ attempt, delayMs }) =>
    log.warn({ attempt, delayMs }, 'kalshi websocket lost; reconnecting'),
  );
  ws.on('warning', (warning) => log.warn(warning, 'kalshi websocket warning'));

  // Internal (token): one market's WebSocket book, whole, in the REST shape (checks, debugging).
  ctx.http.get<{ Params: { ticker: string } }>('/books/:ticker', async (request) => {
    const book = ws.book(request.params.ticker);
    if (!book) throw notFound(`no book held for ${request.params.ticker.slice(0, 80)}`);
    return book.snapshot();
  });

  registerKalshiHealth(ctx, { stats, ws, board, discovery, crossCheck, publisher, subscriptions, activity });

  subscriptions.followLifecycle();
  ws.start().catch((error: unknown) => {
    if (!ctx.signal.aborted) log.warn({ err: error }, 'kalshi websocket start interrupted');
  });

  ctx.spawn('first discovery', (signal) => discovery.run(signal));
  ctx.every('discovery', DISCOVERY_EVERY_MS, () => discovery.run(ctx.signal));
  ctx.every('housekeeping', HOUSEKEEPING_EVERY_MS, () => {
    const dropped = discovery.dropClosed(clock.now());
    if (dropped.length > 0) {
      log.info({ dropped }, 'events closed; rolled over to the next');
      void discovery.run(ctx.signal); // find the new "next" right away
    }
    publisher.heartbeat();
  });
  ctx.every('book check', config.marketData.bookCheckIntervalSeconds * 1_000, () =>
    crossCheck.run(ctx.signal),
  );
  ctx.every('exchange status', EXCHANGE_STATUS_EVERY_MS, async () => {
    try {
      const status = await stats.time(() => rest.getExchangeStatus({ signal: ctx.signal }));
      activity.exchange = {
        tradingActive: status.tradingActive,
        exchangeActive: status.exchangeActive,
        at: clock.now(),
      };
    } catch (error) {
      if (!ctx.signal.aborted) log.warn({ err: error }, 'exchange status unavailable');
    }
  });
  const prune = async () => {
    try {
      const removed = await deleteMarketSnapshotsBefore(
        ctx.database.db,
        clock.now() - config.marketData.snapshotRetentionDays * DAY_MS,
      );
      if (removed > 0) log.info({ removed }, 'old market snapshots pruned');
    } catch (error) {
      log.warn({ err: error }, 'market snapshot retention failed');
    }
  };
  ctx.every('snapshot retention', PRUNE_EVERY_MS, prune);
  ctx.spawn('first retention', prune);

  return {
    async stop() {
      publisher.stop();
      await ws.close();
    },
  };
}
