import type { Logger } from 'pino';
import type { Bus } from '../bus/bus.ts';
import type { Clock, TimerHandle } from '../clock/clock.ts';
import type { Config } from '../config/schema.ts';
import type { AppDatabase } from '../db/index.ts';
import { ServiceClient } from '../http/client.ts';
import { createServiceHttp, type ServiceHttp } from '../http/server.ts';
import type { Manifest } from '../manifest/manifest.ts';
import type { ServiceName } from '../manifest/service-names.ts';
import type { ServiceDirectory } from './directory.ts';
import type { ServiceContext, ServiceDefinition, ServiceHandle, Topology } from './service.ts';

/** What a process shares among the services it hosts. */
export interface ServiceDeps {
  version: string;
  topology: Topology;
  config: Config;
  manifest: Manifest;
  clock: Clock;
  database: AppDatabase;
  bus: Bus;
  internalToken: string;
  directory: ServiceDirectory;
  /** The port a hosted service actually listens on (differs from the manifest only for port 0 in tests). */
  portOf(service: ServiceName): number;
}

export interface RunningService {
  name: ServiceName;
  port: number;
  startedAt: number;
  http: ServiceHttp;
  /** Resolves with the error when a loop, task or subscription of the service fails. */
  crashed: Promise<Error>;
  stop(): Promise<void>;
}

/** Starts one service: context, routes, loops, then its HTTP port. Rejects if start fails (nothing left open). */
export async function runService(
  definition: ServiceDefinition,
  deps: ServiceDeps,
  log: Logger,
): Promise<RunningService> {
  const { name } = definition;
  const entry = deps.manifest[name];
  const startedAt = deps.clock.now();
  const abort = new AbortController();
  const timers: TimerHandle[] = [];
  const unsubscribes: Array<() => Promise<void>> = [];
  const tasks: Promise<void>[] = [];
  let reportCrash!: (error: Error) => void;
  const crashed = new Promise<Error>((resolve) => (reportCrash = resolve));
  let failed = false;
  const fail = (error: Error) => {
    if (failed || abort.signal.aborted) return;
    failed = true;
    log.error({ err: error }, 'service crashed');
    reportCrash(error);
  };

  const http = createServiceHttp({
    service: name,
    version: deps.version,
    logger: log,
    startedAt: () => startedAt,
    now: () => deps.clock.now(),
    // main_app faces users and has its own auth; every other service takes internal calls only.
    ...(name === 'main_app'
      ? {}
      : { internalToken: deps.internalToken, publicPrefixes: definition.publicPrefixes ?? [] }),
  });

  const ctx: ServiceContext = {
    name,
    version: deps.version,
    topology: deps.topology,
    config: deps.config,
    manifest: deps.manifest,
    entry,
    log,
    clock: deps.clock,
    database: deps.database,
    bus: deps.bus,
    http: http.app,
    health: http.health,
    metrics: http.metrics.registry,
    directory: deps.directory,
    signal: abort.signal,
    fail,
    client(target) {
      const targetEntry = deps.manifest[target];
      const host = targetEntry.host === '0.0.0.0' ? '127.0.0.1' : targetEntry.host;
      return new ServiceClient({
        baseUrl: `http://${host}:${deps.portOf(target)}`,
        internalToken: deps.internalToken,
        clock: deps.clock,
      });
    },
    every(taskName, ms, fn) {
      let running = false;
      timers.push(
        deps.clock.setInterval(() => {
          if (running || abort.signal.aborted) return; // a slow run is not stacked on itself
          running = true;
          Promise.resolve()
            .then(fn)
            .catch((error: unknown) => fail(asError(error, `${taskName} failed`)))
            .finally(() => (running = false));
        }, ms),
      );
    },
    spawn(taskName, task) {
      tasks.push(
        task(abort.signal).catch((error: unknown) => {
          if (!abort.signal.aborted) fail(asError(error, `${taskName} failed`));
        }),
      );
    },
    async subscribe(pattern, handler) {
      const unsubscribe = await deps.bus.subscribe(pattern, async (message) => {
        try {
          await handler(message.topic, message.payload);
        } catch (error) {
          fail(asError(error, `handler for ${message.topic} failed`));
        }
      });
      unsubscribes.push(unsubscribe);
    },
  };

  let handle: ServiceHandle | void = undefined;
  const release = async () => {
    abort.abort(new Error(`${name} stopping`));
    for (const timer of timers) deps.clock.clear(timer);
    await Promise.allSettled(unsubscribes.map((u) => u()));
    await handle?.stop?.().catch((error: unknown) => log.warn({ err: error }, 'stop hook failed'));
    await Promise.allSettled(tasks);
    await http.app.close();
  };

  try {
    handle = await definition.start(ctx);
    await http.app.listen({ port: deps.portOf(name), host: entry.host });
  } catch (error) {
    await release();
    throw asError(error, `${name} failed to start`);
  }
  const address = http.app.server.address();
  const port = typeof address === 'object' && address ? address.port : deps.portOf(name);
  log.info({ port, host: entry.host }, 'service started');

  let stopping: Promise<void> | undefined;
  return {
    name,
    port,
    startedAt,
    http,
    crashed,
    stop: () => (stopping ??= release().then(() => log.info('service stopped'))),
  };
}

function asError(value: unknown, fallback: string): Error {
  return value instanceof Error ? value : new Error(`${fallback}: ${String(value)}`);
}
