import { timingSafeEqual } from 'node:crypto';
import Fastify, {
  LogController,
  type FastifyBaseLogger,
  type FastifyError,
  type FastifyInstance,
} from 'fastify';
import type { Logger } from 'pino';
import { HealthRegistry, type HealthReport } from './health.ts';
import { createServiceMetrics, type ServiceMetrics } from './metrics.ts';
import { HttpProblem, PROBLEM_CONTENT_TYPE, statusTitle } from './problem.ts';

export const INTERNAL_TOKEN_HEADER = 'x-recio-internal-token';

export interface HttpServerOptions {
  service: string;
  version: string;
  logger: Logger;
  /** Epoch ms of the service's start, for `uptime` (from the Clock). */
  startedAt: () => number;
  now: () => number;
  /**
   * When set, every route except /health and /metrics needs this token in
   * `x-recio-internal-token` (internal services). main_app leaves it unset and has its own auth.
   */
  internalToken?: string;
  /**
   * Path prefixes served without the internal token (a service's own public API with its own
   * auth, e.g. the exchange simulator's `/trade-api/`). Only meaningful with `internalToken`.
   */
  publicPrefixes?: readonly string[];
  bodyLimit?: number;
}

export interface ServiceHttp {
  app: FastifyInstance;
  health: HealthRegistry;
  metrics: ServiceMetrics;
  healthReport(): Promise<HealthResponse>;
}

export interface HealthResponse extends HealthReport {
  service: string;
  version: string;
  pid: number;
  uptimeSeconds: number;
  at: string;
}

/** A Fastify server with the behaviour every REC.IO service shares: problems, health, metrics, internal auth. */
export function createServiceHttp(options: HttpServerOptions): ServiceHttp {
  const app = Fastify({
    loggerInstance: options.logger as FastifyBaseLogger,
    // Per-request lines would drown the logs in health probes; failures are logged by the error handler.
    logController: new LogController({ disableRequestLogging: true }),
    bodyLimit: options.bodyLimit ?? 1024 * 1024,
    return503OnClosing: true,
  });
  const health = new HealthRegistry();
  const metrics = createServiceMetrics(options.service);

  app.addHook('onResponse', async (request, reply) => {
    const route = request.routeOptions.url ?? 'unmatched';
    metrics.httpDuration
      .labels(request.method, route, String(reply.statusCode))
      .observe(reply.elapsedTime / 1000);
  });

  if (options.internalToken) {
    const expected = Buffer.from(options.internalToken);
    const publicPrefixes = options.publicPrefixes ?? [];
    app.addHook('onRequest', async (request) => {
      const path = request.url.split('?')[0] ?? '';
      if (path === '/health' || path === '/metrics') return;
      if (publicPrefixes.some((prefix) => path.startsWith(prefix))) return;
      const given = request.headers[INTERNAL_TOKEN_HEADER];
      const buffer = Buffer.from(typeof given === 'string' ? given : '');
      if (buffer.length !== expected.length || !timingSafeEqual(buffer, expected)) {
        throw new HttpProblem(401, 'a valid internal token is required');
      }
    });
  }

  app.setErrorHandler((error: FastifyError | HttpProblem | Error, request, reply) => {
    const problem = toProblem(error);
    if (problem.status >= 500) request.log.error({ err: error, url: request.url }, 'request failed');
    else request.log.debug({ err: error, url: request.url }, 'request rejected');
    void reply.status(problem.status).type(PROBLEM_CONTENT_TYPE).send(problem.toBody(request.url));
  });

  app.setNotFoundHandler((request, reply) => {
    const problem = new HttpProblem(404, `no route ${request.method} ${request.url.split('?')[0]}`);
    void reply.status(404).type(PROBLEM_CONTENT_TYPE).send(problem.toBody(request.url));
  });

  const healthReport = async (): Promise<HealthResponse> => {
    const report = await health.evaluate();
    return {
      service: options.service,
      version: options.version,
      pid: process.pid,
      uptimeSeconds: Math.max(0, Math.round((options.now() - options.startedAt()) / 1000)),
      at: new Date(options.now()).toISOString(),
      ...report,
    };
  };

  app.get('/health', async (_request, reply) => {
    const report = await healthReport();
    return reply.status(report.status === 'down' ? 503 : 200).send(report);
  });

  app.get('/metrics', async (_request, reply) => {
    const { contentType, body } = await metrics.render();
    return reply.type(contentType).send(body);
  });

  return { app, health, metrics, healthReport };
}

function toProblem(error: FastifyError | HttpProblem | Error): HttpProblem {
  if (error instanceof HttpProblem) return error;
  const fastifyError = error as FastifyError;
  if (fastifyError.validation) {
    return new HttpProblem(400, error.message, { errors: fastifyError.validation });
  }
  const status = fastifyError.statusCode;
  if (typeof status === 'number' && status >= 400 && status < 600) {
    // Fastify's own 4xx (bad JSON, body too large, wrong content type) explain themselves.
    return new HttpProblem(status, status < 500 ? error.message : statusTitle(status));
  }
  return new HttpProblem(500, 'internal error');
}
