import { describe, it, expect, beforeAll, afterAll, afterEach } from 'vitest';
import { generateKeyPairSync } from 'node:crypto';
import axios from 'axios';
import { Configuration, PortfolioApi } from 'kalshi-typescript';
import { RealClock, SimulatedClock } from '../../core/clock/index.ts';
import { KalshiRestClient, type KalshiRetryInfo } from './rest-client.ts';
import { KalshiSigner } from './signer.ts';
import { KalshiRateLimiter, sharedKalshiRateLimiters } from './rate-limiter.ts';
import { KalshiApiError, KalshiNetworkError, KalshiRequestError, KalshiResponseError } from './errors.ts';
import { startFakeKalshiHttp, type FakeHandler, type FakeKalshiHttp } from './testing/fake-kalshi-http.ts';
import {
  currentBalance,
  currentEvent,
  currentFill,
  currentMarket,
  currentOrder,
  currentPositions,
  currentSettlement,
  readSharedData,
} from './testing/fixtures.ts';

const keys = generateKeyPairSync('rsa', {
  modulusLength: 2048,
  privateKeyEncoding: { type: 'pkcs8', format: 'pem' },
  publicKeyEncoding: { type: 'spki', format: 'pem' },
});
const clock = new RealClock();
const KEY_ID = 'key-rest-test';
const signer = new KalshiSigner({ keyId: KEY_ID, privateKey: keys.privateKey, clock });

let fake: FakeKalshiHttp;
let handler: FakeHandler = () => ({
  status: 404,
  body: { error: { code: 'not_found', message: 'no route' } },
});

beforeAll(async () => {
  fake = await startFakeKalshiHttp({ publicKeyPem: keys.publicKey, handler: (r) => handler(r) });
});
afterAll(() => fake.close());
afterEach(() => {
  fake.requests.length = 0;
});

function client(options: Partial<ConstructorParameters<typeof KalshiRestClient>[0]> = {}) {
  return new KalshiRestClient({
    baseUrl: fake.baseUrl,
    clock,
    signer,
    // a private limiter per client: tests must not drain each other's budget
    rateLimiter: new KalshiRateLimiter({ tier: 'prime', clock }),
    random: () => 0.5,
    retry: { maxAttempts: 4, baseMs: 5, maxMs: 20 },
    timeoutMs: 2_000,
    ...options,
  });
}

const FOK_409 = {
  status: 409,
  body: {
    error: {
      code: 'fill_or_kill_insufficient_resting_volume',
      message: 'not enough resting volume',
      details: 'wanted 5',
    },
  },
};

