import { sql, type Kysely } from 'kysely';
import type { Database, ServiceEventKind } from '../db/index.ts';

export interface ServiceEventSummary {
  lastKind: ServiceEventKind;
  restarts: number;
  lastCrashReason: string | null;
  lastCrashAt: Date | null;
}

/** Per service: the latest event, restarts since its last start, and the latest crash. */
export async function readServiceEventSummary(
  db: Kysely<Database>,
): Promise<Map<string, ServiceEventSummary>> {
  const rows = await db
    .selectFrom('system.service_events as e')
    .select([
      'e.service',
      sql<ServiceEventKind>`(array_agg(e.kind order by e.at desc, e.id desc))[1]`.as('last_kind'),
      // Restarts since the operator last started it: a fresh start is a fresh count.
      sql<number>`count(*) filter (where e.kind = 'restart' and e.at >= coalesce(
        (select max(s.at) from system.service_events s where s.service = e.service and s.kind = 'start'),
        '-infinity'::timestamptz))::int`.as('restarts'),
      sql<
        string | null
      >`(array_agg(e.reason order by e.at desc, e.id desc) filter (where e.kind = 'crash'))[1]`.as(
        'last_crash_reason',
      ),
      sql<Date | null>`max(e.at) filter (where e.kind = 'crash')`.as('last_crash_at'),
    ])
    .groupBy('e.service')
    .execute();
  return new Map(
    rows.map((row) => [
      row.service,
      {
        lastKind: row.last_kind,
        restarts: Number(row.restarts),
        lastCrashReason: row.last_crash_reason,
        lastCrashAt: row.last_crash_at ? new Date(row.last_crash_at) : null,
      },
    ]),
  );
}
