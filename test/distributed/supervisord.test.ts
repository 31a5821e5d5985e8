/**
 * The distributed topology as an operator runs it: `recio supervisor config` for a fresh
 * PostgreSQL database, the shared Redis (under a bus prefix of its own: pub/sub channels are
 * global to a Redis server and other tests publish at the same time) and free ports, then a
 * real `supervisord -n -c <file>` with one process per built service.
 *
 * Proves: every built service comes up in its own process and main_app (which sees the others
 * only over HTTP and the bus) reports each running and healthy with supervisord's pid; the
 * coordinator bootstraps its model in its own process and main_app serves a 21-row BTC table;
 * `supervisorctl` drives it over the socket in the data directory; a SIGKILLed price feed is
 * restarted by supervisord, its restart and why show in /api/system/services, prices resume;
 * SIGTERM to supervisord stops every service cleanly (each records its stop), exit 0, no child left.
 */
import { spawn } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { randomBytes } from 'node:crypto';
import { Redis } from 'ioredis';
import { afterAll, describe, expect, it } from 'vitest';
import { openDatabase } from '../../src/core/db/index.ts';
import { SERVICE_NAMES } from '../../src/core/manifest/service-names.ts';
import { programName, supervisordPaths } from '../../src/core/service/supervisord-config.ts';
import { SERVICE_REGISTRY } from '../../src/services/registry.ts';
import { recioOnce, spawnWatched } from '../support/cli.ts';
import { portEnv } from '../support/ports.ts';
import { createTestDatabase } from '../support/postgres.ts';
import { getJson, waitFor } from '../support/wait.ts';

const BUILT = SERVICE_NAMES.filter((name) => SERVICE_REGISTRY[name]);
const KILLED = 'symbol_price_watchdog_btc';

interface ServiceRow {
  name: string;
  built: boolean;
  expected: boolean;
  state: string;
  pid: number | null;
  restarts: number;
  lastError: string | null;
  health: { status: string } | null;
}

const cleanups: Array<() => Promise<void> | void> = [];
afterAll(async () => {
  for (const fn of cleanups.reverse()) await fn();
});

/** `supervisorctl -c <file> …`: its output whatever the exit code (status exits 3 when one is not running). */
function supervisorctl(conf: string, ...args: string[]): Promise<string> {
  return new Promise((resolve, reject) => {
    const child = spawn('supervisorctl', ['-c', conf, ...args], { stdio: ['ignore', 'pipe', 'pipe'] });
    let out = '';
    child.stdout.on('data', (chunk: Buffer) => (out += chunk.toString()));
    child.stderr.on('data', (chunk: Buffer) => (out += chunk.toString()));
    child.once('error', reject);
    child.once('exit', () => resolve(out));
  });
}

/** `name RUNNING pid 123, uptime …` lines → name → { state, pid }. */
function parseStatus(text: string): Map<string, { state: string; pid: number | null }> {
  const rows = new Map<string, { state: string; pid: number | null }>();
  for (const line of text.split('\n')) {
    const match = /^(\S+)\s+([A-Z]+)\s*(?:pid (\d+))?/.exec(line.trim());
    if (match) rows.set(match[1]!, { state: match[2]!, pid: match[3] ? Number(match[3]) : null });
  }
  return rows;
}

function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}

