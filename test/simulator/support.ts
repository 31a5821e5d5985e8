/**
 * A simulator on a real socket for tests: the service kit's HTTP server (internal token on
 * /admin, /trade-api public), the Kalshi REST and admin plugins, a runtime on a manual
 * simulated clock whose ticks run every simulated second, and helpers for accounts and keys.
 */
import { generateKeyPairSync } from 'node:crypto';
import type { Kysely } from 'kysely';
import { pino } from 'pino';
import { SimulatedClock } from '../../src/core/clock/simulated-clock.ts';
import type { TimerHandle } from '../../src/core/clock/clock.ts';
import { migrateToLatest, openDatabase, type DatabaseHandle } from '../../src/core/db/index.ts';
import type { Database } from '../../src/core/db/schema.ts';
import { createServiceHttp, type ServiceHttp } from '../../src/core/http/server.ts';
import { KalshiSigner } from '../../src/integrations/kalshi/signer.ts';
import { parseSimulatorConfig } from '../../src/simulator/runtime/config.ts';
import {
  mountSimulator,
  SIMULATOR_PUBLIC_PREFIXES,
  type MountedSimulator,
} from '../../src/simulator/runtime/mount.ts';
import { SimulatorRuntime } from '../../src/simulator/runtime/runtime.ts';
import { createTestDatabase } from '../support/postgres.ts';

export const INTERNAL_TOKEN = 'simulator-test-internal-token-0123456789';
/** Mid-hour of a summer afternoon: the 16:00 ET (20:00 Z) event is trading. */
export const T0 = Date.parse('2025-08-03T19:40:00Z');

/** Small, fast markets: BTC only, 9 strikes, quick determination and settlement. */
export const FAST_CONFIG = {
  seed: 'sim-test',
  symbols: ['BTC'],
  strikesPerEvent: 9,
  determinationDelaySeconds: 70,
  settlementDelaySeconds: 30,
};

/**
 * A fresh migrated database on the local PostgreSQL server (PGlite needs ~10 s to boot on a
 * busy 2-core machine; the embedded path is covered by the service test). `close()` drops it.
 */
export async function testDatabase(): Promise<DatabaseHandle & { url: string }> {
  const database = await createTestDatabase('recio_sim');
  const handle = await openDatabase({ databaseUrl: database.url });
  await migrateToLatest(handle.db);
  return {
    ...handle,
    url: database.url,
    async close() {
      await handle.close();
      await database.drop();
    },
  };
}

export interface TestSimulator {
  origin: string;
  /** `http://127.0.0.1:<port>/trade-api/v2` */
  baseUrl: string;
  runtime: SimulatorRuntime;
  clock: SimulatedClock;
  http: ServiceHttp;
  mounted: MountedSimulator;
  /** `ws://127.0.0.1:<port>/trade-api/ws/v2` */
  wsUrl: string;
  /** Moves simulated time, lets the ticks run, and waits until the simulation caught up and wrote. */
  advance(ms: number): Promise<void>;
  /** Stops serving; `crash` skips the final snapshot (as a killed process would). */
  stop(options?: { crash?: boolean }): Promise<void>;
}