describe('market data', () => {
  it('getEvents follows the cursor, sends the filters, signs every page', async () => {
    handler = (r) => {
      if (r.path !== '/trade-api/v2/events') return { status: 404 };
      const second = r.query.get('cursor') === 'page-2';
      const markets = [
        currentMarket({ ticker: second ? 'KXBTCD-25AUG0317-T114749.99' : 'KXBTCD-25AUG0316-T114749.99' }),
      ];
      return { status: 200, body: { events: [currentEvent(markets)], cursor: second ? '' : 'page-2' } };
    };
    const events = await client().getEvents({ seriesTicker: 'KXBTCD', status: 'open' });
    expect(events).toHaveLength(2);
    expect(events.map((e) => e.markets[0]?.ticker)).toEqual([
      'KXBTCD-25AUG0316-T114749.99',
      'KXBTCD-25AUG0317-T114749.99',
    ]);
    expect(fake.requests).toHaveLength(2);
    const [first, second] = fake.requests;
    expect(Object.fromEntries(first!.query)).toEqual({
      series_ticker: 'KXBTCD',
      status: 'open',
      with_nested_markets: 'true',
      limit: '200',
    });
    expect(second!.query.get('cursor')).toBe('page-2');
    expect(fake.requests.every((r) => r.signed)).toBe(true);
  });

  it('getEvent parses the real 2025 payload (legacy integer cents)', async () => {
    const real = (readSharedData('kalshi-2025/event_KXBTCD-25JUL2615.json') as { data: unknown }).data;
    handler = (r) =>
      r.path === '/trade-api/v2/events/KXBTCD-25JUL2615' ? { status: 200, body: real } : { status: 404 };
    const event = await client().getEvent('KXBTCD-25JUL2615');
    expect(event.markets).toHaveLength(75);
    expect(fake.requests[0]!.query.get('with_nested_markets')).toBe('true');
  });

  it('getMarkets, getMarket, getOrderbook, getExchangeStatus', async () => {
    handler = (r) => {
      switch (r.path) {
        case '/trade-api/v2/markets':
          return { status: 200, body: { markets: [currentMarket()], cursor: '' } };
        case '/trade-api/v2/markets/KXBTCD-25AUG0316-T114749.99':
          return { status: 200, body: { market: currentMarket({ yes_bid_dollars: '0.2150' }) } };
        case '/trade-api/v2/markets/KXBTCD-25AUG0316-T114749.99/orderbook':
          return {
            status: 200,
            body: {
              orderbook_fp: {
                yes_dollars: [
                  ['0.2000', '5.00'],
                  ['0.2100', '150.00'],
                ],
                no_dollars: [['0.7700', '40.00']],
              },
            },
          };
        case '/trade-api/v2/exchange/status':
          return { status: 200, body: { exchange_active: true, trading_active: true } };
        default:
          return { status: 404 };
      }
    };
    const c = client();
    const markets = await c.getMarkets({ eventTicker: 'KXBTCD-25AUG0316', status: 'open' });
    expect(markets[0]?.yesAsk).toBe(2_300);
    expect(fake.requests[0]!.query.get('event_ticker')).toBe('KXBTCD-25AUG0316');
    expect((await c.getMarket('KXBTCD-25AUG0316-T114749.99')).yesBid).toBe(2_150);
    const book = await c.getOrderbook('KXBTCD-25AUG0316-T114749.99', { depth: 5 });
    expect(book.yesBids[0]).toEqual({ price: 2_100, count: 150 });
    expect(book.noBids).toEqual([{ price: 7_700, count: 40 }]);
    expect(fake.requests[2]!.query.get('depth')).toBe('5');
    expect(await c.getExchangeStatus()).toMatchObject({ exchangeActive: true, tradingActive: true });
  });

  it('public reads work without credentials and are sent unsigned', async () => {
    handler = () => ({ status: 200, body: { exchange_active: true, trading_active: false } });
    const anonymous = client({ signer: undefined });
    expect((await anonymous.getExchangeStatus()).tradingActive).toBe(false);
    expect(fake.requests[0]!.headers['kalshi-access-key']).toBeUndefined();
    await expect(anonymous.getBalance()).rejects.toThrow(KalshiRequestError);
    expect(fake.requests).toHaveLength(1);
  });
});

