/**
 * Recovery from every injected fault without a lost or duplicated fill (issue 3's contract).
 *
 * Under each fault of the simulator (switched through its admin API) a fresh account trades
 * through the production clients over real sockets: IOC orders against the book, GTC orders
 * resting and then filled by the simulator's taker flow over simulated minutes, cancels. Writes
 * go through the order resolver (a lost answer is looked up by client_order_id, never resent
 * blindly); fills are collected by the fill journal from the WebSocket `fill` channel and REST
 * `/portfolio/fills`. After the fault, the journal must hold exactly the engine's own ledger of
 * the account's fills (ids, orders, sides, counts, prices, fees, times), each once; the engine
 * must hold exactly the orders the resolver reports; REST's positions and balance must equal
 * the engine's, and the journal's net positions REST's.
 */
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { RealClock, SimulatedClock } from '../../src/core/clock/index.ts';
import type { DatabaseHandle } from '../../src/core/db/index.ts';
import { KalshiFillJournal } from '../../src/integrations/kalshi/fill-journal.ts';
import {
  cancelOrderResolved,
  placeOrderResolved,
  type PlaceOrderResolution,
  type ResolveOptions,
} from '../../src/integrations/kalshi/order-resolver.ts';
import { KalshiRateLimiter } from '../../src/integrations/kalshi/rate-limiter.ts';
import { KalshiRestClient } from '../../src/integrations/kalshi/rest-client.ts';
import type { CreateOrderInput, KalshiMarket } from '../../src/integrations/kalshi/types.ts';
import { KalshiWsClient } from '../../src/integrations/kalshi/ws-client.ts';
import type { FaultStats } from '../../src/simulator/faults/index.ts';
import {
  createAccount,
  INTERNAL_TOKEN,
  startTestSimulator,
  testDatabase,
  type TestAccount,
  type TestSimulator,
} from './support.ts';

const real = new RealClock();
let db: DatabaseHandle;
let sim: TestSimulator;
const open: Array<{ close(): Promise<void> }> = [];

beforeAll(async () => {
  db = await testDatabase();
  // Just after the top of an hour: the whole hour's event to trade in.
  sim = await startTestSimulator({
    db: db.db,
    clock: SimulatedClock.manual(Date.parse('2025-08-03T20:00:30Z')),
    config: { seed: 'fault-recovery' },
  });
  await sim.advance(30_000);
});
afterEach(async () => {
  // A test's WebSocket must not count in the next test's fault statistics (nor hold its fills).
  for (const thing of open.splice(0)) await thing.close();
  pumping = false;
  await clearFaults();
});
afterAll(async () => {
  await fetch(`${sim?.origin}/admin/faults`, { method: 'DELETE', headers: adminHeaders() }).catch(
    () => undefined,
  );
  await sim?.stop();
  await db?.close();
});

// ── Plumbing ────────────────────────────────────────────────────────────────────────────

function adminHeaders(json = false): Record<string, string> {
  return {
    'x-recio-internal-token': INTERNAL_TOKEN,
    ...(json ? { 'content-type': 'application/json' } : {}),
  };
}

async function setFaults(patch: unknown): Promise<void> {
  const response = await fetch(`${sim.origin}/admin/faults`, {
    method: 'PUT',
    headers: adminHeaders(true),
    body: JSON.stringify(patch),
  });
  expect(response.status).toBe(200);
}

async function clearFaults(): Promise<void> {
  expect(
    (await fetch(`${sim.origin}/admin/faults`, { method: 'DELETE', headers: adminHeaders() })).status,
  ).toBe(200);
}

async function faultStats(): Promise<FaultStats> {
  const response = await fetch(`${sim.origin}/admin/faults`, { headers: adminHeaders() });
  return ((await response.json()) as { stats: FaultStats }).stats;
}

async function waitFor(condition: () => boolean, what: string, timeoutMs = 20_000): Promise<void> {
  const start = Date.now();
  while (!condition()) {
    if (Date.now() - start > timeoutMs) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 5));
  }
}

/**
 * While a latency fault is on, the simulator delays answers in *simulated* time, which moves
 * only when the test advances it: `io` keeps it moving while a call is in flight.
 */
let pumping = false;
async function io<T>(call: Promise<T>): Promise<T> {
  if (!pumping) return call;
  let settled = false;
  call.then(
    () => (settled = true),
    () => (settled = true),
  );
  while (!settled) {
    await sim.advance(50);
    await new Promise((resolve) => setTimeout(resolve, 2));
  }
  return call;
}

