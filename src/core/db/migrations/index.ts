/**
 * Every migration, in the order it runs. To add one (later issues):
 *   1. create `NNNN_name.ts` here with the next number, exporting `up` (and `down`);
 *   2. import it below and append `['NNNN_name', mNNNN]` at the END of the list.
 * Never edit, rename or reorder a migration once it has been applied anywhere: write a new one.
 * (migrations.test.ts checks the numbering; Kysely refuses a database whose applied migrations
 * are missing from this list.)
 */
import type { Migration } from 'kysely';
import * as m0001 from './0001_system.ts';
import * as m0002 from './0002_market_model.ts';
import * as m0003 from './0003_sim.ts';
import * as m0004 from './0004_market_data.ts';
import * as m0005 from './0005_strike_snapshots.ts';

export const migrations: ReadonlyArray<readonly [name: string, migration: Migration]> = [
  ['0001_system', m0001],
  ['0002_market_model', m0002],
  ['0003_sim', m0003],
  ['0004_market_data', m0004],
  ['0005_strike_snapshots', m0005],
];
