/**
 * The health icon's three states and the per-service list, from main_app's /health and
 * /api/system/services. "Offline" means the platform cannot be reached at all.
 */
import type { PlatformHealth, ServiceStatus } from '../live/protocol.ts';

export type HealthLevel = 'healthy' | 'degraded' | 'offline';

/** A /health answer older than this counts as no answer. */
export const HEALTH_MAX_AGE_MS = 15_000;

export interface HealthReading {
  /** The last answer, or null when the last request failed (network error, not JSON). */
  health: PlatformHealth | null;
  /** When the last answer arrived (browser clock); null before any. */
  receivedAtMs: number | null;
}

export function healthLevel(reading: HealthReading, nowMs: number): HealthLevel {
  if (!reading.health || reading.receivedAtMs === null) return 'offline';
  if (nowMs - reading.receivedAtMs > HEALTH_MAX_AGE_MS) return 'offline';
  return reading.health.status === 'healthy' ? 'healthy' : 'degraded';
}

export const HEALTH_LABEL: Record<HealthLevel, string> = {
  healthy: 'Healthy',
  degraded: 'Degraded',
  offline: 'Offline',
};

export type ServiceLevel = HealthLevel | 'not-built';

/** One service's dot: running and healthy; running but not healthy, or starting; down. */
export function serviceLevel(service: ServiceStatus): ServiceLevel {
  if (!service.built) return 'not-built';
  if (service.state === 'running') return service.health?.status === 'healthy' ? 'healthy' : 'degraded';
  if (service.state === 'starting') return 'degraded';
  return 'offline';
}

/** What the list says about a service: its state, and its health when that adds something. */
export function serviceSummary(service: ServiceStatus): string {
  if (!service.built) return 'not built yet';
  if (service.state !== 'running') return service.state;
  const health = service.health?.status;
  return health && health !== 'healthy' ? `running, ${health}` : 'running';
}

/** Services the installation runs first (by name), then the rest (not built, or not expected). */
export function sortServices(services: readonly ServiceStatus[]): ServiceStatus[] {
  return [...services].sort(
    (a, b) => Number(b.expected) - Number(a.expected) || a.name.localeCompare(b.name),
  );
}