interface Trader {
  tag: string;
  account: TestAccount;
  rest: KalshiRestClient;
  ws: KalshiWsClient;
  journal: KalshiFillJournal;
  resolve: ResolveOptions;
  /** Every placement, by client order id. */
  placements: Map<string, PlaceOrderResolution>;
  nextOrder: number;
}

async function newTrader(tag: string): Promise<Trader> {
  const account = await createAccount(sim, {
    accountId: `fr-${tag}`,
    balanceCc: 10_000 * 10_000,
    tier: 'prime',
  });
  const rest = new KalshiRestClient({
    baseUrl: sim.baseUrl,
    // Backoff and pacing on real time (the simulated clock stands still while a test waits);
    // requests are signed with the simulator's time.
    clock: real,
    signer: account.signer,
    rateLimiter: new KalshiRateLimiter({ tier: 'prime', clock: real }),
    retry: { maxAttempts: 12, baseMs: 5, maxMs: 40 },
  });
  const ws = new KalshiWsClient({
    url: sim.wsUrl,
    clock: real,
    signer: account.signer,
    random: () => 0.5,
    reconnect: { baseMs: 400, maxMs: 800 },
    heartbeatTimeoutMs: 120_000,
    commandTimeoutMs: 20_000,
  });
  ws.on('warning', () => undefined); // expected under faults; counted in stats()
  const journal = new KalshiFillJournal({
    rest,
    since: sim.clock.now(),
    lookbackMs: 120_000,
    pageSize: 4, // several pages per backfill: cursors under faults too
  });
  journal.on('warning', () => undefined);
  journal.attach(ws);
  open.push(ws);
  await ws.start();
  await ws.subscribe({ channel: 'fill' });
  await ws.subscribe({ channel: 'user_orders' }); // order fill counts reveal lost fill messages
  await waitFor(() => journal.stats().backfills >= 1, 'the backfill after subscribing');
  return {
    tag,
    account,
    rest,
    ws,
    journal,
    resolve: { clock: real, lookupDelayMs: 20, misses: 3, maxLostAnswers: 4, random: () => 0.5 },
    placements: new Map(),
    nextOrder: 1,
  };
}

/** Open markets with a two-sided quote that stay open a while, closest to 50 ¢ first. */
async function tradableMarkets(trader: Trader): Promise<KalshiMarket[]> {
  const now = sim.clock.now();
  const markets = await io(trader.rest.getMarkets({ status: 'open' }));
  return markets
    .filter((m) => m.yesBid > 0 && m.yesAsk < 10_000 && m.closeTime > now + 5 * 60_000)
    .sort((a, b) => Math.abs(a.yesBid + a.yesAsk - 10_000) - Math.abs(b.yesBid + b.yesAsk - 10_000));
}

async function place(
  trader: Trader,
  order: Omit<CreateOrderInput, 'clientOrderId'> & { clientOrderId?: string },
): Promise<PlaceOrderResolution> {
  const clientOrderId = order.clientOrderId ?? `${trader.tag}-${trader.nextOrder++}`;
  const result = await io(placeOrderResolved(trader.rest, { ...order, clientOrderId }, trader.resolve));
  trader.placements.set(clientOrderId, result);
  if (result.status === 'placed') trader.journal.noteOrder(result);
  return result;
}

/** Maker fills (the account's resting orders hit by someone else) in the engine's ledger. */
function makerFills(trader: Trader): number {
  return sim.runtime.engine.listFills(trader.account.accountId).filter((f) => !f.isTaker).length;
}

/** GTC orders one cent inside the spread (both sides where it is wide enough): the next taker hits them. */
async function placeResting(
  trader: Trader,
  markets: KalshiMarket[],
): Promise<Array<{ orderId: string; ticker: string }>> {
  const resting: Array<{ orderId: string; ticker: string }> = [];
  for (const m of markets) {
    const spread = m.yesAsk - m.yesBid;
    const gtc = (side: 'bid' | 'ask', price: number) =>
      place(trader, { ticker: m.ticker, side, count: 2, price, timeInForce: 'good_till_canceled' });
    const orders = [];
    if (spread >= 200) orders.push(await gtc('bid', m.yesBid + 100));
    if (spread >= 300) orders.push(await gtc('ask', m.yesAsk - 100));
    for (const o of orders) {
      if (o.status === 'placed' && o.remainingCount > 0)
        resting.push({ orderId: o.orderId, ticker: m.ticker });
    }
  }
  return resting;
}

