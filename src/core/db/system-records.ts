/**
 * Typed writes and reads for schema `system`, used by the supervisor and main_app. Times are
 * epoch ms from the Clock (simulated time in a simulation), never the database's now().
 */
import type { Kysely } from 'kysely';
import { z } from 'zod';
import {
  toJsonb,
  type Database,
  type HealthStatusValue,
  type JsonObject,
  type ServiceEventKind,
} from './schema.ts';

const epochMs = z.number().int().nonnegative();
const service = z.string().min(1);
const jsonObject = z.record(z.string(), z.json());

const serviceEventInput = z.object({
  service,
  kind: z.enum(['start', 'stop', 'crash', 'restart']),
  reason: z.string().nullish(),
  pid: z.number().int().positive().nullish(),
  at: epochMs,
});
export type ServiceEventInput = z.input<typeof serviceEventInput>;

export interface ServiceEvent {
  id: number;
  service: string;
  kind: ServiceEventKind;
  reason: string | null;
  pid: number | null;
  at: number;
}

const healthInput = z.object({
  service,
  status: z.enum(['healthy', 'degraded', 'down']),
  detail: jsonObject.default({}),
  checkedAt: epochMs,
});
export type HealthInput = z.input<typeof healthInput>;

export interface HealthRecord {
  service: string;
  status: HealthStatusValue;
  detail: JsonObject;
  checkedAt: number;
}

const auditInput = z.object({
  at: epochMs,
  actor: z.string().min(1),
  action: z.string().min(1),
  target: z.string().nullish(),
  detail: jsonObject.default({}),
});
export type AuditInput = z.input<typeof auditInput>;

/** Parses with a one-line error naming the helper and the bad field. */
function check<T extends z.ZodType>(schema: T, value: unknown, what: string): z.output<T> {
  const result = schema.safeParse(value);
  if (result.success) return result.data;
  const issue = result.error.issues[0];
  throw new TypeError(`${what}: ${issue?.path.join('.') || 'input'}: ${issue?.message ?? 'invalid'}`);
}

/** Appends to system.service_events; returns the new row's id. */
export async function recordServiceEvent(db: Kysely<Database>, input: ServiceEventInput): Promise<number> {
  const event = check(serviceEventInput, input, 'recordServiceEvent');
  const row = await db
    .insertInto('system.service_events')
    .values({
      service: event.service,
      kind: event.kind,
      reason: event.reason ?? null,
      pid: event.pid ?? null,
      at: new Date(event.at),
    })
    .returning('id')
    .executeTakeFirstOrThrow();
  return row.id;
}

/** Events, newest first; optionally for one service. */
export async function listServiceEvents(
  db: Kysely<Database>,
  options: { service?: string; limit?: number } = {},
): Promise<ServiceEvent[]> {
  let query = db
    .selectFrom('system.service_events')
    .selectAll()
    .orderBy('at', 'desc')
    .orderBy('id', 'desc')
    .limit(options.limit ?? 100);
  if (options.service !== undefined) query = query.where('service', '=', options.service);
  const rows = await query.execute();
  return rows.map((row) => ({ ...row, at: row.at.getTime() }));
}

/**
 * Sets a service's current health, and appends to system.health_history when the status
 * changed (or is the first one seen): history holds transitions, not every check.
 */
export async function upsertHealthStatus(
  db: Kysely<Database>,
  input: HealthInput,
): Promise<{ changed: boolean }> {
  const health = check(healthInput, input, 'upsertHealthStatus');
  const detail = toJsonb(health.detail as JsonObject);
  const at = new Date(health.checkedAt);
  return db.transaction().execute(async (trx) => {
    const previous = await trx
      .selectFrom('system.health_status')
      .select('status')
      .where('service', '=', health.service)
      .forUpdate()
      .executeTakeFirst();
    await trx
      .insertInto('system.health_status')
      .values({ service: health.service, status: health.status, detail, checked_at: at })
      .onConflict((conflict) =>
        conflict.column('service').doUpdateSet({ status: health.status, detail, checked_at: at }),
      )
      .execute();
    const changed = previous?.status !== health.status;
    if (changed) {
      await trx
        .insertInto('system.health_history')
        .values({ service: health.service, status: health.status, detail, at })
        .execute();
    }
    return { changed };
  });
}

/** Current health of every service that reported one. */
export async function listHealthStatuses(db: Kysely<Database>): Promise<HealthRecord[]> {
  const rows = await db.selectFrom('system.health_status').selectAll().orderBy('service').execute();
  return rows.map((row) => ({
    service: row.service,
    status: row.status,
    detail: row.detail,
    checkedAt: row.checked_at.getTime(),
  }));
}

/** Appends to system.audit_log; returns the new row's id. */
export async function recordAudit(db: Kysely<Database>, input: AuditInput): Promise<number> {
  const entry = check(auditInput, input, 'recordAudit');
  const row = await db
    .insertInto('system.audit_log')
    .values({
      at: new Date(entry.at),
      actor: entry.actor,
      action: entry.action,
      target: entry.target ?? null,
      detail: toJsonb(entry.detail as JsonObject),
    })
    .returning('id')
    .executeTakeFirstOrThrow();
  return row.id;
}
