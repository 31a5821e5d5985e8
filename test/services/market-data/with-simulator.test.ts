/**
 * The market-data services against the exchange simulator, all in one process as `npm start`
 * hosts them (ports moved to free ones, a fresh PostgreSQL database), with faults injected
 * through the simulator's admin API.
 */
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import type { IndexMessage, MarketMessage, PriceMessage } from '../../../src/core/bus/market-data-topics.ts';
import { RealClock, type SimulatedClock } from '../../../src/core/clock/index.ts';
import type { DatabaseHandle } from '../../../src/core/db/index.ts';
import type { ServiceRegistry } from '../../../src/core/service/host.ts';
import { settlementValue } from '../../../src/domain/kalshi/settlement.ts';
import { KalshiRestClient } from '../../../src/integrations/kalshi/index.ts';
import { btcPriceWatchdog } from '../../../src/services/btc_price_watchdog/index.ts';
import { exchangeSimulator } from '../../../src/services/exchange_simulator/index.ts';
import { kalshiApiWatchdog } from '../../../src/services/kalshi_api_watchdog/index.ts';
import { mainApp } from '../../../src/services/main_app/index.ts';
import {
  symbolPriceWatchdogBtc,
  symbolPriceWatchdogEth,
} from '../../../src/services/symbol_price_watchdog/index.ts';
import { upsertCandles } from '../../../src/storage/candles/candle-repository.ts';
import { countMarketSnapshots } from '../../../src/storage/market-snapshots/market-snapshot-repository.ts';
import { getJson, waitFor } from '../../support/wait.ts';
import { startTestHost, type TestHost } from './support.ts';

const MIN = 60_000;

const REGISTRY: ServiceRegistry = {
  exchange_simulator: async () => exchangeSimulator,
  symbol_price_watchdog_btc: async () => symbolPriceWatchdogBtc,
  symbol_price_watchdog_eth: async () => symbolPriceWatchdogEth,
  btc_price_watchdog: async () => btcPriceWatchdog,
  kalshi_api_watchdog: async () => kalshiApiWatchdog,
  main_app: async () => mainApp,
};
const OURS = [
  'symbol_price_watchdog_btc',
  'symbol_price_watchdog_eth',
  'btc_price_watchdog',
  'kalshi_api_watchdog',
];

let env: TestHost | undefined;
afterEach(async () => {
  await env?.stop();
  env = undefined;
});

function collect<T>(host: TestHost['host'], pattern: string): Promise<T[]> {
  const list: T[] = [];
  return host.bus.subscribe(pattern, ({ payload }) => void list.push(payload as T)).then(() => list);
}

async function checkOf(service: (typeof OURS)[number], name: string) {
  const health = await env!.get(service as never, '/health');
  return {
    status: health.body.status as string,
    check: health.body.checks.find((c: { name: string }) => c.name === name),
  };
}

/** Stored minute closes at the simulator's start prices: momentum can start from them. */
async function storedHistory(db: DatabaseHandle['db'], nowMs: number): Promise<void> {
  const first = Math.floor(nowMs / MIN) * MIN - 32 * MIN;
  for (const [symbol, price] of [
    ['BTC', 115_000],
    ['ETH', 3_800],
  ] as const) {
    const candles = Array.from({ length: 32 }, (_, i) => ({
      ts: first + i * MIN,
      open: price,
      high: price,
      low: price,
      close: price,
      volume: 1,
    }));
    await upsertCandles(db, symbol, 'synthetic', candles);
  }
}

