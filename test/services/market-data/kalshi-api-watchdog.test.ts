/**
 * kalshi_api_watchdog against fake Kalshi REST + WebSocket servers (real sockets), in demo mode
 * with a key from the config, on a simulated clock (rate 10) that starts 2 minutes before an hourly
 * close: discovery, live books, market.* published and stored, a seq gap healed, the exchange
 * pausing and resuming, and the rollover at the close with no gap in market.btc.
 */
import { generateKeyPairSync } from 'node:crypto';
import { existsSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import type { MarketMessage } from '../../../src/core/bus/market-data-topics.ts';
import { formatCount, formatDollars } from '../../../src/domain/kalshi/fixed-point.ts';
import { eventTicker, marketTicker, floorStrikeFromStrike } from '../../../src/domain/kalshi/tickers.ts';
import {
  startFakeKalshiHttp,
  type FakeKalshiHttp,
} from '../../../src/integrations/kalshi/testing/fake-kalshi-http.ts';
import { FakeKalshiWs } from '../../../src/integrations/kalshi/testing/fake-kalshi-ws.ts';
import { currentEvent, currentMarket } from '../../../src/integrations/kalshi/testing/fixtures.ts';
import { kalshiApiWatchdog } from '../../../src/services/kalshi_api_watchdog/index.ts';
import { mainApp } from '../../../src/services/main_app/index.ts';
import { countMarketSnapshots } from '../../../src/storage/market-snapshots/market-snapshot-repository.ts';
import { getJson, waitFor } from '../../support/wait.ts';
import { startTestHost, type TestHost } from './support.ts';

const HOUR = 3_600_000;
const CLOSE = Date.parse('2026-01-05T15:00:00Z');
const START = CLOSE - 120_000;
const STRIKES = { BTC: [99_750, 100_000, 100_250], ETH: [3_780, 3_800] } as const;

interface FakeEvent {
  ticker: string;
  series: string;
  closeTimeMs: number;
  tickers: string[];
  strikes: number[];
}

function fakeEvents(): FakeEvent[] {
  return (['BTC', 'ETH'] as const).flatMap((symbol) =>
    [CLOSE, CLOSE + HOUR].map((closeTimeMs) => {
      const ticker = eventTicker(symbol, closeTimeMs);
      const strikes = [...STRIKES[symbol]];
      return {
        ticker,
        series: symbol === 'BTC' ? 'KXBTCD' : 'KXETHD',
        closeTimeMs,
        strikes,
        tickers: strikes.map((k) => marketTicker(ticker, k)),
      };
    }),
  );
}

function eventPayload(e: FakeEvent) {
  const close = new Date(e.closeTimeMs).toISOString();
  const open = new Date(e.closeTimeMs - HOUR).toISOString();
  return {
    ...currentEvent(
      e.tickers.map((ticker, i) =>
        currentMarket({
          ticker,
          event_ticker: e.ticker,
          floor_strike: floorStrikeFromStrike(e.strikes[i]!),
          open_time: open,
          close_time: close,
          last_price_dollars: '0.0000',
          volume_fp: '0.00',
        }),
      ),
    ),
    event_ticker: e.ticker,
    series_ticker: e.series,
    strike_date: close,
  };
}

let env: TestHost | undefined;
let http: FakeKalshiHttp | undefined;
let ws: FakeKalshiWs | undefined;
let pump: NodeJS.Timeout | undefined;
afterEach(async () => {
  if (pump) clearInterval(pump);
  await env?.stop();
  await ws?.close();
  await http?.close();
  env = undefined;
});

describe('kalshi_api_watchdog', () => {
  it('keeps live books, heals a seq gap, reports a paused exchange, and rolls over at the close without a gap', async () => {
    const events = fakeEvents();
    let tradingActive = true;
    ws = await FakeKalshiWs.start({ pingIntervalMs: 200 });
    for (const e of events) {
      for (const t of e.tickers)
        ws.setBook(
          t,
          [
            [4_000, 10],
            [4_100, 5],
          ],
          [[5_500, 7]],
        );
    }
    const fakeWs = ws;
    http = await startFakeKalshiHttp({
      handler: (request) => {
        const path = request.path.replace('/trade-api/v2', '');
        if (path === '/events') {
          const series = request.query.get('series_ticker');
          const minClose = Number(request.query.get('min_close_ts') ?? 0) * 1000;
          const list = events.filter((e) => e.series === series && e.closeTimeMs >= minClose);
          return { status: 200, body: { events: list.map(eventPayload), cursor: '' } };
        }
        if (path === '/exchange/status') {
          return { status: 200, body: { exchange_active: true, trading_active: tradingActive } };
        }
        const book = /^\/markets\/([^/]+)\/orderbook$/.exec(path);
        if (book) {
          const b = fakeWs.bookOf(book[1]!);
          const levels = (side: Array<{ price: number; count: number }>) =>
            [...side].reverse().map((l) => [formatDollars(l.price, 4), formatCount(l.count)]);
          return {
            status: 200,
            body: { orderbook_fp: { yes_dollars: levels(b.yesBids), no_dollars: levels(b.noBids) } },
          };
        }
        return { status: 404, body: { error: { code: 'not_found', message: path } } };
      },
    });

    const keyDir = mkdtempSync(join(tmpdir(), 'recio-key-'));
    const { privateKey } = generateKeyPairSync('rsa', {
      modulusLength: 2048,
      privateKeyEncoding: { type: 'pkcs8', format: 'pem' },
      publicKeyEncoding: { type: 'spki', format: 'pem' },
    });
    writeFileSync(join(keyDir, 'key.pem'), privateKey, { mode: 0o600 });

    env = await startTestHost(
      { kalshi_api_watchdog: async () => kalshiApiWatchdog, main_app: async () => mainApp },
      {
        mode: 'demo',
        clock: { mode: 'simulated', start: new Date(START).toISOString(), rate: 10 },
        kalshi: {
          restUrl: http.baseUrl,
          wsUrl: ws.url,
          apiKeyId: 'test-key',
          privateKeyPath: join(keyDir, 'key.pem'),
        },
        marketData: {
          snapshotStoreIntervalSeconds: 1,
          bookCheckIntervalSeconds: 2,
          marketPublishPerSecond: 5,
        },
      },
    );
    const { host } = env;
    const messages: MarketMessage[] = [];
    await host.bus.subscribe('market.btc', ({ payload }) => void messages.push(payload as MarketMessage));
    const [btcNow, btcNext] = events;

    // Books live: every market of the current event has its book; asks are the complements.
    const live = await waitFor(
      () => messages.find((m) => m.rows.length === 3 && m.rows.every((r) => r.hasBook)),
      10_000,
      'market.btc with books',
    );
    expect(live.eventTicker).toBe(btcNow!.ticker);
    expect(live.closeTimeMs).toBe(CLOSE);
    expect(live.rows[0]).toMatchObject({
      strike: 99_750,
      yesBid: 4_100,
      yesBidSize: 5,
      noBid: 5_500,
      yesAsk: 4_500,
      noAsk: 5_900,
    });
    expect((await getJson(env.url('main_app', '/api/market/btc'))).body.eventTicker).toBe(btcNow!.ticker);
    expect((await getJson(env.url('main_app', '/api/market/xrp'))).status).toBe(404);

    // A delta moves the published top; a seq gap makes the client resnapshot: books equal REST again.
    const t0 = btcNow!.tickers[0]!;
    fakeWs.delta(t0, 'yes', 4_200, 3);
    await waitFor(
      () => (messages.at(-1)!.rows.find((r) => r.ticker === t0)?.yesBid === 4_200 ? true : undefined),
      5_000,
      'the delta',
    );
    fakeWs.delta(t0, 'yes', 4_300, 2, { skip: 1 }); // the message before it was lost
    await waitFor(
      async () => {
        const book = await env!.get('kalshi_api_watchdog', `/books/${t0}`);
        return book.status === 200 &&
          JSON.stringify(book.body.yesBids) === JSON.stringify(fakeWs.bookOf(t0).yesBids)
          ? true
          : undefined;
      },
      5_000,
      'the resnapshot',
    );
    const health = await env.get('kalshi_api_watchdog', '/health');
    const wsCheck = health.body.checks.find((c: { name: string }) => c.name === 'kalshi websocket');
    expect(wsCheck.data.gaps).toBeGreaterThanOrEqual(1);
    expect(wsCheck.data.resyncs).toBeGreaterThanOrEqual(1);

    // Paused exchange → degraded; trading again → healthy.
    pump = setInterval(() => fakeWs.delta(btcNext!.tickers[1]!, 'no', 5_000, 1), 100); // keep data flowing
    tradingActive = false;
    await waitFor(
      async () =>
        (await env!.get('kalshi_api_watchdog', '/health')).body.status === 'degraded' ? true : undefined,
      5_000,
      'degraded while paused',
    );
    tradingActive = true;
    await waitFor(
      async () =>
        (await env!.get('kalshi_api_watchdog', '/health')).body.status === 'healthy' ? true : undefined,
      5_000,
      'healthy again',
    );

    // The rollover: market.btc switches to the next event at the close, with no gap.
    const after = await waitFor(
      () => messages.find((m) => m.eventTicker === btcNext!.ticker),
      10_000,
      'the next event',
    );
    expect(after.at).toBeGreaterThanOrEqual(CLOSE);
    expect(after.at - CLOSE).toBeLessThanOrEqual(500);
    expect(after.rows.every((r) => r.hasBook)).toBe(true); // its books were held before the close
    const before = messages.filter((m) => m.eventTicker === btcNow!.ticker).at(-1)!;
    expect(before.at).toBeLessThan(CLOSE);
    const times = messages.map((m) => m.at);
    times.slice(1).forEach((t, i) => expect(t - times[i]!).toBeLessThanOrEqual(1_300));
    messages.slice(1).forEach((m, i) => expect(m.seq).toBe(messages[i]!.seq + 1)); // none lost

    // Stored snapshots and the JSON file.
    expect(await countMarketSnapshots(host.database.db, 'demo', 'BTC')).toBeGreaterThan(0);
    const file = join(env.dataDir, 'snapshots', 'market-btc.json');
    expect(existsSync(file)).toBe(true);
    expect(JSON.parse(readFileSync(file, 'utf8')).symbol).toBe('BTC');
  }, 60_000);
});
