/**
 * The simulator's Kalshi REST API over a real socket, on a manual simulated clock: shapes
 * (every answer parses through the platform's Kalshi models), filters and cursors, auth (401),
 * rate limits (429), validation (400, nothing changed), and trading — FOK unfillable → 409, IOC
 * partial fill, GTC resting then filled by taker flow, duplicate client_order_id → 409,
 * cancel, fills/positions/balance arithmetic to the centi-cent, and the settlement of the hour.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { DatabaseHandle } from '../../src/core/db/index.ts';
import { parseCountFp, parseDollars } from '../../src/domain/kalshi/fixed-point.ts';
import { takerFee } from '../../src/domain/kalshi/fees.ts';
import { KALSHI_ACCESS_TIMESTAMP } from '../../src/integrations/kalshi/signer.ts';
import {
  balanceSchema,
  cancelOrderV2ResponseSchema,
  createOrderV2ResponseSchema,
  errorBodySchema,
  exchangeStatusSchema,
  getEventResponseSchema,
  getEventsResponseSchema,
  getFillsResponseSchema,
  getMarketResponseSchema,
  getMarketsResponseSchema,
  getOrderResponseSchema,
  getOrdersResponseSchema,
  getPositionsResponseSchema,
  getSettlementsResponseSchema,
  orderbookResponseSchema,
} from '../../src/integrations/kalshi/models.ts';
import {
  createAccount,
  INTERNAL_TOKEN,
  kalshiFetch,
  testDatabase,
  startTestSimulator,
  type TestAccount,
  type TestSimulator,
} from './support.ts';

const DOLLAR = 10_000;
let db: DatabaseHandle;
let sim: TestSimulator;
let alice: TestAccount;
let bob: TestAccount;
let eventTicker: string;

beforeAll(async () => {
  db = await testDatabase();
  sim = await startTestSimulator({ db: db.db });
  alice = await createAccount(sim, { accountId: 'alice', balanceCc: 1_000 * DOLLAR });
  bob = await createAccount(sim, { accountId: 'bob', balanceCc: 50 * DOLLAR, tier: 'basic' });
  await sim.advance(60_000); // the makers fill the books
  eventTicker = sim.runtime.simulation.listEvents()[0]!.eventTicker;
});
afterAll(async () => {
  await sim?.stop();
  await db?.close();
});

const get = (path: string, account?: TestAccount) => kalshiFetch(sim, account, 'GET', path);

function expectKalshiError(response: { status: number; json: any }, status: number, code: string) {
  expect(response.status).toBe(status);
  expect(response.json).toEqual({
    error: { code, message: expect.any(String), details: expect.any(String) },
  });
  expect(errorBodySchema.parse(response.json).code).toBe(code);
}

/** The active market nearest the money (both legs quoted, YES bid 20–80¢). */
async function atTheMoney(): Promise<string> {
  const { json } = await get(`/markets?event_ticker=${eventTicker}&status=open`);
  const markets = getMarketsResponseSchema.parse(json).markets;
  const quoted = markets.filter((m) => m.yesBid >= 20 * 100 && m.yesBid <= 80 * 100 && m.yesAsk < DOLLAR);
  expect(quoted.length).toBeGreaterThan(0);
  return quoted[0]!.ticker;
}

async function book(ticker: string) {
  const { json } = await get(`/markets/${ticker}/orderbook`);
  return orderbookResponseSchema(ticker).parse(json);
}

async function balanceOf(account: TestAccount): Promise<number> {
  const { json } = await get('/portfolio/balance', account);
  return balanceSchema.parse(json).balance;
}

const order = (ticker: string, fields: Record<string, unknown>) => ({
  ticker,
  side: 'bid',
  count: '1.00',
  price: '0.5000',
  time_in_force: 'good_till_canceled',
  ...fields,
});

