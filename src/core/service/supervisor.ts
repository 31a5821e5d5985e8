import type { Logger } from 'pino';
import type { TimerHandle } from '../clock/clock.ts';
import { listServiceEvents, recordServiceEvent } from '../db/index.ts';
import type { ServiceName } from '../manifest/service-names.ts';
import { DEFAULT_RESTART_POLICY, restartDelay, type RestartPolicy } from './restart-policy.ts';
import { runService, type RunningService, type ServiceDeps } from './run-service.ts';
import { readServiceEventSummary } from './service-event-summary.ts';
import type { ServiceDefinition } from './service.ts';

/** crashed = down and waiting for its backoff to pass; `nextRestartAt` says when. */
export type SupervisedState = 'starting' | 'running' | 'crashed' | 'stopped';

export interface SupervisedStatus {
  name: ServiceName;
  state: SupervisedState;
  pid: number;
  port: number | undefined;
  startedAt: number | undefined;
  restarts: number;
  lastError: string | undefined;
  lastErrorAt: number | undefined;
  nextRestartAt: number | undefined;
}

interface Slot {
  definition: ServiceDefinition;
  log: Logger;
  state: SupervisedState;
  running?: RunningService;
  restarts: number;
  consecutiveCrashes: number;
  lastError?: string;
  lastErrorAt?: number;
  nextRestartAt?: number;
  timer?: TimerHandle;
}

/**
 * All-in-one supervision: hosts every service in this process, restarts one that crashes
 * with exponential backoff, and records start, stop, crash and restart in
 * `system.service_events`. One service's crash never takes the others down.
 *
 * Distributed mode (one service per process, restarted by supervisord): a start whose previous
 * process did not stop cleanly is recorded as a restart, so restarts and the last error survive
 * the process manager's restarts.
 */
export class Supervisor {
  private readonly slots = new Map<ServiceName, Slot>();
  private stopping = false;
  /** Crash handling under way: stop() lets it finish recording before the database closes. */
  private readonly handling = new Set<Promise<void>>();

  constructor(
    private readonly deps: ServiceDeps,
    private readonly logFor: (service: ServiceName) => Promise<Logger>,
    private readonly policy: RestartPolicy = DEFAULT_RESTART_POLICY,
  ) {}

  /** Starts the services in order; resolves when each has started once or failed to (then it is in backoff). */
  async start(definitions: readonly ServiceDefinition[]): Promise<void> {
    for (const definition of definitions) {
      const log = await this.logFor(definition.name);
      const slot: Slot = { definition, log, state: 'starting', restarts: 0, consecutiveCrashes: 0 };
      this.slots.set(definition.name, slot);
      const unclean = this.deps.topology === 'distributed' && (await this.adoptUncleanEnd(slot));
      await this.launch(slot, unclean ? 'restart' : 'start');
    }
  }

  /** The port a hosted service listens on, or its manifest port. */
  portOf(service: ServiceName): number {
    return this.slots.get(service)?.running?.port ?? this.deps.manifest[service].port;
  }

  status(): SupervisedStatus[] {
    return [...this.slots.values()].map((slot) => ({
      name: slot.definition.name,
      state: slot.state,
      pid: process.pid,
      port: slot.running?.port,
      startedAt: slot.running?.startedAt,
      restarts: slot.restarts,
      lastError: slot.lastError,
      lastErrorAt: slot.lastErrorAt,
      nextRestartAt: slot.nextRestartAt,
    }));
  }

  running(service: ServiceName): RunningService | undefined {
    return this.slots.get(service)?.running;
  }

  /** Stops every service, last started first. */
  async stop(reason = 'shutdown'): Promise<void> {
    this.stopping = true;
    await Promise.allSettled([...this.handling]);
    for (const slot of [...this.slots.values()].reverse()) {
      if (slot.timer) this.deps.clock.clear(slot.timer);
      const running = slot.running;
      slot.running = undefined;
      if (running) {
        await running.stop().catch((error: unknown) => slot.log.error({ err: error }, 'stop failed'));
        await this.record(slot, 'stop', reason);
      }
      slot.state = 'stopped';
    }
  }

  private async launch(slot: Slot, kind: 'start' | 'restart'): Promise<void> {
    if (this.stopping) return;
    slot.state = 'starting';
    slot.nextRestartAt = undefined;
    try {
      const running = await runService(slot.definition, this.deps, slot.log);
      if (this.stopping) {
        await running.stop();
        return;
      }
      slot.running = running;
      slot.state = 'running';
      await this.record(slot, kind, kind === 'restart' ? `after: ${slot.lastError ?? 'crash'}` : undefined);
      void running.crashed.then((error) => {
        const handling = this.onCrash(slot, running, error).finally(() => this.handling.delete(handling));
        this.handling.add(handling);
      });
    } catch (error) {
      await this.onCrash(slot, undefined, error as Error);
    }
  }

  private async onCrash(slot: Slot, running: RunningService | undefined, error: Error): Promise<void> {
    if (this.stopping || (running && slot.running !== running)) return;
    const now = this.deps.clock.now();
    const upFor = running ? now - running.startedAt : 0;
    slot.consecutiveCrashes = upFor >= this.policy.resetAfterMs ? 1 : slot.consecutiveCrashes + 1;
    slot.lastError = error.message;
    slot.lastErrorAt = now;
    slot.running = undefined;
    if (running) await running.stop().catch(() => undefined);
    const delay = restartDelay(this.policy, slot.consecutiveCrashes);
    slot.state = 'crashed';
    slot.nextRestartAt = now + delay;
    slot.log.error({ err: error, restartInMs: delay }, 'service crashed; restarting after backoff');
    await this.record(slot, 'crash', error.message);
    if (this.stopping) return;
    slot.timer = this.deps.clock.setTimeout(() => {
      slot.restarts += 1;
      void this.launch(slot, 'restart');
    }, delay);
  }

  /**
   * Distributed mode: when the event log says this service's previous process did not stop
   * cleanly (its last event is not a stop: killed, or crashed and exited), takes over its restart
   * count and last error, recording the lost crash when the process could not. True if so.
   */
  private async adoptUncleanEnd(slot: Slot): Promise<boolean> {
    const name = slot.definition.name;
    try {
      const [last] = await listServiceEvents(this.deps.database.db, { service: name, limit: 1 });
      if (!last || last.kind === 'stop') return false;
      if (last.kind !== 'crash') {
        await recordServiceEvent(this.deps.database.db, {
          service: name,
          kind: 'crash',
          reason: `process ${last.pid ?? '?'} ended without stopping cleanly (killed, or lost before it could say why)`,
          pid: last.pid,
          at: this.deps.clock.now(),
        });
      }
      const summary = (await readServiceEventSummary(this.deps.database.db)).get(name);
      slot.restarts = (summary?.restarts ?? 0) + 1;
      slot.lastError = summary?.lastCrashReason ?? undefined;
      slot.lastErrorAt = summary?.lastCrashAt?.getTime();
      return true;
    } catch (error) {
      slot.log.warn({ err: error }, 'could not read how the previous process ended');
      return false;
    }
  }

  private async record(
    slot: Slot,
    kind: 'start' | 'stop' | 'crash' | 'restart',
    reason?: string,
  ): Promise<void> {
    try {
      await recordServiceEvent(this.deps.database.db, {
        service: slot.definition.name,
        kind,
        reason: reason ?? null,
        pid: process.pid,
        at: this.deps.clock.now(),
      });
    } catch (error) {
      // The event log must never take a service down; the log file still has it.
      slot.log.warn({ err: error, kind }, 'could not record service event');
    }
  }
}
