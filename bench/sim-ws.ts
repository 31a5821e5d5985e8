/**
 * The simulated Kalshi WebSocket's throughput to our production client on loopback: how many
 * orderbook_delta messages per second flow from the simulator's server (event routing, wire
 * formatting, seq, outbox, socket) into KalshiWsClient (parse, zod, seq check, book update).
 * The server runs in a child process (this same file with --serve), so each side has its own core.
 *   - deltas: synthetic engine delta events, 3 markets (the server's ceiling);
 *   - engine: random orders through the real ExchangeEngine (matching + all its events).
 * Flow control: the server keeps at most 20 000 deltas unread by the client.
 * Run: node --import tsx bench/sim-ws.ts
 */
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { fork } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { RealClock } from '../src/core/clock/index.ts';
import { KalshiWsClient } from '../src/integrations/kalshi/ws-client.ts';
import { attachKalshiWebSocket } from '../src/simulator/api/kalshi-ws/index.ts';
import type { KalshiStreamSource } from '../src/simulator/api/kalshi-ws/source.ts';
import { ExchangeEngine } from '../src/simulator/engine/engine.ts';
import type { EngineEvent } from '../src/simulator/engine/types.ts';
import { Random } from '../src/simulator/market/random.ts';

const TICKERS = ['KXBTCD-25AUG0316-T114749.99', 'KXBTCD-25AUG0316-T114999.99', 'KXBTCD-25AUG0316-T115249.99'];
const IN_FLIGHT = 20_000;
const START = Date.UTC(2025, 7, 3, 19, 30);

type Scenario = 'deltas' | 'engine';

// ── Server side (child process) ──────────────────────────────────────────────────────────────────

async function serve(): Promise<void> {
  // the client reports how many deltas it has read, so the server keeps IN_FLIGHT at most unread
  let received = 0;
  const send = (message: unknown) => process.send!(message);
  const engine = new ExchangeEngine({}, START);
  TICKERS.forEach((ticker, i) =>
    engine.createMarket(
      {
        ticker,
        eventTicker: 'KXBTCD-25AUG0316',
        seriesTicker: 'KXBTCD',
        strike: 114_750 + i * 250,
        openTime: START - 1_800_000,
        closeTime: START + 1_800_000,
      },
      START,
    ),
  );
  for (const accountId of ['mm1', 'mm2']) {
    engine.createAccount({ accountId, balanceCc: 1e13, recordHistory: false, nowMs: START });
  }
  const listeners = new Set<(events: readonly EngineEvent[]) => void>();
  const source: KalshiStreamSource = {
    onEvents: (l) => (listeners.add(l), () => listeners.delete(l)),
    getOrderbook: (t) => engine.getOrderbook(t),
    getMarket: (t) => engine.getMarket(t),
    listMarketTickers: () => engine.listMarkets().map((m) => m.ticker),
    accountForApiKey: () => undefined,
    now: () => engine.now,
  };
  const http = createServer();
  await new Promise<void>((resolve) => http.listen(0, '127.0.0.1', resolve));
  attachKalshiWebSocket({ server: http, source, clock: new RealClock(), publicOrderbook: true });
  send({ port: (http.address() as AddressInfo).port });

  const { scenario, deltas } = (await new Promise((resolve) => process.once('message', resolve))) as {
    scenario: Scenario;
    deltas: number;
  };
  process.on('message', (m: { received?: number }) => {
    if (m.received !== undefined) received = m.received;
  });
  const publish = (events: EngineEvent[]) => {
    for (const l of listeners) l(events);
  };
  let sent = 0;
  const random = Random.seeded('bench');
  let now = START;
  const levels = new Map<string, number>();
  const syntheticBook = (ticker: string) => {
    const side = (name: string) =>
      [...levels]
        .filter(([key, count]) => key.startsWith(`${ticker}:${name}:`) && count > 0)
        .map(([key, count]) => [Number(key.split(':')[2]), count])
        .sort((a, b) => (a[0] as number) - (b[0] as number));
    return { ticker, yes: side('yes'), no: side('no') };
  };
  const step = (): void => {
    let budget = Math.min(deltas - sent, IN_FLIGHT - (sent - received));
    while (budget > 0) {
      if (scenario === 'deltas') {
        const batch: EngineEvent[] = [];
        for (let i = 0; i < Math.min(budget, 100); i++, sent++) {
          const ticker = TICKERS[sent % 3] as string;
          const priceCc = (1 + ((sent >> 1) % 99)) * 100;
          const side = (sent >> 2) % 2 === 0 ? 'yes' : 'no';
          const key = `${ticker}:${side}:${priceCc}`;
          const level = levels.get(key) ?? 0;
          const delta = level >= 5 && random.chance(0.5) ? -5 : 5;
          levels.set(key, level + delta);
          batch.push({
            type: 'orderbook_delta',
            ticker,
            side,
            priceCc,
            delta,
            causedByAccountId: null,
            causedByClientOrderId: null,
            tsMs: now,
          });
        }
        budget -= batch.length;
        publish(batch);
      } else {
        now += 1;
        const accountId = random.chance(0.5) ? 'mm1' : 'mm2';
        const ticker = random.pick(TICKERS);
        const resting = engine.restingOrderIds(accountId, ticker);
        const result =
          resting.length > 20 && random.chance(0.5)
            ? engine.cancelOrder({ accountId, orderId: random.pick(resting), nowMs: now })
            : engine.placeOrder({
                accountId,
                ticker,
                side: random.chance(0.5) ? 'bid' : 'ask',
                priceCc: random.int(35, 65) * 100,
                count: random.int(1, 50),
                timeInForce: random.chance(0.8) ? 'good_till_canceled' : 'immediate_or_cancel',
                nowMs: now,
              });
        const n = result.events.filter((e) => e.type === 'orderbook_delta').length;
        sent += n;
        budget -= n;
        publish(result.events);
      }
    }
    if (sent < deltas) setImmediate(step);
    else
      send({
        done: sent,
        books: TICKERS.map((t) => (scenario === 'engine' ? engine.getOrderbook(t) : syntheticBook(t))),
      });
  };
  step();
}

