/**
 * /health and /metrics of kalshi_api_watchdog.
 * - `market publishing` (critical): each symbol's `market.<sym>` went out in the last 5 s.
 * - `kalshi rest`: the last discovery succeeded and under 25 % of calls failed in the window;
 *   shows latency p50/p99, error and 429 rates.
 * - `kalshi websocket`: connected, and a data message in the last 15 s (a paused exchange
 *   withholds data: degraded until it speaks again); reconnects, resubscribes, gaps.
 * - `exchange status`: Kalshi says trading is active.
 * - `books`: each symbol has a current event and a book for every one of its markets (a resync
 *   in flight is allowed 10 s).
 * - `book drift`: the last WebSocket-vs-REST round found no drift.
 * Every check allows the first 20 s after start for the first answers.
 */
import { Gauge } from 'prom-client';
import type { ServiceContext } from '../../core/service/service.ts';
import { SYMBOLS, type EpochMs, type SymbolId } from '../../domain/units.ts';
import type { KalshiWsClient } from '../../integrations/kalshi/index.ts';
import type { BookCrossCheck } from './book-check.ts';
import type { BookSubscriptions } from './book-subscriptions.ts';
import type { EventDiscovery } from './event-discovery.ts';
import type { MarketBoard } from './market-board.ts';
import type { MarketPublisher } from './market-publisher.ts';
import type { RestStats } from './rest-stats.ts';

const GRACE_MS = 20_000;
const MAX_PUBLISH_AGE_MS = 5_000;
const MAX_MESSAGE_AGE_MS = 15_000;
const MAX_INCOMPLETE_MS = 10_000;
const MAX_ERROR_RATE = 0.25;

export interface WsActivity {
  lastDataAt: EpochMs | undefined;
  bookUpdates: number;
  resubscribes: number;
  exchange: { tradingActive: boolean; exchangeActive: boolean; at: EpochMs } | undefined;
}

export interface KalshiHealthSources {
  stats: RestStats;
  ws: KalshiWsClient;
  board: MarketBoard;
  discovery: EventDiscovery;
  crossCheck: BookCrossCheck;
  publisher: MarketPublisher;
  subscriptions: BookSubscriptions;
  activity: WsActivity;
}

