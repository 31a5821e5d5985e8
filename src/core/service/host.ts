import { randomBytes } from 'node:crypto';
import { existsSync, linkSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import type { Logger } from 'pino';
import { createBus } from '../bus/index.ts';
import type { Bus } from '../bus/bus.ts';
import { createClock, simulatedNow } from '../clock/index.ts';
import type { Clock } from '../clock/clock.ts';
import type { Config } from '../config/schema.ts';
import { openConfiguredDatabase, type AppDatabase } from '../db/index.ts';
import { createLogSink, type LogSink } from '../log/logger.ts';
import type { Manifest } from '../manifest/manifest.ts';
import { assertPortsFree } from '../manifest/port-check.ts';
import type { ServiceName } from '../manifest/service-names.ts';
import { createServiceDirectory, type ServiceDirectory } from './directory.ts';
import { acquireInstanceLock } from './instance-lock.ts';
import type { RestartPolicy } from './restart-policy.ts';
import { Supervisor } from './supervisor.ts';
import type { ServiceDefinition, Topology } from './service.ts';

/** The services this build contains: a loader per name (the rest are "not built yet"). */
export type ServiceRegistry = Partial<Record<ServiceName, () => Promise<ServiceDefinition>>>;

export interface HostOptions {
  topology: Topology;
  config: Config;
  manifest: Manifest;
  registry: ServiceRegistry;
  /** Which services to host, in start order. */
  services: readonly ServiceName[];
  version: string;
  logs?: LogSink;
  restartPolicy?: RestartPolicy;
}

export interface Host {
  config: Config;
  clock: Clock;
  bus: Bus;
  database: AppDatabase;
  supervisor: Supervisor;
  directory: ServiceDirectory;
  log: Logger;
  /** Stops the services, then the bus, the database and the logs; idempotent. */
  stop(reason?: string): Promise<void>;
}

export class HostError extends Error {
  override name = 'HostError';
}

/**
 * Starts a process hosting `services`: all of them in all-in-one mode (`recio start`), one in
 * distributed mode (`recio run <service>`). Shared parts are created once: clock, database
 * (migrated), bus, logs; each service gets its own port, logger and health.
 */
export async function startHost(options: HostOptions): Promise<Host> {
  const { config, manifest, topology } = options;
  if (topology === 'distributed' && (!config.databaseUrl || !config.redisUrl)) {
    throw new HostError(
      'distributed mode needs DATABASE_URL (PostgreSQL) and REDIS_URL (Redis): one process per service shares them',
    );
  }
  const missing = options.services.filter((name) => !options.registry[name]);
  if (missing.length > 0) throw new HostError(`not built yet: ${missing.join(', ')}`);

  const dataDir = resolve(config.dataDir);
  mkdirSync(dataDir, { recursive: true });
  // One all-in-one process per data directory; in distributed mode the ports guard each service.
  const lock =
    topology === 'all-in-one'
      ? acquireInstanceLock(join(dataDir, 'recio.lock'), `data directory ${dataDir}`)
      : undefined;
  const cleanups: Array<() => Promise<void> | void> = [() => lock?.release()];
  const cleanup = async () => {
    for (const fn of cleanups.reverse()) await fn();
  };

  try {
    await assertPortsFree(options.services.map((name) => manifest[name]));
    const logs = options.logs ?? createLogSink(config);
    cleanups.push(() => logs.close());
    const log = logs.root.child({
      service: topology === 'all-in-one' ? 'recio' : options.services.join(','),
    });

    const clock = createClock(
      config.clock.mode === 'real'
        ? { mode: 'real' }
        : {
            mode: 'simulated',
            start: simulatedNow(
              {
                startMs: config.clock.start ? Date.parse(config.clock.start) : undefined,
                anchorMs: config.clock.anchor ? Date.parse(config.clock.anchor) : undefined,
                rate: config.clock.rate,
              },
              Date.now(),
            ),
            rate: config.clock.rate,
          },
    );
    if (topology === 'distributed' && config.clock.mode === 'simulated' && !config.clock.anchor) {
      log.warn(
        'simulated clock without RECIO_CLOCK_ANCHOR: this process keeps its own timeline, apart from the other services (`recio supervisor config` pins one)',
      );
    }
    const { database, applied } = await openConfiguredDatabase(config);
    cleanups.push(() => database.close());
    if (applied.length > 0) log.info({ applied }, 'database migrated');
    const bus = await createBus(
      config.redisUrl
        ? { redisUrl: config.redisUrl, prefix: config.busPrefix, logger: log }
        : { logger: log },
    );
    cleanups.push(() => bus.close());

    const directory = createServiceDirectory({
      manifest,
      built: new Set(Object.keys(options.registry) as ServiceName[]),
      database,
      now: () => clock.now(),
      // The directory and the supervisor refer to each other; neither calls the other before start.
      supervisor: () => supervisor,
      othersRunElsewhere: topology === 'distributed',
      portOf: (name) => supervisor.portOf(name),
    });
    const supervisor: Supervisor = new Supervisor(
      {
        version: options.version,
        topology,
        config,
        manifest,
        clock,
        database,
        bus,
        internalToken: internalToken(config, dataDir),
        directory,
        portOf: (name) => supervisor.portOf(name),
      },
      (name) => logs.forService(name),
      options.restartPolicy,
    );
    const definitions = await Promise.all(options.services.map((name) => options.registry[name]!()));
    await supervisor.start(definitions);

    let stopped: Promise<void> | undefined;
    return {
      config,
      clock,
      bus,
      database,
      supervisor,
      directory,
      log,
      stop: (reason = 'shutdown') =>
        (stopped ??= (async () => {
          await supervisor.stop(reason);
          await cleanup();
        })()),
    };
  } catch (error) {
    await cleanup();
    throw error;
  }
}

/**
 * The shared secret of service-to-service calls: from config, else one generated on first
 * start and kept in the data directory (mode 0600), so every process on this machine agrees.
 * Distributed processes start together: the file appears whole or not at all (written aside,
 * then hard-linked into place, which fails if another process was first), never half-written.
 */
export function internalToken(config: Pick<Config, 'internalToken'>, dataDir: string): string {
  if (config.internalToken) return config.internalToken;
  const path = join(dataDir, 'internal-token');
  const read = () => {
    const token = readFileSync(path, 'utf8').trim();
    if (token.length < 16) throw new HostError(`${path} holds no valid token: delete it to make a new one`);
    return token;
  };
  if (existsSync(path)) return read();
  const token = randomBytes(32).toString('base64url');
  const temp = `${path}.${process.pid}.${randomBytes(4).toString('hex')}`;
  writeFileSync(temp, `${token}\n`, { mode: 0o600 });
  try {
    linkSync(temp, path);
    return token;
  } catch (error) {
    // Another process of this installation wrote it first: use theirs.
    if ((error as NodeJS.ErrnoException).code === 'EEXIST') return read();
    throw error;
  } finally {
    rmSync(temp, { force: true });
  }
}
