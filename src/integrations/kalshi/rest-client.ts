/**
 * The Kalshi REST client: the official SDK (kalshi-typescript) for endpoints and request
 * building, with our own plumbing around it —
 * - a private axios instance (the SDK would otherwise add interceptors to the global one) whose
 *   request interceptor signs every call with our RSA-PSS signer and injected clock;
 * - the shared per-key rate limiter (reads and writes budgeted separately);
 * - jittered exponential backoff on 429 / 5xx / network errors for READS only;
 * - writes (create/cancel order) sent once: a lost answer becomes an explicit `unknown` outcome;
 * - every response validated by the zod models into integer domain types;
 * - Kalshi's error body mapped to KalshiApiError (code, message, HTTP status).
 *
 * For a simulator the base URL is all that changes (src/core/config/endpoints.ts).
 */
import axios, { type AxiosResponse, type RawAxiosRequestConfig } from 'axios';
import { Configuration, EventsApi, ExchangeApi, MarketApi, OrdersApi, PortfolioApi } from 'kalshi-typescript';
import { z } from 'zod';
import type { Clock } from '../../core/clock/clock.ts';
import type { EpochMs } from '../../domain/units.ts';
import { backoffDelay, type BackoffPolicy, type RandomSource } from '../shared/backoff.ts';
import {
  KalshiApiError,
  KalshiNetworkError,
  KalshiRequestError,
  KalshiResponseError,
  type KalshiWriteOutcome,
} from './errors.ts';
import {
  balanceSchema,
  cancelOrderV2ResponseSchema,
  createOrderV2ResponseSchema,
  errorBodySchema,
  exchangeStatusSchema,
  getEventResponseSchema,
  getEventsResponseSchema,
  getFillsResponseSchema,
  getMarketResponseSchema,
  getMarketsResponseSchema,
  getOrderResponseSchema,
  getOrdersResponseSchema,
  getPositionsResponseSchema,
  getSettlementsResponseSchema,
  orderbookResponseSchema,
  toCreateOrderV2Body,
  WireFieldError,
} from './models.ts';
import { sharedKalshiRateLimiters, type KalshiRateLimiter, type KalshiTier } from './rate-limiter.ts';
import type { KalshiSigner } from './signer.ts';
import type {
  CreateOrderInput,
  EventListStatus,
  KalshiBalance,
  KalshiCancelOrderResult,
  KalshiCreateOrderResult,
  KalshiEvent,
  KalshiExchangeStatus,
  KalshiFill,
  KalshiMarket,
  KalshiOrder,
  KalshiOrderbook,
  KalshiPositions,
  KalshiSettlement,
  MarketListStatus,
  OrderStatus,
} from './types.ts';

export interface KalshiRestClientOptions {
  /** REST base including `/trade-api/v2`, e.g. `https://api.elections.kalshi.com/trade-api/v2`. */
  baseUrl: string;
  clock: Clock;
  /** Needed for portfolio endpoints; public market data works without. */
  signer?: KalshiSigner;
  /** Kalshi tier of the key (default 'basic'); sets the shared limiter's budgets. */
  tier?: KalshiTier;
  /** Default: the process-wide limiter of the signer's key (or of the base URL when unsigned). */
  rateLimiter?: KalshiRateLimiter;
  /** Default Math.random; inject for deterministic tests. */
  random?: RandomSource;
  /** Read retries: total attempts (default 5) and backoff (default 250 ms doubling to 5 s). */
  retry?: { maxAttempts?: number } & Partial<BackoffPolicy>;
  /** Per-request timeout, ms (default 10 000). */
  timeoutMs?: number;
  /** Called before each read retry (logs, metrics). */
  onRetry?: (info: KalshiRetryInfo) => void;
}

export interface KalshiRetryInfo {
  request: string;
  /** 1 for the first retry. */
  retry: number;
  delayMs: number;
  reason: string;
}

export interface CallOptions {
  signal?: AbortSignal;
}

export interface PageOptions extends CallOptions {
  /** Page size asked of Kalshi. */
  limit?: number;
  /** Safety stop for cursor loops (default 100 pages). */
  maxPages?: number;
}

