import type { AppDatabase } from '../db/index.ts';
import { readServiceEventSummary } from './service-event-summary.ts';
import type { HealthResponse } from '../http/server.ts';
import type { Manifest } from '../manifest/manifest.ts';
import { SERVICE_NAMES, type ServiceName } from '../manifest/service-names.ts';
import type { Supervisor } from './supervisor.ts';

export type ServiceState = 'running' | 'starting' | 'stopped' | 'crashed' | 'not built yet';

export interface ServiceStatus {
  name: ServiceName;
  role: string;
  host: string;
  port: number;
  built: boolean;
  /**
   * Whether this installation expects it to run: in all-in-one mode the services this process
   * hosts (RECIO_SERVICES may leave some out); in distributed mode every built service.
   */
  expected: boolean;
  state: ServiceState;
  pid: number | null;
  uptimeSeconds: number | null;
  restarts: number;
  lastError: string | null;
  lastErrorAt: string | null;
  nextRestartAt: string | null;
  /** The service's own `/health` answer, or why there is none. */
  health: HealthResponse | { status: 'unreachable'; error: string } | null;
}

export interface ServiceDirectory {
  /** Every manifest service; `skipProbe` names services whose /health must not be asked (no recursion). */
  list(options?: { skipProbe?: readonly ServiceName[] }): Promise<ServiceStatus[]>;
}

export interface DirectoryOptions {
  manifest: Manifest;
  built: ReadonlySet<ServiceName>;
  database: AppDatabase;
  now: () => number;
  /** Exact states of the services this process hosts, from its own supervisor. */
  supervisor?: () => Supervisor | undefined;
  /** True in distributed mode: built services this process does not host run in other processes. */
  othersRunElsewhere: boolean;
  /** The port each service listens on (the manifest's, unless a test used port 0). */
  portOf: (service: ServiceName) => number;
  probeTimeoutMs?: number;
}

/**
 * What is running, as this process can see it: the supervisor's state where it hosts the
 * service, else the last recorded service event; and each service's own /health, probed over
 * HTTP — "healthy" means a port that answers, not a process that exists (a v2 defect).
 */
export function createServiceDirectory(options: DirectoryOptions): ServiceDirectory {
  const timeoutMs = options.probeTimeoutMs ?? 2_000;
  return {
    async list({ skipProbe = [] } = {}) {
      const supervised = new Map((options.supervisor?.()?.status() ?? []).map((s) => [s.name, s]));
      const events = await readServiceEventSummary(options.database.db).catch(() => new Map());
      return Promise.all(
        SERVICE_NAMES.map(async (name): Promise<ServiceStatus> => {
          const entry = options.manifest[name];
          const port = options.portOf(name);
          const base = { name, role: entry.role, host: entry.host, port };
          if (!options.built.has(name)) {
            return {
              ...base,
              built: false,
              expected: false,
              state: 'not built yet',
              pid: null,
              uptimeSeconds: null,
              restarts: 0,
              lastError: null,
              lastErrorAt: null,
              nextRestartAt: null,
              health: null,
            };
          }
          const health = skipProbe.includes(name) ? null : await probe(entry.host, port, timeoutMs);
          const own = supervised.get(name);
          const recorded = events.get(name);
          const answered = health !== null && health.status !== 'unreachable';
          const state: ServiceState = own
            ? own.state
            : answered
              ? 'running'
              : recorded?.lastKind === 'crash'
                ? 'crashed'
                : 'stopped';
          const iso = (ms: number | undefined) => (ms === undefined ? null : new Date(ms).toISOString());
          return {
            ...base,
            built: true,
            expected: own !== undefined || options.othersRunElsewhere,
            state,
            pid: own?.state === 'running' ? own.pid : answered ? health.pid : null,
            uptimeSeconds: answered
              ? health.uptimeSeconds
              : own?.startedAt
                ? Math.round((options.now() - own.startedAt) / 1000)
                : null,
            restarts: own?.restarts ?? recorded?.restarts ?? 0,
            lastError: own?.lastError ?? recorded?.lastCrashReason ?? null,
            lastErrorAt: own ? iso(own.lastErrorAt) : (recorded?.lastCrashAt?.toISOString() ?? null),
            nextRestartAt: iso(own?.nextRestartAt),
            health,
          };
        }),
      );
    },
  };
}

async function probe(
  host: string,
  port: number,
  timeoutMs: number,
): Promise<HealthResponse | { status: 'unreachable'; error: string }> {
  const target = host === '0.0.0.0' ? '127.0.0.1' : host === '::' ? '[::1]' : host;
  try {
    const response = await fetch(`http://${target}:${port}/health`, {
      signal: AbortSignal.timeout(timeoutMs),
    });
    return (await response.json()) as HealthResponse;
  } catch (error) {
    const reason =
      (error as Error).name === 'TimeoutError' ? `no answer within ${timeoutMs} ms` : 'not listening';
    return { status: 'unreachable', error: reason };
  }
}
