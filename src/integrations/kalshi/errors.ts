/** What can go wrong talking to Kalshi's REST API, as types a caller can branch on. */

/** Kalshi answered with an error status; `code` is Kalshi's snake_case code when the body had one. */
export class KalshiApiError extends Error {
  override readonly name = 'KalshiApiError';
  constructor(
    readonly httpStatus: number,
    readonly code: string | undefined,
    message: string,
    readonly details: string | undefined,
    /** `METHOD /path` of the request. */
    readonly request: string,
  ) {
    super(`${request} → ${httpStatus}${code ? ` ${code}` : ''}: ${message}`);
  }

  get isRateLimited(): boolean {
    return this.httpStatus === 429;
  }

  get isNotFound(): boolean {
    return this.httpStatus === 404;
  }
}

/** No HTTP answer at all (connection refused or reset, DNS, timeout) — reads only, after retries. */
export class KalshiNetworkError extends Error {
  override readonly name = 'KalshiNetworkError';
  constructor(
    message: string,
    readonly timedOut: boolean,
    readonly request: string,
    options?: { cause?: unknown },
  ) {
    super(`${request}: ${message}`, options);
  }
}

/** Kalshi answered 2xx but the body is not what the model expects: bad data stops here. */
export class KalshiResponseError extends Error {
  override readonly name = 'KalshiResponseError';
  constructor(
    message: string,
    readonly request: string,
  ) {
    super(`${request}: unexpected response: ${message}`);
  }
}

/** The call cannot be made as asked (invalid order, no credentials for a private endpoint). Nothing was sent. */
export class KalshiRequestError extends Error {
  override readonly name = 'KalshiRequestError';
}

/**
 * The result of a write (create/cancel order). Writes are never retried blindly, so a caller
 * must handle all three:
 * - `ok`: Kalshi accepted it; `value` is the validated response.
 * - `rejected`: Kalshi definitely refused it (4xx: 409 FOK not fillable, market closed,
 *   insufficient balance, 429 rate limited, 404 …): nothing happened.
 * - `unknown`: it may or may not have happened (timeout, connection lost after sending, 5xx,
 *   unreadable 2xx body, caller aborted mid-flight). Resolve it by re-querying the order by its
 *   client_order_id before sending anything else for that market.
 */
export type KalshiWriteOutcome<T> =
  | { outcome: 'ok'; value: T }
  | { outcome: 'rejected'; error: KalshiApiError }
  | {
      outcome: 'unknown';
      reason: 'timeout' | 'network' | 'server_error' | 'invalid_response' | 'aborted';
      message: string;
      httpStatus?: number;
    };