describe('market data', () => {
  it('answers exchange status, series, and 404 in Kalshi’s error body', async () => {
    const status = await get('/exchange/status');
    expect(exchangeStatusSchema.parse(status.json)).toMatchObject({
      exchangeActive: true,
      tradingActive: true,
    });
    const series = await get('/series/KXBTCD');
    expect(series.json.series).toMatchObject({ ticker: 'KXBTCD', category: 'Crypto', frequency: 'hourly' });
    expectKalshiError(await get('/series/KXETHD'), 404, 'not_found'); // ETH is not simulated in this test
    expectKalshiError(await get('/markets/KXBTCD-25AUG0316-T1.99'), 404, 'not_found');
    expectKalshiError(await get('/no/such/route'), 404, 'not_found');
  });

  it('lists events with nested markets, filters by status and pages with cursors', async () => {
    const all = await get('/events?series_ticker=KXBTCD&with_nested_markets=true');
    const events = getEventsResponseSchema.parse(all.json).events;
    expect(events.map((e) => e.eventTicker)).toEqual([eventTicker]);
    expect(events[0]!.markets).toHaveLength(9);
    expect(events[0]!.title).toBe('Bitcoin price on Aug 3, 2025 at 4pm EDT?');
    expect(events[0]!.strikeDate).toBe(Date.parse('2025-08-03T20:00:00Z'));
    const strikes = events[0]!.markets.map((m) => m.strike!);
    expect(strikes).toEqual([...strikes].sort((a, b) => a - b));
    expect(strikes[1]! - strikes[0]!).toBe(250);

    expect(getEventsResponseSchema.parse((await get('/events?status=open')).json).events).toHaveLength(1);
    expect(getEventsResponseSchema.parse((await get('/events?status=settled')).json).events).toHaveLength(0);
    expectKalshiError(await get('/events?status=sideways'), 400, 'invalid_parameters');

    const one = await get(`/events/${eventTicker}?with_nested_markets=true`);
    expect(getEventResponseSchema.parse(one.json).markets).toHaveLength(9);
    expect(one.json.markets).toHaveLength(9); // the deprecated top-level copy

    // Page through the markets two at a time: every market once, in strike order.
    const seen: string[] = [];
    let cursor = '';
    for (let page = 0; page < 10; page++) {
      const res = await get(
        `/markets?event_ticker=${eventTicker}&limit=2${cursor ? `&cursor=${cursor}` : ''}`,
      );
      const parsed = getMarketsResponseSchema.parse(res.json);
      seen.push(...parsed.markets.map((m) => m.ticker));
      cursor = parsed.cursor ?? '';
      if (!cursor) break;
    }
    expect(seen).toEqual(events[0]!.markets.map((m) => m.ticker));
    expectKalshiError(await get('/markets?cursor=not*a*cursor'), 400, 'invalid_parameters');
    expectKalshiError(await get('/markets?limit=0'), 400, 'invalid_parameters');
  });

  it('serves markets whose quotes match the order book (asks from the opposite bids)', async () => {
    const ticker = await atTheMoney();
    const market = getMarketResponseSchema.parse((await get(`/markets/${ticker}`)).json);
    const ob = await book(ticker);
    expect(market.status).toBe('active');
    expect(market.yesBid).toBe(ob.yesBids[0]!.price);
    expect(market.yesAsk).toBe(DOLLAR - ob.noBids[0]!.price);
    expect(market.noBid).toBe(ob.noBids[0]!.price);
    expect(market.noAsk).toBe(DOLLAR - ob.yesBids[0]!.price);
    expect(market.yesBidSize).toBe(ob.yesBids[0]!.count);

    // The wire order is ascending (best last), as Kalshi serves it; depth keeps the best levels.
    const raw = (await get(`/markets/${ticker}/orderbook`)).json.orderbook_fp;
    const yesPrices = raw.yes_dollars.map(([p]: [string]) => parseDollars(p));
    expect(yesPrices).toEqual([...yesPrices].sort((a, b) => a - b));
    const top = (await get(`/markets/${ticker}/orderbook?depth=1`)).json.orderbook_fp;
    expect(top.yes_dollars).toEqual([raw.yes_dollars.at(-1)]);
    expect(top.no_dollars).toEqual([raw.no_dollars.at(-1)]);
  });
});

