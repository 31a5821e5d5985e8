/** An in-process REC.IO host for the market-data service tests: chosen services, free ports, a fresh PostgreSQL database. */
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { configSchema, type Config } from '../../../src/core/config/schema.ts';
import { migrateToLatest, openDatabase, type DatabaseHandle } from '../../../src/core/db/index.ts';
import { INTERNAL_TOKEN_HEADER } from '../../../src/core/http/server.ts';
import { loadManifest } from '../../../src/core/manifest/manifest.ts';
import type { ServiceName } from '../../../src/core/manifest/service-names.ts';
import { startHost, type Host, type ServiceRegistry } from '../../../src/core/service/host.ts';
import { portEnv } from '../../support/ports.ts';
import { createTestDatabase } from '../../support/postgres.ts';

export interface TestHost {
  host: Host;
  config: Config;
  dataDir: string;
  url(service: ServiceName, path: string): string;
  /** GET with the internal token; JSON body. */
  get(service: ServiceName, path: string): Promise<{ status: number; body: any }>;
  /** A JSON request with the internal token (the simulator's admin API, say). */
  send(
    service: ServiceName,
    method: string,
    path: string,
    body?: unknown,
  ): Promise<{ status: number; body: any }>;
  stop(): Promise<void>;
}

export async function startTestHost(
  registry: ServiceRegistry,
  overrides: Record<string, unknown> = {},
  /** Runs on the migrated database before any service starts (stored history, say). */
  prepare?: (db: DatabaseHandle['db']) => Promise<void>,
): Promise<TestHost> {
  const manifest = loadManifest(undefined, { env: await portEnv() });
  const database = await createTestDatabase('recio_md');
  if (prepare) {
    const handle = await openDatabase({ databaseUrl: database.url });
    try {
      await migrateToLatest(handle.db);
      await prepare(handle.db);
    } finally {
      await handle.close();
    }
  }
  const dataDir = mkdtempSync(join(tmpdir(), 'recio-md-'));
  const config = configSchema.parse({
    dataDir,
    databaseUrl: database.url,
    log: { level: process.env.RECIO_TEST_LOG ?? 'silent', files: false },
    ...overrides,
  });
  let host: Host;
  try {
    host = await startHost({
      topology: 'all-in-one',
      config,
      manifest,
      registry,
      services: (Object.keys(registry) as ServiceName[]).sort((a, b) => startOrder(a) - startOrder(b)),
      version: 'test',
      restartPolicy: { baseMs: 200, maxMs: 2_000, resetAfterMs: 60_000 },
    });
  } catch (error) {
    await database.drop();
    throw error;
  }
  const url = (service: ServiceName, path: string) =>
    `http://127.0.0.1:${host.supervisor.portOf(service)}${path}`;
  const token = () => readFileSync(join(dataDir, 'internal-token'), 'utf8').trim();
  return {
    host,
    config,
    dataDir,
    url,
    async get(service, path) {
      const response = await fetch(url(service, path), {
        headers: { [INTERNAL_TOKEN_HEADER]: token() },
        signal: AbortSignal.timeout(5_000),
      });
      return { status: response.status, body: await response.json() };
    },
    async send(service, method, path, body) {
      const response = await fetch(url(service, path), {
        method,
        headers: {
          [INTERNAL_TOKEN_HEADER]: token(),
          ...(body === undefined ? {} : { 'content-type': 'application/json' }),
        },
        ...(body === undefined ? {} : { body: JSON.stringify(body) }),
        signal: AbortSignal.timeout(5_000),
      });
      return { status: response.status, body: await response.json() };
    },
    async stop() {
      await host.stop();
      await database.drop();
    },
  };
}

const ORDER: ServiceName[] = [
  'exchange_simulator',
  'symbol_price_watchdog_btc',
  'symbol_price_watchdog_eth',
  'btc_price_watchdog',
  'kalshi_api_watchdog',
  'main_app',
];

function startOrder(name: ServiceName): number {
  const i = ORDER.indexOf(name);
  return i === -1 ? ORDER.length : i;
}
