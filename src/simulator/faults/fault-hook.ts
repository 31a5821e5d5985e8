/**
 * Fastify hooks that apply a FaultController to REST requests under some path prefixes:
 * - onRequest (`faultHook`): added latency; a share answered 429 / 5xx before the route runs;
 *   trading requests refused while the exchange is paused;
 * - onSend (`faultAfterHook`): for the share chosen to "fail after", the route has run (the
 *   order exists) and its answer is replaced by a 5xx — the unknown-outcome write.
 * Error bodies look like the real service's: Kalshi's `{"error": {code, message, details}}`
 * under /trade-api/, Coinbase's `{"message"}` elsewhere.
 *
 * Register with `registerFaultHooks(app, controller, options)` before the routes it covers.
 */
import type {
  FastifyInstance,
  FastifyReply,
  FastifyRequest,
  onRequestHookHandler,
  onSendHookHandler,
} from 'fastify';
import type { Clock } from '../../core/clock/clock.ts';
import type { FaultController } from './fault-controller.ts';

export interface FaultHookOptions {
  /** Path prefixes the hooks cover, e.g. ['/trade-api/v2/', '/coinbase/']. */
  prefixes: readonly string[];
  /** Latency sleeps on this clock. */
  clock: Pick<Clock, 'sleep'>;
  /** Which requests are trading (refused while paused). Default: see isKalshiTradingRequest. */
  isTrading?: (method: string, path: string) => boolean;
  /** Body of an injected error; default: see faultErrorBody. */
  errorBody?: (status: number, path: string) => unknown;
}

/**
 * Kalshi's answer to a trading request while the exchange is paused. Kalshi documents 503
 * "Service temporarily unavailable" on the order endpoints; the code name is ours (uncertain).
 */
export const KALSHI_PAUSED_STATUS = 503;
export const KALSHI_PAUSED_BODY = {
  error: {
    code: 'trading_paused',
    message: 'trading is paused on the exchange',
    details: 'exchange paused (simulator fault injection)',
  },
} as const;

const KALSHI_ERROR_CODES: Record<number, string> = {
  429: 'rate_limit_exceeded',
  500: 'internal_server_error',
  502: 'bad_gateway',
  503: 'service_unavailable',
  504: 'gateway_timeout',
};

/** Order entry and order groups: POST/PUT/PATCH/DELETE under /trade-api/v2/portfolio/. */
export function isKalshiTradingRequest(method: string, path: string): boolean {
  if (method === 'GET' || method === 'HEAD' || method === 'OPTIONS') return false;
  return path.startsWith('/trade-api/v2/portfolio/') && /\/(orders|order_groups)(\/|$)/.test(path);
}

export function faultErrorBody(status: number, path: string): unknown {
  if (path.startsWith('/trade-api/')) {
    return {
      error: {
        code: KALSHI_ERROR_CODES[status] ?? 'internal_server_error',
        message: status === 429 ? 'too many requests' : 'internal error',
        details: 'simulator fault injection',
      },
    };
  }
  return { message: status === 429 ? 'Public rate limit exceeded' : 'Internal server error' };
}

const failAfter = new WeakMap<FastifyRequest, number>();

function pathOf(request: FastifyRequest): string {
  const url = request.url;
  const q = url.indexOf('?');
  return q === -1 ? url : url.slice(0, q);
}

function covered(prefixes: readonly string[], path: string): boolean {
  return prefixes.some((prefix) => path.startsWith(prefix));
}

/** onRequest: latency, 429 / 5xx before the route, pause. */
export function faultHook(controller: FaultController, options: FaultHookOptions): onRequestHookHandler {
  const isTrading = options.isTrading ?? isKalshiTradingRequest;
  const errorBody = options.errorBody ?? faultErrorBody;
  return async function faultOnRequest(request: FastifyRequest, reply: FastifyReply) {
    const path = pathOf(request);
    if (!covered(options.prefixes, path)) return;
    const delay = controller.restDelayMs();
    if (delay > 0) await options.clock.sleep(delay);
    if (controller.paused && isTrading(request.method, path)) {
      return reply.code(KALSHI_PAUSED_STATUS).send(KALSHI_PAUSED_BODY);
    }
    const fault = controller.httpFault(path);
    if (fault?.kind === 'reject') return reply.code(fault.status).send(errorBody(fault.status, path));
    if (fault?.kind === 'fail_after') failAfter.set(request, fault.status);
  };
}

/** onSend: replaces the answer of a request chosen to fail after it ran. */
export function faultAfterHook(options: Pick<FaultHookOptions, 'errorBody'> = {}): onSendHookHandler {
  const errorBody = options.errorBody ?? faultErrorBody;
  return async function faultOnSend(request: FastifyRequest, reply: FastifyReply, payload: unknown) {
    const status = failAfter.get(request);
    if (status === undefined) return payload;
    failAfter.delete(request);
    void reply.code(status).header('content-type', 'application/json; charset=utf-8');
    return JSON.stringify(errorBody(status, pathOf(request)));
  };
}

/** Adds both hooks to `app` (call before registering the routes they cover). */
export function registerFaultHooks(
  app: FastifyInstance,
  controller: FaultController,
  options: FaultHookOptions,
): void {
  app.addHook('onRequest', faultHook(controller, options));
  app.addHook('onSend', faultAfterHook(options));
}
