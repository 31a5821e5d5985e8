import { randomUUID } from 'node:crypto';
import type { Clock } from '../clock/clock.ts';
import type { ProblemBody } from './problem.ts';
import { INTERNAL_TOKEN_HEADER } from './server.ts';

/**
 * Service-to-service HTTP: the internal token on every call, a timeout on every call, bounded
 * retries for safe requests only (GET/HEAD), and an idempotency key on every command so the
 * receiver can recognise a repeat. A command is never retried here: after a timeout its outcome
 * is unknown, and only the caller can decide how to resolve it (usually by looking it up).
 */
export interface ServiceClientOptions {
  baseUrl: string;
  internalToken: string;
  clock: Clock;
  timeoutMs?: number;
  /** Retries after the first attempt, for GET/HEAD only. */
  maxRetries?: number;
  retryBaseMs?: number;
  fetch?: typeof fetch;
  random?: () => number;
}

export const IDEMPOTENCY_KEY_HEADER = 'idempotency-key';

export class ServiceCallError extends Error {
  override name = 'ServiceCallError';
  constructor(
    message: string,
    /** HTTP status, or undefined when no response arrived (network error, timeout). */
    readonly status: number | undefined,
    readonly problem?: ProblemBody,
    /** For commands: true when the request may have been applied (no response arrived). */
    readonly outcomeUnknown = false,
  ) {
    super(message);
  }
}

export interface CommandOptions {
  /** Reuse the same key when re-sending the same command; one is generated otherwise. */
  idempotencyKey?: string;
  timeoutMs?: number;
}

const SAFE_METHODS = new Set(['GET', 'HEAD']);

export class ServiceClient {
  private readonly timeoutMs: number;
  private readonly maxRetries: number;
  private readonly retryBaseMs: number;
  private readonly fetchImpl: typeof fetch;
  private readonly random: () => number;

  constructor(private readonly options: ServiceClientOptions) {
    this.timeoutMs = options.timeoutMs ?? 5_000;
    this.maxRetries = options.maxRetries ?? 2;
    this.retryBaseMs = options.retryBaseMs ?? 100;
    this.fetchImpl = options.fetch ?? fetch;
    this.random = options.random ?? Math.random;
  }

  async get<T>(path: string, timeoutMs?: number): Promise<T> {
    return this.request<T>('GET', path, undefined, {}, timeoutMs);
  }

  /** A command (POST/PUT/PATCH/DELETE): sent once, with an idempotency key. */
  async command<T>(
    method: 'POST' | 'PUT' | 'PATCH' | 'DELETE',
    path: string,
    body?: unknown,
    options: CommandOptions = {},
  ): Promise<T> {
    const headers = { [IDEMPOTENCY_KEY_HEADER]: options.idempotencyKey ?? randomUUID() };
    return this.request<T>(method, path, body, headers, options.timeoutMs);
  }

  private async request<T>(
    method: string,
    path: string,
    body: unknown,
    extraHeaders: Record<string, string>,
    timeoutMs = this.timeoutMs,
  ): Promise<T> {
    const safe = SAFE_METHODS.has(method);
    const attempts = safe ? this.maxRetries + 1 : 1;
    let lastError: ServiceCallError | undefined;
    for (let attempt = 0; attempt < attempts; attempt++) {
      if (attempt > 0) await this.options.clock.sleep(this.backoff(attempt));
      try {
        return await this.once<T>(method, path, body, extraHeaders, timeoutMs);
      } catch (error) {
        lastError = error as ServiceCallError;
        const retryable =
          lastError.status === undefined || lastError.status >= 500 || lastError.status === 429;
        if (!safe || !retryable) throw lastError;
      }
    }
    throw lastError!;
  }

  private async once<T>(
    method: string,
    path: string,
    body: unknown,
    extraHeaders: Record<string, string>,
    timeoutMs: number,
  ): Promise<T> {
    const url = new URL(path, this.options.baseUrl);
    const headers: Record<string, string> = {
      [INTERNAL_TOKEN_HEADER]: this.options.internalToken,
      accept: 'application/json',
      ...extraHeaders,
    };
    if (body !== undefined) headers['content-type'] = 'application/json';
    let response: Response;
    try {
      response = await this.fetchImpl(url, {
        method,
        headers,
        body: body === undefined ? undefined : JSON.stringify(body),
        signal: AbortSignal.timeout(timeoutMs),
      });
    } catch (error) {
      const cause =
        (error as Error).name === 'TimeoutError' ? `timed out after ${timeoutMs} ms` : String(error);
      throw new ServiceCallError(
        `${method} ${url.pathname}: ${cause}`,
        undefined,
        undefined,
        !SAFE_METHODS.has(method),
      );
    }
    const text = await response.text();
    const json = text ? safeJson(text) : undefined;
    if (!response.ok) {
      const problem = isProblem(json) ? json : undefined;
      throw new ServiceCallError(
        `${method} ${url.pathname}: ${response.status} ${problem?.detail ?? response.statusText}`,
        response.status,
        problem,
      );
    }
    return json as T;
  }

  /** Full jitter: a random wait up to base · 2^attempt, so retrying callers spread out. */
  private backoff(attempt: number): number {
    return Math.round(this.random() * this.retryBaseMs * 2 ** attempt);
  }
}

function safeJson(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return undefined;
  }
}

function isProblem(value: unknown): value is ProblemBody {
  return typeof value === 'object' && value !== null && 'status' in value && 'title' in value;
}
