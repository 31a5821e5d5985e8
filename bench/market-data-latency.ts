/**
 * Market-data latency and CPU share: the four services (symbol_price_watchdog_btc/_eth,
 * btc_price_watchdog, kalshi_api_watchdog) in one process as `npm start` runs them (embedded
 * PGlite, in-process bus, real clock), fed over loopback by exchange feeds in a worker thread
 * (so the feeds do not share the services' thread):
 * - Coinbase: BTC-USD and ETH-USD tickers (default 10 and 6 trades/s, Poisson) + heartbeats;
 * - Kalshi: REST (events, order books, exchange status) and the WebSocket with the current and
 *   next hourly event of each symbol (75 strikes each, 300 books) and order-book deltas at
 *   DELTAS_PER_SECOND, each moving one market's best YES bid to a fresh price.
 *
 * Figures:
 * - tick → price.<sym>: bus arrival of a price message − exchange time of the trade behind it
 *   (includes the wait for the second to end + 500 ms lateness: the 1-s rule), and the part
 *   after the second's deadline (end + lateness) — the processing delay;
 * - book update → market.<sym>: bus arrival of the first market message showing a delta's new
 *   best bid − the moment the feed sent it (includes the 4/s throttle);
 * - CPU: the services' thread busy share (event-loop utilization) and the process's CPU time
 *   per wall second (feeds' worker included), over STEADY_SECONDS after a warm-up.
 * Run: node --import tsx bench/market-data-latency.ts   (env: STEADY_SECONDS, DELTAS_PER_SECOND)
 */
import { generateKeyPairSync } from 'node:crypto';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { Worker } from 'node:worker_threads';
import type { MarketMessage, PriceMessage } from '../src/core/bus/market-data-topics.ts';
import { configSchema } from '../src/core/config/schema.ts';
import { loadManifest } from '../src/core/manifest/manifest.ts';
import { SERVICE_NAMES } from '../src/core/manifest/service-names.ts';
import { startHost } from '../src/core/service/host.ts';
import {
  eventTicker,
  floorStrikeFromStrike,
  HOUR_MS,
  marketTicker,
  nextCloseTime,
} from '../src/domain/kalshi/tickers.ts';
import { currentEvent, currentMarket } from '../src/integrations/kalshi/testing/fixtures.ts';
import { btcPriceWatchdog } from '../src/services/btc_price_watchdog/index.ts';
import { kalshiApiWatchdog } from '../src/services/kalshi_api_watchdog/index.ts';
import {
  symbolPriceWatchdogBtc,
  symbolPriceWatchdogEth,
} from '../src/services/symbol_price_watchdog/index.ts';

const STEADY_SECONDS = Number(process.env.STEADY_SECONDS ?? 30);
const WARMUP_SECONDS = 10;
const DELTAS_PER_SECOND = Number(process.env.DELTAS_PER_SECOND ?? 40);
const STRIKES = 75;