describe('authentication and limits', () => {
  it('refuses missing headers, unknown keys, bad signatures and stale timestamps with 401', async () => {
    expectKalshiError(await get('/portfolio/balance'), 401, 'authentication_error');
    const url = `${sim.baseUrl}/portfolio/balance`;
    const signed = alice.signer.headers('GET', url);
    const forged = { ...signed, 'KALSHI-ACCESS-KEY': bob.keyId }; // alice's signature, bob's key
    expectKalshiError(
      await kalshiFetch(sim, undefined, 'GET', '/portfolio/balance', undefined, forged),
      401,
      'authentication_error',
    );
    const unknown = { ...signed, 'KALSHI-ACCESS-KEY': 'no-such-key' };
    const res = await kalshiFetch(sim, undefined, 'GET', '/portfolio/balance', undefined, unknown);
    expectKalshiError(res, 401, 'authentication_error');
    // Signed for another path: the signature covers METHOD + path.
    const elsewhere = alice.signer.headers('GET', `${sim.baseUrl}/portfolio/orders`);
    expectKalshiError(
      await kalshiFetch(sim, undefined, 'GET', '/portfolio/balance', undefined, elsewhere),
      401,
      'authentication_error',
    );
    // A changed timestamp breaks the signature: the timestamp is part of what is signed.
    expect((await kalshiFetch(sim, alice, 'GET', '/portfolio/balance')).status).toBe(200);
    const old = String(sim.clock.now() - 5_000); // fresh enough, but not what was signed
    const oldSigned = { ...alice.signer.headers('GET', url), [KALSHI_ACCESS_TIMESTAMP]: old };
    const staleRes = await kalshiFetch(sim, undefined, 'GET', '/portfolio/balance', undefined, oldSigned);
    expectKalshiError(staleRes, 401, 'authentication_error');
    expect(staleRes.json.error.details).toBe('bad_signature');
  });

  it('refuses a correctly signed but stale request with 401 stale_timestamp', async () => {
    // Sign as if the request had been made two minutes ago (for both clocks).
    const past = { now: () => sim.clock.now() - 120_000 };
    const { KalshiSigner } = await import('../../src/integrations/kalshi/signer.ts');
    const signer = new KalshiSigner({ keyId: alice.keyId, privateKey: alice.privateKeyPem, clock: past });
    const headers = signer.headers('GET', `${sim.baseUrl}/portfolio/balance`);
    const res = await kalshiFetch(sim, undefined, 'GET', '/portfolio/balance', undefined, headers);
    expectKalshiError(res, 401, 'authentication_error');
    expect(res.json.error.details).toBe('stale_timestamp');
  });

  it('limits reads per key and tier with 429 rate_limit_exceeded (time stands still here)', async () => {
    // bob is on the basic tier: 20 reads per second of the simulator's clock (which does not move now).
    const statuses: number[] = [];
    for (let i = 0; i < 25; i++) statuses.push((await get('/portfolio/balance', bob)).status);
    expect(statuses.filter((s) => s === 200)).toHaveLength(20);
    const limited = await get('/portfolio/balance', bob);
    expectKalshiError(limited, 429, 'rate_limit_exceeded');
    // Other keys are not affected; a second of simulated time refills bob's bucket.
    expect((await get('/portfolio/balance', alice)).status).toBe(200);
    await sim.advance(1_000);
    expect((await get('/portfolio/balance', bob)).status).toBe(200);
  });
});

