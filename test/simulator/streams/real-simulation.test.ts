/**
 * Both simulated feeds on the real market simulation (GARCH index, makers, taker flow, hourly
 * listing) — read the way the runtime reads it (src/simulator/runtime/stream-sources.ts) —
 * with the production clients on the other end.
 */
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { RealClock } from '../../../src/core/clock/index.ts';
import { fetchCandles } from '../../../src/integrations/coinbase/candles.ts';
import { CoinbaseTickerClient } from '../../../src/integrations/coinbase/ticker-client.ts';
import { KalshiSigner } from '../../../src/integrations/kalshi/signer.ts';
import type { KalshiEventLifecycle } from '../../../src/integrations/kalshi/types.ts';
import { KalshiWsClient } from '../../../src/integrations/kalshi/ws-client.ts';
import { TokenBucket } from '../../../src/integrations/shared/token-bucket.ts';
import {
  attachCoinbaseWebSocket,
  registerCoinbaseRoutes,
  type CoinbaseFeedSource,
  type CoinbaseWsServer,
} from '../../../src/simulator/api/coinbase/index.ts';
import {
  attachKalshiWebSocket,
  type KalshiStreamSource,
  type KalshiWsServer,
} from '../../../src/simulator/api/kalshi-ws/index.ts';
import {
  defaultSimulationConfig,
  MarketSimulation,
  type SimulationOutput,
} from '../../../src/simulator/market/index.ts';
import Fastify, { type FastifyInstance } from 'fastify';
import type { AddressInfo } from 'node:net';
import { rsaKeys, until } from './support/harness.ts';

const clock = new RealClock();
const keys = rsaKeys();
/** 18:48 UTC: the 20:00 UTC event is listed at 18:50 (10 minutes before 19:00 closes). */
const START = Date.UTC(2025, 7, 3, 18, 48, 0);

/** The runtime's shape: a simulation moved by hand, batches to listeners, an API key. */
class Host {
  readonly simulation: MarketSimulation;
  /** The last spot tick released (SpotFeed.lastPrice runs a second ahead). */
  lastTick: SimulationOutput['spotTicks'][number] | undefined;
  readonly #listeners = new Set<(batch: SimulationOutput) => void>();

  constructor() {
    const base = defaultSimulationConfig();
    const btc = base.symbols.BTC!;
    const { simulation } = MarketSimulation.create(
      defaultSimulationConfig({
        seed: 'streams-real',
        startTimeMs: START,
        symbols: { BTC: { ...btc, ladder: { ...btc.ladder, count: 7 } } },
      }),
    );
    this.simulation = simulation;
  }

  get engine() {
    return this.simulation.engine;
  }

  apiKey(keyId: string) {
    return keyId === 'paper-key' ? { accountId: 'paper', publicKeyPem: keys.publicKey } : undefined;
  }

  subscribe(listener: (batch: SimulationOutput) => void): () => void {
    this.#listeners.add(listener);
    return () => this.#listeners.delete(listener);
  }

  kalshiSource(): KalshiStreamSource {
    return {
      onEvents: (listener) => this.subscribe((b) => b.engineEvents.length > 0 && listener(b.engineEvents)),
      onEventsListed: (listener) =>
        this.subscribe((b) => b.listedEvents.length > 0 && listener(b.listedEvents)),
      getOrderbook: (ticker) => this.engine.getOrderbook(ticker),
      getMarket: (ticker) => this.engine.getMarket(ticker),
      listMarketTickers: () => this.engine.listMarkets().map((m) => m.ticker),
      accountForApiKey: (keyId) => this.apiKey(keyId),
      now: () => this.simulation.now,
    };
  }

  coinbaseSource(): CoinbaseFeedSource {
    return {
      productIds: () => ['BTC-USD'],
      onTicks: (listener) => this.subscribe((b) => b.spotTicks.length > 0 && listener(b.spotTicks)),
      candles: (productId, startMs, endMs) =>
        productId === 'BTC-USD' ? this.simulation.spotFeed('BTC')!.candlesBetween(startMs, endMs) : [],
      now: () => this.simulation.now,
    };
  }

