import { mkdir, readdir, rm } from 'node:fs/promises';
import { resolve } from 'node:path';
import { PGlite } from '@electric-sql/pglite';
import { Kysely, PostgresDialect } from 'kysely';
import pg from 'pg';
import { exclusivePGliteDialect } from './pglite-dialect.ts';
import { readPGliteTemplate } from './pglite-template.ts';
import type { Database } from './schema.ts';

/** Embedded PGlite under a directory (created if missing; `memory://` for a throwaway one), or a server. */
export type DatabaseLocation = { dataDir: string } | { databaseUrl: string };

export interface DatabaseHandle {
  db: Kysely<Database>;
  kind: 'pglite' | 'postgres';
  /** Where the data lives, safe to log (directory, or the URL without its password). */
  where: string;
  close(): Promise<void>;
}

/** The handle a process holds (alias used by the service kit). */
export type AppDatabase = DatabaseHandle;

export interface OpenDatabaseOptions {
  /** Receives errors of idle server connections (which would otherwise crash the process). */
  onIdleError?: (error: Error) => void;
  /** PostgreSQL pool size (default 10). */
  poolSize?: number;
  /** Embedded: the initdb template a new database copies (default: the one `npm install` made). */
  pgliteTemplate?: string;
}

const INT8_OID = 20;

/** int8 as a JS number, but never silently rounded: a value beyond 2^53 is an error. */
export function parseInt8(text: string): number {
  const value = Number(text);
  if (!Number.isSafeInteger(value)) throw new RangeError(`bigint ${text} does not fit a JS number exactly`);
  return value;
}

export function redactDatabaseUrl(url: string): string {
  try {
    const parsed = new URL(url);
    if (parsed.password !== '') parsed.password = '***';
    return parsed.toString();
  } catch {
    return '(unparseable URL)';
  }
}

function reasonOf(error: unknown): string {
  if (error instanceof AggregateError && error.errors.length > 0) return reasonOf(error.errors[0]);
  if (error instanceof Error) return error.message || error.name;
  return String(error);
}

export async function openDatabase(
  location: DatabaseLocation,
  options: OpenDatabaseOptions = {},
): Promise<DatabaseHandle> {
  return 'databaseUrl' in location
    ? openPostgres(location.databaseUrl, options)
    : openPGlite(location.dataDir, options.pgliteTemplate);
}

async function openPGlite(dataDir: string, templatePath?: string): Promise<DatabaseHandle> {
  const inMemory = dataDir.startsWith('memory://');
  const where = inMemory ? dataDir : resolve(dataDir);
  let client: PGlite;
  try {
    if (!inMemory) await mkdir(where, { recursive: true });
    // A new database starts as a copy of the initdb template when there is one (pglite-template.ts).
    const fresh = inMemory || (await readdir(where)).length === 0;
    const template = fresh ? await readPGliteTemplate(templatePath) : undefined;
    client = template ? await createFromTemplate(where, template, inMemory) : await createPGlite(where);
  } catch (error) {
    throw new Error(`cannot open the embedded database in ${where}: ${reasonOf(error)}`, { cause: error });
  }
  const db = new Kysely<Database>({ dialect: exclusivePGliteDialect(client) });
  return { db, kind: 'pglite', where, close: () => db.destroy() };
}

function createPGlite(where: string, loadDataDir?: Blob): Promise<PGlite> {
  return PGlite.create(where, {
    parsers: { [INT8_OID]: parseInt8 },
    ...(loadDataDir ? { loadDataDir } : {}),
  });
}

/** From the template; if that fails (a damaged cache), the directory was empty: initdb instead. */
async function createFromTemplate(where: string, template: Blob, inMemory: boolean): Promise<PGlite> {
  try {
    return await createPGlite(where, template);
  } catch {
    if (!inMemory) {
      await rm(where, { recursive: true, force: true });
      await mkdir(where, { recursive: true });
    }
    return createPGlite(where);
  }
}

async function openPostgres(url: string, options: OpenDatabaseOptions): Promise<DatabaseHandle> {
  const where = redactDatabaseUrl(url);
  const pool = new pg.Pool({
    connectionString: url,
    max: options.poolSize ?? 10,
    connectionTimeoutMillis: 5_000,
    types: {
      getTypeParser: ((oid: number, format?: 'text' | 'binary') =>
        oid === INT8_OID && format !== 'binary'
          ? parseInt8
          : pg.types.getTypeParser(oid, format)) as typeof pg.types.getTypeParser,
    },
  });
  pool.on('error', (error) => {
    if (options.onIdleError) options.onIdleError(error);
    else console.error(`[db] idle PostgreSQL connection error (${where}): ${error.message}`);
  });
  try {
    await pool.query('select 1');
  } catch (error) {
    await pool.end().catch(() => {});
    throw new Error(`cannot connect to PostgreSQL at ${where}: ${reasonOf(error)}`, { cause: error });
  }
  const db = new Kysely<Database>({ dialect: new PostgresDialect({ pool }) });
  return { db, kind: 'postgres', where, close: () => db.destroy() };
}
