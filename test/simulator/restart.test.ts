/**
 * Restarting the simulator loses nothing: after a crash mid-hour (no final snapshot: the
 * journal carries the orders placed since the last one) and after a clean stop, every
 * account, API key, order, fill and position is identical, the ledger in schema `sim` agrees
 * with memory, and the hour then settles correctly. A full hour on the simulated clock.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { SimulatedClock } from '../../src/core/clock/simulated-clock.ts';
import {
  createOrderV2ResponseSchema,
  getPositionsResponseSchema,
  getSettlementsResponseSchema,
  orderbookResponseSchema,
} from '../../src/integrations/kalshi/models.ts';
import type { SimulatorRuntime } from '../../src/simulator/runtime/runtime.ts';
import {
  createAccount,
  kalshiFetch,
  startTestSimulator,
  testDatabase,
  type TestAccount,
  type TestSimulator,
} from './support.ts';

const DOLLAR = 10_000;
const START = Date.parse('2025-08-03T19:00:05Z');
const CLOSE = Date.parse('2025-08-03T20:00:00Z');

let db: Awaited<ReturnType<typeof testDatabase>>;
let clock: SimulatedClock;
let sim: TestSimulator;
let alice: TestAccount;
let bob: TestAccount;

beforeAll(async () => {
  db = await testDatabase();
  clock = SimulatedClock.manual(START);
  sim = await startTestSimulator({
    db: db.db,
    clock,
    config: { seed: 'restart-test', snapshotEverySeconds: 300 },
  });
  alice = await createAccount(sim, { accountId: 'alice', balanceCc: 500 * DOLLAR });
  bob = await createAccount(sim, { accountId: 'bob', balanceCc: 500 * DOLLAR });
});
afterAll(async () => {
  await sim?.stop();
  await db?.close();
});

/** Everything an account owns, as the engine holds it. */
function accountState(runtime: SimulatorRuntime, accountId: string) {
  const engine = runtime.engine;
  return {
    balance: engine.getBalance(accountId),
    orders: engine.listOrders(accountId),
    fills: engine.listFills(accountId),
    positions: engine.listPositions(accountId),
    settlements: engine.listSettlements(accountId),
  };
}

function fullState(runtime: SimulatorRuntime) {
  const tickers = runtime.engine.listMarkets().map((m) => m.ticker);
  return {
    simTime: runtime.simulation.now,
    alice: accountState(runtime, 'alice'),
    bob: accountState(runtime, 'bob'),
    keys: runtime.listApiKeys().map((k) => [k.keyId, k.accountId, k.tier]),
    books: tickers.map((t) => runtime.engine.getOrderbook(t)),
    markets: runtime.engine.listMarkets(),
  };
}

async function trade(account: TestAccount, ticker: string, fields: Record<string, unknown>) {
  const res = await kalshiFetch(sim, account, 'POST', '/portfolio/events/orders', {
    ticker,
    count: '2',
    time_in_force: 'good_till_canceled',
    ...fields,
  });
  expect(res.status).toBe(201);
  return createOrderV2ResponseSchema.parse(res.json);
}

async function crossAsk(ticker: string): Promise<string> {
  const book = orderbookResponseSchema(ticker).parse(
    (await kalshiFetch(sim, undefined, 'GET', `/markets/${ticker}/orderbook`)).json,
  );
  return ((DOLLAR - book.noBids[0]!.price) / DOLLAR).toFixed(2);
}

async function crossBid(ticker: string): Promise<string> {
  const book = orderbookResponseSchema(ticker).parse(
    (await kalshiFetch(sim, undefined, 'GET', `/markets/${ticker}/orderbook`)).json,
  );
  return (book.yesBids[0]!.price / DOLLAR).toFixed(2);
}

