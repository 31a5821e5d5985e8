/**
 * Order round-trip latency through the platform's Kalshi REST client and the exchange
 * simulator on loopback, with the simulator's write-ahead journal on a real database:
 * create (GTC, resting), cancel, IOC taking liquidity, and a read (GET order). Prints p50/p99.
 *
 * Run: node --import tsx bench/sim-order-roundtrip.ts [orders] [pglite|postgres]
 *   pglite (default): the embedded database in a temp dir (what `npm start` uses);
 *   postgres: a throwaway database on the local server (127.0.0.1:5432, dropped afterwards).
 */
import { generateKeyPairSync } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pino } from 'pino';
import { SimulatedClock } from '../src/core/clock/simulated-clock.ts';
import { migrateToLatest, openDatabase } from '../src/core/db/index.ts';
import { createServiceHttp } from '../src/core/http/server.ts';
import { KalshiRateLimiter } from '../src/integrations/kalshi/rate-limiter.ts';
import { KalshiRestClient } from '../src/integrations/kalshi/rest-client.ts';
import { KalshiSigner } from '../src/integrations/kalshi/signer.ts';
import { parseSimulatorConfig } from '../src/simulator/runtime/config.ts';
import { mountSimulator, SIMULATOR_PUBLIC_PREFIXES } from '../src/simulator/runtime/mount.ts';
import { SimulatorRuntime } from '../src/simulator/runtime/runtime.ts';
import { createTestDatabase } from '../test/support/postgres.ts';

const ORDERS = Number(process.argv[2] ?? 400);
const T0 = Date.parse('2025-08-03T19:20:00Z');

const engine = process.argv[3] === 'postgres' ? 'PostgreSQL' : 'PGlite';
const dir = engine === 'PGlite' ? mkdtempSync(join(tmpdir(), 'recio-bench-sim-')) : undefined;
const server = engine === 'PostgreSQL' ? await createTestDatabase('recio_bench_sim') : undefined;
const database = await openDatabase(dir ? { dataDir: dir } : { databaseUrl: server!.url });
await migrateToLatest(database.db);

// Simulated time at the real pace: ticks run, limiters refill as they would live.
const clock = new SimulatedClock({ start: T0, rate: 1 });
const log = pino({ level: 'silent' });
const runtime = await SimulatorRuntime.open({
  config: parseSimulatorConfig({}),
  clock,
  db: database.db,
  log,
});
const http = createServiceHttp({
  service: 'exchange_simulator',
  version: 'bench',
  logger: log,
  startedAt: () => T0,
  now: () => clock.now(),
  internalToken: 'bench-internal-token-0123456789',
  publicPrefixes: SIMULATOR_PUBLIC_PREFIXES,
});
const mounted = await mountSimulator(http.app, { runtime, log });
await http.app.listen({ port: 0, host: '127.0.0.1' });
const port = (http.app.server.address() as { port: number }).port;
const ticker = clock.setInterval(() => void runtime.tick(), 1_000);

const accountId = 'bench';
await runtime.createAccount({ accountId, balanceCc: 1_000_000 * 10_000 });
const keys = generateKeyPairSync('rsa', {
  modulusLength: 2048,
  publicKeyEncoding: { type: 'spki', format: 'pem' },
  privateKeyEncoding: { type: 'pkcs8', format: 'pem' },
});
const key = await runtime.registerApiKey({ accountId, publicKeyPem: keys.publicKey, tier: 'prime' });
const client = new KalshiRestClient({
  baseUrl: `http://127.0.0.1:${port}/trade-api/v2`,
  clock,
  signer: new KalshiSigner({ keyId: key.keyId, privateKey: keys.privateKey, clock }),
  rateLimiter: new KalshiRateLimiter({ tier: 'prime', clock }),
});

const [event] = await client.getEvents({ seriesTicker: 'KXBTCD', status: 'open' });
const market = event!.markets.find((m) => m.yesBid > 0 && m.yesAsk < 10_000)!;

const timings: Record<string, number[]> = { create: [], cancel: [], ioc: [], read: [] };
async function timed<T>(name: string, fn: () => Promise<T>): Promise<T> {
  const start = performance.now();
  const value = await fn();
  timings[name]!.push(performance.now() - start);
  return value;
}

let n = 0;
for (let i = 0; i < ORDERS; i++) {
  const created = await timed('create', () =>
    client.createOrder({
      ticker: market.ticker,
      clientOrderId: `b-${n++}`,
      side: 'bid',
      count: 1,
      price: 100,
      timeInForce: 'good_till_canceled',
    }),
  );
  if (created.outcome !== 'ok') throw new Error(`create failed: ${JSON.stringify(created)}`);
  await timed('read', () => client.getOrder(created.value.orderId));
  const canceled = await timed('cancel', () => client.cancelOrder(created.value.orderId));
  if (canceled.outcome !== 'ok') throw new Error(`cancel failed: ${JSON.stringify(canceled)}`);
  const now = await client.getMarket(market.ticker);
  await timed('ioc', () =>
    client.createOrder({
      ticker: market.ticker,
      clientOrderId: `b-${n++}`,
      side: 'bid',
      count: 1,
      price: now.yesAsk < 10_000 ? now.yesAsk : 9_900,
      timeInForce: 'immediate_or_cancel',
    }),
  );
}

const pct = (values: number[], p: number) => {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))]!;
};
console.log(`order round trip, client → simulator (${engine}) on loopback, ${ORDERS} each:`);
for (const [name, values] of Object.entries(timings)) {
  console.log(
    `  ${name.padEnd(7)} p50 ${pct(values, 50).toFixed(2)} ms   p99 ${pct(values, 99).toFixed(2)} ms   (${values.length})`,
  );
}
console.log(`  journal entries: ${runtime.status().journalSeq}`);

clock.clear(ticker);
await mounted.close();
await http.app.close();
await runtime.close();
await database.close();
clock.clearAll();
if (dir) rmSync(dir, { recursive: true, force: true });
await server?.drop();
