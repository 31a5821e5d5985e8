/**
 * The platform's own Kalshi clients against the simulator (the simulator is only another base
 * URL for them): the REST client (src/integrations/kalshi/rest-client.ts) discovers the event,
 * reads books, trades and reads the portfolio; the WebSocket client's books equal the REST
 * books while the market moves, and its fill channel reports the REST client's fills; the
 * Coinbase ticker client follows the simulated spot feed and the candle fetcher reads its
 * history.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { RealClock } from '../../src/core/clock/index.ts';
import type { DatabaseHandle } from '../../src/core/db/index.ts';
import { KalshiRateLimiter } from '../../src/integrations/kalshi/rate-limiter.ts';
import { KalshiRestClient } from '../../src/integrations/kalshi/rest-client.ts';
import type { KalshiWsFill } from '../../src/integrations/kalshi/types.ts';
import { KalshiWsClient } from '../../src/integrations/kalshi/ws-client.ts';
import { fetchCandles } from '../../src/integrations/coinbase/candles.ts';
import {
  CoinbaseTickerClient,
  type CoinbaseTickEvent,
} from '../../src/integrations/coinbase/ticker-client.ts';
import { TokenBucket } from '../../src/integrations/shared/token-bucket.ts';
import {
  createAccount,
  startTestSimulator,
  testDatabase,
  type TestAccount,
  type TestSimulator,
} from './support.ts';

let db: DatabaseHandle;
let sim: TestSimulator;
let alice: TestAccount;
let rest: KalshiRestClient;
let ws: KalshiWsClient | undefined;

beforeAll(async () => {
  db = await testDatabase();
  sim = await startTestSimulator({ db: db.db });
  alice = await createAccount(sim, { accountId: 'alice', balanceCc: 1_000 * 10_000, tier: 'prime' });
  await sim.advance(60_000);
  rest = new KalshiRestClient({
    baseUrl: sim.baseUrl,
    clock: sim.clock,
    signer: alice.signer,
    // The manual clock never moves while a test waits: a limiter that had to wait would hang.
    rateLimiter: new KalshiRateLimiter({ tier: 'prime', clock: sim.clock }),
  });
});
afterAll(async () => {
  await ws?.close();
  await sim?.stop();
  await db?.close();
});

async function waitFor(condition: () => boolean, what: string): Promise<void> {
  const start = Date.now();
  while (!condition()) {
    if (Date.now() - start > 5_000) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 5));
  }
}

describe('the platform clients against the simulator', () => {
  it('REST: discovers the event, reads books, trades, and reads the portfolio', async () => {
    expect(await rest.getExchangeStatus()).toMatchObject({ exchangeActive: true, tradingActive: true });
    const [event] = await rest.getEvents({ seriesTicker: 'KXBTCD', status: 'open', limit: 1 });
    expect(event!.eventTicker).toBe('KXBTCD-25AUG0316');
    expect(event!.markets).toHaveLength(9);
    expect((await rest.getMarkets({ eventTicker: event!.eventTicker, limit: 4 })).length).toBe(9); // 3 pages

    const market = event!.markets.find((m) => m.yesBid > 0 && m.yesAsk < 10_000)!;
    const book = await rest.getOrderbook(market.ticker);
    expect(book.yesBids[0]!.price).toBe(market.yesBid);
    expect(10_000 - book.noBids[0]!.price).toBe(market.yesAsk);

    const fok = await rest.createOrder({
      ticker: market.ticker,
      clientOrderId: 'rc-fok',
      side: 'bid',
      count: book.noBids[0]!.count + 1,
      price: market.yesAsk,
      timeInForce: 'fill_or_kill',
    });
    expect(fok.outcome).toBe('rejected');
    if (fok.outcome === 'rejected') {
      expect(fok.error).toMatchObject({ httpStatus: 409, code: 'fill_or_kill_insufficient_resting_volume' });
    }

    const ioc = await rest.createOrder({
      ticker: market.ticker,
      clientOrderId: 'rc-ioc',
      side: 'bid',
      count: book.noBids[0]!.count + 3,
      price: market.yesAsk,
      timeInForce: 'immediate_or_cancel',
    });
    expect(ioc.outcome).toBe('ok');
    if (ioc.outcome !== 'ok') return;
    expect(ioc.value).toMatchObject({ fillCount: book.noBids[0]!.count, remainingCount: 0 });

    const resting = await rest.createOrder({
      ticker: market.ticker,
      clientOrderId: 'rc-gtc',
      side: 'ask',
      count: 2,
      price: 9_900,
      timeInForce: 'good_till_canceled',
    });
    expect(resting.outcome).toBe('ok');
    expect(await rest.getOrderByClientId('rc-gtc')).toMatchObject({ status: 'resting', remainingCount: 2 });
    if (resting.outcome === 'ok') {
      const canceled = await rest.cancelOrder(resting.value.orderId);
      expect(canceled).toMatchObject({ outcome: 'ok', value: { reducedBy: 2 } });
    }

    const orders = await rest.getOrders({ ticker: market.ticker });
    expect(orders.map((o) => o.clientOrderId)).toEqual(['rc-gtc', 'rc-ioc']);
    const fills = await rest.getFills({ ticker: market.ticker });
    expect(fills.reduce((n, f) => n + f.count, 0)).toBe(book.noBids[0]!.count);
    const positions = await rest.getPositions();
    expect(positions.marketPositions).toEqual([
      expect.objectContaining({ ticker: market.ticker, position: book.noBids[0]!.count }),
    ]);
    const balance = await rest.getBalance();
    const fees = fills.reduce((sum, f) => sum + (f.fee ?? 0), 0);
    expect(balance.balance).toBe(1_000 * 10_000 - book.noBids[0]!.count * market.yesAsk - fees);
    expect(await rest.getSettlements()).toEqual([]);
  });

  it('WebSocket: books equal the REST books while the market moves; fills arrive on the fill channel', async () => {
    const markets = await rest.getMarkets({ eventTicker: 'KXBTCD-25AUG0316', status: 'open' });
    const tickers = markets.map((m) => m.ticker);
    ws = new KalshiWsClient({
      url: sim.wsUrl,
      clock: new RealClock(),
      signer: alice.signer, // signs with the simulator's clock, as the platform's clients do
      random: () => 0.5,
      heartbeatTimeoutMs: 60_000,
    });
    ws.on('warning', () => undefined);
    const fills: KalshiWsFill[] = [];
    ws.on('fill', (fill) => fills.push(fill));
    await ws.start();
    await ws.subscribe({ channel: 'orderbook_delta', marketTickers: tickers });
    await ws.subscribe({ channel: 'fill' });
    await waitFor(() => tickers.every((t) => ws!.book(t) !== undefined), 'snapshots');

    const sameAsRest = async () => {
      for (const ticker of tickers) {
        const book = await rest.getOrderbook(ticker);
        const local = ws!.book(ticker)!.snapshot();
        if (JSON.stringify(local.yesBids) !== JSON.stringify(book.yesBids)) return false;
        if (JSON.stringify(local.noBids) !== JSON.stringify(book.noBids)) return false;
      }
      return true;
    };
    for (let step = 0; step < 5; step++) {
      await sim.advance(30_000); // makers requote, takers trade: many deltas
      let equal = false;
      for (let attempt = 0; attempt < 100 && !equal; attempt++) {
        equal = await sameAsRest();
        if (!equal) await new Promise((resolve) => setTimeout(resolve, 10));
      }
      expect(equal).toBe(true);
    }
    expect(ws.stats()).toMatchObject({ gaps: 0, resyncs: 0 });

    const market = markets.find((m) => m.yesBid > 0 && m.yesAsk < 10_000)!;
    const current = await rest.getMarket(market.ticker);
    const bought = await rest.createOrder({
      ticker: market.ticker,
      clientOrderId: 'ws-fill',
      side: 'bid',
      count: 1,
      price: current.yesAsk,
      timeInForce: 'immediate_or_cancel',
    });
    expect(bought).toMatchObject({ outcome: 'ok', value: { fillCount: 1 } });
    await waitFor(() => fills.length > 0, 'a fill message');
    expect(fills[0]).toMatchObject({ marketTicker: market.ticker, count: 1, isTaker: true });
  });

  it('Coinbase: the ticker client follows the spot feed; the candle history matches it', async () => {
    const ticker = new CoinbaseTickerClient({
      url: `${sim.origin}/coinbase/ws`,
      productIds: ['BTC-USD'],
      clock: new RealClock(),
      random: () => 0.5,
      silenceTimeoutMs: 60_000,
    });
    ticker.on('warning', () => undefined);
    const ticks: CoinbaseTickEvent[] = [];
    let gaps = 0;
    ticker.on('tick', (t) => ticks.push(t));
    ticker.on('gap', () => (gaps += 1));
    try {
      await ticker.start();
      await waitFor(() => ticks.length > 0, 'the replayed latest trade');
      const before = ticks.length;
      await sim.advance(120_000);
      await waitFor(() => ticks.length > before + 100, 'two minutes of ticks');
      expect(gaps).toBe(0);
      // Spot follows the index within a few dollars (its own basis and spread).
      const index = sim.runtime.simulation.indexPrice('BTC')!.price;
      expect(Math.abs(ticks.at(-1)!.price - index)).toBeLessThan(index * 0.001);
    } finally {
      await ticker.close();
    }

    const now = sim.clock.now();
    const end = Math.floor(now / 60_000) * 60_000;
    const history = await fetchCandles({
      baseUrl: `${sim.origin}/coinbase`,
      productId: 'BTC-USD',
      start: end - 5 * 60_000,
      end,
      limiter: new TokenBucket({ ratePerSecond: 100, clock: sim.clock }),
      clock: sim.clock,
    });
    expect(history.candles).toHaveLength(5);
    expect(history.gaps).toEqual([]);
    const feed = sim.runtime.simulation.spotFeed('BTC')!;
    const stored = feed.candlesBetween(end - 5 * 60_000, end - 1);
    expect(history.candles.map((c) => [c.time, c.open, c.high, c.low, c.close])).toEqual(
      stored.map((c) => [c.startMs, c.open, c.high, c.low, c.close]),
    );
  });
});
