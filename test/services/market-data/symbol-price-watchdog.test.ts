/**
 * symbol_price_watchdog_btc over a fake Coinbase feed (real sockets), on a simulated clock
 * (rate 10: the 10-s silence timeout passes in one real second).
 */
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { PriceMessage } from '../../../src/core/bus/market-data-topics.ts';
import { FakeCoinbaseWs } from '../../../src/integrations/coinbase/testing/fake-coinbase-ws.ts';
import { mainApp } from '../../../src/services/main_app/index.ts';
import { symbolPriceWatchdogBtc } from '../../../src/services/symbol_price_watchdog/index.ts';
import { upsertCandles } from '../../../src/storage/candles/candle-repository.ts';
import { readPrices } from '../../../src/storage/market-snapshots/price-log-repository.ts';
import { getJson, waitFor } from '../../support/wait.ts';
import { startTestHost, type TestHost } from './support.ts';

const START = Date.parse('2026-01-05T14:29:40Z');
const MIN = 60_000;

let feed: FakeCoinbaseWs;
let env: TestHost | undefined;
let ticker: NodeJS.Timeout | undefined;

beforeEach(async () => {
  feed = await FakeCoinbaseWs.start();
});
afterEach(async () => {
  if (ticker) clearInterval(ticker);
  await env?.stop();
  env = undefined;
  await feed.close();
});

describe('symbol_price_watchdog_btc', () => {
  it('publishes a price every second with seeded momentum, stores prices and candles, and resumes after a silent feed', async () => {
    // Stored history: the 32 minutes before the start closed at 99 000.00 (the simulator's series
    // in paper mode) — in the database before the watchdog starts and reads its momentum seeds.
    const first = Math.floor(START / MIN) * MIN - 32 * MIN;
    env = await startTestHost(
      { symbol_price_watchdog_btc: async () => symbolPriceWatchdogBtc, main_app: async () => mainApp },
      {
        clock: { mode: 'simulated', start: new Date(START).toISOString(), rate: 10 },
        coinbase: { wsUrl: feed.url, restUrl: 'http://127.0.0.1:9/coinbase' }, // backfill unreachable: storage only
      },
      (db) =>
        upsertCandles(
          db,
          'BTC',
          'synthetic',
          Array.from({ length: 32 }, (_, i) => ({
            ts: first + i * MIN,
            open: 99_000,
            high: 99_000,
            low: 99_000,
            close: 99_000,
            volume: 1,
          })),
        ).then(() => undefined),
    );
    const { host } = env;
    const messages: PriceMessage[] = [];
    await host.bus.subscribe('price.btc', ({ payload }) => void messages.push(payload as PriceMessage));

    let price = 100_000;
    let sending = true;
    await waitFor(() => (feed.connectionCount > 0 ? true : undefined), 5_000, 'the feed connection');
    ticker = setInterval(() => {
      if (!sending) return;
      price += 0.5;
      feed.tick('BTC-USD', price.toFixed(2), new Date(host.clock.now()).toISOString());
    }, 20);

    await waitFor(() => (messages.length >= 8 ? true : undefined), 10_000, 'eight prices');
    const seconds = messages.map((m) => m.secondMs);
    seconds.slice(1).forEach((s, i) => expect(s - seconds[i]!).toBe(1_000)); // one per second, no hole
    expect(messages.map((m) => m.seq)).toEqual(messages.map((_, i) => i + 1));
    const withSeeds = messages.find((m) => m.momentum.missingHorizons.length === 0);
    expect(withSeeds, 'momentum from stored candles').toBeDefined();
    // Within the first minute every horizon's reference is a stored 99 000.00 close: the momentum is that one return.
    expect(withSeeds!.secondMs).toBeLessThan(START + MIN);
    expect(withSeeds!.momentum.deltas.map((d) => d.referenceCents)).toEqual(Array(6).fill(9_900_000));
    expect(withSeeds!.momentum.percent).toBeCloseTo(((withSeeds!.price - 99_000) / 99_000) * 100, 10);

    const api = await getJson(env.url('main_app', '/api/price/btc'));
    expect(api.status).toBe(200);
    expect(api.body).toMatchObject({ symbol: 'BTC', carried: false });
    expect((await getJson(env.url('main_app', '/api/price/doge'))).status).toBe(404);
    expect((await getJson(env.url('main_app', '/api/price/eth'))).status).toBe(503);

    // The 1-s log and the minute candle reach PostgreSQL.
    await waitFor(
      async () => {
        const rows = await readPrices(host.database.db, 'paper', 'BTC', START - MIN, host.clock.now());
        return rows.length >= 5 ? rows : undefined;
      },
      10_000,
      'stored prices',
    );
    const candle = await waitFor(
      async () => {
        const row = await host.database.db
          .selectFrom('market.candles_1m')
          .select(['ts', 'close', 'source'])
          .where('symbol', '=', 'BTC')
          .where('ts', '>=', new Date(START))
          .executeTakeFirst();
        return row;
      },
      15_000,
      'the first live candle',
    );
    expect(candle.source).toBe('synthetic'); // paper mode: the simulator's series, never "real" history

    // Silence: no message at all. After 10 s of clock time the client reconnects; /health says down meanwhile.
    sending = false;
    await waitFor(
      () => (feed.subscribes.length >= 2 ? true : undefined),
      10_000,
      'a reconnect after silence',
    );
    const health = await env.get('symbol_price_watchdog_btc', '/health');
    const spotFeed = health.body.checks.find((c: { name: string }) => c.name === 'spot feed');
    expect(spotFeed.data.reconnects).toBeGreaterThanOrEqual(1);
    const before = messages.length;
    const silentUntil = host.clock.now();
    sending = true;
    await waitFor(
      () => (messages.slice(before).some((m) => !m.carried && m.secondMs > silentUntil) ? true : undefined),
      10_000,
      'prices after the reconnect',
    );
    await waitFor(
      async () =>
        (await env!.get('symbol_price_watchdog_btc', '/health')).body.status === 'healthy' ? true : undefined,
      10_000,
      'healthy again',
    );
  }, 60_000);
});