/**
 * One round of trading: IOCs that take from the book, GTC orders one cent inside the spread,
 * simulated time until the taker flow has filled two of them (or `maxMinutes`), then cancels.
 * `during` runs once the orders rest (e.g. to drop connections).
 */
async function tradeRound(
  trader: Trader,
  options: { maxMinutes?: number; during?: () => Promise<void> } = {},
): Promise<void> {
  const markets = (await tradableMarkets(trader)).slice(0, 4);
  expect(markets.length).toBeGreaterThanOrEqual(2);
  const [first, second] = markets as [KalshiMarket, KalshiMarket];
  await place(trader, {
    ticker: first.ticker,
    side: 'bid',
    count: 2,
    price: first.yesAsk,
    timeInForce: 'immediate_or_cancel',
  });
  await place(trader, {
    ticker: second.ticker,
    side: 'ask',
    count: 1,
    price: second.yesBid,
    timeInForce: 'immediate_or_cancel',
  });

  const resting = await placeResting(trader, markets);
  await options.during?.();

  const before = makerFills(trader);
  const deadline = sim.clock.now() + (options.maxMinutes ?? 8) * 60_000;
  while (resting.length > 0 && makerFills(trader) < before + 2 && sim.clock.now() < deadline) {
    await sim.advance(15_000);
  }
  for (const order of resting) {
    const result = await io(cancelOrderResolved(trader.rest, order, trader.resolve));
    expect(['canceled', 'finished'], JSON.stringify(result)).toContain(result.status);
  }
}

/** Two rounds of trading, and more (up to five) until `exercised()` shows the fault struck. */
async function tradeUntil(
  trader: Trader,
  exercised: () => boolean | Promise<boolean> = () => true,
  options: Parameters<typeof tradeRound>[1] = {},
): Promise<void> {
  for (let round = 1; round <= 5; round++) {
    await tradeRound(trader, options);
    if (round >= 2 && (await exercised())) return;
  }
}

/** Syncs until the journal holds every fill confirmed (time moves, so lag ends and queues drain). */
async function recover(trader: Trader): Promise<void> {
  for (let attempt = 0; attempt < 30; attempt++) {
    await sim.advance(1_000); // flushes delayed WebSocket messages; read-after-write lag passes
    await io(trader.journal.sync('recovery'));
    if (trader.journal.consistent) return;
  }
  throw new Error(`${trader.tag}: journal not consistent: ${JSON.stringify(trader.journal.unconfirmed())}`);
}

/** The journal equals the engine's ledger; orders, positions and balance agree everywhere. */
async function expectLedgerMatchesTruth(trader: Trader): Promise<void> {
  const { accountId } = trader.account;
  const engine = sim.runtime.engine;
  const truth = engine
    .listFills(accountId)
    .map((f) => ({
      fillId: f.fillId,
      orderId: f.orderId,
      ticker: f.ticker,
      side: f.side,
      count: f.count,
      yesPriceCc: f.yesPriceCc,
      isTaker: f.isTaker,
      feeCc: f.feeCc,
      createdTime: f.createdTime,
    }))
    .sort((a, b) => a.createdTime - b.createdTime || (a.fillId < b.fillId ? -1 : 1));
  expect(truth.some((f) => f.isTaker)).toBe(true);
  expect(truth.some((f) => !f.isTaker)).toBe(true); // resting orders were filled by the taker flow

  const journal = trader.journal.fills().map(({ clientOrderId: _c, ...f }) => f);
  expect(journal).toEqual(truth); // nothing lost, nothing twice, same terms
  expect(trader.journal.stats().conflicts).toBe(0);
  expect(trader.journal.consistent).toBe(true);

  // REST's own list says the same once the faults are gone.
  const restFills = await io(trader.rest.getFills({ minTime: truth[0]!.createdTime, limit: 7 }));
  expect(restFills.map((f) => f.fillId).sort()).toEqual(truth.map((f) => f.fillId).sort());

  // Exactly the orders the resolver reports were placed: none twice, none unknown.
  const orders = engine.listOrders(accountId);
  const placed = [...trader.placements].filter(([, r]) => r.status === 'placed');
  expect(orders.map((o) => o.clientOrderId).sort()).toEqual(placed.map(([id]) => id).sort());
  for (const [clientOrderId, result] of placed) {
    if (result.status === 'placed')
      expect(engine.findOrderByClientId(accountId, clientOrderId)?.orderId).toBe(result.orderId);
  }
  for (const order of orders)
    expect(trader.journal.shortfalls()).not.toContainEqual(
      expect.objectContaining({ orderId: order.orderId }),
    );

  // Positions and balance: REST = engine; the journal's net positions = REST's.
  const positions = await io(trader.rest.getPositions());
  const enginePositions = engine.listPositions(accountId);
  expect(
    positions.marketPositions.map((p) => [p.ticker, p.position, p.feesPaid, p.totalTraded]).sort(),
  ).toEqual(enginePositions.map((p) => [p.ticker, p.position, p.feesPaidCc, p.totalTradedCc]).sort());
  const settled = new Set(engine.listSettlements(accountId).map((s) => s.ticker));
  for (const [ticker, net] of trader.journal.netPositions()) {
    if (settled.has(ticker)) continue;
    expect([ticker, positions.marketPositions.find((p) => p.ticker === ticker)?.position ?? 0]).toEqual([
      ticker,
      net,
    ]);
  }
  expect((await io(trader.rest.getBalance())).balance).toBe(engine.getBalance(accountId)!.availableCc);
}

