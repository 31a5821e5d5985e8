/**
 * What a distributed process records about its service's life, so /api/system/services shows
 * restarts and the last error although supervisord, not this process, restarts it:
 * - a start after a clean stop is a start (restarts 0);
 * - a start after a process that vanished without a word (SIGKILL) records that crash for the
 *   old pid, then a restart; restarts and the last error carry over;
 * - a crash while the process is shutting itself down (what `recio run` does on a crash) is
 *   recorded before the database closes.
 */
import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { configSchema } from '../../src/core/config/schema.ts';
import { openDatabase, recordServiceEvent, type AppDatabase } from '../../src/core/db/index.ts';
import { loadManifest } from '../../src/core/manifest/manifest.ts';
import { startHost, type Host } from '../../src/core/service/host.ts';
import type { ServiceDefinition } from '../../src/core/service/service.ts';
import { portEnv } from '../support/ports.ts';
import { createTestDatabase } from '../support/postgres.ts';

const cleanups: Array<() => Promise<void>> = [];
afterAll(async () => {
  for (const fn of cleanups.reverse()) await fn();
});

/** A service that works, or whose loop throws once `broken` is set; it takes a while to stop. */
function monitor(state: { broken: boolean }): ServiceDefinition {
  return {
    name: 'system_monitor',
    async start(ctx) {
      ctx.every('check', 20, () => {
        if (state.broken) throw new Error('disk probe failed');
      });
      return { stop: () => new Promise((resolve) => setTimeout(resolve, 300)) };
    },
  };
}

describe('distributed service events', { timeout: 60_000 }, () => {
  it('records restarts by the process manager and crashes during shutdown', async () => {
    const database = await createTestDatabase('recio_dist_events');
    cleanups.push(() => database.drop());
    const reader: AppDatabase = await openDatabase({ databaseUrl: database.url });
    cleanups.push(() => reader.close());
    const dataDir = mkdtempSync(join(tmpdir(), 'recio-dist-events-'));
    cleanups.push(async () => rmSync(dataDir, { recursive: true, force: true }));
    const config = configSchema.parse({
      dataDir,
      databaseUrl: database.url,
      redisUrl: 'redis://127.0.0.1:6379',
      busPrefix: `recio-test-${randomBytes(6).toString('hex')}:`,
      log: { level: 'silent', files: false },
    });
    const state = { broken: false };
    const run = async (): Promise<Host> => {
      const host = await startHost({
        topology: 'distributed',
        config,
        manifest: loadManifest(undefined, { env: await portEnv() }),
        registry: { system_monitor: async () => monitor(state) },
        services: ['system_monitor'],
        version: 'test',
      });
      cleanups.push(() => host.stop());
      return host;
    };
    const events = async () =>
      (
        await reader.db
          .selectFrom('system.service_events')
          .select(['kind', 'reason', 'pid'])
          .where('service', '=', 'system_monitor')
          .orderBy('id')
          .execute()
      ).map((e) => [e.kind, e.reason]);
    const own = (host: Host) => host.supervisor.status()[0]!;

    // Start, clean stop, start again: no restart.
    await (await run()).stop('signal SIGTERM');
    const second = await run();
    expect(own(second)).toMatchObject({ state: 'running', restarts: 0, lastError: undefined });
    await second.stop('signal SIGTERM');

    // The process vanishes (SIGKILL: nothing recorded); the next process says so.
    await recordServiceEvent(reader.db, {
      service: 'system_monitor',
      kind: 'start',
      pid: 999_999,
      at: Date.now(),
    });
    const third = await run();
    const vanished =
      'process 999999 ended without stopping cleanly (killed, or lost before it could say why)';
    expect(own(third)).toMatchObject({ state: 'running', restarts: 1, lastError: vanished });

    // A crash, then the process stops itself as `recio run` does: the crash is on record.
    state.broken = true;
    const error = await third.supervisor.running('system_monitor')!.crashed;
    expect(error.message).toBe('disk probe failed');
    await third.stop('crash');
    state.broken = false;
    const fourth = await run();
    expect(own(fourth)).toMatchObject({ state: 'running', restarts: 2, lastError: 'disk probe failed' });
    await fourth.stop('signal SIGTERM');

    expect(await events()).toEqual([
      ['start', null],
      ['stop', 'signal SIGTERM'],
      ['start', null],
      ['stop', 'signal SIGTERM'],
      ['start', null], // the vanished process
      ['crash', vanished],
      ['restart', `after: ${vanished}`],
      ['crash', 'disk probe failed'],
      ['restart', 'after: disk probe failed'],
      ['stop', 'signal SIGTERM'],
    ]);
  });
});