describe('market data on the simulator', () => {
  it('within 30 s of the start: prices every second with momentum, live books, stored snapshots, JSON files, four healthy services', async () => {
    const startedAt = Date.now();
    env = await startTestHost(REGISTRY, {}, (db) => storedHistory(db, Date.now()));
    const { host } = env;
    const prices = await collect<PriceMessage>(host, 'price.btc');
    const markets = await collect<MarketMessage>(host, 'market.eth');

    const services = await waitFor(
      async () => {
        const { body } = await getJson(env!.url('main_app', '/api/system/services'));
        const ours = body.services.filter((s: { name: string }) => OURS.includes(s.name));
        return ours.every((s: { health: { status: string } | null }) => s.health?.status === 'healthy')
          ? ours
          : undefined;
      },
      30_000 - (Date.now() - startedAt),
      'the four services healthy',
    );
    expect(services).toHaveLength(4);

    await waitFor(() => (prices.length >= 4 ? true : undefined), 10_000, 'prices');
    const seconds = prices.map((p) => p.secondMs);
    seconds.slice(1).forEach((s, i) => expect(s - seconds[i]!).toBe(1_000));
    expect(prices.at(-1)!.momentum.missingHorizons).toEqual([]); // from the stored candles

    const book = markets.at(-1)!;
    expect(book.rows.length).toBeGreaterThan(10);
    expect(book.rows.every((r) => r.hasBook)).toBe(true);
    expect(book.rows.some((r) => r.yesBid !== null && r.noBid !== null)).toBe(true);

    await waitFor(
      async () => ((await countMarketSnapshots(host.database.db, 'paper', 'ETH')) > 0 ? true : undefined),
      15_000,
      'a stored snapshot',
    );
    for (const sym of ['btc', 'eth']) {
      const file = join(env.dataDir, 'snapshots', `market-${sym}.json`);
      expect(existsSync(file), file).toBe(true);
      expect(JSON.parse(readFileSync(file, 'utf8')).rows.length).toBeGreaterThan(10);
    }
    const api = await getJson(env.url('main_app', '/api/market/eth'));
    expect(api.body.eventTicker).toMatch(/^KXETHD-/);
    expect(Date.now() - startedAt).toBeLessThan(30_000);
  }, 60_000);

  it('survives a silent feed, a silent index, seq gaps and a paused exchange', async () => {
    env = await startTestHost(REGISTRY, {
      clock: { mode: 'simulated', start: '2026-01-05T14:20:00Z', rate: 10 },
    });
    const { host } = env;
    const clock = host.clock as SimulatedClock;
    const prices = await collect<PriceMessage>(host, 'price.btc');
    const index = await collect<IndexMessage>(host, 'index.btc');
    await waitFor(
      async () =>
        (await env!.get('kalshi_api_watchdog', '/health')).body.status === 'healthy' ? true : undefined,
      20_000,
      'a healthy kalshi_api_watchdog',
    );

    // 1. Silent Coinbase feed: every message dropped. The client reconnects after 10 s of silence.
    await env.send('exchange_simulator', 'PUT', '/admin/faults', {
      ws: { dropShare: 1, targets: ['coinbase'] },
    });
    const silent = await waitFor(
      async () => {
        const { status, check } = await checkOf('symbol_price_watchdog_btc', 'spot feed');
        return check.data.reconnects >= 1 && status === 'down' ? clock.now() : undefined;
      },
      15_000,
      'a reconnect after silence, and /health down meanwhile',
    );
    await env.send('exchange_simulator', 'DELETE', '/admin/faults');
    await waitFor(
      () => (prices.some((p) => !p.carried && p.secondMs > silent) ? true : undefined),
      15_000,
      'traded prices again',
    );
    await waitFor(
      async () =>
        (await env!.get('symbol_price_watchdog_btc', '/health')).body.status === 'healthy' ? true : undefined,
      10_000,
      'a healthy price watchdog',
    );

    // 2. Silent index channel: spot becomes the reference; the index again once it prints.
    await waitFor(() => (index.at(-1)?.source === 'cfbenchmarks' ? true : undefined), 10_000, 'the index');
    await env.send('exchange_simulator', 'PUT', '/admin/faults', {
      ws: { dropShare: 1, targets: ['kalshi'], messageTypes: ['cfbenchmarks_value'] },
    });
    await waitFor(() => (index.at(-1)?.source === 'spot' ? true : undefined), 10_000, 'spot as the fallback');
    await env.send('exchange_simulator', 'DELETE', '/admin/faults');
    await waitFor(
      () => (index.at(-1)?.source === 'cfbenchmarks' ? true : undefined),
      10_000,
      'the index again',
    );

    // 3. Seq gaps: a share of the order-book messages is lost; the client resnapshots.
    await env.send('exchange_simulator', 'PUT', '/admin/faults', {
      ws: { dropShare: 0.3, targets: ['kalshi'], messageTypes: ['orderbook_delta'] },
    });
    await waitFor(
      async () => {
        const { check } = await checkOf('kalshi_api_watchdog', 'kalshi websocket');
        return check.data.gaps >= 1 && check.data.resyncs >= 1 ? true : undefined;
      },
      15_000,
      'gaps and resyncs',
    );
    await env.send('exchange_simulator', 'DELETE', '/admin/faults');
    await new Promise((r) => setTimeout(r, 500));
    // Freeze time: the market stops moving, so REST and WebSocket books must agree exactly.
    clock.setRate(0);
    const market = (await getJson(env.url('main_app', '/api/market/btc'))).body as MarketMessage;
    const rest = new KalshiRestClient({
      baseUrl: env.url('exchange_simulator', '/trade-api/v2'),
      clock: new RealClock(),
      tier: 'prime',
    });
    await waitFor(
      async () => {
        for (const row of market.rows) {
          const ws = await env!.get('kalshi_api_watchdog', `/books/${row.ticker}`);
          const book = await rest.getOrderbook(row.ticker);
          if (ws.status !== 200) return undefined;
          expect({ yesBids: ws.body.yesBids, noBids: ws.body.noBids }).toEqual({
            yesBids: book.yesBids,
            noBids: book.noBids,
          });
        }
        return true;
      },
      10_000,
      'every book equal to its REST book',
    );
    clock.setRate(10);

    // 4. Exchange paused: the WebSocket withholds data → degraded; trading again → healthy.
    await env.send('exchange_simulator', 'PUT', '/admin/faults', { paused: true });
    await waitFor(
      async () => {
        const { status, check } = await checkOf('kalshi_api_watchdog', 'kalshi websocket');
        return status === 'degraded' && !check.ok ? true : undefined;
      },
      15_000,
      'degraded while paused',
    );
    await env.send('exchange_simulator', 'PUT', '/admin/faults', { paused: false });
    await waitFor(
      async () =>
        (await env!.get('kalshi_api_watchdog', '/health')).body.status === 'healthy' ? true : undefined,
      15_000,
      'healthy after the pause',
    );
  }, 120_000);

  it('rolls market.* over at the close without a gap; the 60-s average published at the close equals the simulator’s settlement', async () => {
    const close = Date.parse('2026-01-05T15:00:00Z');
    env = await startTestHost(REGISTRY, {
      clock: { mode: 'simulated', start: new Date(close - 100_000).toISOString(), rate: 20 },
    });
    const { host } = env;
    const markets = await collect<MarketMessage>(host, 'market.btc');
    const prices = await collect<PriceMessage>(host, 'price.btc');
    const index = await collect<IndexMessage>(host, 'index.btc');

    const settled = await waitFor(
      () => index.find((m) => m.lastSettlement?.closeTimeMs === close),
      20_000,
      'the settlement at the close',
    );

    // No gap: market.btc went out at least every 1.3 s around the close, and switched to the
    // next event within 500 ms of it, with that event's books already held.
    const first = markets.findIndex((m) => m.at >= close - 30_000);
    const around = markets.slice(first).filter((m) => m.at <= close + 10_000);
    around.slice(1).forEach((m, i) => expect(m.at - around[i]!.at).toBeLessThanOrEqual(1_300));
    const before = around.filter((m) => m.at < close).at(-1)!;
    const after = around.find((m) => m.at >= close)!;
    expect(after.eventTicker).not.toBe(before.eventTicker);
    expect(before.closeTimeMs).toBe(close);
    expect(after.closeTimeMs).toBe(close + 3_600_000);
    expect(after.at - close).toBeLessThanOrEqual(500);
    expect(after.rows.every((r) => r.hasBook)).toBe(true);

    // The published value is the simulator's settlement, exactly: the watchdog averaged the
    // index prints the simulator settles on (its `cfbenchmarks_value` channel), not spot.
    expect(settled.source).toBe('cfbenchmarks');
    const rest = new KalshiRestClient({
      baseUrl: env.url('exchange_simulator', '/trade-api/v2'),
      clock: new RealClock(),
    });
    const determined = await waitFor(
      async () => {
        const market = await rest.getMarket(before.rows[0]!.ticker);
        return market.expirationValue ? market.expirationValue : undefined;
      },
      20_000,
      'the simulator’s settlement value',
    );
    expect(settled.lastSettlement).toMatchObject({ printCount: 60, display: determined });

    // Spot, the fallback reference, is only a proxy of the index (a basis of ~0.5 bp).
    const window = prices.filter((p) => p.secondMs >= close - 60_000 && p.secondMs < close);
    const spot = settlementValue(
      window.map((p) => ({ timeMs: p.secondMs, price: p.price })),
      close,
    );
    expect(spot.status).toBe('ok');
    if (spot.status !== 'ok') return;
    const basisBps = Math.abs(Number(spot.displayDollars) / Number(determined) - 1) * 10_000;
    console.log(
      `60-s average at the close: published ${settled.lastSettlement!.display} (index) = simulator ${determined}; spot ${spot.displayDollars} (${basisBps.toFixed(2)} bps off)`,
    );
    expect(basisBps).toBeLessThan(3);
  }, 60_000);
});
