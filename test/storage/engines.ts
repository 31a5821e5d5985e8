/** The two database engines the storage tests run on: embedded PGlite and the local PostgreSQL. */
import { migrateToLatest, openDatabase, type DatabaseHandle } from '../../src/core/db/index.ts';
import { createTestDatabase } from '../support/postgres.ts';

export interface TestEngine {
  name: string;
  /** A fresh migrated database; `close()` closes it and drops what it created. */
  open(): Promise<{ handle: DatabaseHandle; close(): Promise<void> }>;
}

export const ENGINES: TestEngine[] = [
  {
    name: 'PGlite',
    async open() {
      const handle = await openDatabase({ dataDir: 'memory://' });
      await migrateToLatest(handle.db);
      return { handle, close: () => handle.close() };
    },
  },
  {
    name: 'PostgreSQL',
    async open() {
      const database = await createTestDatabase('recio_storage');
      const handle = await openDatabase({ databaseUrl: database.url });
      await migrateToLatest(handle.db);
      return {
        handle,
        async close() {
          await handle.close();
          await database.drop();
        },
      };
    },
  },
];