function placementsWhere(trader: Trader, predicate: (r: PlaceOrderResolution) => boolean): number {
  return [...trader.placements.values()].filter(predicate).length;
}

// ── One test per fault kind ─────────────────────────────────────────────────────────────

describe('recovery from every injected fault without a lost or duplicated fill', () => {
  it('added latency (REST and WebSocket, with jitter)', async () => {
    const trader = await newTrader('latency');
    await setFaults({ latency: { restMs: 300, wsMs: 300, jitterMs: 200 } });
    pumping = true;
    try {
      await tradeUntil(trader);
      await recover(trader);
    } finally {
      pumping = false;
      await clearFaults();
    }
    await expectLedgerMatchesTruth(trader);
    // Late, but every one came over the WebSocket too.
    await waitFor(() => trader.journal.entries().every((e) => e.seenOnWs), 'every fill on the WebSocket');
  });

  it('a share of 429 answers (reads retried, refused writes resent: nothing ran)', async () => {
    const trader = await newTrader('429');
    const before = await faultStats();
    await setFaults({ seed: 'f-429', http: { share429: 0.3 } });
    try {
      await tradeUntil(
        trader,
        () => placementsWhere(trader, (r) => r.status === 'placed' && r.sends > 1) > 0,
      );
      await recover(trader);
    } finally {
      await clearFaults();
    }
    expect((await faultStats()).httpRejected).toBeGreaterThan(before.httpRejected);
    expect(placementsWhere(trader, (r) => r.status === 'placed' && r.sends > 1)).toBeGreaterThan(0);
    await expectLedgerMatchesTruth(trader);
  });

  it('a share of 5xx before the request runs (an unknown write found absent, then sent again)', async () => {
    const trader = await newTrader('5xx-before');
    await setFaults({ seed: 'f-5xx', http: { share5xx: 0.3, status5xx: 503 } });
    try {
      await tradeUntil(
        trader,
        () => placementsWhere(trader, (r) => r.status === 'placed' && r.sends > 1) > 0,
      );
      await recover(trader);
    } finally {
      await clearFaults();
    }
    expect(
      placementsWhere(trader, (r) => r.status === 'placed' && r.via === 'response' && r.sends > 1),
    ).toBeGreaterThan(0);
    await expectLedgerMatchesTruth(trader);
  });

  it('a share of 5xx after the request ran (the order exists: found by client_order_id, not sent again)', async () => {
    const trader = await newTrader('5xx-after');
    await setFaults({ seed: 'f-5xx-after', http: { share5xxAfter: 0.3, status5xx: 502 } });
    try {
      await tradeUntil(
        trader,
        () => placementsWhere(trader, (r) => r.status === 'placed' && r.via === 'lookup') > 0,
      );
      await recover(trader);
    } finally {
      await clearFaults();
    }
    const found = [...trader.placements.values()].filter((r) => r.status === 'placed' && r.via === 'lookup');
    expect(found.length).toBeGreaterThan(0);
    expect(found.every((r) => r.sends === 1)).toBe(true);
    expect((await faultStats()).httpFailedAfter).toBeGreaterThan(0);
    await expectLedgerMatchesTruth(trader);
  });

  it('dropped WebSocket fill messages (seen as orders short of fills, recovered from REST)', async () => {
    const trader = await newTrader('ws-drop');
    const before = await faultStats();
    await setFaults({ seed: 'f-drop', ws: { dropShare: 0.5, messageTypes: ['fill'] } });
    let dropped = 0;
    try {
      await tradeUntil(trader, async () => {
        dropped = (await faultStats()).wsDropped - before.wsDropped;
        return dropped > 0;
      });
    } finally {
      await clearFaults();
    }
    expect(dropped).toBeGreaterThan(0);
    // Only this account subscribes to fills: the WebSocket brings every fill but the dropped ones.
    const made = () => sim.runtime.engine.listFills(trader.account.accountId).length;
    await waitFor(() => trader.journal.stats().wsFills === made() - dropped, 'the delivered fills');
    expect(trader.journal.stats().restAdded).toBe(0); // no backfill yet: the WebSocket alone lost them
    // The fill channel says nothing of the loss, but user_orders report fills the journal lacks.
    await waitFor(() => trader.journal.shortfalls().length > 0, 'orders short of fills');
    expect(trader.journal.consistent).toBe(false);
    await recover(trader);
    expect(trader.journal.stats().restAdded).toBe(dropped); // exactly the lost ones, from REST
    await expectLedgerMatchesTruth(trader);
  });

  it('duplicated WebSocket fill messages (each fill kept once)', async () => {
    const trader = await newTrader('ws-dup');
    const before = await faultStats();
    await setFaults({ seed: 'f-dup', ws: { duplicateShare: 0.5, messageTypes: ['fill'] } });
    let duplicated = 0;
    try {
      await tradeUntil(trader, async () => {
        duplicated = (await faultStats()).wsDuplicated - before.wsDuplicated;
        return duplicated > 0;
      });
    } finally {
      await clearFaults();
    }
    expect(duplicated).toBeGreaterThan(0);
    await waitFor(() => trader.journal.stats().wsDuplicates === duplicated, 'every repeat recognised');
    await recover(trader);
    expect(trader.journal.entries().every((e) => e.seenOnWs)).toBe(true);
    await expectLedgerMatchesTruth(trader);
  });

  it('dropped connections (fills made while disconnected come from the backfill after resubscribing)', async () => {
    const trader = await newTrader('conn-drop');
    const market = (await tradableMarkets(trader))[0]!;
    const resubscribedBackfills = () => trader.journal.stats().backfills;
    for (let round = 0; round < 5 && (round < 2 || trader.journal.stats().restAdded === 0); round++) {
      const backfills = resubscribedBackfills();
      const reconnects = trader.ws.stats().reconnects;
      await tradeRound(trader, {
        during: async () => {
          const response = await fetch(`${sim.origin}/admin/faults/drop-connections`, {
            method: 'POST',
            headers: adminHeaders(true),
            body: JSON.stringify({ target: 'kalshi' }),
          });
          expect(await response.json()).toEqual({ dropped: 1 });
          // A fill while the client is away: the exchange will never resend its message. (Should the
          // client be back already, the fill comes over the WebSocket and another round follows.)
          await waitFor(() => trader.ws.stats().reconnects > reconnects, 'the client to see the drop');
          const quote = await trader.rest.getMarket(market.ticker);
          await place(trader, {
            ticker: market.ticker,
            side: 'bid',
            count: 1,
            price: quote.yesAsk,
            timeInForce: 'immediate_or_cancel',
          });
        },
      });
      await waitFor(() => resubscribedBackfills() > backfills, 'the backfill after resubscribing');
    }
    expect(trader.journal.stats().restAdded).toBeGreaterThan(0);
    await recover(trader);
    await expectLedgerMatchesTruth(trader);
  });

  it('read-after-write lag (fresh fills missing from REST stay unconfirmed, never dropped or doubled)', async () => {
    const trader = await newTrader('lag');
    await setFaults({ readAfterWrite: { lagMs: 20_000, share: 1 } });
    try {
      await tradeUntil(trader);
      // A fresh fill: on the WebSocket at once, hidden from REST for 20 simulated seconds.
      const market = (await tradableMarkets(trader))[0]!;
      const fresh = await place(trader, {
        ticker: market.ticker,
        side: 'bid',
        count: 1,
        price: market.yesAsk,
        timeInForce: 'immediate_or_cancel',
      });
      expect(fresh).toMatchObject({ status: 'placed', fillCount: 1 });
      if (fresh.status !== 'placed') return;
      await waitFor(
        () => trader.journal.entries().some((e) => e.orderId === fresh.orderId),
        'the fresh fill on the WebSocket',
      );
      expect(await trader.rest.getOrder(fresh.orderId)).toBeUndefined(); // the lag is on
      const report = await trader.journal.sync('right after trading');
      expect(report.consistent).toBe(false);
      expect(trader.journal.unconfirmed().map((e) => e.orderId)).toContain(fresh.orderId);
      await recover(trader); // time passes; REST shows it
    } finally {
      await clearFaults();
    }
    await expectLedgerMatchesTruth(trader);
  });

  it('exchange paused then resumed (orders refused and found absent; nothing fills while paused; trading resumes)', async () => {
    const trader = await newTrader('paused');
    const tradable = await tradableMarkets(trader);
    expect(tradable.length).toBeGreaterThanOrEqual(4);
    const markets = tradable.slice(0, 3);
    // The IOCs go to a market without the trader's own resting orders: frozen books keep those at
    // the top, and an IOC meeting its own order stops there (self-trade prevention), unfilled.
    const takeFrom = tradable[3]!;
    const resting = await placeResting(trader, markets);
    expect(resting.length).toBeGreaterThan(0);
    const { accountId } = trader.account;
    const made = () => sim.runtime.engine.listFills(accountId).length;
    const traded = () => sim.runtime.engine.listMarkets().reduce((n, m) => n + m.volume, 0);
    await waitFor(() => trader.journal.stats().wsFills === made(), 'the fills so far on the WebSocket');
    const wsFillsBefore = trader.journal.stats().wsFills;
    const fillsBefore = made();
    const makerBefore = makerFills(trader);
    await setFaults({ paused: true });
    const volumeBefore = traded();
    const booksBefore = markets.map((m) => sim.runtime.engine.getOrderbook(m.ticker));
    let refused: PlaceOrderResolution;
    try {
      refused = await place(trader, {
        clientOrderId: 'paused-ioc',
        ticker: takeFrom.ticker,
        side: 'bid',
        count: 1,
        price: takeFrom.yesAsk,
        timeInForce: 'immediate_or_cancel',
      });
      // The exchange is halted: five simulated minutes without a trade anywhere, books frozen.
      for (let step = 0; step < 20; step++) await sim.advance(15_000);
      expect(traded()).toBe(volumeBefore);
      expect(made()).toBe(fillsBefore);
      expect(markets.map((m) => sim.runtime.engine.getOrderbook(m.ticker))).toEqual(booksBefore);
    } finally {
      await clearFaults();
    }
    expect(refused).toMatchObject({ status: 'absent', sends: 4 });
    expect(sim.runtime.engine.findOrderByClientId(trader.account.accountId, 'paused-ioc')).toBeUndefined();
    expect(trader.journal.stats().wsFills).toBe(wsFillsBefore);

    // Resumed: the same client_order_id is safe to send (it never ran); the taker flow fills the
    // resting orders again, and every fill comes over the WebSocket. The makers requote from the
    // second after the resume: read the ask once they have (the frozen one may be gone).
    await sim.advance(2_000);
    const again = await place(trader, {
      clientOrderId: 'paused-ioc',
      ticker: takeFrom.ticker,
      side: 'bid',
      count: 1,
      price: (await trader.rest.getMarket(takeFrom.ticker)).yesAsk,
      timeInForce: 'immediate_or_cancel',
    });
    expect(again).toMatchObject({ status: 'placed', sends: 1 });
    expect(
      sim.runtime.engine
        .listFills(accountId)
        .some((f) => f.isTaker && f.orderId === (again as { orderId: string }).orderId),
      'the IOC after the resume filled',
    ).toBe(true);
    for (let step = 0; step < 40 && makerFills(trader) === makerBefore; step++) await sim.advance(15_000);
    expect(makerFills(trader)).toBeGreaterThan(makerBefore);
    for (const order of resting) await cancelOrderResolved(trader.rest, order, trader.resolve);
    await recover(trader);
    await waitFor(() => trader.journal.entries().every((e) => e.seenOnWs), 'every fill on the WebSocket');
    await expectLedgerMatchesTruth(trader);
  });
});