describe('read retries', () => {
  it('retries a 429 with backoff, then succeeds', async () => {
    let calls = 0;
    handler = () =>
      ++calls === 1
        ? { status: 429, body: { error: { code: 'rate_limit_exceeded', message: 'slow down' } } }
        : { status: 200, body: { exchange_active: true, trading_active: true } };
    const retries: KalshiRetryInfo[] = [];
    const status = await client({ onRetry: (info) => retries.push(info) }).getExchangeStatus();
    expect(status.tradingActive).toBe(true);
    expect(fake.requests).toHaveLength(2);
    expect(retries).toEqual([{ request: 'GET /exchange/status', retry: 1, delayMs: 4, reason: 'HTTP 429' }]);
  });

  it('honours Retry-After when longer than the backoff', async () => {
    let calls = 0;
    handler = () =>
      ++calls === 1
        ? { status: 503, headers: { 'retry-after': '1' } }
        : { status: 200, body: { exchange_active: true, trading_active: true } };
    const retries: KalshiRetryInfo[] = [];
    await client({ onRetry: (info) => retries.push(info) }).getExchangeStatus();
    expect(retries[0]?.delayMs).toBe(1_000);
  });

  it('gives up after maxAttempts on persistent 5xx with a typed error', async () => {
    handler = () => ({ status: 500, body: { error: { code: 'internal', message: 'boom' } } });
    const error = await client()
      .getBalance()
      .catch((e: unknown) => e);
    expect(error).toBeInstanceOf(KalshiApiError);
    expect(error).toMatchObject({ httpStatus: 500, code: 'internal' });
    expect(fake.requests).toHaveLength(4);
  });

  it('retries a dropped connection, then reports a network error', async () => {
    handler = () => ({ destroy: true });
    const error = await client()
      .getExchangeStatus()
      .catch((e: unknown) => e);
    expect(error).toBeInstanceOf(KalshiNetworkError);
    expect(fake.requests).toHaveLength(4);
  });

  it('does not retry a 4xx: maps the Kalshi error body', async () => {
    handler = () => ({
      status: 400,
      body: { error: { code: 'invalid_parameters', message: 'bad status', details: 'status=foo' } },
    });
    const error = await client()
      .getMarkets()
      .catch((e: unknown) => e);
    expect(error).toBeInstanceOf(KalshiApiError);
    expect(error).toMatchObject({
      httpStatus: 400,
      code: 'invalid_parameters',
      details: 'status=foo',
      request: 'GET /markets',
    });
    expect((error as Error).message).toBe('GET /markets → 400 invalid_parameters: bad status');
    expect(fake.requests).toHaveLength(1);
  });

  it('rejects a malformed 2xx body without retrying', async () => {
    handler = () => ({ status: 200, body: { market: currentMarket({ yes_bid_dollars: '0.21x' }) } });
    const error = await client()
      .getMarket('X')
      .catch((e: unknown) => e);
    expect(error).toBeInstanceOf(KalshiResponseError);
    expect((error as Error).message).toMatch(/yes_bid_dollars: malformed/);
    expect(fake.requests).toHaveLength(1);
  });

  it('stops a cursor loop that repeats itself', async () => {
    handler = () => ({ status: 200, body: { markets: [], cursor: 'same' } });
    await expect(client().getMarkets()).rejects.toThrow(/cursor "same" repeated/);
  });

  it('an abort rejects with the abort reason', async () => {
    handler = () => ({ hang: true });
    const controller = new AbortController();
    const pending = client().getExchangeStatus({ signal: controller.signal });
    setTimeout(() => controller.abort(new Error('shutting down')), 50);
    await expect(pending).rejects.toThrow(/shutting down|cancel/i);
  });

  it('a wrong signature gets 401 and is not retried', async () => {
    const other = generateKeyPairSync('rsa', { modulusLength: 2048 });
    const badSigner = new KalshiSigner({ keyId: KEY_ID, privateKey: other.privateKey, clock });
    const error = await client({ signer: badSigner })
      .getBalance()
      .catch((e: unknown) => e);
    expect(error).toMatchObject({ httpStatus: 401, code: 'unauthorized' });
    expect(fake.requests).toHaveLength(1);
  });
});

