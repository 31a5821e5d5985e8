/**
 * Schema `system`: service health (current + transitions), supervisor events, audit trail.
 * Frozen once released: never edit an applied migration, add a new one.
 */
import { sql, type Kysely } from 'kysely';

export async function up(db: Kysely<unknown>): Promise<void> {
  await db.schema.createSchema('system').execute();

  await db.schema
    .createTable('system.health_status')
    .addColumn('service', 'text', (col) => col.primaryKey())
    .addColumn('status', 'text', (col) => col.notNull().check(sql`status in ('healthy', 'degraded', 'down')`))
    .addColumn('detail', 'jsonb', (col) => col.notNull().defaultTo(sql`'{}'::jsonb`))
    .addColumn('checked_at', 'timestamptz', (col) => col.notNull())
    .execute();

  await db.schema
    .createTable('system.health_history')
    .addColumn('id', 'bigint', (col) => col.primaryKey().generatedAlwaysAsIdentity())
    .addColumn('service', 'text', (col) => col.notNull())
    .addColumn('status', 'text', (col) => col.notNull().check(sql`status in ('healthy', 'degraded', 'down')`))
    .addColumn('detail', 'jsonb', (col) => col.notNull().defaultTo(sql`'{}'::jsonb`))
    .addColumn('at', 'timestamptz', (col) => col.notNull())
    .execute();
  await db.schema
    .createIndex('health_history_service_at_idx')
    .on('system.health_history')
    .columns(['service', 'at'])
    .execute();

  await db.schema
    .createTable('system.service_events')
    .addColumn('id', 'bigint', (col) => col.primaryKey().generatedAlwaysAsIdentity())
    .addColumn('service', 'text', (col) => col.notNull())
    .addColumn('kind', 'text', (col) =>
      col.notNull().check(sql`kind in ('start', 'stop', 'crash', 'restart')`),
    )
    .addColumn('reason', 'text')
    .addColumn('pid', 'integer')
    .addColumn('at', 'timestamptz', (col) => col.notNull())
    .execute();
  await db.schema
    .createIndex('service_events_service_at_idx')
    .on('system.service_events')
    .columns(['service', 'at'])
    .execute();

  await db.schema
    .createTable('system.audit_log')
    .addColumn('id', 'bigint', (col) => col.primaryKey().generatedAlwaysAsIdentity())
    .addColumn('at', 'timestamptz', (col) => col.notNull())
    .addColumn('actor', 'text', (col) => col.notNull())
    .addColumn('action', 'text', (col) => col.notNull())
    .addColumn('target', 'text')
    .addColumn('detail', 'jsonb', (col) => col.notNull().defaultTo(sql`'{}'::jsonb`))
    .execute();
  await db.schema.createIndex('audit_log_at_idx').on('system.audit_log').column('at').execute();
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await db.schema.dropSchema('system').cascade().execute();
}
