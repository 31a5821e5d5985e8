import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { configSchema } from '../../src/core/config/schema.ts';
import { loadManifest } from '../../src/core/manifest/manifest.ts';
import { startHost, type Host, type ServiceRegistry } from '../../src/core/service/host.ts';
import { InstanceLockError } from '../../src/core/service/instance-lock.ts';
import type { ServiceDefinition } from '../../src/core/service/service.ts';
import { mainApp } from '../../src/services/main_app/index.ts';
import { portEnv } from '../support/ports.ts';
import { createTestDatabase } from '../support/postgres.ts';
import { getJson, waitFor } from '../support/wait.ts';

const hosts: Host[] = [];
const databases: Array<{ drop(): Promise<void> }> = [];
afterEach(async () => {
  await Promise.all(hosts.splice(0).map((h) => h.stop()));
  await Promise.all(databases.splice(0).map((d) => d.drop()));
});

async function host(
  registry: ServiceRegistry,
  dataDir = mkdtempSync(join(tmpdir(), 'recio-host-')),
  env?: Record<string, string>,
) {
  const manifest = loadManifest(undefined, { env: env ?? (await portEnv()) });
  // The local PostgreSQL server keeps these tests quick; the CLI tests cover the embedded PGlite path.
  const database = await createTestDatabase();
  databases.push(database);
  const config = configSchema.parse({
    dataDir,
    databaseUrl: database.url,
    log: { level: 'silent', files: false },
  });
  const started = await startHost({
    topology: 'all-in-one',
    config,
    manifest,
    registry,
    services: Object.keys(registry) as Array<keyof typeof registry>,
    version: 'test',
    restartPolicy: { baseMs: 100, maxMs: 1_000, resetAfterMs: 60_000 },
  });
  hosts.push(started);
  return started;
}

/** A service whose loop throws on its first run after every start: a crash loop. */
function crashingService(): ServiceDefinition & { starts: number[] } {
  const starts: number[] = [];
  return {
    name: 'system_monitor',
    starts,
    async start(ctx) {
      starts.push(Date.now());
      ctx.every('check', 20, () => {
        throw new Error(`disk probe failed (start ${starts.length})`);
      });
    },
  };
}

describe('all-in-one supervisor', () => {
  it('restarts a crashing service with exponential backoff and records every event', async () => {
    const crashing = crashingService();
    const h = await host({ main_app: async () => mainApp, system_monitor: async () => crashing });
    await waitFor(() => (crashing.starts.length >= 4 ? true : undefined), 10_000, 'three restarts');

    // Backoff doubles: ~100, ~200, ~400 ms between a crash and the next start.
    const gaps = crashing.starts.slice(1).map((t, i) => t - crashing.starts[i]!);
    expect(gaps[0]).toBeGreaterThanOrEqual(100);
    expect(gaps[1]).toBeGreaterThanOrEqual(200);
    expect(gaps[2]).toBeGreaterThanOrEqual(400);

    const events = await h.database.db
      .selectFrom('system.service_events')
      .select(['service', 'kind', 'reason'])
      .where('service', '=', 'system_monitor')
      .orderBy('id')
      .execute();
    expect(events.slice(0, 4).map((e) => e.kind)).toEqual(['start', 'crash', 'restart', 'crash']);
    expect(events[1]!.reason).toBe('disk probe failed (start 1)');

    // The other services are untouched by the crash loop.
    const status = h.supervisor.status();
    expect(status.find((s) => s.name === 'main_app')).toMatchObject({ state: 'running', restarts: 0 });
    expect(status.find((s) => s.name === 'system_monitor')!.restarts).toBeGreaterThanOrEqual(3);
  });

  it('lists every manifest service with state, pid, uptime, restarts, last error and health', async () => {
    const crashing = crashingService();
    const h = await host({ main_app: async () => mainApp, system_monitor: async () => crashing });
    await waitFor(() => (crashing.starts.length >= 2 ? true : undefined), 5_000, 'a restart');
    const port = h.supervisor.portOf('main_app');

    const { status, body } = await getJson(`http://127.0.0.1:${port}/api/system/services`);
    expect(status).toBe(200);
    expect(body.services).toHaveLength(14);
    const byName = Object.fromEntries(body.services.map((s: { name: string }) => [s.name, s]));
    expect(byName.main_app).toMatchObject({
      built: true,
      state: 'running',
      pid: process.pid,
      restarts: 0,
      lastError: null,
    });
    expect(byName.main_app.health.status).toMatch(/healthy|degraded/);
    expect(byName.trade_manager).toMatchObject({
      built: false,
      state: 'not built yet',
      pid: null,
      health: null,
    });
    expect(byName.system_monitor.restarts).toBeGreaterThanOrEqual(1);
    expect(byName.system_monitor.lastError).toMatch(/^disk probe failed/);

    // main_app's /health aggregates: a crash-looping service makes the platform degraded.
    const health = await getJson(`http://127.0.0.1:${port}/health`);
    expect(health.status).toBe(200);
    expect(health.body.status).toBe('degraded');
    expect(health.body.checks.find((c: { name: string }) => c.name === 'services').detail).toContain(
      'system_monitor',
    );
  });

  it('is healthy when every built service is', async () => {
    const h = await host({ main_app: async () => mainApp });
    const health = await getJson(`http://127.0.0.1:${h.supervisor.portOf('main_app')}/health`);
    expect(health.body).toMatchObject({ service: 'main_app', status: 'healthy' });
  });

  it('refuses a second start on the same data directory or the same ports', async () => {
    const dataDir = mkdtempSync(join(tmpdir(), 'recio-host-'));
    const env = await portEnv();
    await host({ main_app: async () => mainApp }, dataDir, env);
    await expect(host({ main_app: async () => mainApp }, dataDir, await portEnv())).rejects.toThrow(
      InstanceLockError,
    );
    await expect(host({ main_app: async () => mainApp }, undefined, env)).rejects.toThrow(
      `port ${env.RECIO_PORT_MAIN_APP} for "main_app" on 0.0.0.0 is already in use`,
    );
  });
});