describe('orders (V2 writes)', () => {
  const order = {
    ticker: 'KXBTCD-25AUG0316-T114749.99',
    clientOrderId: 'cli-1',
    side: 'bid' as const,
    count: 5,
    price: 2_300,
    timeInForce: 'fill_or_kill' as const,
  };

  it('createOrder posts the V2 body, signed, and returns the parsed result', async () => {
    handler = (r) => {
      if (r.method !== 'POST' || r.path !== '/trade-api/v2/portfolio/events/orders') return { status: 404 };
      return {
        status: 201,
        body: {
          order_id: 'ord-9',
          client_order_id: 'cli-1',
          fill_count: '5.00',
          remaining_count: '0.00',
          average_fill_price: '0.2300',
          average_fee_paid: '0.0140',
          ts_ms: 1754250601123,
        },
      };
    };
    const result = await client().createOrder(order);
    expect(result).toEqual({
      outcome: 'ok',
      value: {
        orderId: 'ord-9',
        clientOrderId: 'cli-1',
        fillCount: 5,
        remainingCount: 0,
        averageFillPrice: 2_300,
        averageFillPriceDollars: '0.2300',
        averageFeePaid: 140,
        averageFeePaidDollars: '0.0140',
        tsMs: 1_754_250_601_123,
      },
    });
    expect(fake.requests[0]!.signed).toBe(true);
    expect(fake.requests[0]!.body).toEqual({
      ticker: order.ticker,
      client_order_id: 'cli-1',
      side: 'bid',
      count: '5.00',
      price: '0.2300',
      time_in_force: 'fill_or_kill',
      self_trade_prevention_type: 'taker_at_cross',
    });
  });

  it('409 FOK → rejected with the typed Kalshi error, sent once', async () => {
    handler = () => FOK_409;
    const result = await client().createOrder(order);
    expect(result.outcome).toBe('rejected');
    if (result.outcome !== 'rejected') return;
    expect(result.error).toBeInstanceOf(KalshiApiError);
    expect(result.error).toMatchObject({
      httpStatus: 409,
      code: 'fill_or_kill_insufficient_resting_volume',
      details: 'wanted 5',
    });
    expect(fake.requests).toHaveLength(1);
  });

  it('500 on a write → unknown outcome, never retried', async () => {
    handler = () => ({ status: 500, body: { error: { code: 'internal', message: 'boom' } } });
    const result = await client().createOrder(order);
    expect(result).toEqual({
      outcome: 'unknown',
      reason: 'server_error',
      httpStatus: 500,
      message: 'POST /portfolio/events/orders → 500',
    });
    expect(fake.requests).toHaveLength(1);
  });

  it('a timeout on a write → unknown outcome', async () => {
    handler = () => ({ hang: true });
    const result = await client({ timeoutMs: 150 }).createOrder(order);
    expect(result).toMatchObject({ outcome: 'unknown', reason: 'timeout' });
    expect(fake.requests).toHaveLength(1);
  });

  it('a dropped connection on a write → unknown outcome', async () => {
    handler = () => ({ destroy: true });
    const result = await client().createOrder(order);
    expect(result).toMatchObject({ outcome: 'unknown', reason: 'network' });
    expect(fake.requests).toHaveLength(1);
  });

  it('an unreadable 2xx on a write → unknown outcome (it may have been placed)', async () => {
    handler = () => ({ status: 201, body: { order_id: 'ord-9' } });
    const result = await client().createOrder(order);
    expect(result).toMatchObject({ outcome: 'unknown', reason: 'invalid_response', httpStatus: 201 });
  });

  it('429 on a write → rejected (definitely not placed), not retried', async () => {
    handler = () => ({ status: 429, body: { error: { code: 'rate_limit_exceeded', message: 'slow' } } });
    const result = await client().createOrder(order);
    expect(result.outcome === 'rejected' && result.error.isRateLimited).toBe(true);
    expect(fake.requests).toHaveLength(1);
  });

  it('an impossible order throws before anything is sent', async () => {
    await expect(client().createOrder({ ...order, count: 0 })).rejects.toThrow(KalshiRequestError);
    await expect(client({ signer: undefined }).createOrder(order)).rejects.toThrow(/needs credentials/);
    expect(fake.requests).toHaveLength(0);
  });

  it('cancelOrder sends DELETE with the market ticker for routing', async () => {
    handler = (r) =>
      r.method === 'DELETE' && r.path === '/trade-api/v2/portfolio/events/orders/ord-9'
        ? {
            status: 200,
            body: { order_id: 'ord-9', client_order_id: 'cli-1', reduced_by: '3.00', ts_ms: 99 },
          }
        : { status: 404 };
    const result = await client().cancelOrder('ord-9', { marketTicker: order.ticker });
    expect(result).toEqual({
      outcome: 'ok',
      value: { orderId: 'ord-9', clientOrderId: 'cli-1', reducedBy: 3, tsMs: 99 },
    });
    expect(fake.requests[0]!.query.get('market_ticker')).toBe(order.ticker);
  });

  it('cancelOrder of an unknown order → rejected 404', async () => {
    handler = () => ({ status: 404, body: { error: { code: 'not_found', message: 'order not found' } } });
    const result = await client().cancelOrder('nope');
    expect(result.outcome === 'rejected' && result.error.isNotFound).toBe(true);
  });
});