  /** Lives `seconds` more, one second per batch. */
  advance(seconds: number): void {
    for (let i = 0; i < seconds; i++) {
      const output = this.simulation.advanceTo(this.simulation.now + 1000);
      this.lastTick = output.spotTicks.filter((t) => t.productId === 'BTC-USD').at(-1) ?? this.lastTick;
      for (const listener of this.#listeners) listener(output);
    }
  }
}

let host: Host;
let app: FastifyInstance;
let port: number;
let kalshi: KalshiWsServer;
let coinbase: CoinbaseWsServer;
const closers: Array<() => Promise<void>> = [];

beforeEach(async () => {
  host = new Host();
  app = Fastify();
  const coinbaseSource = host.coinbaseSource();
  await registerCoinbaseRoutes(app, { source: coinbaseSource });
  await app.listen({ host: '127.0.0.1', port: 0 });
  port = (app.server.address() as AddressInfo).port;
  kalshi = attachKalshiWebSocket({ server: app.server, source: host.kalshiSource(), clock });
  coinbase = attachCoinbaseWebSocket({
    server: app.server,
    source: coinbaseSource,
    clock,
    heartbeatIntervalMs: 50,
  });
});

afterEach(async () => {
  for (const close of closers.splice(0)) await close();
  await kalshi.close();
  await coinbase.close();
  await app.close();
});

describe('streams on the real market simulation', () => {
  it('Kalshi books follow the makers and takers; the next hour’s listing arrives as event_lifecycle', async () => {
    const client = new KalshiWsClient({
      url: `ws://127.0.0.1:${port}/trade-api/ws/v2`,
      clock,
      signer: new KalshiSigner({ keyId: 'paper-key', privateKey: keys.privateKey, clock }),
    });
    closers.push(() => client.close());
    const listed: KalshiEventLifecycle[] = [];
    client.on('eventLifecycle', (e) => listed.push(e));
    await client.start();
    const [event] = host.simulation.listEvents();
    const tickers = event!.marketTickers;
    await client.subscribe({ channel: 'orderbook_delta', marketTickers: tickers });
    await client.subscribe({ channel: 'market_lifecycle_v2' });
    host.advance(150);
    const equal = () =>
      tickers.every((t) => {
        const book = client.book(t)?.snapshot();
        const engine = host.engine.getOrderbook(t)!;
        const asc = (levels: { price: number; count: number }[] | undefined) =>
          JSON.stringify((levels ?? []).map((l) => [l.price, l.count]).reverse());
        return (
          asc(book?.yesBids) === JSON.stringify(engine.yes) && asc(book?.noBids) === JSON.stringify(engine.no)
        );
      });
    await until(equal, 'client books equal to the simulation’s');
    expect(client.stats().messages).toBeGreaterThan(100);
    expect(client.stats()).toMatchObject({ gaps: 0, resyncs: 0, parseErrors: 0 });
    expect(listed.map((e) => e.eventTicker)).toEqual([host.simulation.listEvents()[1]!.eventTicker]);
  });

  it('Coinbase ticks follow the spot feed and the candles endpoint serves its history', async () => {
    const client = new CoinbaseTickerClient({
      url: `ws://127.0.0.1:${port}/coinbase/ws`,
      productIds: ['BTC-USD'],
      clock,
    });
    closers.push(() => client.close());
    const ticks: { tradeId: number; price: number }[] = [];
    client.on('tick', (t) => ticks.push(t));
    await client.start();
    host.advance(180);
    const last = host.lastTick!;
    await until(
      () => ticks.at(-1)?.tradeId === last.tradeId && client.stats().heartbeats > 0,
      'ticks and heartbeats',
    );
    expect(ticks.at(-1)?.price).toBe(last.price);
    expect(client.stats().ticks).toBeGreaterThan(300); // ~4 trades a second for 3 minutes
    expect(client.stats()).toMatchObject({ gaps: 0, duplicates: 0 });
    const history = await fetchCandles({
      baseUrl: `http://127.0.0.1:${port}/coinbase`,
      productId: 'BTC-USD',
      start: START,
      end: START + 180_000,
      limiter: new TokenBucket({ ratePerSecond: 100, clock }),
      clock,
    });
    expect(history.candles.map((c) => c.time)).toEqual([START, START + 60_000, START + 120_000]);
    expect(history.candles.map((c) => c.close)).toEqual(
      host.simulation
        .spotFeed('BTC')!
        .candlesBetween(START, START + 120_000)
        .map((c) => c.close),
    );
  });
});
