/**
 * exchange_simulator as a service: hosted by the service kit (all-in-one, then distributed as
 * `recio run exchange_simulator` does), the Kalshi and Coinbase APIs public and /admin
 * internal, health checks, the paper account and its key file (mode 0600), and a restart of
 * the process keeping the paper account, its key and its resting order.
 */
import { randomBytes } from 'node:crypto';
import { mkdtempSync, readFileSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { configSchema } from '../../src/core/config/schema.ts';
import { loadManifest } from '../../src/core/manifest/manifest.ts';
import { startHost, type Host } from '../../src/core/service/host.ts';
import { KalshiRateLimiter } from '../../src/integrations/kalshi/rate-limiter.ts';
import { KalshiRestClient } from '../../src/integrations/kalshi/rest-client.ts';
import { KalshiSigner } from '../../src/integrations/kalshi/signer.ts';
import { paperKeyPaths, readPaperCredentials } from '../../src/simulator/runtime/paper-account.ts';
import { SERVICE_REGISTRY } from '../../src/services/registry.ts';
import { portEnv } from '../support/ports.ts';
import { createTestDatabase } from '../support/postgres.ts';
import { waitFor } from '../support/wait.ts';

const hosts: Host[] = [];
const databases: Array<{ drop(): Promise<void> }> = [];
afterEach(async () => {
  await Promise.all(hosts.splice(0).map((h) => h.stop()));
  await Promise.all(databases.splice(0).map((d) => d.drop()));
});

async function startSimulatorHost(
  topology: 'all-in-one' | 'distributed',
  dataDir: string,
  databaseUrl: string,
  env: Record<string, string>,
): Promise<{ host: Host; origin: string }> {
  const manifest = loadManifest(undefined, { env });
  const config = configSchema.parse({
    dataDir,
    databaseUrl,
    // A bus prefix of its own: Redis pub/sub channels are shared by every test on the server.
    ...(topology === 'distributed'
      ? { redisUrl: 'redis://127.0.0.1:6379', busPrefix: `recio-test-${randomBytes(6).toString('hex')}:` }
      : {}),
    log: { level: 'silent', files: false },
    simulator: { symbols: ['BTC'], strikesPerEvent: 5, paper: { startingBalanceDollars: 2_500 } },
  });
  const host = await startHost({
    topology,
    config,
    manifest,
    registry: { exchange_simulator: SERVICE_REGISTRY.exchange_simulator! },
    services: ['exchange_simulator'],
    version: 'test',
  });
  hosts.push(host);
  return { host, origin: `http://127.0.0.1:${host.supervisor.portOf('exchange_simulator')}` };
}

describe('exchange_simulator service', () => {
  it('serves Kalshi publicly and /admin internally, reports health, bootstraps and keeps the paper account', async () => {
    const dataDir = mkdtempSync(join(tmpdir(), 'recio-sim-'));
    const database = await createTestDatabase('recio_sim_service');
    databases.push(database);
    const env = await portEnv();
    const { host, origin } = await startSimulatorHost('all-in-one', dataDir, database.url, env);

    // The Kalshi and Coinbase APIs need no internal token; the admin API does.
    const status = await fetch(`${origin}/trade-api/v2/exchange/status`);
    expect(status.status).toBe(200);
    expect((await fetch(`${origin}/coinbase/products/BTC-USD/candles?granularity=60`)).status).toBe(200);
    expect((await fetch(`${origin}/admin/faults`)).status).toBe(401);
    expect((await fetch(`${origin}/admin/status`)).status).toBe(401);
    const token = readFileSync(join(dataDir, 'internal-token'), 'utf8').trim();
    const admin = await fetch(`${origin}/admin/status`, { headers: { 'x-recio-internal-token': token } });
    const adminStatus = (await admin.json()) as any;
    expect(adminStatus).toMatchObject({ accounts: 1, apiKeys: 1, failed: null });

    // The paper key: a 0600 file in the data directory, registered for the paper account.
    const paper = readPaperCredentials(dataDir)!;
    expect(paper).toMatchObject({ accountId: 'paper', keyId: adminStatus.paper.keyId });
    expect(statSync(paperKeyPaths(dataDir).privateKeyPath).mode & 0o777).toBe(0o600);
    const client = (clock: Host['clock'], base: string) =>
      new KalshiRestClient({
        baseUrl: `${base}/trade-api/v2`,
        clock,
        signer: new KalshiSigner({ keyId: paper.keyId, privateKey: paper.privateKeyPem, clock }),
        rateLimiter: new KalshiRateLimiter({ tier: 'premier', clock }),
      });
    const rest = client(host.clock, origin);
    expect((await rest.getBalance()).balance).toBe(2_500 * 10_000);

    // Health: stepping once the first tick ran.
    const health = await waitFor(
      async () => {
        const res = await fetch(`${origin}/health`);
        const body = (await res.json()) as any;
        return body.status === 'healthy' ? body : undefined;
      },
      5_000,
      'a healthy simulator',
    );
    expect(health.checks.map((c: { name: string }) => c.name)).toEqual([
      'simulation stepping',
      'simulation lag',
      'state store',
    ]);

    const [event] = await rest.getEvents({ seriesTicker: 'KXBTCD' });
    const ticker = event!.markets[0]!.ticker;
    const placed = await rest.createOrder({
      ticker,
      clientOrderId: 'survives-restart',
      side: 'bid',
      count: 3,
      price: 100,
      timeInForce: 'good_till_canceled',
    });
    expect(placed.outcome).toBe('ok');
    const balance = await rest.getBalance();

    // Restart as `recio run exchange_simulator` would: distributed, same database and data dir.
    await host.stop();
    hosts.splice(0);
    const again = await startSimulatorHost('distributed', dataDir, database.url, env);
    const rest2 = client(again.host.clock, again.origin);
    expect(readPaperCredentials(dataDir)!.keyId).toBe(paper.keyId);
    expect(await rest2.getOrderByClientId('survives-restart')).toMatchObject({
      ticker,
      status: 'resting',
      remainingCount: 3,
    });
    expect((await rest2.getBalance()).balance).toBe(balance.balance);
  });
});
