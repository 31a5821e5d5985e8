import { randomBytes } from 'node:crypto';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { openDatabase } from '../../src/core/db/index.ts';
import { recio, recioOnce } from '../support/cli.ts';
import { createTestDatabase } from '../support/postgres.ts';
import { portEnv } from '../support/ports.ts';
import { getJson, waitFor } from '../support/wait.ts';

const cleanups: Array<() => Promise<void>> = [];
afterAll(async () => {
  for (const fn of cleanups) await fn();
});

const tempDir = () => mkdtempSync(join(tmpdir(), 'recio-cli-'));
// The foundation's behaviour (start, refuse, stop, keep data) is shown on main_app alone; the
// full platform's start-up (simulator, feeds, model bootstrap) by test/platform/start-command.test.ts.
const FOUNDATION_ONLY = { RECIO_SERVICES: 'main_app' };

async function greenHealth(port: string, timeoutMs: number) {
  return waitFor(
    async () => {
      const { status, body } = await getJson(`http://127.0.0.1:${port}/health`);
      return status === 200 && body.status === 'healthy' ? body : undefined;
    },
    timeoutMs,
    `main_app /health on :${port}`,
  );
}

describe('recio start (all-in-one)', { timeout: 120_000 }, () => {
  // Start-up and shutdown times are measured by bench/startup.ts; here only the behaviour is checked.
  // (A shutdown that exceeds 5 s exits 1, so exit code 0 also means "within 5 s".)
  it('comes up with a green /health, stops on Ctrl-C with exit 0, and keeps its data', async () => {
    const dataDir = tempDir();
    const env = { ...(await portEnv()), ...FOUNDATION_ONLY, RECIO_DATA_DIR: dataDir };
    const port = env.RECIO_PORT_MAIN_APP!;

    for (let run = 1; run <= 2; run++) {
      const proc = recio(['start'], env);
      await greenHealth(port, 60_000);
      expect(proc.output()).toContain(`UI: http://localhost:${port}`);

      if (run === 1) {
        // A second start on the same data directory (other ports) is refused, naming the first.
        const second = await recioOnce(['start'], {
          ...(await portEnv()),
          ...FOUNDATION_ONLY,
          RECIO_DATA_DIR: dataDir,
        });
        expect(second.code).toBe(1);
        expect(second.output).toMatch(/recio: REC\.IO is already running on data directory .* \(pid \d+\)/);
      }

      proc.child.kill('SIGINT');
      expect(await proc.exited, proc.output()).toBe(0);
    }

    // Both runs' events are in the embedded database: the data survived the restart.
    const database = await openDatabase({ dataDir: join(dataDir, 'pglite') });
    try {
      const events = await database.db
        .selectFrom('system.service_events')
        .select(['kind'])
        .where('service', '=', 'main_app')
        .orderBy('id')
        .execute();
      expect(events.map((e) => e.kind)).toEqual(['start', 'stop', 'start', 'stop']);
    } finally {
      await database.close();
    }
  });

  it.each([
    [
      { RECIO_PORT_MAIN_APP: '70000' },
      'recio: manifest: port 70000 for "main_app" (from RECIO_PORT_MAIN_APP) is out of range 1-65535',
    ],
    [{ RECIO_PORT_TRADE_MANAGER: '8001' }, 'recio: manifest: duplicate port 8001'],
    [{ RECIO_MODE: 'yolo' }, 'recio: config: mode (RECIO_MODE):'],
  ])('refuses a bad manifest or config with one clear line: %o', async (bad, message) => {
    const { code, output } = await recioOnce(['start'], { RECIO_DATA_DIR: tempDir(), ...bad });
    expect(code).toBe(1);
    expect(output.trim().split('\n')).toHaveLength(1);
    expect(output).toContain(message);
  });

  it('refuses a port already in use, naming the service', async () => {
    const env = { ...(await portEnv()), ...FOUNDATION_ONLY, RECIO_DATA_DIR: tempDir() };
    const first = recio(['start'], env);
    await greenHealth(env.RECIO_PORT_MAIN_APP!, 60_000);
    const second = await recioOnce(['start'], { ...env, RECIO_DATA_DIR: tempDir() });
    first.child.kill('SIGTERM');
    expect(await first.exited, first.output()).toBe(0);
    expect(second.code).toBe(1);
    expect(second.output).toContain(
      `recio: port ${env.RECIO_PORT_MAIN_APP} for "main_app" on 0.0.0.0 is already in use`,
    );
  });
});