/** Plain JS (eval worker): Coinbase WS, Kalshi WS and Kalshi REST on loopback. */
const FEEDS = `
const { parentPort, workerData } = require('node:worker_threads');
const http = require('node:http');
const { WebSocketServer } = require(workerData.wsPath);
const { events, deltasPerSecond, products } = workerData;
const now = () => performance.timeOrigin + performance.now();
const dollars = (cc) => (cc / 10000).toFixed(4);

// ── Coinbase ──
const coinbase = new WebSocketServer({ host: '127.0.0.1', port: 0 });
const feeds = products.map((p) => ({ ...p, sequence: 1000, tradeId: 5000 }));
const cbSockets = new Set();
coinbase.on('connection', (socket) => {
  socket.on('message', (data) => {
    const m = JSON.parse(data.toString());
    if (m.type !== 'subscribe') return;
    socket.send(JSON.stringify({ type: 'subscriptions', channels: m.channels.map((name) => ({ name, product_ids: m.product_ids })) }));
    cbSockets.add(socket);
  });
  socket.on('close', () => cbSockets.delete(socket));
});
for (const f of feeds) {
  const next = () => {
    f.price = Math.max(1, f.price + (Math.random() - 0.5) * f.step);
    f.sequence += 2; f.tradeId += 1;
    const t = new Date().toISOString();
    const text = JSON.stringify({ type: 'ticker', sequence: f.sequence, product_id: f.productId, price: f.price.toFixed(2),
      best_bid: f.price.toFixed(2), best_ask: (f.price + 0.01).toFixed(2), side: 'buy', time: t, trade_id: f.tradeId, last_size: '0.01' });
    for (const s of cbSockets) s.send(text);
    setTimeout(next, -Math.log(1 - Math.random()) * 1000 / f.rate);
  };
  next();
}
setInterval(() => {
  for (const f of feeds) {
    f.sequence += 1;
    const text = JSON.stringify({ type: 'heartbeat', sequence: f.sequence, last_trade_id: f.tradeId, product_id: f.productId, time: new Date().toISOString() });
    for (const s of cbSockets) s.send(text);
  }
}, 1000);

// ── Kalshi books: every market starts with yes 40¢ × 10, no 50¢ × 10 ──
const books = new Map();
for (const e of events) for (const m of e.markets) books.set(m.ticker, { yes: new Map([[4000, 10]]), no: new Map([[5000, 10]]), best: 4000 });
const tickers = [...books.keys()];
const levels = (side) => [...side].sort((a, b) => a[0] - b[0]).map(([p, c]) => [dollars(p), c.toFixed(2)]);

// ── Kalshi REST ──
const rest = http.createServer((req, res) => {
  const url = new URL(req.url, 'http://x');
  const path = url.pathname.replace('/trade-api/v2', '');
  let body;
  if (path === '/events') {
    const series = url.searchParams.get('series_ticker');
    body = { events: events.filter((e) => e.series_ticker === series), cursor: '' };
  } else if (path === '/exchange/status') {
    body = { exchange_active: true, trading_active: true };
  } else {
    const m = /^\\/markets\\/([^/]+)\\/orderbook$/.exec(path);
    const b = m && books.get(m[1]);
    if (!b) { res.writeHead(404, { 'content-type': 'application/json' }); res.end('{"error":{"code":"not_found","message":"no"}}'); return; }
    body = { orderbook_fp: { yes_dollars: levels(b.yes), no_dollars: levels(b.no) } };
  }
  res.writeHead(200, { 'content-type': 'application/json' });
  res.end(JSON.stringify(body));
});

// ── Kalshi WS ──
const kalshi = new WebSocketServer({ host: '127.0.0.1', port: 0, path: '/trade-api/ws/v2' });
const bookSubs = []; // { socket, sid, seq, markets:Set }
let nextSid = 1;
kalshi.on('connection', (socket) => {
  socket.on('message', (data) => {
    const { id, cmd, params = {} } = JSON.parse(data.toString());
    const reply = (p) => socket.send(JSON.stringify({ id, ...p }));
    if (cmd === 'subscribe') {
      for (const channel of params.channels) {
        const sid = nextSid++;
        reply({ type: 'subscribed', msg: { channel, sid } });
        if (channel !== 'orderbook_delta') continue;
        const sub = { socket, sid, seq: 0, markets: new Set(params.market_tickers) };
        bookSubs.push(sub);
        for (const t of sub.markets) {
          const b = books.get(t);
          sub.seq += 1;
          socket.send(JSON.stringify({ type: 'orderbook_snapshot', sid, seq: sub.seq, msg: { market_ticker: t, yes_dollars_fp: levels(b.yes), no_dollars_fp: levels(b.no) } }));
        }
      }
    } else if (cmd === 'unsubscribe') {
      for (const sid of params.sids) socket.send(JSON.stringify({ id, sid, type: 'unsubscribed' }));
    } else if (cmd === 'update_subscription') {
      reply({ type: 'ok', sid: params.sids[0], market_tickers: params.market_tickers });
    } else {
      reply({ type: 'error', msg: { code: 5, msg: 'Unknown command' } });
    }
  });
  socket.on('close', () => { for (let i = bookSubs.length - 1; i >= 0; i--) if (bookSubs[i].socket === socket) bookSubs.splice(i, 1); });
});
const sendDelta = (ticker, side, price, delta) => {
  for (const sub of bookSubs) {
    if (!sub.markets.has(ticker)) continue;
    sub.seq += 1;
    sub.socket.send(JSON.stringify({ type: 'orderbook_delta', sid: sub.sid, seq: sub.seq,
      msg: { market_ticker: ticker, price_dollars: dollars(price), delta_fp: delta.toFixed(2), side } }));
  }
};
// Each update walks one market's best YES bid to a fresh price (1000…8900 cc, cycling).
let running = false;
const step = () => {
  if (running) {
    const ticker = tickers[Math.floor(Math.random() * tickers.length)];
    const b = books.get(ticker);
    const next = b.best >= 8900 ? 1000 : b.best + 100;
    const sentAt = now();
    sendDelta(ticker, 'yes', next, 10);
    sendDelta(ticker, 'yes', b.best, -10);
    b.yes.set(next, 10); b.yes.delete(b.best); b.best = next;
    parentPort.postMessage({ kind: 'delta', ticker, price: next, sentAt });
  }
  setTimeout(step, -Math.log(1 - Math.random()) * 1000 / deltasPerSecond);
};
step();
parentPort.on('message', (m) => { if (m === 'go') running = true; });

let ready = 0;
const announce = () => { if (++ready === 3) parentPort.postMessage({ kind: 'ports', coinbase: coinbase.address().port, kalshiWs: kalshi.address().port, rest: rest.address().port }); };
coinbase.on('listening', announce);
kalshi.on('listening', announce);
rest.listen(0, '127.0.0.1', announce);
`;