export function registerKalshiHealth(ctx: ServiceContext, s: KalshiHealthSources): void {
  const { clock } = ctx;
  const startedAt = clock.now();
  const inGrace = () => clock.now() - startedAt <= GRACE_MS;
  const incompleteSince = new Map<SymbolId, EpochMs>();

  const bookCoverage = (symbol: SymbolId) => {
    const event = s.board.selection(symbol, clock.now()).current;
    if (!event) return undefined;
    const tickers = [...event.markets.keys()];
    const withBook = tickers.filter((t) => s.ws.book(t) !== undefined).length;
    return { eventTicker: event.eventTicker, markets: tickers.length, withBook };
  };

  ctx.health.add({
    name: 'market publishing',
    critical: true,
    check: () => {
      const now = clock.now();
      const ages = Object.fromEntries(
        SYMBOLS.map((sym) => {
          const at = s.publisher.lastPublishedAt(sym);
          return [sym, at === undefined ? null : now - at];
        }),
      );
      const late = SYMBOLS.filter((sym) => ages[sym] === null || ages[sym]! > MAX_PUBLISH_AGE_MS);
      return {
        ok: late.length === 0 || inGrace(),
        detail: late.length === 0 ? 'market.* current' : `no recent market.* for ${late.join(', ')}`,
        data: { publishAgeMs: ages, ...s.publisher.stats() },
      };
    },
  });

  ctx.health.add({
    name: 'kalshi rest',
    check: () => {
      const summary = s.stats.summary();
      const discovery = s.discovery.status();
      const discoveryOk = discovery.lastError === undefined && discovery.lastOkAt !== undefined;
      const ok =
        (discoveryOk || (discovery.lastRunAt === undefined && inGrace())) &&
        summary.errorRate <= MAX_ERROR_RATE;
      return {
        ok,
        detail: `p50 ${summary.p50Ms ?? '–'} ms, p99 ${summary.p99Ms ?? '–'} ms, errors ${pct(summary.errorRate)}, 429 ${pct(summary.rateLimitedRate)}${discovery.lastError ? `; discovery: ${discovery.lastError}` : ''}`,
        data: { ...summary, discovery },
      };
    },
  });

  ctx.health.add({
    name: 'kalshi websocket',
    check: () => {
      const stats = s.ws.stats();
      const age = s.activity.lastDataAt === undefined ? null : clock.now() - s.activity.lastDataAt;
      const fresh = age === null ? inGrace() : age <= MAX_MESSAGE_AGE_MS;
      return {
        ok: s.ws.isOpen && fresh,
        detail: !s.ws.isOpen
          ? `disconnected (${stats.reconnects} reconnects)`
          : age === null
            ? 'connected, no data yet'
            : `last data ${(age / 1000).toFixed(1)} s ago, ${s.activity.resubscribes} resubscribes`,
        data: {
          open: s.ws.isOpen,
          messageAgeMs: age,
          resubscribes: s.activity.resubscribes,
          bookUpdates: s.activity.bookUpdates,
          refusedSubscriptions: s.subscriptions.refused,
          ...stats,
        },
      };
    },
  });

  ctx.health.add({
    name: 'exchange status',
    check: () => {
      const exchange = s.activity.exchange;
      if (!exchange) return { ok: true, detail: 'not asked yet' };
      return {
        ok: exchange.tradingActive && exchange.exchangeActive,
        detail: exchange.tradingActive ? 'trading active' : 'trading paused at the exchange',
        data: exchange,
      };
    },
  });

  ctx.health.add({
    name: 'books',
    check: () => {
      const now = clock.now();
      const coverage = Object.fromEntries(SYMBOLS.map((sym) => [sym, bookCoverage(sym) ?? null]));
      const problems: string[] = [];
      for (const sym of SYMBOLS) {
        const c = coverage[sym];
        if (!c) {
          problems.push(`${sym}: no current event`);
          continue;
        }
        if (c.withBook === c.markets) {
          incompleteSince.delete(sym);
          continue;
        }
        const since = incompleteSince.get(sym) ?? now;
        incompleteSince.set(sym, since);
        if (now - since > MAX_INCOMPLETE_MS) problems.push(`${sym}: ${c.markets - c.withBook} books missing`);
      }
      return {
        ok: problems.length === 0 || inGrace(),
        detail: problems.length === 0 ? 'current events held' : problems.join('; '),
        data: { coverage, followed: s.subscriptions.followed() },
      };
    },
  });

  ctx.health.add({
    name: 'book drift',
    check: () => {
      const status = s.crossCheck.status();
      return {
        ok: status.lastRoundDrifted === 0,
        detail:
          status.lastRoundAt === undefined
            ? 'no cross-check yet'
            : `${status.marketsChecked} books checked, ${status.drifted} drifted`,
        data: { ...status },
      };
    },
  });

  const gauge = (name: string, help: string, read: () => number | null | undefined) =>
    new Gauge({
      name,
      help,
      registers: [ctx.metrics],
      collect() {
        const value = read();
        if (value !== null && value !== undefined) this.set(value);
      },
    });
  gauge('recio_kalshi_rest_latency_p50_seconds', 'Kalshi REST latency p50 (5 min)', () =>
    ms(s.stats.summary().p50Ms),
  );
  gauge('recio_kalshi_rest_latency_p99_seconds', 'Kalshi REST latency p99 (5 min)', () =>
    ms(s.stats.summary().p99Ms),
  );
  gauge(
    'recio_kalshi_rest_error_ratio',
    'Failed Kalshi REST calls (5 min)',
    () => s.stats.summary().errorRate,
  );
  gauge(
    'recio_kalshi_rest_429_ratio',
    'Kalshi REST attempts answered 429 (5 min)',
    () => s.stats.summary().rateLimitedRate,
  );
  gauge('recio_kalshi_ws_message_age_seconds', 'Age of the newest Kalshi data message', () =>
    s.activity.lastDataAt === undefined ? undefined : (clock.now() - s.activity.lastDataAt) / 1000,
  );
  gauge(
    'recio_kalshi_ws_reconnects',
    'Kalshi WebSocket reconnects since start',
    () => s.ws.stats().reconnects,
  );
  gauge('recio_kalshi_ws_resubscribes', 'Kalshi subscriptions re-established', () => s.activity.resubscribes);
  gauge('recio_kalshi_ws_seq_gaps', 'Kalshi seq gaps seen', () => s.ws.stats().gaps);
  gauge('recio_kalshi_ws_book_resyncs', 'Order-book resyncs after a gap', () => s.ws.stats().resyncs);
  gauge(
    'recio_kalshi_book_drift',
    'Books found drifted from REST since start',
    () => s.crossCheck.status().drifted,
  );
  gauge(
    'recio_kalshi_books_checked',
    'Books cross-checked against REST since start',
    () => s.crossCheck.status().marketsChecked,
  );
  gauge(
    'recio_market_messages_published',
    'market.* messages published since start',
    () => s.publisher.stats().published,
  );
}

function pct(ratio: number): string {
  return `${(ratio * 100).toFixed(1)} %`;
}

function ms(value: number | null): number | null {
  return value === null ? null : value / 1000;
}