describe('portfolio reads', () => {
  it('getOrders pages through with filters in Unix seconds', async () => {
    handler = (r) => {
      const page = r.query.get('cursor');
      if (page === null)
        return {
          status: 200,
          body: { orders: [currentOrder({ order_id: 'a', client_order_id: 'c-a' })], cursor: 'p2' },
        };
      return {
        status: 200,
        body: { orders: [currentOrder({ order_id: 'b', client_order_id: 'c-b' })], cursor: '' },
      };
    };
    const orders = await client().getOrders({ ticker: 'T', status: 'resting', minTime: 1_754_250_000_999 });
    expect(orders.map((o) => o.orderId)).toEqual(['a', 'b']);
    expect(Object.fromEntries(fake.requests[0]!.query)).toMatchObject({
      ticker: 'T',
      status: 'resting',
      min_ts: '1754250000',
    });
  });

  it('getOrderByClientId finds an order on a later page and stops there', async () => {
    handler = (r) => {
      const page = r.query.get('cursor') ?? 'p1';
      const next = { p1: 'p2', p2: 'p3', p3: '' }[page];
      return {
        status: 200,
        body: {
          orders: [currentOrder({ order_id: `o-${page}`, client_order_id: `c-${page}` })],
          cursor: next,
        },
      };
    };
    const found = await client().getOrderByClientId('c-p2', { ticker: 'T' });
    expect(found?.orderId).toBe('o-p2');
    expect(fake.requests).toHaveLength(2);
    fake.requests.length = 0;
    expect(await client().getOrderByClientId('missing')).toBeUndefined();
    expect(fake.requests).toHaveLength(3);
  });

  it('getOrder returns undefined on 404', async () => {
    handler = (r) =>
      r.path.endsWith('/ord-1')
        ? { status: 200, body: { order: currentOrder() } }
        : { status: 404, body: { error: { code: 'not_found', message: 'no' } } };
    expect((await client().getOrder('ord-1'))?.fillCount).toBe(5);
    expect(await client().getOrder('ord-2')).toBeUndefined();
  });

  it('getFills, getPositions, getBalance, getSettlements', async () => {
    handler = (r) => {
      switch (r.path) {
        case '/trade-api/v2/portfolio/fills':
          return { status: 200, body: { fills: [currentFill()], cursor: '' } };
        case '/trade-api/v2/portfolio/positions':
          return { status: 200, body: currentPositions };
        case '/trade-api/v2/portfolio/balance':
          return { status: 200, body: currentBalance };
        case '/trade-api/v2/portfolio/settlements':
          return { status: 200, body: { settlements: [currentSettlement()], cursor: '' } };
        default:
          return { status: 404 };
      }
    };
    const c = client();
    expect((await c.getFills({ orderId: 'ord-1' }))[0]).toMatchObject({ fillId: 'fill-1', fee: 700 });
    expect(fake.requests[0]!.query.get('order_id')).toBe('ord-1');
    expect((await c.getPositions()).marketPositions[0]?.position).toBe(-5);
    expect((await c.getBalance()).balance).toBe(10_000_000);
    expect((await c.getSettlements({ eventTicker: 'KXBTCD-25AUG0316' }))[0]?.revenue).toBe(50_000);
    expect(fake.requests.every((r) => r.signed)).toBe(true);
  });
});

describe('rate limiting', () => {
  it('uses the shared per-key limiter by default: two clients of one key share one budget', async () => {
    handler = () => ({ status: 200, body: { exchange_active: true, trading_active: true } });
    sharedKalshiRateLimiters.clear();
    // frozen time: the buckets do not refill while the test runs
    const frozen = SimulatedClock.manual(Date.now());
    const a = new KalshiRestClient({ baseUrl: fake.baseUrl, clock: frozen, signer, tier: 'basic' });
    const b = new KalshiRestClient({ baseUrl: fake.baseUrl, clock: frozen, signer, tier: 'basic' });
    await Promise.all([a.getExchangeStatus(), b.getExchangeStatus(), a.getExchangeStatus()]);
    const shared = sharedKalshiRateLimiters.forKey(KEY_ID, { tier: 'basic', clock: frozen });
    expect(shared.available('read')).toBe(17);
    expect(shared.available('write')).toBe(10);
    sharedKalshiRateLimiters.clear();
  });
});

describe('compatibility with the unmodified official SDK', () => {
  it("the SDK's own signing passes the verifier the simulator uses", async () => {
    handler = () => ({ status: 200, body: currentBalance });
    const sdk = new PortfolioApi(
      new Configuration({ apiKey: KEY_ID, privateKeyPem: keys.privateKey, basePath: fake.baseUrl }),
      fake.baseUrl,
      // its own axios instance, so the SDK's interceptor does not land on the global one
      axios.create() as unknown as ConstructorParameters<typeof PortfolioApi>[2],
    );
    const response = await sdk.getBalance();
    expect(response.status).toBe(200);
    expect(fake.requests[0]!.signed).toBe(true);
    expect(fake.requests[0]!.path).toBe('/trade-api/v2/portfolio/balance');
  });
});
