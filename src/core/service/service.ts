import type { FastifyInstance } from 'fastify';
import type { Logger } from 'pino';
import type { Registry } from 'prom-client';
import type { Bus } from '../bus/bus.ts';
import type { Clock } from '../clock/clock.ts';
import type { Config } from '../config/schema.ts';
import type { AppDatabase } from '../db/index.ts';
import type { HealthRegistry } from '../http/health.ts';
import type { ServiceClient } from '../http/client.ts';
import type { Manifest, ManifestEntry } from '../manifest/manifest.ts';
import type { ServiceName } from '../manifest/service-names.ts';
import type { ServiceDirectory } from './directory.ts';

/**
 * A service is a module with start/stop. `start` registers its routes, health checks, bus
 * subscriptions and loops on the context and resolves when the service is ready; the kit then
 * opens its HTTP port. Anything a loop throws crashes the service (and only it): the
 * supervisor records the crash and restarts it with backoff.
 */
export interface ServiceDefinition {
  name: ServiceName;
  /** Services whose absence makes this one unable to work (for the failure detector and start order). */
  dependsOn?: readonly ServiceName[];
  /**
   * Path prefixes reachable without the internal token (a public API with its own auth, such
   * as the exchange simulator's Kalshi API under `/trade-api/`). Everything else stays internal.
   */
  publicPrefixes?: readonly string[];
  start(ctx: ServiceContext): Promise<ServiceHandle | void>;
}

export interface ServiceHandle {
  /** Releases what `start` acquired beyond the context's own loops and subscriptions. */
  stop?(): Promise<void>;
}

export type Topology = 'all-in-one' | 'distributed';

export interface ServiceContext {
  name: ServiceName;
  version: string;
  topology: Topology;
  config: Config;
  manifest: Manifest;
  entry: ManifestEntry;
  log: Logger;
  clock: Clock;
  database: AppDatabase;
  bus: Bus;
  http: FastifyInstance;
  health: HealthRegistry;
  /** This service's Prometheus registry (served on its /metrics): register own metrics here. */
  metrics: Registry;
  /** The state of every manifest service, as this process can see it. */
  directory: ServiceDirectory;
  /** An internal HTTP client for another service (internal token, timeouts, idempotency keys). */
  client(service: ServiceName): ServiceClient;
  /** Aborted when the service stops. */
  signal: AbortSignal;
  /** Runs `fn` every `ms` (clock time) until stop; a throw crashes the service. Runs never overlap. */
  every(name: string, ms: number, fn: () => void | Promise<void>): void;
  /** Runs a long-lived task until stop; a rejection crashes the service. */
  spawn(name: string, task: (signal: AbortSignal) => Promise<void>): void;
  /** Subscribes on the bus until stop; a throwing handler crashes the service. */
  subscribe(
    pattern: string,
    handler: (topic: string, payload: unknown) => void | Promise<void>,
  ): Promise<void>;
  /** Reports a fatal error from a callback the kit does not own (a socket event, say). */
  fail(error: Error): void;
}