// ── Client side (main) ────────────────────────────────────────────────────────────────────

async function run(scenario: Scenario, deltas: number): Promise<void> {
  const child = fork(fileURLToPath(import.meta.url), ['--serve'], { execArgv: ['--import', 'tsx'] });
  const { port } = (await new Promise((resolve) => child.once('message', resolve))) as { port: number };
  const client = new KalshiWsClient({
    url: `ws://127.0.0.1:${port}/trade-api/ws/v2`,
    clock: new RealClock(),
  });
  let count = 0;
  let firstAt = 0;
  let lastAt = 0;
  client.on('book', ({ cause }) => {
    if (cause !== 'delta') return;
    if (count === 0) firstAt = performance.now();
    count += 1;
    lastAt = performance.now();
    if ((count & 1023) === 0) child.send({ received: count });
  });
  await client.start();
  await client.subscribe({ channel: 'orderbook_delta', marketTickers: TICKERS });
  const finished = new Promise<{ done: number; books: unknown[] }>((resolve) =>
    child.once('message', resolve),
  );
  child.send({ scenario, deltas });
  const tick = setInterval(() => child.send({ received: count }), 5);
  const { done, books } = await finished;
  const deadline = Date.now() + 60_000;
  while (count < done && Date.now() < deadline) await new Promise((r) => setTimeout(r, 5));
  clearInterval(tick);
  const seconds = (lastAt - firstAt) / 1000;
  const same = TICKERS.every((t, i) => {
    const snap = client.book(t)?.snapshot();
    const mine = {
      yes: snap?.yesBids.map((l) => [l.price, l.count]).reverse(),
      no: snap?.noBids.map((l) => [l.price, l.count]).reverse(),
    };
    const theirs = books[i] as { yes: number[][]; no: number[][] };
    return (
      JSON.stringify(mine.yes) === JSON.stringify(theirs.yes) &&
      JSON.stringify(mine.no) === JSON.stringify(theirs.no)
    );
  });
  const stats = client.stats();
  console.log(
    `${scenario.padEnd(6)}: ${count.toLocaleString('en-US')} deltas in ${seconds.toFixed(2)} s = ` +
      `${Math.round(count / seconds).toLocaleString('en-US')} msg/s to the client ` +
      `(client messages ${stats.messages.toLocaleString('en-US')}, gaps ${stats.gaps}, resyncs ${stats.resyncs}, books equal: ${same})`,
  );
  await client.close();
  child.kill();
}

if (process.argv.includes('--serve')) {
  await serve();
} else {
  await run('deltas', 300_000);
  await run('engine', 100_000);
}
