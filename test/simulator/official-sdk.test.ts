/**
 * The unmodified official SDK (kalshi-typescript), used as a plain client against the running
 * simulator: its own RSA-PSS signing (with real time, while the simulator runs on simulated
 * time), its own request building; reads events, markets, books, trades and the portfolio,
 * places and cancels orders, and gets Kalshi's errors.
 */
import axios, { type AxiosError } from 'axios';
import { Configuration, EventsApi, ExchangeApi, MarketApi, OrdersApi, PortfolioApi } from 'kalshi-typescript';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { DatabaseHandle } from '../../src/core/db/index.ts';
import { parseCountFp, parseDollars } from '../../src/domain/kalshi/fixed-point.ts';
import {
  createAccount,
  startTestSimulator,
  testDatabase,
  type TestAccount,
  type TestSimulator,
} from './support.ts';

type SdkAxios = ConstructorParameters<typeof EventsApi>[2];

let db: DatabaseHandle;
let sim: TestSimulator;
let alice: TestAccount;
let sdk: {
  events: EventsApi;
  markets: MarketApi;
  exchange: ExchangeApi;
  orders: OrdersApi;
  portfolio: PortfolioApi;
};

beforeAll(async () => {
  db = await testDatabase();
  sim = await startTestSimulator({ db: db.db });
  alice = await createAccount(sim, { accountId: 'alice', balanceCc: 1_000 * 10_000 });
  await sim.advance(60_000);
  const configuration = new Configuration({
    apiKey: alice.keyId,
    privateKeyPem: alice.privateKeyPem,
    basePath: sim.baseUrl,
  });
  // Its own axios instance, so the SDK's signing interceptor does not land on the global one.
  const http = axios.create() as unknown as SdkAxios;
  sdk = {
    events: new EventsApi(configuration, sim.baseUrl, http),
    markets: new MarketApi(configuration, sim.baseUrl, http),
    exchange: new ExchangeApi(configuration, sim.baseUrl, http),
    orders: new OrdersApi(configuration, sim.baseUrl, http),
    portfolio: new PortfolioApi(configuration, sim.baseUrl, http),
  };
});
afterAll(async () => {
  await sim?.stop();
  await db?.close();
});

async function kalshiError(promise: Promise<unknown>): Promise<{ status: number; code: string }> {
  try {
    await promise;
  } catch (error) {
    const response = (error as AxiosError<{ error: { code: string } }>).response;
    if (response) return { status: response.status, code: response.data.error.code };
    throw error;
  }
  throw new Error('expected the request to fail');
}