export async function startTestSimulator(options: {
  db: Kysely<Database>;
  clock?: SimulatedClock;
  config?: Record<string, unknown>;
}): Promise<TestSimulator> {
  const clock = options.clock ?? SimulatedClock.manual(T0);
  const log = pino({ level: 'silent' });
  const runtime = await SimulatorRuntime.open({
    config: parseSimulatorConfig({ ...FAST_CONFIG, ...options.config }),
    clock,
    db: options.db,
    log,
  });
  const http = createServiceHttp({
    service: 'exchange_simulator',
    version: 'test',
    logger: log,
    startedAt: () => 0,
    now: () => clock.now(),
    internalToken: INTERNAL_TOKEN,
    publicPrefixes: SIMULATOR_PUBLIC_PREFIXES,
  });
  // 10 s of simulated time pass in an instant here: never cut a client for missing pongs.
  const mounted = await mountSimulator(http.app, { runtime, log, unansweredPingsLimit: 0 });
  await http.app.listen({ port: 0, host: '127.0.0.1' });
  const port = (http.app.server.address() as { port: number }).port;
  let ticking = false;
  const timer: TimerHandle = clock.setInterval(() => {
    if (ticking) return;
    ticking = true;
    void runtime.tick().finally(() => (ticking = false));
  }, 1_000);
  const origin = `http://127.0.0.1:${port}`;
  return {
    origin,
    baseUrl: `${origin}/trade-api/v2`,
    runtime,
    clock,
    http,
    mounted,
    wsUrl: `ws://127.0.0.1:${port}/trade-api/ws/v2`,
    async advance(ms) {
      await clock.advance(ms);
      await runtime.tick(); // whatever the interval's ticks left, in slices
      await runtime.idle();
    },
    async stop({ crash = false } = {}) {
      clock.clear(timer);
      await mounted.close();
      await http.app.close();
      if (crash) await runtime.idle();
      else await runtime.close();
    },
  };
}

export interface TestAccount {
  accountId: string;
  keyId: string;
  privateKeyPem: string;
  publicKeyPem: string;
  signer: KalshiSigner;
}

/** Creates an account with a balance and registers a fresh RSA key for it (through /admin). */
export async function createAccount(
  sim: TestSimulator,
  input: { accountId: string; balanceCc: number; tier?: string },
): Promise<TestAccount> {
  const { publicKey, privateKey } = generateKeyPairSync('rsa', {
    modulusLength: 2048,
    publicKeyEncoding: { type: 'spki', format: 'pem' },
    privateKeyEncoding: { type: 'pkcs8', format: 'pem' },
  });
  const headers = { 'content-type': 'application/json', 'x-recio-internal-token': INTERNAL_TOKEN };
  const created = await fetch(`${sim.origin}/admin/accounts`, {
    method: 'POST',
    headers,
    body: JSON.stringify({ accountId: input.accountId, balanceCc: input.balanceCc }),
  });
  if (created.status !== 201) throw new Error(`create account: ${created.status} ${await created.text()}`);
  const registered = await fetch(`${sim.origin}/admin/api-keys`, {
    method: 'POST',
    headers,
    body: JSON.stringify({
      accountId: input.accountId,
      publicKeyPem: publicKey,
      tier: input.tier ?? 'premier',
    }),
  });
  if (registered.status !== 201)
    throw new Error(`register key: ${registered.status} ${await registered.text()}`);
  const { apiKey } = (await registered.json()) as { apiKey: { keyId: string } };
  return {
    accountId: input.accountId,
    keyId: apiKey.keyId,
    privateKeyPem: privateKey,
    publicKeyPem: publicKey,
    signer: new KalshiSigner({ keyId: apiKey.keyId, privateKey, clock: sim.clock }),
  };
}

/** A signed request to the simulator's Kalshi API with our own signer (raw fetch). */
export async function kalshiFetch(
  sim: TestSimulator,
  account: TestAccount | undefined,
  method: string,
  path: string,
  body?: unknown,
  headerOverrides: Record<string, string> = {},
): Promise<{ status: number; json: any }> {
  const url = `${sim.baseUrl}${path}`;
  const headers: Record<string, string> = {
    ...(account ? account.signer.headers(method, url) : {}),
    ...(body !== undefined ? { 'content-type': 'application/json' } : {}),
    ...headerOverrides,
  };
  const response = await fetch(url, {
    method,
    headers,
    ...(body !== undefined ? { body: typeof body === 'string' ? body : JSON.stringify(body) } : {}),
  });
  const text = await response.text();
  return { status: response.status, json: text ? JSON.parse(text) : undefined };
}
