export {
  openDatabase,
  parseInt8,
  redactDatabaseUrl,
  type AppDatabase,
  type DatabaseHandle,
  type DatabaseLocation,
  type OpenDatabaseOptions,
} from './open-database.ts';
export { migrateToLatest, appliedMigrations, MigrationError } from './migrate.ts';
export { openConfiguredDatabase } from './open-configured.ts';
export { migrations } from './migrations/index.ts';
export {
  toJsonb,
  type Database,
  type HealthStatusValue,
  type JsonObject,
  type JsonValue,
  type Jsonb,
  type ServiceEventKind,
  type AuditLogTable,
  type HealthHistoryTable,
  type HealthStatusTable,
  type ServiceEventsTable,
} from './schema.ts';
export {
  listHealthStatuses,
  listServiceEvents,
  recordAudit,
  recordServiceEvent,
  upsertHealthStatus,
  type AuditInput,
  type HealthInput,
  type HealthRecord,
  type ServiceEvent,
  type ServiceEventInput,
} from './system-records.ts';
