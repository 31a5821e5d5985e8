import type { PGlite } from '@electric-sql/pglite';
import type { DatabaseConnection, Dialect, Driver, TransactionSettings } from 'kysely';
import { KyselyPGlite } from 'kysely-pglite';

/**
 * kysely-pglite's dialect over one PGlite instance, with its single connection made exclusive.
 *
 * PGlite is one backend: kysely-pglite hands every caller the same session, so a query issued
 * while another caller's transaction is open runs *inside* that transaction (and is rolled back
 * with it). Here a connection is held by one caller at a time — a query waits for an open
 * transaction to finish, as on a one-connection pool. Consequence: inside
 * `db.transaction().execute(trx => …)` use `trx`, never `db` (that would wait forever).
 */
export function exclusivePGliteDialect(client: PGlite): Dialect {
  const base = new KyselyPGlite(client).dialect;
  return { ...base, createDriver: () => new ExclusiveDriver(base.createDriver()) };
}

class ExclusiveDriver implements Driver {
  readonly #inner: Driver;
  #tail: Promise<void> = Promise.resolve();
  readonly #releases = new Map<DatabaseConnection, () => void>();

  constructor(inner: Driver) {
    this.#inner = inner;
  }

  init(): Promise<void> {
    return this.#inner.init();
  }

  async acquireConnection(): Promise<DatabaseConnection> {
    let release!: () => void;
    const released = new Promise<void>((resolve) => (release = resolve));
    const previous = this.#tail;
    this.#tail = previous.then(() => released);
    await previous;
    try {
      const connection = await this.#inner.acquireConnection();
      this.#releases.set(connection, release);
      return connection;
    } catch (error) {
      release();
      throw error;
    }
  }

  async releaseConnection(connection: DatabaseConnection): Promise<void> {
    try {
      await this.#inner.releaseConnection(connection);
    } finally {
      this.#releases.get(connection)?.();
      this.#releases.delete(connection);
    }
  }

  beginTransaction(connection: DatabaseConnection, settings: TransactionSettings): Promise<void> {
    return this.#inner.beginTransaction(connection, settings);
  }

  commitTransaction(connection: DatabaseConnection): Promise<void> {
    return this.#inner.commitTransaction(connection);
  }

  rollbackTransaction(connection: DatabaseConnection): Promise<void> {
    return this.#inner.rollbackTransaction(connection);
  }

  async destroy(): Promise<void> {
    await this.#tail; // let the current holder finish before the database closes
    await this.#inner.destroy();
  }
}