describe('recio run (distributed)', { timeout: 120_000 }, () => {
  it('needs DATABASE_URL and REDIS_URL', async () => {
    const { code, output } = await recioOnce(['run', 'main_app'], {
      RECIO_DATA_DIR: tempDir(),
      DATABASE_URL: '',
      REDIS_URL: '',
    });
    expect(code).toBe(1);
    expect(output).toContain('recio: distributed mode needs DATABASE_URL (PostgreSQL) and REDIS_URL (Redis)');
  });

  it('starts main_app against the local PostgreSQL and Redis and answers /health', async () => {
    const database = await createTestDatabase();
    cleanups.push(() => database.drop());
    const env = {
      ...(await portEnv()),
      RECIO_DATA_DIR: tempDir(),
      DATABASE_URL: database.url,
      REDIS_URL: 'redis://127.0.0.1:6379',
      RECIO_BUS_PREFIX: `recio-test-${randomBytes(6).toString('hex')}:`, // Redis channels are shared
    };
    const proc = recio(['run', 'main_app'], env);
    // The other built services are not started here, so the platform is rightly degraded: main_app answers.
    const health = await waitFor(
      async () => (await getJson(`http://127.0.0.1:${env.RECIO_PORT_MAIN_APP}/health`)).body,
      60_000,
      'main_app /health',
    );
    expect(health).toMatchObject({ service: 'main_app', pid: proc.child.pid });
    expect(health.checks.find((c: { name: string }) => c.name === 'services').detail).toContain(
      'exchange_simulator',
    );
    proc.child.kill('SIGTERM');
    expect(await proc.exited).toBe(0);
  });

  it('rejects an unknown service', async () => {
    const { code, output } = await recioOnce(['run', 'flux_capacitor'], { RECIO_DATA_DIR: tempDir() });
    expect(code).toBe(1);
    expect(output).toContain('recio: unknown service "flux_capacitor"');
  });
});

describe('recio config check / db migrate', { timeout: 60_000 }, () => {
  it('prints the effective configuration with secrets redacted', async () => {
    const { code, output } = await recioOnce(['config', 'check'], {
      RECIO_DATA_DIR: '/tmp/x',
      RECIO_INTERNAL_TOKEN: 'super-secret-token-value-123',
      DATABASE_URL: 'postgres://u:pw123@127.0.0.1:5432/db',
    });
    expect(code).toBe(0);
    const shown = JSON.parse(output);
    expect(shown.config).toMatchObject({ mode: 'paper', dataDir: '/tmp/x', internalToken: '[redacted]' });
    expect(output).not.toContain('super-secret-token-value-123');
    expect(output).not.toContain('pw123');
    expect(shown.sources.dataDir).toBe('env');
    expect(shown.ports.main_app).toMatch(/:\d+$/);
  });

  it('migrates a PostgreSQL server, then finds nothing to do', async () => {
    const database = await createTestDatabase();
    cleanups.push(() => database.drop());
    const first = await recioOnce(['db', 'migrate'], { DATABASE_URL: database.url });
    expect(first.code).toBe(0);
    expect(first.output).toMatch(/applied: 0001_system/);
    const second = await recioOnce(['db', 'migrate'], { DATABASE_URL: database.url });
    expect(second.output).toContain('database is up to date');
  });
});
