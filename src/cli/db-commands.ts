import { loadConfig } from '../core/config/load.ts';
import { openConfiguredDatabase } from '../core/db/open-configured.ts';

/** `recio db migrate`: applies pending migrations to the configured database. */
export async function dbMigrate(): Promise<void> {
  const { database, applied } = await openConfiguredDatabase(loadConfig().config);
  await database.close();
  console.log(applied.length ? `applied: ${applied.join(', ')}` : 'database is up to date');
}