export interface GetEventsParams extends PageOptions {
  seriesTicker?: string;
  status?: EventListStatus;
  /** Default true: markets come nested in each event. */
  withNestedMarkets?: boolean;
  /** Only events with a market closing at or after this time. */
  minCloseTime?: EpochMs;
}

export interface GetMarketsParams extends PageOptions {
  eventTicker?: string;
  seriesTicker?: string;
  status?: MarketListStatus;
  tickers?: string[];
}

export interface GetOrdersParams extends PageOptions {
  ticker?: string;
  eventTicker?: string;
  status?: Exclude<OrderStatus, 'pending'>;
  minTime?: EpochMs;
  maxTime?: EpochMs;
}

export interface GetFillsParams extends PageOptions {
  ticker?: string;
  orderId?: string;
  minTime?: EpochMs;
  maxTime?: EpochMs;
}

export interface GetPositionsParams extends PageOptions {
  ticker?: string;
  eventTicker?: string;
  /** Kalshi's count_filter, e.g. "position" to skip closed markets. */
  countFilter?: string;
}

export interface GetSettlementsParams extends PageOptions {
  ticker?: string;
  eventTicker?: string;
  minTime?: EpochMs;
  maxTime?: EpochMs;
}

const DEFAULT_RETRY = { maxAttempts: 5, baseMs: 250, maxMs: 5_000 };

/** The axios instance type as the (CommonJS) SDK declares it. */
type SdkAxios = ConstructorParameters<typeof EventsApi>[2];

type Call = (options: RawAxiosRequestConfig) => Promise<AxiosResponse<unknown>>;

type Failure =
  | { kind: 'http'; status: number; data: unknown; retryAfterMs: number | undefined }
  | { kind: 'timeout'; message: string }
  | { kind: 'network'; message: string; code: string | undefined }
  | { kind: 'aborted'; reason: unknown };

export class KalshiRestClient {
  readonly baseUrl: string;
  readonly #clock: Clock;
  readonly #signer: KalshiSigner | undefined;
  readonly #limiter: KalshiRateLimiter;
  readonly #random: RandomSource;
  readonly #retry: { maxAttempts: number } & BackoffPolicy;
  readonly #timeoutMs: number;
  readonly #onRetry: ((info: KalshiRetryInfo) => void) | undefined;
  readonly #events: EventsApi;
  readonly #markets: MarketApi;
  readonly #exchange: ExchangeApi;
  readonly #orders: OrdersApi;
  readonly #portfolio: PortfolioApi;

  constructor(options: KalshiRestClientOptions) {
    this.baseUrl = options.baseUrl.replace(/\/+$/, '');
    if (!/^https?:\/\/[^/]+\/.+/.test(this.baseUrl)) {
      throw new KalshiRequestError(
        `baseUrl must be http(s)://host/…/trade-api/v2, got ${JSON.stringify(options.baseUrl)}`,
      );
    }
    this.#clock = options.clock;
    this.#signer = options.signer;
    this.#random = options.random ?? Math.random;
    this.#retry = { ...DEFAULT_RETRY, ...options.retry };
    this.#timeoutMs = options.timeoutMs ?? 10_000;
    this.#onRetry = options.onRetry;
    this.#limiter =
      options.rateLimiter ??
      sharedKalshiRateLimiters.forKey(options.signer?.keyId ?? `public:${this.baseUrl}`, {
        tier: options.tier ?? 'basic',
        clock: options.clock,
      });

    const http = axios.create();
    // Sign on the final URL, so the signed path is exactly the one sent (query excluded by the signer).
    http.interceptors.request.use((config) => {
      if (this.#signer !== undefined && config.url !== undefined) {
        const headers = this.#signer.headers(config.method ?? 'GET', new URL(config.url, this.baseUrl).href);
        for (const [name, value] of Object.entries(headers)) config.headers.set(name, value);
      }
      return config;
    });
    // No credentials in the SDK's Configuration: its own signing stays off, ours applies.
    // (The cast bridges axios's ESM and CJS type declarations of the same class; the SDK is CJS.)
    const configuration = new Configuration({ basePath: this.baseUrl });
    const sdkHttp = http as unknown as SdkAxios;
    this.#events = new EventsApi(configuration, this.baseUrl, sdkHttp);
    this.#markets = new MarketApi(configuration, this.baseUrl, sdkHttp);
    this.#exchange = new ExchangeApi(configuration, this.baseUrl, sdkHttp);
    this.#orders = new OrdersApi(configuration, this.baseUrl, sdkHttp);
    this.#portfolio = new PortfolioApi(configuration, this.baseUrl, sdkHttp);
  }

