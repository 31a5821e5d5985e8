/**
 * The Kalshi REST API of the simulator under /trade-api/v2: public market data and the
 * authenticated portfolio, with Kalshi's error body on every answer of the prefix (its own
 * error and not-found handlers, encapsulated: the service's other routes keep problem+json).
 */
import type { FastifyInstance, FastifyPluginAsync } from 'fastify';
import type { FaultController } from '../../faults/fault-controller.ts';
import type { SimulatorRuntime } from '../../runtime/runtime.ts';
import { authenticate, KeyRateLimits } from './auth.ts';
import { KalshiHttpError, kalshiErrorHandler } from './errors.ts';
import { registerMarketRoutes } from './market-routes.ts';
import { registerPortfolioRoutes, type Guard } from './portfolio-routes.ts';

export const KALSHI_REST_PREFIX = '/trade-api/v2';

export interface KalshiRestOptions {
  runtime: SimulatorRuntime;
  /** The host's real time, for clients that sign with it (default Date.now). */
  wallNow?: () => number;
  /** Injected faults the routes themselves apply: read-after-write lag, paused trading. */
  faults?: FaultController;
}

const kalshiRest: FastifyPluginAsync<KalshiRestOptions> = async (app, options) => {
  const { runtime } = options;
  app.setErrorHandler(kalshiErrorHandler);
  app.setNotFoundHandler((request, reply) => {
    const path = request.url.split('?')[0];
    void reply
      .status(404)
      .send(new KalshiHttpError(404, 'not_found', `no route ${request.method} ${path}`).toBody());
  });
  // DELETE and POST without a body but with a JSON content type are fine at Kalshi.
  app.removeContentTypeParser('application/json');
  app.addContentTypeParser('application/json', { parseAs: 'string' }, (_request, body, done) => {
    const text = typeof body === 'string' ? body : body.toString('utf8');
    if (text.trim() === '') return done(null, undefined);
    try {
      done(null, JSON.parse(text));
    } catch {
      done(new KalshiHttpError(400, 'invalid_parameters', 'the body is not valid JSON'), undefined);
    }
  });

  const limits = new KeyRateLimits(runtime.clock);
  const guard: Guard = (request, kind) => {
    const key = authenticate(request, {
      runtime,
      maxSkewMs: runtime.config.signatureMaxSkewSeconds * 1000,
      ...(options.wallNow ? { wallNow: options.wallNow } : {}),
    });
    limits.take(key, kind);
    return key;
  };

  const faults = options.faults;
  registerMarketRoutes(app, runtime, {
    tradingActive: () => !(faults?.paused ?? false) && !runtime.tradingHalted && !runtime.catchingUp,
  });
  registerPortfolioRoutes(app, runtime, guard, {
    // Read-after-write lag: a fresh order (and its fills) is missing from reads for a while.
    visible: (createdTime, orderId) =>
      faults === undefined || faults.isVisible(createdTime, runtime.clock.now(), orderId),
  });
};

/** Mounts the Kalshi REST API on a service's Fastify instance. */
export async function registerKalshiRest(app: FastifyInstance, options: KalshiRestOptions): Promise<void> {
  await app.register(kalshiRest, { ...options, prefix: KALSHI_REST_PREFIX });
}
