/**
 * Readiness checks a service registers ("last tick younger than 10 s"); `/health` evaluates
 * them all. Healthy only when every check passes; degraded when a non-critical one fails;
 * down when a critical one fails.
 */
export type HealthStatus = 'healthy' | 'degraded' | 'down';

export interface CheckResult {
  ok: boolean;
  detail?: string;
  /** Values worth showing next to the check (tick age, reconnects, …). */
  data?: Record<string, unknown>;
}

export interface HealthCheck {
  name: string;
  /** A failing critical check makes the service `down`; others make it `degraded`. */
  critical?: boolean;
  check: () => CheckResult | Promise<CheckResult>;
}

export interface CheckReport extends CheckResult {
  name: string;
  critical: boolean;
}

export interface HealthReport {
  status: HealthStatus;
  checks: CheckReport[];
}

export class HealthRegistry {
  private readonly checks = new Map<string, HealthCheck>();

  add(check: HealthCheck): void {
    if (this.checks.has(check.name)) throw new Error(`health check "${check.name}" is registered twice`);
    this.checks.set(check.name, check);
  }

  async evaluate(): Promise<HealthReport> {
    const checks = await Promise.all(
      [...this.checks.values()].map(async (c): Promise<CheckReport> => {
        try {
          return { name: c.name, critical: c.critical ?? false, ...(await c.check()) };
        } catch (error) {
          return { name: c.name, critical: c.critical ?? false, ok: false, detail: (error as Error).message };
        }
      }),
    );
    return { status: combineStatus(checks), checks };
  }
}

export function combineStatus(checks: readonly { ok: boolean; critical: boolean }[]): HealthStatus {
  if (checks.some((c) => !c.ok && c.critical)) return 'down';
  if (checks.some((c) => !c.ok)) return 'degraded';
  return 'healthy';
}