  // ——— Market data (public) ———

  /** GET /events, every page: e.g. `{seriesTicker: 'KXBTCD', status: 'open'}` → current and next hour. */
  async getEvents(params: GetEventsParams = {}): Promise<KalshiEvent[]> {
    const { seriesTicker, status, withNestedMarkets = true, minCloseTime, limit = 200 } = params;
    const pages = await this.#allPages(params, 'GET /events', (cursor, o) =>
      this.#read(
        'GET /events',
        (c) =>
          this.#events.getEvents(
            limit,
            cursor,
            withNestedMarkets,
            undefined,
            status,
            seriesTicker,
            undefined,
            toSeconds(minCloseTime),
            undefined,
            c,
          ),
        getEventsResponseSchema,
        o,
      ),
    );
    return pages.flatMap((page) => page.events);
  }

  /** GET /events/{ticker} with its markets. */
  async getEvent(
    eventTicker: string,
    options: CallOptions & { withNestedMarkets?: boolean } = {},
  ): Promise<KalshiEvent> {
    return this.#read(
      `GET /events/${eventTicker}`,
      (c) => this.#events.getEvent(eventTicker, options.withNestedMarkets ?? true, c),
      getEventResponseSchema,
      options,
    );
  }

  /** GET /markets, every page. */
  async getMarkets(params: GetMarketsParams = {}): Promise<KalshiMarket[]> {
    const { eventTicker, seriesTicker, status, tickers, limit = 1000 } = params;
    const pages = await this.#allPages(params, 'GET /markets', (cursor, o) =>
      this.#read(
        'GET /markets',
        (c) =>
          this.#markets.getMarkets(
            limit,
            cursor,
            eventTicker,
            seriesTicker,
            undefined,
            undefined,
            undefined,
            undefined,
            undefined,
            undefined,
            undefined,
            status,
            tickers?.join(','),
            undefined,
            c,
          ),
        getMarketsResponseSchema,
        o,
      ),
    );
    return pages.flatMap((page) => page.markets);
  }

  async getMarket(ticker: string, options: CallOptions = {}): Promise<KalshiMarket> {
    return this.#read(
      `GET /markets/${ticker}`,
      (c) => this.#markets.getMarket(ticker, c),
      getMarketResponseSchema,
      options,
    );
  }

  /** GET /markets/{ticker}/orderbook: bids of both legs, best first. */
  async getOrderbook(
    ticker: string,
    options: CallOptions & { depth?: number } = {},
  ): Promise<KalshiOrderbook> {
    return this.#read(
      `GET /markets/${ticker}/orderbook`,
      (c) => this.#markets.getMarketOrderbook(ticker, options.depth, c),
      orderbookResponseSchema(ticker),
      options,
    );
  }

  async getExchangeStatus(options: CallOptions = {}): Promise<KalshiExchangeStatus> {
    return this.#read(
      'GET /exchange/status',
      (c) => this.#exchange.getExchangeStatus(c),
      exchangeStatusSchema,
      options,
    );
  }

  // ——— Orders (V2) ———

  /**
   * POST /portfolio/events/orders, sent exactly once. Invalid input throws KalshiRequestError
   * before anything is sent; every other case is an outcome (see KalshiWriteOutcome).
   */
  async createOrder(
    input: CreateOrderInput,
    options: CallOptions = {},
  ): Promise<KalshiWriteOutcome<KalshiCreateOrderResult>> {
    this.#requireSigner('createOrder');
    let body;
    try {
      body = toCreateOrderV2Body(input);
    } catch (error) {
      if (error instanceof WireFieldError) throw new KalshiRequestError(error.message);
      throw error;
    }
    return this.#write(
      'POST /portfolio/events/orders',
      (c) => this.#orders.createOrderV2(body, c),
      createOrderV2ResponseSchema,
      options,
    );
  }

  /** DELETE /portfolio/events/orders/{id}, sent exactly once. `marketTicker` lets Kalshi route it. */
  async cancelOrder(
    orderId: string,
    options: CallOptions & { marketTicker?: string } = {},
  ): Promise<KalshiWriteOutcome<KalshiCancelOrderResult>> {
    this.#requireSigner('cancelOrder');
    if (orderId.length === 0) throw new KalshiRequestError('cancelOrder: orderId is empty');
    return this.#write(
      `DELETE /portfolio/events/orders/${orderId}`,
      (c) => this.#orders.cancelOrderV2(orderId, undefined, undefined, options.marketTicker, c),
      cancelOrderV2ResponseSchema,
      options,
    );
  }

  // ——— Portfolio reads ———

  /** GET /portfolio/orders, every page, newest first. */
  async getOrders(params: GetOrdersParams = {}): Promise<KalshiOrder[]> {
    this.#requireSigner('getOrders');
    const orders: KalshiOrder[] = [];
    for await (const page of this.#orderPages(params)) orders.push(...page);
    return orders;
  }

  /** GET /portfolio/orders/{id}; undefined when Kalshi says 404 (which may be read-after-write lag). */
  async getOrder(orderId: string, options: CallOptions = {}): Promise<KalshiOrder | undefined> {
    this.#requireSigner('getOrder');
    try {
      return await this.#read(
        `GET /portfolio/orders/${orderId}`,
        (c) => this.#orders.getOrder(orderId, c),
        getOrderResponseSchema,
        options,
      );
    } catch (error) {
      if (error instanceof KalshiApiError && error.isNotFound) return undefined;
      throw error;
    }
  }

  /**
   * The order with this client_order_id, searched page by page through GET /portfolio/orders
   * (Kalshi has no lookup by client id; narrow with `ticker` and `minTime`). Undefined when not
   * found — right after a write that can be read-after-write lag, so call again before concluding.
   */
  async getOrderByClientId(
    clientOrderId: string,
    params: GetOrdersParams = {},
  ): Promise<KalshiOrder | undefined> {
    this.#requireSigner('getOrderByClientId');
    for await (const page of this.#orderPages(params)) {
      const match = page.find((order) => order.clientOrderId === clientOrderId);
      if (match !== undefined) return match;
    }
    return undefined;
  }

  /** GET /portfolio/fills, every page, newest first. */
  async getFills(params: GetFillsParams = {}): Promise<KalshiFill[]> {
    this.#requireSigner('getFills');
    const { ticker, orderId, minTime, maxTime, limit = 200 } = params;
    const pages = await this.#allPages(params, 'GET /portfolio/fills', (cursor, o) =>
      this.#read(
        'GET /portfolio/fills',
        (c) =>
          this.#portfolio.getFills(
            ticker,
            orderId,
            toSeconds(minTime),
            toSeconds(maxTime),
            limit,
            cursor,
            undefined,
            undefined,
            c,
          ),
        getFillsResponseSchema,
        o,
      ),
    );
    return pages.flatMap((page) => page.fills);
  }

  /** GET /portfolio/positions, every page. */
  async getPositions(params: GetPositionsParams = {}): Promise<KalshiPositions> {
    this.#requireSigner('getPositions');
    const { ticker, eventTicker, countFilter, limit = 200 } = params;
    const pages = await this.#allPages(params, 'GET /portfolio/positions', (cursor, o) =>
      this.#read(
        'GET /portfolio/positions',
        (c) =>
          this.#portfolio.getPositions(
            cursor,
            limit,
            countFilter,
            ticker,
            eventTicker,
            undefined,
            undefined,
            c,
          ),
        getPositionsResponseSchema,
        o,
      ),
    );
    return {
      marketPositions: pages.flatMap((page) => page.marketPositions),
      eventPositions: pages.flatMap((page) => page.eventPositions),
    };
  }

  async getBalance(options: CallOptions = {}): Promise<KalshiBalance> {
    this.#requireSigner('getBalance');
    return this.#read(
      'GET /portfolio/balance',
      (c) => this.#portfolio.getBalance(undefined, undefined, c),
      balanceSchema,
      options,
    );
  }

  /** GET /portfolio/settlements, every page, newest first. */
  async getSettlements(params: GetSettlementsParams = {}): Promise<KalshiSettlement[]> {
    this.#requireSigner('getSettlements');
    const { ticker, eventTicker, minTime, maxTime, limit = 200 } = params;
    const pages = await this.#allPages(params, 'GET /portfolio/settlements', (cursor, o) =>
      this.#read(
        'GET /portfolio/settlements',
        (c) =>
          this.#portfolio.getSettlements(
            limit,
            cursor,
            ticker,
            eventTicker,
            toSeconds(minTime),
            toSeconds(maxTime),
            undefined,
            c,
          ),
        getSettlementsResponseSchema,
        o,
      ),
    );
    return pages.flatMap((page) => page.settlements);
  }

  // ——— Plumbing ———

  async *#orderPages(params: GetOrdersParams): AsyncGenerator<KalshiOrder[]> {
    const { ticker, eventTicker, status, minTime, maxTime, limit = 200, maxPages = 100 } = params;
    let cursor: string | undefined;
    const seen = new Set<string>();
    for (let page = 0; page < maxPages; page++) {
      const result = await this.#read(
        'GET /portfolio/orders',
        (c) =>
          this.#orders.getOrders(
            ticker,
            eventTicker,
            toSeconds(minTime),
            toSeconds(maxTime),
            status,
            limit,
            cursor,
            undefined,
            undefined,
            c,
          ),
        getOrdersResponseSchema,
        params,
      );
      yield result.orders;
      cursor = nextCursor(result.cursor, seen, 'GET /portfolio/orders');
      if (cursor === undefined) return;
    }
    throw new KalshiResponseError(`more than ${maxPages} pages`, 'GET /portfolio/orders');
  }

  /** Follows `cursor` until Kalshi returns an empty one. */
  async #allPages<P extends { cursor: string | undefined }>(
    params: PageOptions,
    request: string,
    fetchPage: (cursor: string | undefined, options: CallOptions) => Promise<P>,
  ): Promise<P[]> {
    const { maxPages = 100 } = params;
    const pages: P[] = [];
    const seen = new Set<string>();
    let cursor: string | undefined;
    do {
      if (pages.length >= maxPages) throw new KalshiResponseError(`more than ${maxPages} pages`, request);
      const page = await fetchPage(cursor, params);
      pages.push(page);
      cursor = nextCursor(page.cursor, seen, request);
    } while (cursor !== undefined);
    return pages;
  }

  /** A read: rate-limited, retried with jittered backoff on 429, 5xx and network errors. */
  async #read<T>(request: string, call: Call, schema: z.ZodType<T>, options: CallOptions): Promise<T> {
    const { signal } = options;
    for (let attempt = 1; ; attempt++) {
      await this.#limiter.acquire('read', signal);
      let response: AxiosResponse<unknown>;
      try {
        response = await call(this.#requestConfig(signal));
      } catch (error) {
        const failure = classify(error);
        if (failure.kind === 'aborted') throw failure.reason;
        const retryable = failure.kind !== 'http' || failure.status === 429 || failure.status >= 500;
        if (!retryable || attempt >= this.#retry.maxAttempts) throw toReadError(failure, request);
        const backoff = backoffDelay(attempt - 1, this.#retry, this.#random);
        const delayMs =
          failure.kind === 'http' && failure.retryAfterMs !== undefined
            ? Math.max(backoff, failure.retryAfterMs)
            : backoff;
        this.#onRetry?.({ request, retry: attempt, delayMs, reason: describeFailure(failure) });
        await this.#clock.sleep(delayMs, signal);
        continue;
      }
      return validate(schema, response.data, request);
    }
  }

  /** A write: rate-limited, sent once; every failure after sending is an outcome, not a retry. */
  async #write<T>(
    request: string,
    call: Call,
    schema: z.ZodType<T>,
    options: CallOptions,
  ): Promise<KalshiWriteOutcome<T>> {
    const { signal } = options;
    await this.#limiter.acquire('write', signal); // an abort here throws: nothing was sent
    let response: AxiosResponse<unknown>;
    try {
      response = await call(this.#requestConfig(signal));
    } catch (error) {
      const failure = classify(error);
      switch (failure.kind) {
        case 'http':
          if (failure.status >= 500) {
            return {
              outcome: 'unknown',
              reason: 'server_error',
              httpStatus: failure.status,
              message: `${request} → ${failure.status}`,
            };
          }
          return { outcome: 'rejected', error: toApiError(failure.status, failure.data, request) };
        case 'timeout':
          return { outcome: 'unknown', reason: 'timeout', message: `${request}: ${failure.message}` };
        case 'network':
          return { outcome: 'unknown', reason: 'network', message: `${request}: ${failure.message}` };
        case 'aborted':
          return {
            outcome: 'unknown',
            reason: 'aborted',
            message: `${request}: aborted by the caller after sending`,
          };
      }
    }
    try {
      return { outcome: 'ok', value: validate(schema, response.data, request) };
    } catch (error) {
      return {
        outcome: 'unknown',
        reason: 'invalid_response',
        httpStatus: response.status,
        message: (error as Error).message,
      };
    }
  }

  #requestConfig(signal: AbortSignal | undefined): RawAxiosRequestConfig {
    return { timeout: this.#timeoutMs, signal, responseType: 'json' };
  }

  #requireSigner(method: string): void {
    if (this.#signer === undefined)
      throw new KalshiRequestError(`${method} needs credentials: construct the client with a signer`);
  }
}

function toSeconds(ms: EpochMs | undefined): number | undefined {
  return ms === undefined ? undefined : Math.floor(ms / 1000);
}

function nextCursor(cursor: string | undefined, seen: Set<string>, request: string): string | undefined {
  if (cursor === undefined) return undefined;
  if (seen.has(cursor)) throw new KalshiResponseError(`cursor ${JSON.stringify(cursor)} repeated`, request);
  seen.add(cursor);
  return cursor;
}

function validate<T>(schema: z.ZodType<T>, data: unknown, request: string): T {
  const parsed = schema.safeParse(data);
  if (!parsed.success) throw new KalshiResponseError(z.prettifyError(parsed.error), request);
  return parsed.data;
}

function classify(error: unknown): Failure {
  if (axios.isCancel(error) || (error instanceof Error && error.name === 'AbortError')) {
    return { kind: 'aborted', reason: error };
  }
  if (axios.isAxiosError(error)) {
    if (error.response !== undefined) {
      return {
        kind: 'http',
        status: error.response.status,
        data: error.response.data,
        retryAfterMs: retryAfterMs(error.response.headers['retry-after']),
      };
    }
    if (error.code === 'ECONNABORTED' || error.code === 'ETIMEDOUT')
      return { kind: 'timeout', message: error.message };
    return { kind: 'network', message: error.message, code: error.code };
  }
  throw error; // a bug, not a transport failure
}

function retryAfterMs(header: unknown): number | undefined {
  if (typeof header !== 'string' || !/^\d+$/.test(header.trim())) return undefined;
  return Number(header.trim()) * 1000;
}

function toApiError(status: number, data: unknown, request: string): KalshiApiError {
  const body = errorBodySchema.safeParse(data);
  const fields = body.success ? body.data : { code: undefined, message: undefined, details: undefined };
  const fallback = typeof data === 'string' && data.length > 0 ? data.slice(0, 200) : `HTTP ${status}`;
  return new KalshiApiError(status, fields.code, fields.message ?? fallback, fields.details, request);
}

function toReadError(failure: Exclude<Failure, { kind: 'aborted' }>, request: string): Error {
  switch (failure.kind) {
    case 'http':
      return toApiError(failure.status, failure.data, request);
    case 'timeout':
      return new KalshiNetworkError(failure.message, true, request);
    case 'network':
      return new KalshiNetworkError(failure.message, false, request);
  }
}

function describeFailure(failure: Exclude<Failure, { kind: 'aborted' }>): string {
  switch (failure.kind) {
    case 'http':
      return `HTTP ${failure.status}`;
    case 'timeout':
      return 'timeout';
    case 'network':
      return failure.code ?? 'network error';
  }
}