function eventsPayload(nowMs: number) {
  const close = nextCloseTime(nowMs);
  const specs = [
    { symbol: 'BTC' as const, series: 'KXBTCD', center: 100_000, spacing: 250 },
    { symbol: 'ETH' as const, series: 'KXETHD', center: 3_800, spacing: 20 },
  ];
  return specs.flatMap(({ symbol, series, center, spacing }) =>
    [close, close + HOUR_MS].map((closeMs) => {
      const ticker = eventTicker(symbol, closeMs);
      const closeIso = new Date(closeMs).toISOString();
      const markets = Array.from({ length: STRIKES }, (_, i) => {
        const strike = center + (i - Math.floor(STRIKES / 2)) * spacing;
        return currentMarket({
          ticker: marketTicker(ticker, strike),
          event_ticker: ticker,
          floor_strike: floorStrikeFromStrike(strike),
          open_time: new Date(closeMs - HOUR_MS).toISOString(),
          close_time: closeIso,
        });
      });
      return { ...currentEvent(markets), event_ticker: ticker, series_ticker: series, strike_date: closeIso };
    }),
  );
}

function percentile(sorted: number[], q: number): number {
  if (sorted.length === 0) return NaN;
  return sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil(q * sorted.length) - 1))]!;
}

function describe(name: string, values: number[]): string {
  const sorted = [...values].sort((a, b) => a - b);
  return `${name}: p50 ${percentile(sorted, 0.5).toFixed(1)} ms, p99 ${percentile(sorted, 0.99).toFixed(1)} ms (n = ${sorted.length})`;
}