describe('distributed topology under supervisord', { timeout: 300_000 }, () => {
  it('runs one process per service, restarts a killed one, and stops cleanly', async () => {
    const database = await createTestDatabase('recio_dist');
    cleanups.push(() => database.drop());
    // A space and a `%` (which supervisord would expand) in the data directory: escaping is exercised.
    const dataDir = mkdtempSync(join(tmpdir(), 'recio dist %-'));
    cleanups.push(() => rmSync(dataDir, { recursive: true, force: true }));
    const ports = await portEnv();
    const env = {
      ...ports,
      RECIO_DATA_DIR: dataDir,
      DATABASE_URL: database.url,
      REDIS_URL: 'redis://127.0.0.1:6379',
      RECIO_BUS_PREFIX: `recio-test-${randomBytes(6).toString('hex')}:`,
      RECIO_LOG_LEVEL: 'info',
    };
    const main = `http://127.0.0.1:${ports.RECIO_PORT_MAIN_APP}`;
    const conf = join(dataDir, 'supervisord.conf');

    const generated = await recioOnce(['supervisor', 'config', '--out', conf], env);
    expect(generated.code, generated.output).toBe(0);
    expect(statSync(conf).mode & 0o777).toBe(0o600);

    // supervisord gets none of the settings: the generated file alone carries them.
    const bareEnv = Object.fromEntries(
      Object.entries(process.env).filter(
        ([key]) => !key.startsWith('RECIO_') && key !== 'DATABASE_URL' && key !== 'REDIS_URL',
      ),
    );
    const {
      child: supervisord,
      output: supervisordOutput,
      exited,
    } = spawnWatched('supervisord', ['-n', '-c', conf], { env: bareEnv });
    const seenPids = new Set<number>();
    cleanups.push(async () => {
      // Only when the test failed before its clean stop: stop it, then make sure nothing is left.
      if (supervisord.exitCode !== null || supervisord.signalCode !== null) return;
      supervisord.kill('SIGTERM');
      const stopped = await Promise.race([
        exited,
        new Promise((r) => setTimeout(() => r(undefined), 30_000)),
      ]);
      if (stopped === undefined) supervisord.kill('SIGKILL');
      for (const pid of seenPids) if (alive(pid)) process.kill(pid, 'SIGKILL');
    });
    // A wait ends at once when supervisord itself exits (a bad config, say).
    const whileUp = <T>(wait: Promise<T>): Promise<T> =>
      Promise.race([
        wait,
        exited.then((code) => {
          throw new Error(`supervisord exited (${code})`);
        }),
      ]);
    const diagnose = async (error: Error) => {
      const status = await supervisorctl(conf, 'status').catch(() => '');
      const services = await getJson(`${main}/api/system/services`).catch(() => undefined);
      throw new Error(
        `${error.message}\nsupervisorctl status:\n${status}\nsupervisord:\n${supervisordOutput().slice(-2_000)}\n` +
          `services: ${JSON.stringify(services?.body?.services ?? null).slice(0, 3_000)}`,
      );
    };
    const listServices = async (): Promise<ServiceRow[]> => {
      const { status, body } = await getJson(`${main}/api/system/services`);
      expect(status).toBe(200);
      expect(body.topology).toBe('distributed');
      return body.services as ServiceRow[];
    };

    // Every built service running and healthy as main_app sees it from its own process, and
    // the platform's /health green (main_app aggregates the others over HTTP).
    const up = await whileUp(
      waitFor(
        async () => {
          const services = (await listServices()).filter((s) => s.built);
          const ready = services.filter((s) => s.state === 'running' && s.health?.status === 'healthy');
          if (ready.length !== BUILT.length) return undefined;
          const health = await getJson(`${main}/health`);
          return health.status === 200 && health.body.status === 'healthy' ? services : undefined;
        },
        180_000,
        'every built service running and healthy, and a green /health',
      ),
    ).catch(diagnose);
    expect(up.map((s) => s.name)).toEqual(BUILT);
    expect(up.every((s) => s.expected)).toBe(true);
    const pids = new Map(up.map((s) => [s.name, s.pid!]));
    for (const pid of pids.values()) seenPids.add(pid);
    expect(new Set(pids.values()).size).toBe(BUILT.length); // one process each
    expect([...pids.values()]).not.toContain(process.pid);

    // The coordinator built its model in its own process; main_app serves its table from the bus.
    const table = await whileUp(
      waitFor(
        async () => {
          const { status, body } = await getJson(`${main}/api/strike-table/btc`);
          return status === 200 && body.rows.length === 21 ? body : undefined;
        },
        60_000,
        'a 21-row BTC strike table',
      ),
    ).catch(diagnose);
    expect(table.model_synthetic).toBe(true);
    // The services got the data directory exactly: the coordinator's snapshot file is in it.
    expect(existsSync(join(dataDir, 'snapshots', 'strikes-btc.json'))).toBe(true);

    // The platform's bus is on its own Redis channels (RECIO_BUS_PREFIX).
    const redis = new Redis(env.REDIS_URL, { lazyConnect: true });
    cleanups.push(() => void redis.disconnect());
    await redis.connect();
    const onOwnChannel = new Promise<string>((resolve) =>
      redis.once('pmessage', (_glob, channel) => resolve(channel)),
    );
    await redis.psubscribe(`${env.RECIO_BUS_PREFIX}price.*`);
    expect(await onOwnChannel).toMatch(new RegExp(`^${env.RECIO_BUS_PREFIX}price\\.(btc|eth)$`));
    redis.disconnect();

    // supervisorctl drives it over the data directory's socket: the same processes, RUNNING.
    const status = parseStatus(await supervisorctl(conf, 'status'));
    expect([...status.keys()].sort()).toEqual(BUILT.map(programName).sort());
    for (const name of BUILT) {
      expect(status.get(programName(name)), name).toEqual({ state: 'RUNNING', pid: pids.get(name) });
    }

    // SIGKILL one price feed: supervisord starts a new process, which records the restart and
    // why; main_app shows it, and BTC prices resume from the new process.
    const killed = pids.get(KILLED)!;
    process.kill(killed, 'SIGKILL');
    const replacement = await whileUp(
      waitFor(
        async () => {
          const row = parseStatus(await supervisorctl(conf, 'status', programName(KILLED))).get(
            programName(KILLED),
          );
          return row?.state === 'RUNNING' && row.pid !== null && row.pid !== killed ? row.pid : undefined;
        },
        120_000,
        `supervisord to restart ${KILLED}`,
      ),
    ).catch(diagnose);
    seenPids.add(replacement);
    expect(alive(killed)).toBe(false);
    const restartedAt = Date.now();
    const restarted = await whileUp(
      waitFor(
        async () => {
          const row = (await listServices()).find((s) => s.name === KILLED)!;
          // The new process answers /health a moment before it has recorded its restart.
          return row.pid === replacement &&
            row.state === 'running' &&
            row.health?.status === 'healthy' &&
            row.restarts > 0
            ? row
            : undefined;
        },
        60_000,
        `${KILLED} healthy again`,
      ),
    ).catch(diagnose);
    expect(restarted.restarts).toBe(1);
    expect(restarted.lastError).toBe(
      `process ${killed} ended without stopping cleanly (killed, or lost before it could say why)`,
    );
    await whileUp(
      waitFor(
        async () => {
          const { status: code, body } = await getJson(`${main}/api/price/btc`);
          return code === 200 && body.secondMs >= restartedAt ? true : undefined;
        },
        30_000,
        'a BTC price from the new process',
      ),
    ).catch(diagnose);
    // The others were not disturbed.
    const after = parseStatus(await supervisorctl(conf, 'status'));
    for (const name of BUILT.filter((n) => n !== KILLED)) {
      expect(after.get(programName(name))?.pid, name).toBe(pids.get(name));
    }

    // A clean stop: SIGTERM to supervisord stops every service (each records its stop), exit 0.
    const lastPids = [...after.values()].map((row) => row.pid!);
    supervisord.kill('SIGTERM');
    expect(await exited, supervisordOutput().slice(-2_000)).toBe(0);
    expect(lastPids.filter(alive)).toEqual([]);
    expect(existsSync(supervisordPaths(dataDir).pidfile)).toBe(false);
    const handle = await openDatabase({ databaseUrl: database.url });
    try {
      const events = await handle.db
        .selectFrom('system.service_events')
        .select(['service', 'kind', 'pid'])
        .orderBy('id')
        .execute();
      for (const name of BUILT) {
        const own = events.filter((e) => e.service === name);
        expect(own.at(-1), name).toMatchObject({ kind: 'stop', pid: after.get(programName(name))!.pid });
      }
      expect(events.filter((e) => e.service === KILLED).map((e) => e.kind)).toEqual([
        'start',
        'crash',
        'restart',
        'stop',
      ]);
    } finally {
      await handle.close();
    }
  });
});

