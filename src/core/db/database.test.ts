import { mkdtemp, rm, stat } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { sql, type Kysely, type Migration } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestDatabase } from '../../../test/support/postgres.ts';
import { appliedMigrations, migrateToLatest, MigrationError } from './migrate.ts';
import { migrations } from './migrations/index.ts';
import { openDatabase, type DatabaseHandle } from './open-database.ts';
import type { Database } from './schema.ts';
import {
  listHealthStatuses,
  listServiceEvents,
  recordAudit,
  recordServiceEvent,
  upsertHealthStatus,
} from './system-records.ts';

const T0 = Date.UTC(2025, 0, 6, 14, 0, 0);

/** The same checks on both engines: one SQL dialect, one set of migrations. */
function databaseSuite(engine: string, open: () => Promise<DatabaseHandle>) {
  describe(`database on ${engine}`, () => {
    let handle: DatabaseHandle;
    let db: Kysely<Database>;

    beforeAll(async () => {
      handle = await open();
      db = handle.db;
    });
    afterAll(async () => {
      await handle?.close();
    });

    it('applies every migration (0001_system first), then is a no-op the second time', async () => {
      const all = migrations.map(([name]) => name);
      expect(all[0]).toBe('0001_system');
      expect(await migrateToLatest(db)).toEqual(all);
      expect(await migrateToLatest(db)).toEqual([]);
      expect(await appliedMigrations(db)).toEqual(all);

      const tables = await sql<{ table_name: string }>`
        select table_name from information_schema.tables where table_schema = 'system' order by table_name
      `.execute(db);
      expect(tables.rows.map((row) => row.table_name)).toEqual([
        'audit_log',
        'health_history',
        'health_status',
        'service_events',
      ]);
      const index = await sql<{ indexdef: string }>`
        select indexdef from pg_indexes where schemaname = 'system' and indexname = 'health_history_service_at_idx'
      `.execute(db);
      expect(index.rows[0]?.indexdef).toMatch(/\(service, at\)/);
    });

    it('records service events with their reason and pid, newest first', async () => {
      const first = await recordServiceEvent(db, { service: 'main_app', kind: 'start', pid: 4242, at: T0 });
      const second = await recordServiceEvent(db, {
        service: 'main_app',
        kind: 'crash',
        reason: 'Error: boom',
        pid: 4242,
        at: T0 + 1_000,
      });
      await recordServiceEvent(db, { service: 'other', kind: 'stop', at: T0 + 2_000 });
      expect(typeof first).toBe('number');
      expect(second).toBeGreaterThan(first);
      expect(await listServiceEvents(db, { service: 'main_app' })).toEqual([
        { id: second, service: 'main_app', kind: 'crash', reason: 'Error: boom', pid: 4242, at: T0 + 1_000 },
        { id: first, service: 'main_app', kind: 'start', reason: null, pid: 4242, at: T0 },
      ]);
      expect((await listServiceEvents(db, { limit: 1 })).map((e) => e.service)).toEqual(['other']);
    });

    it('rejects what the schema forbids: bad kinds from SQL, bad input from the helpers', async () => {
      await expect(
        db
          .insertInto('system.service_events')
          .values({ service: 'x', kind: 'explode' as never, reason: null, pid: null, at: new Date(T0) })
          .execute(),
      ).rejects.toThrow(/check constraint/);
      await expect(recordServiceEvent(db, { service: '', kind: 'start', at: T0 })).rejects.toThrow(
        /recordServiceEvent: service/,
      );
      await expect(
        upsertHealthStatus(db, { service: 'x', status: 'fine' as never, checkedAt: T0 }),
      ).rejects.toThrow(/upsertHealthStatus: status/);
    });

    it('upserts current health and keeps status transitions in history', async () => {
      expect(
        await upsertHealthStatus(db, {
          service: 'svc',
          status: 'healthy',
          detail: { tick: 1 },
          checkedAt: T0,
        }),
      ).toEqual({ changed: true });
      expect(
        await upsertHealthStatus(db, {
          service: 'svc',
          status: 'healthy',
          detail: { tick: 2 },
          checkedAt: T0 + 5,
        }),
      ).toEqual({ changed: false });
      expect(
        await upsertHealthStatus(db, {
          service: 'svc',
          status: 'down',
          detail: { checks: [{ name: 'tick', ok: false }] },
          checkedAt: T0 + 10,
        }),
      ).toEqual({ changed: true });

      expect((await listHealthStatuses(db)).filter((h) => h.service === 'svc')).toEqual([
        {
          service: 'svc',
          status: 'down',
          detail: { checks: [{ name: 'tick', ok: false }] },
          checkedAt: T0 + 10,
        },
      ]);
      const history = await db
        .selectFrom('system.health_history')
        .select(['status', 'at'])
        .where('service', '=', 'svc')
        .orderBy('id')
        .execute();
      expect(history.map((row) => [row.status, row.at.getTime()])).toEqual([
        ['healthy', T0],
        ['down', T0 + 10],
      ]);
    });

    it('writes the audit log with JSON detail (arrays included) and timestamps in UTC', async () => {
      const id = await recordAudit(db, {
        at: T0,
        actor: 'user:1',
        action: 'settings.update',
        target: 'auto_entry',
        detail: { changed: ['min_diff', 'max_spread'], nested: { ok: true } },
      });
      const row = await db
        .selectFrom('system.audit_log')
        .selectAll()
        .where('id', '=', id)
        .executeTakeFirstOrThrow();
      expect(row).toEqual({
        id,
        at: new Date(T0),
        actor: 'user:1',
        action: 'settings.update',
        target: 'auto_entry',
        detail: { changed: ['min_diff', 'max_spread'], nested: { ok: true } },
      });
    });

    it('reads bigint as an exact number and refuses one beyond 2^53', async () => {
      const exact = await sql<{ v: number }>`select 9007199254740991::int8 as v`.execute(db);
      expect(exact.rows[0]?.v).toBe(Number.MAX_SAFE_INTEGER);
      await expect(sql`select 9007199254740993::int8 as v`.execute(db)).rejects.toThrow(/does not fit/);
    });

    it('keeps a write made outside a transaction that rolls back concurrently', async () => {
      await sql`create table public.tx_probe (x int)`.execute(db);
      const failing = db
        .transaction()
        .execute(async (trx) => {
          await sql`insert into public.tx_probe values (1)`.execute(trx);
          await new Promise((resolve) => setTimeout(resolve, 30));
          throw new Error('roll back');
        })
        .catch((error: Error) => error.message);
      await new Promise((resolve) => setTimeout(resolve, 5));
      await sql`insert into public.tx_probe values (2)`.execute(db);
      expect(await failing).toBe('roll back');
      const rows = await sql<{ x: number }>`select x from public.tx_probe`.execute(db);
      expect(rows.rows).toEqual([{ x: 2 }]);
      await sql`drop table public.tx_probe`.execute(db);
    });

    it('counts the rows an update or delete touched', async () => {
      await sql`create table public.count_probe (x int)`.execute(db);
      await sql`insert into public.count_probe values (1), (2), (3)`.execute(db);
      const table = db.withSchema('public') as unknown as Kysely<{ count_probe: { x: number } }>;
      const updated = await table
        .updateTable('count_probe')
        .set({ x: 0 })
        .where('x', '>', 1)
        .executeTakeFirst();
      expect(updated.numUpdatedRows).toBe(2n);
      const deleted = await table.deleteFrom('count_probe').executeTakeFirst();
      expect(deleted.numDeletedRows).toBe(3n);
      await sql`drop table public.count_probe`.execute(db);
    });

    it('names a failing migration and applies nothing of its run', async () => {
      const broken: Migration = {
        async up(db) {
          await sql`create table system.half_done (x int)`.execute(db);
          throw new Error('syntax of doom');
        },
      };
      const cleanAdd: Migration = {
        async up(db) {
          await sql`create table system.never_applied (x int)`.execute(db);
        },
      };
      const attempt = migrateToLatest(db, [...migrations, ['9998_clean', cleanAdd], ['9999_broken', broken]]);
      await expect(attempt).rejects.toThrow(MigrationError);
      await expect(attempt).rejects.toThrow(/database migration 9999_broken failed: syntax of doom/);
      await expect(attempt).rejects.toMatchObject({ migration: '9999_broken' });
      expect(await appliedMigrations(db)).toEqual(migrations.map(([name]) => name));
      const leftovers = await sql<{ n: number }>`
        select count(*)::int as n from information_schema.tables
        where table_schema = 'system' and table_name in ('half_done', 'never_applied')
      `.execute(db);
      expect(leftovers.rows[0]?.n).toBe(0);
    });
  });
}

