import { mkdtemp, readdir, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { migrateToLatest } from './migrate.ts';
import { openDatabase, type DatabaseHandle } from './open-database.ts';
import { makePGliteTemplate, pgliteTemplatePath } from './pglite-template.ts';

let dir: string;
beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'recio-template-'));
});
afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

/** initdb gives each cluster its own system identifier; copies of one template share it. */
async function systemIdentifier(handle: DatabaseHandle): Promise<string> {
  const { rows } = await sql<{
    id: string;
  }>`select system_identifier::text as id from pg_control_system()`.execute(handle.db);
  return rows[0]!.id;
}

async function identifierOf(dataDir: string, pgliteTemplate?: string) {
  const handle = await openDatabase({ dataDir }, pgliteTemplate ? { pgliteTemplate } : {});
  try {
    await migrateToLatest(handle.db);
    return await systemIdentifier(handle);
  } finally {
    await handle.close();
  }
}

describe('the embedded database template', () => {
  it('is made next to PGlite, and new databases — on disk or in memory — start as copies of it', async () => {
    const path = await makePGliteTemplate();
    expect(path).toBe(pgliteTemplatePath());
    expect(path).toMatch(/node_modules\/\.cache\/recio\/pglite-\d+\.\d+\.\d+\.tar\.gz$/);
    expect((await readdir(join(path, '..'))).filter((f) => f.endsWith('.tmp'))).toEqual([]);

    const onDisk = await identifierOf(join(dir, 'a'), path);
    expect(await identifierOf('memory://', path)).toBe(onDisk);
    // A copy is a full database: it keeps its data across a restart.
    const reopened = await openDatabase({ dataDir: join(dir, 'a') }, { pgliteTemplate: path });
    try {
      expect(await systemIdentifier(reopened)).toBe(onDisk);
      expect(await migrateToLatest(reopened.db)).toEqual([]);
    } finally {
      await reopened.close();
    }
  });

  it('falls back to initdb when the template is missing or damaged', async () => {
    const damaged = join(dir, 'damaged.tar.gz');
    await writeFile(damaged, 'not a tarball');
    const template = await identifierOf(join(dir, 'b'), pgliteTemplatePath());
    const fromDamaged = await identifierOf(join(dir, 'c'), damaged);
    const fromMissing = await identifierOf('memory://', join(dir, 'missing.tar.gz'));
    expect(new Set([template, fromDamaged, fromMissing]).size).toBe(3);
  });
});
