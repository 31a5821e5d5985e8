/**
 * The "paused" fault halts the simulated exchange itself, durably: set through the admin API,
 * no trade happens and no book changes while it lasts (the index runs on), order entry is
 * refused, and a crash of the simulator during the pause and another after it both restore the
 * same state with zero replay mismatches — halted while paused (the fault comes back paused),
 * trading again after the resume, with the makers quoting the fair value of the moment.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { SimulatedClock } from '../../src/core/clock/simulated-clock.ts';
import type { OrderInput } from '../../src/simulator/runtime/commands.ts';
import type { SimulatorRuntime } from '../../src/simulator/runtime/runtime.ts';
import {
  createAccount,
  INTERNAL_TOKEN,
  kalshiFetch,
  startTestSimulator,
  testDatabase,
  type TestAccount,
  type TestSimulator,
} from './support.ts';

const START = Date.parse('2025-08-03T19:10:05Z');
const EVENT = 'KXBTCD-25AUG0316';

let db: Awaited<ReturnType<typeof testDatabase>>;
let clock: SimulatedClock;
let sim: TestSimulator;
let alice: TestAccount;

beforeAll(async () => {
  db = await testDatabase();
  clock = SimulatedClock.manual(START);
  // No periodic snapshot during the test: whatever happens after a halt or resume is replayed.
  sim = await startTestSimulator({
    db: db.db,
    clock,
    config: { seed: 'pause-test', snapshotEverySeconds: 7_200 },
  });
  alice = await createAccount(sim, { accountId: 'alice', balanceCc: 1_000 * 10_000 });
});
afterAll(async () => {
  await sim?.stop();
  await db?.close();
});

async function admin(method: string, path: string, body?: unknown): Promise<{ status: number; json: any }> {
  const response = await fetch(`${sim.origin}/admin${path}`, {
    method,
    headers: {
      'x-recio-internal-token': INTERNAL_TOKEN,
      ...(body !== undefined ? { 'content-type': 'application/json' } : {}),
    },
    ...(body !== undefined ? { body: JSON.stringify(body) } : {}),
  });
  return { status: response.status, json: await response.json() };
}

function fullState(runtime: SimulatorRuntime) {
  const engine = runtime.engine;
  const tickers = engine.listMarkets().map((m) => m.ticker);
  return {
    simTime: runtime.simulation.now,
    halted: runtime.tradingHalted,
    balance: engine.getBalance('alice'),
    orders: engine.listOrders('alice'),
    fills: engine.listFills('alice'),
    positions: engine.listPositions('alice'),
    markets: engine.listMarkets(),
    books: tickers.map((t) => engine.getOrderbook(t)),
    trades: tickers.map((t) => engine.listTrades(t)),
  };
}

/** Contracts traded on every market so far. */
function volume(runtime: SimulatorRuntime): number {
  return runtime.engine.listMarkets().reduce((n, m) => n + m.volume, 0);
}

/** Markets of the event whose best bid and ask do not bracket the simulator's fair value now. */
function staleQuotes(runtime: SimulatorRuntime): string[] {
  const stale: string[] = [];
  for (const [ticker, fair] of runtime.simulation.fairValues(EVENT)) {
    const top = runtime.engine.topOfBook(ticker);
    if (!top || top.yesBidCc === null || top.yesAskCc === null) continue;
    if (top.yesBidCc > fair * 10_000 || top.yesAskCc < fair * 10_000) stale.push(ticker);
  }
  return stale;
}

/** Crash (no final snapshot) and restart on the same database at the same simulated time. */
async function crashAndRestart(): Promise<void> {
  await sim.stop({ crash: true });
  sim = await startTestSimulator({
    db: db.db,
    clock,
    config: { seed: 'ignored: the snapshot keeps its config' },
  });
}

