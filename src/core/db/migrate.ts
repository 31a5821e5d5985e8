import { Migrator, type Kysely, type Migration, type MigrationProvider } from 'kysely';
import { migrations as allMigrations } from './migrations/index.ts';

/** Serves the explicit list in migrations/index.ts (no directory scanning, works when bundled). */
class ListMigrationProvider implements MigrationProvider {
  readonly #list: ReadonlyArray<readonly [string, Migration]>;
  constructor(list: ReadonlyArray<readonly [string, Migration]>) {
    this.#list = list;
  }
  async getMigrations(): Promise<Record<string, Migration>> {
    return Object.fromEntries(this.#list);
  }
}

export class MigrationError extends Error {
  override readonly name = 'MigrationError';
  constructor(
    /** The migration that failed, or undefined when the run failed before any migration. */
    readonly migration: string | undefined,
    cause: unknown,
  ) {
    const reason = cause instanceof Error ? cause.message : String(cause);
    super(
      migration === undefined
        ? `database migrations failed: ${reason}`
        : `database migration ${migration} failed: ${reason} (no migration of this run was applied)`,
      { cause },
    );
  }
}

function migratorFor(db: Kysely<unknown>, list: ReadonlyArray<readonly [string, Migration]>): Migrator {
  return new Migrator({ db, provider: new ListMigrationProvider(list) });
}

/**
 * Applies every pending migration, in one transaction (PostgreSQL has transactional DDL: a
 * failure applies nothing). Safe to run concurrently: Kysely takes a lock. Returns the names
 * applied, `[]` when already up to date. `list` is for tests.
 */
export async function migrateToLatest<DB>(
  db: Kysely<DB>,
  list: ReadonlyArray<readonly [string, Migration]> = allMigrations,
): Promise<string[]> {
  const { error, results } = await migratorFor(db as unknown as Kysely<unknown>, list).migrateToLatest();
  if (error !== undefined) {
    throw new MigrationError(results?.find((result) => result.status === 'Error')?.migrationName, error);
  }
  return (results ?? [])
    .filter((result) => result.status === 'Success')
    .map((result) => result.migrationName);
}

/** Names of the migrations applied to this database, oldest first. */
export async function appliedMigrations<DB>(
  db: Kysely<DB>,
  list: ReadonlyArray<readonly [string, Migration]> = allMigrations,
): Promise<string[]> {
  const all = await migratorFor(db as unknown as Kysely<unknown>, list).getMigrations();
  return all.filter((info) => info.executedAt !== undefined).map((info) => info.name);
}