describe('order entry', () => {
  it('rejects bad input with 400 naming the field, and changes nothing', async () => {
    const ticker = await atTheMoney();
    const before = await balanceOf(alice);
    const cases: Array<[unknown, RegExp]> = [
      [order(ticker, { count: '1.5' }), /count/],
      [order(ticker, { count: '0' }), /count/],
      [order(ticker, { price: '0.5' + '1234' }), /price/],
      [order(ticker, { side: 'buy' }), /side/],
      [order(ticker, { time_in_force: 'day' }), /time_in_force/],
      [order(ticker, { action: 'buy' }), /action|unrecognized/i],
      [order(ticker, { ticker: 'lower-case' }), /ticker/],
      [{ side: 'bid' }, /ticker/],
      ['{"ticker":', /JSON/],
    ];
    for (const [body, message] of cases) {
      const res = await kalshiFetch(sim, alice, 'POST', '/portfolio/events/orders', body);
      expectKalshiError(res, 400, 'invalid_parameters');
      expect(res.json.error.message).toMatch(message);
    }
    // Off-tick price: parsed, then refused by the exchange.
    const offTick = await kalshiFetch(
      sim,
      alice,
      'POST',
      '/portfolio/events/orders',
      order(ticker, { price: '0.5050' }),
    );
    expect(offTick.status).toBe(400);
    expect(offTick.json.error.code).toBe('invalid_price');
    expect(await balanceOf(alice)).toBe(before);
    expect(getOrdersResponseSchema.parse((await get('/portfolio/orders', alice)).json).orders).toEqual([]);
  });

  it('FOK that cannot fill completely → 409 fill_or_kill_insufficient_resting_volume; nothing traded', async () => {
    const ticker = await atTheMoney();
    const ob = await book(ticker);
    const askPrice = DOLLAR - ob.noBids[0]!.price;
    const askSize = ob.noBids[0]!.count;
    const before = await balanceOf(alice);
    const res = await kalshiFetch(
      sim,
      alice,
      'POST',
      '/portfolio/events/orders',
      order(ticker, {
        client_order_id: 'fok-1',
        count: `${askSize + 1}`,
        price: (askPrice / DOLLAR).toFixed(4),
        time_in_force: 'fill_or_kill',
      }),
    );
    expectKalshiError(res, 409, 'fill_or_kill_insufficient_resting_volume');
    expect(await book(ticker)).toEqual(ob);
    expect(await balanceOf(alice)).toBe(before);
    // Kalshi consumes the client_order_id of a killed FOK.
    const again = await kalshiFetch(
      sim,
      alice,
      'POST',
      '/portfolio/events/orders',
      order(ticker, {
        client_order_id: 'fok-1',
        price: '0.0100',
      }),
    );
    expectKalshiError(again, 409, 'order_already_exists');
  });

  it('IOC fills what rests at its limit, cancels the rest; fees per fill; balance exact', async () => {
    const ticker = await atTheMoney();
    const ob = await book(ticker);
    const askPrice = DOLLAR - ob.noBids[0]!.price;
    const askSize = ob.noBids[0]!.count;
    const before = await balanceOf(alice);
    const res = await kalshiFetch(
      sim,
      alice,
      'POST',
      '/portfolio/events/orders',
      order(ticker, {
        client_order_id: 'ioc-1',
        count: `${askSize + 5}.00`,
        price: (askPrice / DOLLAR).toFixed(2),
        time_in_force: 'immediate_or_cancel',
      }),
    );
    expect(res.status).toBe(201);
    const created = createOrderV2ResponseSchema.parse(res.json);
    expect(created).toMatchObject({ clientOrderId: 'ioc-1', fillCount: askSize, remainingCount: 0 });
    expect(created.averageFillPrice).toBe(askPrice);

    const placed = getOrderResponseSchema.parse(
      (await get(`/portfolio/orders/${created.orderId}`, alice)).json,
    );
    expect(placed).toMatchObject({
      status: 'canceled',
      bookSide: 'bid',
      outcomeSide: 'yes',
      fillCount: askSize,
      remainingCount: 0,
      initialCount: askSize + 5,
      yesPrice: askPrice,
      takerFillCost: askSize * askPrice,
    });
    const fills = getFillsResponseSchema.parse(
      (await get(`/portfolio/fills?order_id=${created.orderId}`, alice)).json,
    ).fills;
    expect(fills.reduce((n, f) => n + f.count, 0)).toBe(askSize);
    for (const fill of fills) {
      expect(fill).toMatchObject({ ticker, isTaker: true, yesPrice: askPrice, bookSide: 'bid' });
      expect(fill.fee).toBe(takerFee(fill.count, askPrice));
    }
    const fees = fills.reduce((sum, f) => sum + f.fee!, 0);
    expect(placed.takerFees).toBe(fees);
    expect(await balanceOf(alice)).toBe(before - askSize * askPrice - fees);

    const positions = getPositionsResponseSchema.parse(
      (await get(`/portfolio/positions?ticker=${ticker}`, alice)).json,
    );
    expect(positions.marketPositions).toEqual([
      expect.objectContaining({
        ticker,
        position: askSize,
        marketExposure: askSize * askPrice,
        feesPaid: fees,
      }),
    ]);
    expect(positions.eventPositions[0]).toMatchObject({ eventTicker, feesPaid: fees });
    // The book lost exactly the level that was taken.
    expect((await book(ticker)).noBids[0]!.price).toBeLessThan(ob.noBids[0]!.price);
  });

  it('a duplicate client_order_id → 409; cancel → reduced_by, then 404', async () => {
    const ticker = await atTheMoney();
    const ob = await book(ticker);
    const low = Math.max(100, ob.yesBids.at(-1)!.price - 1_000); // well below the bids: it rests
    const body = order(ticker, { client_order_id: 'gtc-dup', count: '3', price: (low / DOLLAR).toFixed(2) });
    const first = await kalshiFetch(sim, alice, 'POST', '/portfolio/events/orders', body);
    expect(first.status).toBe(201);
    const created = createOrderV2ResponseSchema.parse(first.json);
    expect(created).toMatchObject({ fillCount: 0, remainingCount: 3 });
    expectKalshiError(
      await kalshiFetch(sim, alice, 'POST', '/portfolio/events/orders', body),
      409,
      'order_already_exists',
    );

    const resting = getOrdersResponseSchema.parse(
      (await get(`/portfolio/orders?status=resting&ticker=${ticker}`, alice)).json,
    );
    expect(resting.orders.map((o) => o.orderId)).toEqual([created.orderId]);
    const balance = balanceSchema.parse((await get('/portfolio/balance', alice)).json);

    const cancel = await kalshiFetch(sim, alice, 'DELETE', `/portfolio/events/orders/${created.orderId}`);
    expect(cancel.status).toBe(200);
    expect(cancelOrderV2ResponseSchema.parse(cancel.json)).toMatchObject({
      orderId: created.orderId,
      reducedBy: 3,
    });
    // The held collateral comes back to the available balance.
    expect(await balanceOf(alice)).toBe(balance.balance + 3 * low);
    expectKalshiError(
      await kalshiFetch(sim, alice, 'DELETE', `/portfolio/events/orders/${created.orderId}`),
      404,
      'not_found',
    );
    // Nobody else sees or cancels alice's orders.
    expectKalshiError(await get(`/portfolio/orders/${created.orderId}`, bob), 404, 'not_found');
  });

  it('lists orders newest first with cursors', async () => {
    const all = getOrdersResponseSchema.parse((await get('/portfolio/orders', alice)).json).orders;
    expect(all.length).toBeGreaterThanOrEqual(2);
    const times = all.map((o) => o.createdTime!);
    expect(times).toEqual([...times].sort((a, b) => b - a));
    const paged: string[] = [];
    let cursor = '';
    do {
      const res = await get(`/portfolio/orders?limit=1${cursor ? `&cursor=${cursor}` : ''}`, alice);
      const parsed = getOrdersResponseSchema.parse(res.json);
      paged.push(...parsed.orders.map((o) => o.orderId));
      cursor = parsed.cursor ?? '';
    } while (cursor);
    expect(paged).toEqual(all.map((o) => o.orderId));
  });

  it('a GTC bid rests in the book and is filled by the taker flow', async () => {
    const ticker = await atTheMoney();
    const ob = await book(ticker);
    const bestBid = ob.yesBids[0]!.price;
    const bestAsk = DOLLAR - ob.noBids[0]!.price;
    const price = Math.min(bestBid + 100, bestAsk - 100); // join or improve the bid, never cross
    const res = await kalshiFetch(
      sim,
      alice,
      'POST',
      '/portfolio/events/orders',
      order(ticker, {
        client_order_id: 'gtc-taker',
        count: '2',
        price: (price / DOLLAR).toFixed(2),
      }),
    );
    expect(res.status).toBe(201);
    const { orderId, remainingCount } = createOrderV2ResponseSchema.parse(res.json);
    expect(remainingCount).toBe(2);
    const level = (await book(ticker)).yesBids.find((l) => l.price === price)!;
    expect(level.count).toBeGreaterThanOrEqual(2);

    let filled = 0;
    for (let minute = 0; minute < 15 && filled === 0; minute++) {
      await sim.advance(60_000);
      filled = getOrderResponseSchema.parse(
        (await get(`/portfolio/orders/${orderId}`, alice)).json,
      ).fillCount;
    }
    expect(filled).toBeGreaterThan(0);
    const fills = getFillsResponseSchema.parse(
      (await get(`/portfolio/fills?order_id=${orderId}`, alice)).json,
    ).fills;
    expect(fills.length).toBeGreaterThan(0);
    for (const fill of fills)
      expect(fill).toMatchObject({ isTaker: false, yesPrice: price, bookSide: 'bid', fee: 0 });
  });

  it('decreases a resting order (V2) and accepts the legacy create (side + action)', async () => {
    const ticker = await atTheMoney();
    const ob = await book(ticker);
    const low = Math.max(100, ob.yesBids.at(-1)!.price - 1_000);
    const placed = createOrderV2ResponseSchema.parse(
      (
        await kalshiFetch(
          sim,
          alice,
          'POST',
          '/portfolio/events/orders',
          order(ticker, {
            count: '5',
            price: (low / DOLLAR).toFixed(2),
          }),
        )
      ).json,
    );
    const decreased = await kalshiFetch(
      sim,
      alice,
      'POST',
      `/portfolio/events/orders/${placed.orderId}/decrease`,
      {
        reduce_by: '2',
      },
    );
    expect(decreased.status).toBe(200);
    expect(decreased.json).toMatchObject({ order_id: placed.orderId, remaining_count: '3.00' });
    const both = await kalshiFetch(
      sim,
      alice,
      'POST',
      `/portfolio/events/orders/${placed.orderId}/decrease`,
      {
        reduce_by: '1',
        reduce_to: '1',
      },
    );
    expectKalshiError(both, 400, 'invalid_parameters');
    await kalshiFetch(sim, alice, 'DELETE', `/portfolio/events/orders/${placed.orderId}`);

    // Legacy: buy NO at 3¢ is an ask (sell YES) at 97¢ on the V2 book.
    const legacy = await kalshiFetch(sim, alice, 'POST', '/portfolio/orders', {
      ticker,
      client_order_id: 'legacy-1',
      side: 'no',
      action: 'buy',
      count: 1,
      no_price: 3,
      type: 'limit',
    });
    expect(legacy.status).toBe(201);
    const legacyOrder = getOrderResponseSchema.parse(legacy.json);
    expect(legacyOrder).toMatchObject({ bookSide: 'ask', outcomeSide: 'no', yesPrice: 9_700, noPrice: 300 });
    const missingPrice = await kalshiFetch(sim, alice, 'POST', '/portfolio/orders', {
      ticker,
      side: 'yes',
      action: 'buy',
      count: 1,
    });
    expectKalshiError(missingPrice, 400, 'invalid_parameters');
    await kalshiFetch(sim, alice, 'DELETE', `/portfolio/events/orders/${legacyOrder.orderId}`);
  });

  it('applies injected faults: read-after-write lag hides a fresh order; a pause refuses trading', async () => {
    const admin = (method: string, body?: unknown) =>
      fetch(`${sim.origin}/admin/faults`, {
        method,
        headers: {
          'x-recio-internal-token': INTERNAL_TOKEN,
          ...(body === undefined ? {} : { 'content-type': 'application/json' }),
        },
        ...(body === undefined ? {} : { body: JSON.stringify(body) }),
      });
    const ticker = await atTheMoney();
    expect((await admin('PUT', { readAfterWrite: { lagMs: 5_000, share: 1 } })).status).toBe(200);
    const placed = createOrderV2ResponseSchema.parse(
      (await kalshiFetch(sim, alice, 'POST', '/portfolio/events/orders', order(ticker, { price: '0.0100' })))
        .json,
    );
    expectKalshiError(await get(`/portfolio/orders/${placed.orderId}`, alice), 404, 'not_found');
    const listed = getOrdersResponseSchema.parse((await get('/portfolio/orders', alice)).json).orders;
    expect(listed.map((o) => o.orderId)).not.toContain(placed.orderId);
    await sim.advance(6_000);
    expect((await get(`/portfolio/orders/${placed.orderId}`, alice)).status).toBe(200);

    expect((await admin('PUT', { paused: true })).status).toBe(200);
    expect(exchangeStatusSchema.parse((await get('/exchange/status')).json).tradingActive).toBe(false);
    const refused = await kalshiFetch(sim, alice, 'DELETE', `/portfolio/events/orders/${placed.orderId}`);
    expect(refused.status).toBe(503);
    expect((await admin('DELETE')).status).toBe(200);
    expect(
      (await kalshiFetch(sim, alice, 'DELETE', `/portfolio/events/orders/${placed.orderId}`)).status,
    ).toBe(200);
  });

  it('refuses orders on a closed market with 409 market_closed, and settles the hour', async () => {
    const positions = getPositionsResponseSchema.parse(
      (await get('/portfolio/positions?count_filter=position', alice)).json,
    );
    const held = positions.marketPositions.filter((p) => p.position !== 0);
    expect(held.length).toBeGreaterThan(0);
    const before = await balanceOf(alice);
    const close = Date.parse('2025-08-03T20:00:00Z');
    await sim.advance(close - sim.clock.now() + 1_000);

    const ticker = held[0]!.ticker;
    const late = await kalshiFetch(
      sim,
      alice,
      'POST',
      '/portfolio/events/orders',
      order(ticker, { price: '0.0100' }),
    );
    expectKalshiError(late, 409, 'market_closed');
    expect(getMarketResponseSchema.parse((await get(`/markets/${ticker}`)).json).status).toBe('closed');

    await sim.advance(70_000 + 30_000 + 2_000); // determination, then settlement
    const settled = getMarketResponseSchema.parse((await get(`/markets/${ticker}`)).json);
    expect(settled.status).toBe('finalized');
    // YES iff the 60-s average is strictly above floor_strike.
    const value = parseDollars(settled.expirationValue!);
    expect(settled.result).toBe(value > Math.round(settled.floorStrike! * DOLLAR) ? 'yes' : 'no');

    const settlements = getSettlementsResponseSchema.parse(
      (await get('/portfolio/settlements', alice)).json,
    ).settlements;
    let revenue = 0;
    for (const p of held) {
      const s = settlements.find((x) => x.ticker === p.ticker)!;
      const market = getMarketResponseSchema.parse((await get(`/markets/${p.ticker}`)).json);
      const winning =
        (market.result === 'yes' && p.position > 0) || (market.result === 'no' && p.position < 0);
      // 100¢ per net winning contract; revenue in whole cents on the wire.
      expect(s.revenue).toBe(winning ? Math.abs(p.position) * DOLLAR : 0);
      expect(s.marketResult).toBe(market.result);
      revenue += s.revenue;
    }
    expect(await balanceOf(alice)).toBe(before + revenue);
    const after = getPositionsResponseSchema.parse((await get('/portfolio/positions', alice)).json);
    expect(after.marketPositions.every((p) => p.position === 0)).toBe(true);
    const raw = (await get('/portfolio/settlements', alice)).json.settlements[0];
    expect(parseCountFp(raw.yes_count_fp) + parseCountFp(raw.no_count_fp)).toBeGreaterThan(0);
  });
});