describe('the paused exchange', () => {
  it('halts trading durably: nothing trades while paused, a crash replays to the same state either side of the resume', async () => {
    await sim.advance(60_000);
    const quoted = sim.runtime.engine
      .listMarkets({ eventTicker: EVENT })
      .filter((m) => m.yesBidCc !== null && m.yesAskCc !== null)
      .sort(
        (a, b) => Math.abs(a.yesBidCc! + a.yesAskCc! - 10_000) - Math.abs(b.yesBidCc! + b.yesAskCc! - 10_000),
      );
    const [m1, m2] = [quoted[0]!, quoted[1]!];
    // A bid just inside the spread: the taker flow would hit it within minutes.
    const resting = await sim.runtime.placeOrder('alice', {
      ticker: m1.ticker,
      side: 'bid',
      count: 3,
      priceCc: Math.min(m1.yesBidCc! + 100, m1.yesAskCc! - 100),
      timeInForce: 'good_till_canceled',
    });
    expect(resting.ok && resting.value.order.status).toBe('resting');

    // Pause: the answer leaves once the halt is durable (a snapshot at that second).
    const paused = await admin('PUT', '/faults', { paused: true });
    expect(paused.status).toBe(200);
    expect(paused.json.state.paused).toBe(true);
    expect(sim.runtime.tradingHalted).toBe(true);
    expect(sim.runtime.status()).toMatchObject({
      tradingHalted: true,
      lastSnapshotSimMs: sim.runtime.simulation.now,
    });

    const traded = volume(sim.runtime);
    const books = fullState(sim.runtime).books;
    const index = sim.runtime.simulation.indexPrice('BTC')!;
    await sim.advance(5 * 60_000);
    expect(volume(sim.runtime)).toBe(traded);
    expect(fullState(sim.runtime).books).toEqual(books);
    expect(sim.runtime.simulation.indexPrice('BTC')!.timeMs).toBe(index.timeMs + 5 * 60_000);
    expect(sim.runtime.engine.listOrders('alice')[0]).toMatchObject({ status: 'resting', fillCount: 0 });

    // Order entry is refused at the door and by the runtime itself; accounts still change.
    const refused = await kalshiFetch(sim, alice, 'POST', '/portfolio/events/orders', {
      ticker: m2.ticker,
      side: 'bid',
      count: '1',
      price: '0.9900',
      time_in_force: 'immediate_or_cancel',
    });
    expect(refused.status).toBe(503);
    expect(refused.json.error.code).toBe('trading_paused');
    const ioc: OrderInput = {
      ticker: m2.ticker,
      side: 'bid',
      count: 2,
      priceCc: 9_900,
      timeInForce: 'immediate_or_cancel',
    };
    await expect(sim.runtime.placeOrder('alice', ioc)).rejects.toThrow(/paused/);
    expect((await admin('POST', '/accounts/alice/deposit', { amountCc: 50_000 })).status).toBe(200);
    await sim.advance(30_000);

    // A crash during the pause: restored halted, and the fault with it.
    const duringPause = fullState(sim.runtime);
    await crashAndRestart();
    expect(sim.runtime.status()).toMatchObject({
      tradingHalted: true,
      replay: { entries: 1, mismatches: 0 },
    });
    expect((await admin('GET', '/faults')).json.state.paused).toBe(true);
    sim.runtime.sync();
    expect(fullState(sim.runtime)).toEqual(duringPause);
    await sim.advance(60_000);
    expect(volume(sim.runtime)).toBe(traded);

    // Resume: the makers requote to the fair value of the moment, the taker flow comes back.
    expect(staleQuotes(sim.runtime).length).toBeGreaterThan(0);
    const resumedAtMs = clock.now();
    const resumed = await admin('DELETE', '/faults');
    expect(resumed.json.state.paused).toBe(false);
    expect(sim.runtime.tradingHalted).toBe(false);
    await sim.advance(1_000);
    expect(staleQuotes(sim.runtime)).toEqual([]);
    const filled = await sim.runtime.placeOrder('alice', {
      ...ioc,
      priceCc: sim.runtime.engine.getMarket(m2.ticker)!.yesAskCc!,
    });
    expect(filled.ok && filled.value.order.fillCount).toBe(2);
    const afterIoc = volume(sim.runtime);
    for (let i = 0; i < 20 && volume(sim.runtime) === afterIoc; i++) await sim.advance(30_000);
    expect(volume(sim.runtime)).toBeGreaterThan(afterIoc); // the taker flow trades again
    // The bid left resting through the pause traded, if at all, only once trading was back.
    const restingId = (resting.ok && resting.value.order.orderId) as string;
    const restingFills = sim.runtime.engine.listFills('alice').filter((f) => f.orderId === restingId);
    expect(restingFills.every((f) => f.createdTime > resumedAtMs)).toBe(true);
    const cheap = await sim.runtime.placeOrder('alice', {
      ...ioc,
      priceCc: 100,
      timeInForce: 'good_till_canceled',
    });
    expect(cheap.ok && (await sim.runtime.cancelOrder('alice', cheap.value.order.orderId)).ok).toBe(true);
    await sim.advance(5_000);

    // A crash after the resume: the journal since the resume replays to the same state.
    const afterResume = fullState(sim.runtime);
    await crashAndRestart();
    expect(sim.runtime.status()).toMatchObject({
      tradingHalted: false,
      replay: { entries: 3, mismatches: 0 },
    });
    expect((await admin('GET', '/faults')).json.state.paused).toBe(false);
    sim.runtime.sync();
    expect(fullState(sim.runtime)).toEqual(afterResume);
  });
});