async function main(): Promise<void> {
  const wsPath = createRequire(import.meta.url).resolve('ws');
  const events = eventsPayload(Date.now());
  const worker = new Worker(FEEDS, {
    eval: true,
    workerData: {
      wsPath,
      events,
      deltasPerSecond: DELTAS_PER_SECOND,
      products: [
        { productId: 'BTC-USD', price: 100_000, step: 20, rate: 10 },
        { productId: 'ETH-USD', price: 3_800, step: 1, rate: 6 },
      ],
    },
  });
  const ports = await new Promise<{ coinbase: number; kalshiWs: number; rest: number }>((resolve) =>
    worker.on('message', (m: { kind: string } & Record<string, number>) => {
      if (m.kind === 'ports') resolve(m as never);
    }),
  );

  const dataDir = mkdtempSync(join(tmpdir(), 'recio-bench-md-'));
  const { privateKey } = generateKeyPairSync('rsa', {
    modulusLength: 2048,
    privateKeyEncoding: { type: 'pkcs8', format: 'pem' },
    publicKeyEncoding: { type: 'spki', format: 'pem' },
  });
  writeFileSync(join(dataDir, 'bench-key.pem'), privateKey, { mode: 0o600 });
  // Free ports: 20 000 + a random block, away from a running REC.IO.
  const base = 20_000 + Math.floor(Math.random() * 20_000);
  const env = Object.fromEntries(
    SERVICE_NAMES.map((n, i) => [`RECIO_PORT_${n.toUpperCase()}`, String(base + i)]),
  );
  const host = await startHost({
    topology: 'all-in-one',
    config: configSchema.parse({
      mode: 'demo', // explicit endpoints and a key from the config: the feeds below
      dataDir,
      log: { level: 'error', files: false },
      kalshi: {
        restUrl: `http://127.0.0.1:${ports.rest}/trade-api/v2`,
        wsUrl: `ws://127.0.0.1:${ports.kalshiWs}/trade-api/ws/v2`,
        apiKeyId: 'bench',
        privateKeyPath: join(dataDir, 'bench-key.pem'),
      },
      coinbase: {
        wsUrl: `ws://127.0.0.1:${ports.coinbase}`,
        restUrl: `http://127.0.0.1:${ports.rest}/coinbase`,
      },
    }),
    manifest: loadManifest(undefined, { env }),
    registry: {
      symbol_price_watchdog_btc: async () => symbolPriceWatchdogBtc,
      symbol_price_watchdog_eth: async () => symbolPriceWatchdogEth,
      btc_price_watchdog: async () => btcPriceWatchdog,
      kalshi_api_watchdog: async () => kalshiApiWatchdog,
    },
    services: [
      'symbol_price_watchdog_btc',
      'symbol_price_watchdog_eth',
      'btc_price_watchdog',
      'kalshi_api_watchdog',
    ],
    version: 'bench',
  });

  const wall = () => performance.timeOrigin + performance.now();
  let measuring = false;
  const tickLatency: number[] = [];
  const afterDeadline: number[] = [];
  const bookLatency: number[] = [];
  const pending = new Map<string, Array<{ price: number; sentAt: number }>>();
  let priceMessages = 0;
  let marketMessages = 0;
  worker.on('message', (m: { kind: string; ticker: string; price: number; sentAt: number }) => {
    if (m.kind !== 'delta' || !measuring) return;
    const list = pending.get(m.ticker) ?? [];
    list.push({ price: m.price, sentAt: m.sentAt });
    pending.set(m.ticker, list);
  });
  await host.bus.subscribe('price.*', ({ payload }) => {
    const p = payload as PriceMessage;
    if (!measuring) return;
    priceMessages += 1;
    if (p.carried) return;
    const at = wall();
    tickLatency.push(at - p.exchangeTimeMs);
    afterDeadline.push(at - (p.secondMs + 1_000 + 500));
  });
  await host.bus.subscribe('market.*', ({ payload }) => {
    const m = payload as MarketMessage;
    if (!measuring) return;
    marketMessages += 1;
    const at = wall();
    for (const row of m.rows) {
      const list = pending.get(row.ticker);
      if (!list || list.length === 0) continue;
      const hit = list.findIndex((d) => d.price === row.yesBid);
      if (hit === -1) continue;
      bookLatency.push(at - list[hit]!.sentAt);
      list.splice(0, hit + 1); // this one is shown; older ones were superseded
    }
  });

  worker.postMessage('go');
  console.log(`warming up ${WARMUP_SECONDS} s …`);
  await new Promise((r) => setTimeout(r, WARMUP_SECONDS * 1_000));
  measuring = true;
  const elu0 = performance.eventLoopUtilization();
  const cpu0 = process.cpuUsage();
  const t0 = performance.now();
  await new Promise((r) => setTimeout(r, STEADY_SECONDS * 1_000));
  const seconds = (performance.now() - t0) / 1_000;
  const elu = performance.eventLoopUtilization(elu0);
  const cpu = process.cpuUsage(cpu0);
  measuring = false;
  const feedsElu = worker.performance.eventLoopUtilization();

  console.log(
    `steady state ${seconds.toFixed(0)} s: ${priceMessages} price.* and ${marketMessages} market.* messages`,
  );
  console.log(describe('tick → price.<sym> (incl. the 1-s rule: second end + 500 ms)', tickLatency));
  console.log(describe('  of which after the second’s deadline (processing)', afterDeadline));
  console.log(
    describe(
      `book update → market.<sym> (throttle 4/s, ${DELTAS_PER_SECOND} deltas/s over 300 books)`,
      bookLatency,
    ),
  );
  console.log(
    `CPU: services' thread busy ${(elu.utilization * 100).toFixed(1)} % of a core; process ${(((cpu.user + cpu.system) / 1e6 / seconds) * 100).toFixed(1)} % of a core ` +
      `(incl. the feeds' worker, busy ${(feedsElu.utilization * 100).toFixed(1)} % since its start)`,
  );
  await host.stop();
  await worker.terminate();
  rmSync(dataDir, { recursive: true, force: true });
}

await main();