describe('the official SDK against the simulator', () => {
  it('reads the exchange, events, markets, books and trades', async () => {
    const status = await sdk.exchange.getExchangeStatus();
    expect(status.data).toEqual({ exchange_active: true, trading_active: true });

    const events = await sdk.events.getEvents(100, undefined, true, undefined, 'open', 'KXBTCD');
    expect(events.data.events).toHaveLength(1);
    const event = events.data.events[0]!;
    expect(event.event_ticker).toBe('KXBTCD-25AUG0316');
    expect(event.markets).toHaveLength(9);

    const single = await sdk.events.getEvent(event.event_ticker, true);
    expect(single.data.event.markets?.map((m) => m.ticker)).toEqual(event.markets!.map((m) => m.ticker));

    const markets = await sdk.markets.getMarkets(100, undefined, event.event_ticker);
    expect(markets.data.markets.map((m) => m.ticker)).toEqual(event.markets!.map((m) => m.ticker));
    const quoted = markets.data.markets.find(
      (m) => m.yes_bid_dollars !== '0.0000' && m.yes_ask_dollars !== '1.0000',
    )!;
    const market = await sdk.markets.getMarket(quoted.ticker);
    expect(market.data.market).toMatchObject({
      ticker: quoted.ticker,
      status: 'active',
      strike_type: 'greater',
    });

    const book = await sdk.markets.getMarketOrderbook(quoted.ticker, 3);
    const yes = book.data.orderbook_fp.yes_dollars;
    expect(yes.length).toBeGreaterThan(0);
    expect(yes.length).toBeLessThanOrEqual(3);
    // Best YES bid last, and it is the market's yes_bid.
    expect(yes.at(-1)![0]).toBe(market.data.market.yes_bid_dollars);

    await sim.advance(5 * 60_000); // let the taker flow trade
    const trades = await sdk.markets.getTrades(50);
    expect(trades.data.trades.length).toBeGreaterThan(0);
    for (const trade of trades.data.trades) {
      expect(parseCountFp(trade.count_fp)).toBeGreaterThan(0);
      expect(parseDollars(trade.yes_price_dollars) + parseDollars(trade.no_price_dollars)).toBe(10_000);
    }
  });

  it('reads the portfolio, places and cancels orders, and gets Kalshi errors', async () => {
    const balance = await sdk.portfolio.getBalance();
    expect(balance.data).toMatchObject({
      balance: 100_000,
      balance_dollars: '1000.0000',
      portfolio_value: 0,
    });

    const { data: markets } = await sdk.markets.getMarkets(100, undefined, 'KXBTCD-25AUG0316');
    const quoted = markets.markets.find(
      (m) => m.yes_bid_dollars !== '0.0000' && m.yes_ask_dollars !== '1.0000',
    )!;

    const created = await sdk.orders.createOrderV2({
      ticker: quoted.ticker,
      client_order_id: 'sdk-1',
      side: 'bid',
      count: '2.00',
      price: '0.0100',
      time_in_force: 'good_till_canceled',
      self_trade_prevention_type: 'taker_at_cross',
    });
    expect(created.status).toBe(201);
    expect(created.data).toMatchObject({
      client_order_id: 'sdk-1',
      fill_count: '0.00',
      remaining_count: '2.00',
    });

    const order = await sdk.orders.getOrder(created.data.order_id);
    expect(order.data.order).toMatchObject({
      status: 'resting',
      book_side: 'bid',
      yes_price_dollars: '0.0100',
    });
    const orders = await sdk.orders.getOrders(quoted.ticker);
    expect(orders.data.orders.map((o) => o.order_id)).toContain(created.data.order_id);

    const canceled = await sdk.orders.cancelOrderV2(created.data.order_id);
    expect(canceled.data).toMatchObject({ order_id: created.data.order_id, reduced_by: '2.00' });
    expect(await kalshiError(sdk.orders.cancelOrderV2(created.data.order_id))).toEqual({
      status: 404,
      code: 'not_found',
    });

    // Buy at the ask: a fill, a position, a smaller balance.
    const ask = quoted.yes_ask_dollars;
    const bought = await sdk.orders.createOrderV2({
      ticker: quoted.ticker,
      client_order_id: 'sdk-2',
      side: 'bid',
      count: '1.00',
      price: ask,
      time_in_force: 'immediate_or_cancel',
      self_trade_prevention_type: 'taker_at_cross',
    });
    expect(bought.data.fill_count).toBe('1.00');
    const fills = await sdk.portfolio.getFills(quoted.ticker);
    expect(fills.data.fills[0]).toMatchObject({
      order_id: bought.data.order_id,
      count_fp: '1.00',
      is_taker: true,
    });
    const positions = await sdk.portfolio.getPositions(undefined, undefined, 'position');
    expect(positions.data.market_positions).toEqual([
      expect.objectContaining({ ticker: quoted.ticker, position_fp: '1.00' }),
    ]);
    const after = await sdk.portfolio.getBalance();
    expect(after.data.balance).toBeLessThan(100_000);
    const settlements = await sdk.portfolio.getSettlements();
    expect(settlements.data.settlements).toEqual([]);

    // The errors the SDK's callers see.
    expect(
      await kalshiError(
        sdk.orders.createOrderV2({
          ticker: quoted.ticker,
          client_order_id: 'sdk-3',
          side: 'bid',
          count: '100000.00',
          price: ask,
          time_in_force: 'fill_or_kill',
          self_trade_prevention_type: 'taker_at_cross',
        }),
      ),
    ).toEqual({ status: 409, code: 'fill_or_kill_insufficient_resting_volume' });
    expect(
      await kalshiError(
        sdk.orders.createOrderV2({
          ticker: quoted.ticker,
          client_order_id: 'sdk-2',
          side: 'bid',
          count: '1.00',
          price: '0.0100',
          time_in_force: 'good_till_canceled',
          self_trade_prevention_type: 'taker_at_cross',
        }),
      ),
    ).toEqual({ status: 409, code: 'order_already_exists' });
    expect(await kalshiError(sdk.markets.getMarket('KXBTCD-25AUG0316-T1.99'))).toEqual({
      status: 404,
      code: 'not_found',
    });
  });

  it('is refused with 401 when its key is wrong', async () => {
    const stranger = new PortfolioApi(
      new Configuration({
        apiKey: 'not-registered',
        privateKeyPem: alice.privateKeyPem,
        basePath: sim.baseUrl,
      }),
      sim.baseUrl,
      axios.create() as unknown as SdkAxios,
    );
    expect(await kalshiError(stranger.getBalance())).toEqual({ status: 401, code: 'authentication_error' });
  });
});
