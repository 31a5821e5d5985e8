/**
 * The simulator's readiness checks: the simulation keeps stepping (critical), keeps up with
 * the clock (degraded when it lags), and its state store works (critical).
 */
import type { HealthRegistry } from '../../core/http/health.ts';
import type { SimulatorRuntime } from './runtime.ts';

/** Clock time without a completed tick before the simulation counts as stalled. */
export const STALLED_AFTER_MS = 30_000;
/** Lag behind the clock tolerated before the simulator reports itself degraded. */
export const LAGGING_AFTER_MS = 10_000;

export function registerSimulatorHealth(health: HealthRegistry, runtime: SimulatorRuntime): void {
  health.add({
    name: 'simulation stepping',
    critical: true,
    check: () => {
      const status = runtime.status();
      const ageMs = status.lastTickAtMs === null ? null : status.clockMs - status.lastTickAtMs;
      return {
        ok: ageMs !== null && ageMs <= STALLED_AFTER_MS,
        detail: ageMs === null ? 'no tick yet' : `last step ${Math.round(ageMs / 1000)} s ago`,
        data: { lastStepAgeMs: ageMs, simTime: new Date(status.simTimeMs).toISOString() },
      };
    },
  });
  health.add({
    name: 'simulation lag',
    check: () => {
      const { lagMs } = runtime.status();
      return { ok: lagMs <= LAGGING_AFTER_MS, data: { lagMs } };
    },
  });
  health.add({
    name: 'state store',
    critical: true,
    check: () => {
      const { failed, pendingWrites, journalSeq } = runtime.status();
      return {
        ok: failed === null,
        ...(failed ? { detail: failed } : {}),
        data: { pendingWrites, journalSeq },
      };
    },
  });
}