describe('recio supervisor config', { timeout: 60_000 }, () => {
  it('prints the config for every built service, or names what is missing in one line', async () => {
    const dataDir = mkdtempSync(join(tmpdir(), 'recio-dist-cli-'));
    cleanups.push(() => rmSync(dataDir, { recursive: true, force: true }));
    const printed = await recioOnce(['supervisor', 'config'], {
      RECIO_DATA_DIR: dataDir,
      DATABASE_URL: 'postgres://postgres@127.0.0.1:5432/recio',
      REDIS_URL: 'redis://127.0.0.1:6379',
    });
    expect(printed.code).toBe(0);
    const programs = [...printed.output.matchAll(/^\[program:(\w+)\]$/gm)].map((m) => m[1]);
    expect(programs).toEqual(BUILT.map(programName));
    expect(existsSync(join(dataDir, 'logs'))).toBe(true); // supervisord does not create it

    const missing = await recioOnce(['supervisor', 'config'], {
      RECIO_DATA_DIR: dataDir,
      DATABASE_URL: 'postgres://postgres@127.0.0.1:5432/recio',
      REDIS_URL: '',
    });
    expect(missing.code).toBe(1);
    expect(missing.output.trim()).toBe(
      'recio: supervisord config: REDIS_URL is required (distributed mode shares one PostgreSQL and one Redis)',
    );
  });
});
