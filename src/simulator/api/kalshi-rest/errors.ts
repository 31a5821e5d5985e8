/**
 * Kalshi's error body — `{"error": {"code", "message", "details"}}` with a real status — for
 * every answer under /trade-api/v2 (the rest of the service speaks problem+json).
 * Seen at Kalshi: authentication_error (401), rate_limit_exceeded (429), market_closed and
 * fill_or_kill_insufficient_resting_volume (409), insufficient_balance, invalid_price (400).
 */
import type { FastifyError, FastifyReply, FastifyRequest } from 'fastify';
import type { EngineError } from '../../engine/types.ts';
import { RuntimeError } from '../../runtime/runtime.ts';

export interface KalshiErrorBody {
  error: { code: string; message: string; details: string };
}

export class KalshiHttpError extends Error {
  override name = 'KalshiHttpError';
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
    readonly details = '',
  ) {
    super(message);
  }

  toBody(): KalshiErrorBody {
    return { error: { code: this.code, message: this.message, details: this.details } };
  }
}

export const invalidParameters = (message: string, details = '') =>
  new KalshiHttpError(400, 'invalid_parameters', message, details);
export const notFound = (message: string) => new KalshiHttpError(404, 'not_found', message);
export const unauthorized = (message: string, details: string) =>
  new KalshiHttpError(401, 'authentication_error', message, details);

/** An engine rejection as Kalshi answers it (status and code come from the engine). */
export function fromEngineError(error: EngineError): KalshiHttpError {
  return new KalshiHttpError(error.httpStatus, error.code, error.message);
}

const RUNTIME_STATUS: Record<RuntimeError['code'], [number, string]> = {
  invalid: [400, 'invalid_parameters'],
  not_found: [404, 'not_found'],
  conflict: [409, 'conflict'],
  unavailable: [503, 'service_unavailable'],
};

/** Error handler of the Kalshi routes: everything, including Fastify's own 4xx, in Kalshi's shape. */
export function kalshiErrorHandler(
  error: FastifyError | KalshiHttpError | Error,
  request: FastifyRequest,
  reply: FastifyReply,
): void {
  const kalshi = toKalshiError(error);
  if (kalshi.status >= 500) request.log.error({ err: error, url: request.url }, 'Kalshi API request failed');
  void reply.status(kalshi.status).send(kalshi.toBody());
}

function toKalshiError(error: FastifyError | KalshiHttpError | Error): KalshiHttpError {
  if (error instanceof KalshiHttpError) return error;
  if (error instanceof RuntimeError) {
    const [status, code] = RUNTIME_STATUS[error.code];
    return new KalshiHttpError(status, code, error.message);
  }
  const status = (error as FastifyError).statusCode;
  if (typeof status === 'number' && status >= 400 && status < 500) {
    // Fastify's own rejections (bad JSON, body too large, wrong content type) explain themselves.
    return new KalshiHttpError(
      status,
      status === 413 ? 'payload_too_large' : 'invalid_parameters',
      error.message,
    );
  }
  if (status === 503) return new KalshiHttpError(503, 'service_unavailable', error.message);
  return new KalshiHttpError(500, 'internal_server_error', 'internal server error');
}