describe('admin', () => {
  it('needs the internal token, and reports the simulator status', async () => {
    expect((await fetch(`${sim.origin}/admin/status`)).status).toBe(401);
    const res = await fetch(`${sim.origin}/admin/status`, {
      headers: { 'x-recio-internal-token': INTERNAL_TOKEN },
    });
    expect(res.status).toBe(200);
    const status = (await res.json()) as any;
    expect(status).toMatchObject({ accounts: 2, apiKeys: 2, failed: null, lagMs: 0 });
    expect(status.journalSeq).toBeGreaterThan(5);
  });

  it('validates admin bodies (problem+json) and deposits into accounts', async () => {
    const headers = { 'content-type': 'application/json', 'x-recio-internal-token': INTERNAL_TOKEN };
    const bad = await fetch(`${sim.origin}/admin/accounts`, {
      method: 'POST',
      headers,
      body: '{"balanceCc":-5}',
    });
    expect(bad.status).toBe(400);
    expect(bad.headers.get('content-type')).toContain('application/problem+json');
    const dup = await fetch(`${sim.origin}/admin/accounts`, {
      method: 'POST',
      headers,
      body: JSON.stringify({ accountId: 'alice', balanceCc: 1 }),
    });
    expect(dup.status).toBe(409);
    const badKey = await fetch(`${sim.origin}/admin/api-keys`, {
      method: 'POST',
      headers,
      body: JSON.stringify({ accountId: 'bob', publicKeyPem: bob.privateKeyPem }),
    });
    expect(badKey.status).toBe(400);
    // Racing registrations of one key id or one account: one wins, the other is a 409, nothing breaks.
    const post = (path: string, body: unknown) =>
      fetch(`${sim.origin}${path}`, { method: 'POST', headers, body: JSON.stringify(body) });
    const keyRace = await Promise.all(
      [0, 1].map(() =>
        post('/admin/api-keys', { accountId: 'bob', keyId: 'raced-key', publicKeyPem: bob.publicKeyPem }),
      ),
    );
    expect(keyRace.map((r) => r.status).sort()).toEqual([201, 409]);
    const accountRace = await Promise.all(
      ['first', 'second'].map((label) =>
        post('/admin/accounts', { accountId: 'carol', label, balanceCc: 1 }),
      ),
    );
    expect(accountRace.map((r) => r.status).sort()).toEqual([201, 409]);
    expect(sim.runtime.status().failed).toBeNull();
    expect((await sim.runtime.store.ledger('carol')).account?.label).toBe(sim.runtime.accountLabel('carol'));

    const before = await balanceOf(bob);
    const deposit = await fetch(`${sim.origin}/admin/accounts/bob/deposit`, {
      method: 'POST',
      headers,
      body: JSON.stringify({ amountCc: 25 * DOLLAR }),
    });
    expect(deposit.status).toBe(200);
    await sim.advance(1_000); // bob's read bucket
    expect(await balanceOf(bob)).toBe(before + 25 * DOLLAR);
  });
});
