import { join, resolve } from 'node:path';
import type { Config } from '../config/schema.ts';
import { migrateToLatest } from './migrate.ts';
import { openDatabase, type DatabaseHandle } from './open-database.ts';

/**
 * The database a process's config names — the PostgreSQL server of `databaseUrl`, else the
 * embedded PGlite under `<dataDir>/pglite` — opened and migrated to the latest schema.
 */
export async function openConfiguredDatabase(
  config: Pick<Config, 'databaseUrl' | 'dataDir'>,
): Promise<{ database: DatabaseHandle; applied: string[] }> {
  const database = await openDatabase(
    config.databaseUrl
      ? { databaseUrl: config.databaseUrl }
      : { dataDir: join(resolve(config.dataDir), 'pglite') },
  );
  try {
    return { database, applied: await migrateToLatest(database.db) };
  } catch (error) {
    await database.close();
    throw error;
  }
}