describe('embedded PGlite', () => {
  let dir: string;
  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'recio-db-'));
  });
  afterAll(async () => {
    await rm(dir, { recursive: true, force: true });
  });

  // A nested path that does not exist yet: created on first start.
  databaseSuite('PGlite', () => openDatabase({ dataDir: join(dir, 'nested', 'pglite') }));

  it('leaves nothing on disk for an in-memory database', async () => {
    const cwd = process.cwd();
    process.chdir(dir);
    try {
      const memory = await openDatabase({ dataDir: 'memory://' });
      await migrateToLatest(memory.db);
      await memory.close();
      await expect(stat(join(dir, 'memory:'))).rejects.toThrow(/ENOENT/);
    } finally {
      process.chdir(cwd);
    }
  });

  it('created the data directory and keeps the data across close and reopen', async () => {
    const dataDir = join(dir, 'nested', 'pglite');
    expect((await stat(dataDir)).isDirectory()).toBe(true);
    const reopened = await openDatabase({ dataDir });
    try {
      expect(reopened.kind).toBe('pglite');
      expect(reopened.where).toBe(dataDir);
      expect(await migrateToLatest(reopened.db)).toEqual([]);
      const events = await listServiceEvents(reopened.db, { service: 'main_app' });
      expect(events.map((e) => e.kind)).toEqual(['crash', 'start']);
      expect((await listHealthStatuses(reopened.db)).map((h) => [h.service, h.status])).toEqual([
        ['svc', 'down'],
      ]);
    } finally {
      await reopened.close();
    }
  });
});

describe('PostgreSQL server', () => {
  let testDb: Awaited<ReturnType<typeof createTestDatabase>>;
  beforeAll(async () => {
    testDb = await createTestDatabase('recio_dbtest');
  });
  afterAll(async () => {
    await testDb?.drop();
  });

  databaseSuite('PostgreSQL', async () => {
    const handle = await openDatabase({ databaseUrl: testDb.url });
    expect(handle.kind).toBe('postgres');
    return handle;
  });

  it('fails with one clear line, password redacted, when the server cannot be reached', async () => {
    const attempt = openDatabase({ databaseUrl: 'postgres://postgres:hunter2@127.0.0.1:1/nowhere' });
    await expect(attempt).rejects.toThrow(
      /^cannot connect to PostgreSQL at postgres:\/\/postgres:\*\*\*@127\.0\.0\.1:1\/nowhere: .*ECONNREFUSED/,
    );
    await expect(attempt).rejects.not.toThrow(/hunter2/);
  });
});
