/**
 * What the history and model commands share: open the configured database (migrated, like
 * `recio db migrate`), hold the data directory's instance lock while the embedded database is
 * in use (PGlite is single-process: a running `recio start` must not share it), and turn
 * errors the user can fix into one line and exit code 1.
 */
import { join, resolve } from 'node:path';
import { loadConfig } from '../core/config/load.ts';
import type { Config } from '../core/config/schema.ts';
import { openConfiguredDatabase } from '../core/db/open-configured.ts';
import type { DatabaseHandle } from '../core/db/open-database.ts';
import { acquireInstanceLock } from '../core/service/instance-lock.ts';

/** A wrong argument or state the user can fix; printed as one line. */
export class CliUsageError extends Error {
  override name = 'CliUsageError';
}

/** Errors whose message says it all (bad files, bad data, unknown model …): no stack. */
const USER_ERRORS = new Set([
  'CliUsageError',
  'V2CsvError',
  'CandleCsvError',
  'CandleDataError',
  'CandleStoreError',
  'CandleSeriesError',
  'FingerprintGridError',
  'ModelStoreError',
  'ModelNotFoundError',
  'CoinbaseApiError',
  'CoinbaseNetworkError',
  'CoinbaseResponseError',
  'ConfigError',
  'ManifestError',
  'InstanceLockError',
  'MigrationError',
]);

export interface StoreContext {
  config: Config;
  database: DatabaseHandle;
}

/** Runs `fn` with the configured database open; always closes it and releases the lock. */
export async function withStore<T>(fn: (context: StoreContext) => Promise<T>): Promise<T> {
  const { config } = loadConfig();
  const dataDir = resolve(config.dataDir);
  const lock = config.databaseUrl
    ? undefined
    : acquireInstanceLock(join(dataDir, 'recio.lock'), `data directory ${dataDir}`);
  try {
    const { database } = await openConfiguredDatabase(config).catch((error: unknown) => {
      // "cannot connect to PostgreSQL at …" / "cannot open the embedded database …": one line.
      if (error instanceof Error && /^cannot (connect|open)/.test(error.message)) {
        throw new CliUsageError(error.message);
      }
      throw error;
    });
    try {
      return await fn({ config, database });
    } finally {
      await database.close();
    }
  } finally {
    lock?.release();
  }
}

/** Wraps a command action: a user error prints `recio: <message>` and sets exit code 1. */
export function userErrors<A extends unknown[]>(action: (...args: A) => Promise<void>) {
  return async (...args: A): Promise<void> => {
    try {
      await action(...args);
    } catch (error) {
      if (error instanceof Error && USER_ERRORS.has(error.name)) {
        console.error(`recio: ${error.message}`);
        process.exitCode = 1;
        return;
      }
      throw error;
    }
  };
}