describe('restart', () => {
  it('keeps every account, key, order, fill and position across a crash and a clean stop; the hour settles', async () => {
    await sim.advance(120_000);
    const markets = sim.runtime.engine.listMarkets({ status: 'active' });
    const quoted = markets.filter((m) => m.yesBidCc !== null && m.yesAskCc !== null);
    const [m1, m2] = [quoted[2]!.ticker, quoted[quoted.length - 3]!.ticker];

    // Before the first snapshot (5 min): fills, a resting order, a cancel.
    await trade(alice, m1, { side: 'bid', price: await crossAsk(m1), time_in_force: 'immediate_or_cancel' });
    await trade(bob, m1, { side: 'ask', price: await crossBid(m1), time_in_force: 'immediate_or_cancel' });
    const resting = await trade(alice, m2, { side: 'bid', price: '0.0300', client_order_id: 'cheap' });
    const canceled = await trade(bob, m2, { side: 'ask', price: '0.9700' });
    expect(
      (await kalshiFetch(sim, bob, 'DELETE', `/portfolio/events/orders/${canceled.orderId}`)).status,
    ).toBe(200);
    await sim.advance(7 * 60_000); // a snapshot is written at 5 min

    // After the last snapshot: only the journal has these.
    const snapshotAt = sim.runtime.status().lastSnapshotSimMs;
    await trade(alice, m2, { side: 'bid', price: await crossAsk(m2), time_in_force: 'immediate_or_cancel' });
    await trade(bob, m1, { side: 'bid', price: '0.0200', client_order_id: 'late-rest' });
    await sim.advance(20_000);
    expect(sim.runtime.status().journalSeq).toBeGreaterThan(8);
    expect(sim.runtime.status().lastSnapshotSimMs).toBe(snapshotAt);

    const before = fullState(sim.runtime);
    expect(before.alice.fills.length).toBeGreaterThan(0);
    expect(before.bob.fills.length).toBeGreaterThan(0);
    expect(before.alice.orders.find((o) => o.orderId === resting.orderId)?.status).toBe('resting');

    // Crash: no final snapshot. Restart on the same database at the same simulated time.
    await sim.stop({ crash: true });
    sim = await startTestSimulator({
      db: db.db,
      clock,
      config: { seed: 'ignored: the snapshot keeps its config' },
    });
    const restored = sim.runtime.status();
    expect(restored.replay.entries).toBe(2);
    expect(restored.replay.mismatches).toBe(0);
    sim.runtime.sync();
    expect(fullState(sim.runtime)).toEqual(before);

    // The ledger in schema sim says the same as memory.
    for (const account of ['alice', 'bob']) {
      const ledger = await sim.runtime.store.ledger(account);
      const mem = accountState(sim.runtime, account);
      const byId = <T extends { orderId: string }>(list: T[]) =>
        [...list].sort((a, b) => (a.orderId < b.orderId ? -1 : 1));
      expect(byId(ledger.orders)).toEqual(byId(mem.orders));
      expect(ledger.fills.length).toBe(mem.fills.length);
      expect(new Set(ledger.fills.map((f) => f.fillId))).toEqual(new Set(mem.fills.map((f) => f.fillId)));
      expect(ledger.positions.sort((a, b) => (a.ticker < b.ticker ? -1 : 1))).toEqual(
        mem.positions.sort((a, b) => (a.ticker < b.ticker ? -1 : 1)),
      );
      expect(ledger.account).toMatchObject({
        balanceCc: mem.balance!.balanceCc,
        reservedCc: mem.balance!.reservedCc,
      });
    }

    // The old keys still sign; the REST view agrees.
    const positions = getPositionsResponseSchema.parse(
      (await kalshiFetch(sim, alice, 'GET', '/portfolio/positions')).json,
    );
    expect(positions.marketPositions.map((p) => [p.ticker, p.position]).sort()).toEqual(
      before.alice.positions.map((p) => [p.ticker, p.position]).sort(),
    );

    // Clean stop and start: the final snapshot holds everything, nothing to replay.
    await sim.advance(60_000);
    const beforeClean = fullState(sim.runtime);
    await sim.stop();
    sim = await startTestSimulator({ db: db.db, clock });
    expect(sim.runtime.status().replay.entries).toBe(0);
    expect(fullState(sim.runtime)).toEqual(beforeClean);

    // The rest of the hour, then close (resting orders canceled), determination, settlement.
    expect(sim.runtime.engine.getBalance('alice')!.reservedCc).toBeGreaterThan(0);
    await sim.advance(CLOSE - clock.now() + 1_000);
    const held = sim.runtime.engine.listPositions('alice').filter((p) => p.position !== 0);
    expect(held.length).toBeGreaterThan(0);
    const atClose = sim.runtime.engine.getBalance('alice')!;
    expect(atClose.reservedCc).toBe(0);
    await sim.advance(70_000 + 30_000 + 2_000);
    const settlements = getSettlementsResponseSchema.parse(
      (await kalshiFetch(sim, alice, 'GET', '/portfolio/settlements')).json,
    ).settlements;
    let revenue = 0;
    for (const p of held) {
      const market = sim.runtime.engine.getMarket(p.ticker)!;
      expect(market.status).toBe('settled');
      const wins = (market.result === 'yes' && p.position > 0) || (market.result === 'no' && p.position < 0);
      const s = settlements.find((x) => x.ticker === p.ticker)!;
      // 100¢ per net winning contract.
      expect(s.revenue).toBe(wins ? Math.abs(p.position) * DOLLAR : 0);
      revenue += s.revenue;
    }
    expect(sim.runtime.engine.getBalance('alice')!.balanceCc).toBe(atClose.balanceCc + revenue);
    expect(sim.runtime.engine.listPositions('alice').every((p) => p.position === 0)).toBe(true);
  });

  it('after a long pause it catches up before trading again: reads work, orders get 503 meanwhile', async () => {
    await sim.stop();
    await clock.advance(2 * 3_600_000); // two hours with the simulator down
    sim = await startTestSimulator({ db: db.db, clock });
    expect(sim.runtime.status().lagMs).toBeGreaterThan(2 * 3_600_000 - 1);
    expect(sim.runtime.catchingUp).toBe(true);

    const status = await kalshiFetch(sim, undefined, 'GET', '/exchange/status');
    expect(status.json).toEqual({ exchange_active: true, trading_active: false });
    expect((await kalshiFetch(sim, alice, 'GET', '/portfolio/balance')).status).toBe(200);
    const ticker = sim.runtime.engine.listMarkets()[0]!.ticker;
    const refused = await kalshiFetch(sim, alice, 'POST', '/portfolio/events/orders', {
      ticker,
      side: 'bid',
      count: '1',
      price: '0.0100',
      time_in_force: 'good_till_canceled',
    });
    expect(refused.status).toBe(503);
    expect(refused.json.error.code).toBe('service_unavailable');

    await sim.runtime.tick(); // slice by slice up to the clock
    expect(sim.runtime.catchingUp).toBe(false);
    expect(sim.runtime.status().lagMs).toBeLessThan(1_000);
    expect((await kalshiFetch(sim, undefined, 'GET', '/exchange/status')).json.trading_active).toBe(true);
    // More hourly events were listed and settled on the way.
    const settled = sim.runtime.simulation.listEvents().filter((e) => e.status === 'settled');
    expect(settled.length).toBeGreaterThanOrEqual(2);
  });
});
