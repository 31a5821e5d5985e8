/**
 * The Kalshi WebSocket client (`/trade-api/ws/v2`, package `ws`):
 * - signed handshake (the REST headers over `GET /trade-api/ws/v2`) when given a signer;
 * - commands with ids; subscribe / unsubscribe / update_subscription / list_subscriptions return
 *   promises settled by the server's replies (errors → KalshiWsCommandError with Kalshi's code);
 * - subscriptions are desired state: one channel each, re-established after every reconnect;
 * - local order books from orderbook_snapshot + orderbook_delta; `seq` checked per subscription:
 *   duplicates are dropped, a gap (or a delta the book cannot take) discards the subscription's
 *   books and resubscribes for a fresh snapshot;
 * - reconnect with jittered backoff; heartbeat timeout (no message and no ping for N ms →
 *   reconnect); pings answered by `ws` itself (autoPong);
 * - everything out through typed events.
 * All timers run on the injected Clock.
 */
import { EventEmitter } from 'node:events';
import WebSocket from 'ws';
import type { Clock, TimerHandle } from '../../core/clock/clock.ts';
import { Backoff, type BackoffPolicy, type RandomSource } from '../shared/backoff.ts';
import { KalshiWsParseError, parseKalshiWsMessage } from './models.ts';
import { OrderBook, OrderBookError } from './order-book.ts';
import type { KalshiSigner } from './signer.ts';
import type {
  KalshiCfBenchmarksValue,
  KalshiEventLifecycle,
  KalshiMarketLifecycle,
  KalshiOrder,
  KalshiOrderbookDelta,
  KalshiOrderGroupUpdate,
  KalshiPublicTrade,
  KalshiSubscriptionInfo,
  KalshiTickerUpdate,
  KalshiWsFill,
  KalshiWsMarketPosition,
  KalshiWsMessage,
} from './types.ts';

export type KalshiChannel =
  | 'orderbook_delta'
  | 'ticker'
  | 'ticker_v2'
  | 'trade'
  | 'fill'
  | 'market_positions'
  | 'user_orders'
  | 'market_lifecycle_v2'
  | 'order_group_updates'
  | 'multivariate'
  | 'communications'
  | 'cfbenchmarks_value';

export interface KalshiWsClientOptions {
  /** e.g. `wss://api.elections.kalshi.com/trade-api/ws/v2` or the simulator's (see src/core/config/endpoints.ts). */
  url: string;
  clock: Clock;
  /** Signs the handshake; needed for private channels (fill, market_positions, user_orders, orderbook_delta). */
  signer?: KalshiSigner;
  /** Default Math.random. */
  random?: RandomSource;
  /** Reconnect backoff; default 500 ms doubling to 30 s. */
  reconnect?: Partial<BackoffPolicy>;
  /** No message and no ping for this long → reconnect. Default 25 s (Kalshi pings every 10 s). */
  heartbeatTimeoutMs?: number;
  /** A command unanswered this long means a broken link → reconnect. Default 10 s. */
  commandTimeoutMs?: number;
  /** WebSocket handshake timeout. Default 10 s. */
  handshakeTimeoutMs?: number;
}

export interface SubscribeParams {
  channel: KalshiChannel;
  /** Omit for "all markets" where the channel allows it. */
  marketTickers?: string[];
  /** Ticker channel: an initial snapshot for the requested markets. */
  sendInitialSnapshot?: boolean;
  /** cfbenchmarks_value: the CF Benchmarks indices wanted ('BRTI', 'ETHUSD_RTI'); omit for all. */
  indexTickers?: string[];
}

/** A live handle on a subscription; `sid` changes on every (re)subscription. */
export interface KalshiSubscription {
  readonly key: number;
  readonly channel: KalshiChannel;
  readonly sid: number | undefined;
  readonly marketTickers: readonly string[] | undefined;
}

export class KalshiWsCommandError extends Error {
  override readonly name = 'KalshiWsCommandError';
  constructor(
    /** Kalshi's error code (1–17), e.g. 6 already subscribed, 8 unknown channel, 9 authentication required. */
    readonly code: number,
    message: string,
    readonly command: string,
  ) {
    super(`${command}: Kalshi WS error ${code}: ${message}`);
  }
}

/** The connection closed (or the client was closed) before the command was answered. */
export class KalshiWsDisconnectedError extends Error {
  override readonly name = 'KalshiWsDisconnectedError';
}

export interface KalshiWsWarning {
  kind:
    | 'parse_error'
    | 'unknown_message'
    | 'book_resync'
    | 'heartbeat_timeout'
    | 'command_timeout'
    | 'socket_error'
    | 'unexpected_reply';
  message: string;
}

export interface KalshiWsStats {
  messages: number;
  parseErrors: number;
  duplicates: number;
  gaps: number;
  resyncs: number;
  reconnects: number;
  /** Messages for a subscription id no longer in use (after a resubscribe). */
  staleMessages: number;
}

export interface KalshiWsEvents {
  open: [];
  close: [{ code: number; reason: string; willReconnect: boolean }];
  reconnecting: [{ attempt: number; delayMs: number }];
  subscribed: [{ subscription: KalshiSubscription; resubscribed: boolean }];
  /** The book of a market changed; `book` is the live object (read it, do not keep mutating it). */
  book: [
    {
      marketTicker: string;
      book: OrderBook;
      cause: 'snapshot' | 'delta';
      delta?: KalshiOrderbookDelta;
      sid: number;
      seq: number;
    },
  ];
  /** A book was discarded (gap, reconnect, unsubscribe); a fresh snapshot follows if still subscribed. */
  bookReset: [{ marketTicker: string; reason: string }];
  seqGap: [{ sid: number; channel: KalshiChannel; expected: number; received: number }];
  ticker: [KalshiTickerUpdate];
  trade: [KalshiPublicTrade];
  fill: [KalshiWsFill];
  marketPosition: [KalshiWsMarketPosition];
  userOrder: [KalshiOrder];
  marketLifecycle: [KalshiMarketLifecycle];
  eventLifecycle: [KalshiEventLifecycle];
  orderGroupUpdate: [KalshiOrderGroupUpdate];
  /** A CF Benchmarks index print (`cfbenchmarks_value`, ~1 Hz). */
  cfbenchmarksValue: [KalshiCfBenchmarksValue];
  warning: [KalshiWsWarning];
}

interface ManagedSubscription {
  key: number;
  channel: KalshiChannel;
  marketTickers: Set<string> | undefined;
  sendInitialSnapshot: boolean;
  indexTickers: string[] | undefined;
  sid: number | undefined;
  lastSeq: number | undefined;
  /** Id of the subscribe command in flight on the current connection. */
  pendingId: number | undefined;
  everSubscribed: boolean;
  handle: KalshiSubscription;
  waiters: Array<{ resolve: (s: KalshiSubscription) => void; reject: (e: Error) => void }>;
}

interface PendingCommand {
  command: string;
  resolve: (message: KalshiWsMessage) => void;
  reject: (error: Error) => void;
  timer: TimerHandle;
}

const DEFAULT_RECONNECT: BackoffPolicy = { baseMs: 500, maxMs: 30_000 };

export class KalshiWsClient extends EventEmitter<KalshiWsEvents> {
  readonly url: string;
  readonly #clock: Clock;
  readonly #signer: KalshiSigner | undefined;
  readonly #backoff: Backoff;
  readonly #heartbeatTimeoutMs: number;
  readonly #commandTimeoutMs: number;
  readonly #handshakeTimeoutMs: number;

  #ws: WebSocket | undefined;
  #closed = false;
  #started = false;
  #nextId = 1;
  #nextKey = 1;
  #lastActivity = 0;
  #heartbeatTimer: TimerHandle | undefined;
  #reconnectTimer: TimerHandle | undefined;
  readonly #pending = new Map<number, PendingCommand>();
  readonly #pendingUnsubscribeBySid = new Map<number, number>();
  readonly #subscriptions = new Map<number, ManagedSubscription>();
  readonly #bySid = new Map<number, ManagedSubscription>();
  readonly #books = new Map<string, { book: OrderBook; owner: number }>();
  readonly #openWaiters: Array<{ resolve: () => void; reject: (e: Error) => void }> = [];
  readonly #stats: KalshiWsStats = {
    messages: 0,
    parseErrors: 0,
    duplicates: 0,
    gaps: 0,
    resyncs: 0,
    reconnects: 0,
    staleMessages: 0,
  };

  constructor(options: KalshiWsClientOptions) {
    super();
    this.url = options.url;
    this.#clock = options.clock;
    this.#signer = options.signer;
    this.#backoff = new Backoff(
      { ...DEFAULT_RECONNECT, ...options.reconnect },
      options.random ?? Math.random,
    );
    this.#heartbeatTimeoutMs = options.heartbeatTimeoutMs ?? 25_000;
    this.#commandTimeoutMs = options.commandTimeoutMs ?? 10_000;
    this.#handshakeTimeoutMs = options.handshakeTimeoutMs ?? 10_000;
  }

  /** Connects (retrying with backoff until it succeeds); resolves once the socket is open. */
  start(): Promise<void> {
    if (this.#closed) return Promise.reject(new KalshiWsDisconnectedError('client is closed'));
    const opened = this.whenOpen();
    if (!this.#started) {
      this.#started = true;
      this.#connect();
    }
    return opened;
  }

  /** Resolves when the socket is (next) open. */
  whenOpen(): Promise<void> {
    if (this.isOpen) return Promise.resolve();
    return new Promise((resolve, reject) => this.#openWaiters.push({ resolve, reject }));
  }

  get isOpen(): boolean {
    return this.#ws?.readyState === WebSocket.OPEN;
  }

  /** Closes for good: no reconnect; pending commands and subscriptions are rejected. */
  async close(): Promise<void> {
    if (this.#closed) return;
    this.#closed = true;
    if (this.#reconnectTimer) this.#clock.clear(this.#reconnectTimer);
    this.#stopHeartbeat();
    const error = new KalshiWsDisconnectedError('client closed');
    for (const waiter of this.#openWaiters.splice(0)) waiter.reject(error);
    for (const sub of this.#subscriptions.values()) for (const w of sub.waiters.splice(0)) w.reject(error);
    this.#subscriptions.clear();
    this.#failPending(error);
    const ws = this.#ws;
    if (ws !== undefined && ws.readyState !== WebSocket.CLOSED) {
      await new Promise<void>((resolve) => {
        // a peer that never answers the close frame must not hold us
        const force = this.#clock.setTimeout(() => ws.terminate(), 1_000);
        ws.once('close', () => {
          this.#clock.clear(force);
          resolve();
        });
        ws.close(1000, 'client closing');
      });
    }
  }

  /**
   * Subscribes one channel. Resolves when Kalshi acknowledges it (if the connection is down, after
   * the reconnect); rejects on Kalshi's error reply (e.g. code 8 unknown channel) or close().
   */
  subscribe(params: SubscribeParams): Promise<KalshiSubscription> {
    if (this.#closed) return Promise.reject(new KalshiWsDisconnectedError('client is closed'));
    const state: Omit<ManagedSubscription, 'handle'> = {
      key: this.#nextKey++,
      channel: params.channel,
      marketTickers: params.marketTickers === undefined ? undefined : new Set(params.marketTickers),
      sendInitialSnapshot: params.sendInitialSnapshot ?? false,
      indexTickers: params.indexTickers === undefined ? undefined : [...params.indexTickers],
      sid: undefined,
      lastSeq: undefined,
      pendingId: undefined,
      everSubscribed: false,
      waiters: [],
    };
    const sub: ManagedSubscription = Object.assign(state, { handle: liveHandle(state) });
    this.#subscriptions.set(sub.key, sub);
    const acknowledged = new Promise<KalshiSubscription>((resolve, reject) =>
      sub.waiters.push({ resolve, reject }),
    );
    if (this.isOpen) this.#sendSubscribe(sub);
    return acknowledged;
  }

  /** Ends a subscription (resolves on Kalshi's `unsubscribed`, or at once while disconnected). */
  async unsubscribe(handle: KalshiSubscription): Promise<void> {
    const sub = this.#subscriptions.get(handle.key);
    if (sub === undefined) return;
    this.#subscriptions.delete(sub.key);
    this.#dropBooksOf(sub, 'unsubscribed');
    for (const w of sub.waiters.splice(0))
      w.reject(new KalshiWsDisconnectedError('unsubscribed before acknowledgement'));
    const sid = sub.sid;
    if (sid === undefined) return;
    this.#bySid.delete(sid);
    if (!this.isOpen) return;
    await this.#command('unsubscribe', { sids: [sid] }, (id) => this.#pendingUnsubscribeBySid.set(sid, id));
  }

  /** Adds or removes markets of a subscription (Kalshi sends snapshots for added order-book markets). */
  async updateSubscription(
    handle: KalshiSubscription,
    action: 'add_markets' | 'delete_markets',
    marketTickers: string[],
  ): Promise<void> {
    const sub = this.#subscriptions.get(handle.key);
    if (sub === undefined) throw new KalshiWsDisconnectedError('unknown subscription');
    sub.marketTickers ??= new Set();
    for (const ticker of marketTickers) {
      if (action === 'add_markets') sub.marketTickers.add(ticker);
      else {
        sub.marketTickers.delete(ticker);
        this.#dropBook(ticker, sub.key, 'market removed from subscription');
      }
    }
    // While disconnected the new set is used at the next subscribe.
    if (!this.isOpen) return;
    if (sub.sid === undefined) {
      // Not sent yet: it will go out with the new set. In flight with the old set: update once acknowledged.
      if (sub.pendingId === undefined) return;
      await new Promise<KalshiSubscription>((resolve, reject) => sub.waiters.push({ resolve, reject }));
      if (sub.sid === undefined || !this.isOpen) return;
    }
    const reply = await this.#command('update_subscription', {
      sids: [sub.sid],
      market_tickers: marketTickers,
      action,
    });
    if (
      reply.type === 'ok' &&
      reply.sid === sub.sid &&
      reply.seq !== undefined &&
      sub.lastSeq !== undefined &&
      reply.seq === sub.lastSeq + 1
    ) {
      sub.lastSeq = reply.seq; // the reply took a place in the subscription's sequence
    }
  }

  /** Kalshi's list of this connection's subscriptions. */
  async listSubscriptions(): Promise<KalshiSubscriptionInfo[]> {
    const reply = await this.#command('list_subscriptions', undefined);
    if (reply.type === 'list_subscriptions') return reply.subscriptions;
    if (reply.type === 'ok') return reply.subscriptions ?? [];
    return [];
  }

  /** The local book of a market (undefined until its snapshot arrived). */
  book(marketTicker: string): OrderBook | undefined {
    return this.#books.get(marketTicker)?.book;
  }

  subscriptions(): KalshiSubscription[] {
    return [...this.#subscriptions.values()].map((sub) => sub.handle);
  }

  stats(): KalshiWsStats {
    return { ...this.#stats };
  }

  // ——— Connection ———

  #connect(): void {
    if (this.#closed) return;
    const path = new URL(this.url).pathname;
    const headers = this.#signer?.headers('GET', path) ?? {};
    const ws = new WebSocket(this.url, { headers, handshakeTimeout: this.#handshakeTimeoutMs });
    this.#ws = ws;
    ws.on('open', () => this.#onOpen(ws));
    ws.on('message', (data, isBinary) => this.#onMessage(ws, data, isBinary));
    ws.on('ping', () => this.#touch(ws));
    ws.on('pong', () => this.#touch(ws));
    ws.on('error', (error) => this.emit('warning', { kind: 'socket_error', message: error.message }));
    ws.on('close', (code, reason) => this.#onClose(ws, code, reason.toString()));
  }

  #onOpen(ws: WebSocket): void {
    if (ws !== this.#ws) return;
    this.#lastActivity = this.#clock.now();
    this.#armHeartbeat();
    this.emit('open');
    for (const waiter of this.#openWaiters.splice(0)) waiter.resolve();
    for (const sub of this.#subscriptions.values()) this.#sendSubscribe(sub);
  }

  #onClose(ws: WebSocket, code: number, reason: string): void {
    if (ws !== this.#ws) return;
    this.#ws = undefined;
    this.#stopHeartbeat();
    this.#failPending(new KalshiWsDisconnectedError(`connection closed (${code})`));
    // Subscription ids belong to the connection; books are rebuilt from fresh snapshots.
    this.#bySid.clear();
    for (const sub of this.#subscriptions.values()) {
      sub.sid = undefined;
      sub.lastSeq = undefined;
      sub.pendingId = undefined;
    }
    for (const ticker of [...this.#books.keys()]) {
      this.#books.delete(ticker);
      this.emit('bookReset', { marketTicker: ticker, reason: 'connection lost' });
    }
    const willReconnect = !this.#closed;
    this.emit('close', { code, reason, willReconnect });
    if (!willReconnect) return;
    const delayMs = this.#backoff.next();
    this.#stats.reconnects += 1;
    this.emit('reconnecting', { attempt: this.#backoff.attempt, delayMs });
    this.#reconnectTimer = this.#clock.setTimeout(() => {
      this.#reconnectTimer = undefined;
      this.#connect();
    }, delayMs);
  }

  #touch(ws: WebSocket): void {
    if (ws === this.#ws) this.#lastActivity = this.#clock.now();
  }

  /** One timer re-armed lazily, not one per message: cheap at thousands of messages per second. */
  #armHeartbeat(delay = this.#heartbeatTimeoutMs): void {
    this.#heartbeatTimer = this.#clock.setTimeout(() => {
      this.#heartbeatTimer = undefined;
      const ws = this.#ws;
      if (ws === undefined) return;
      const idle = this.#clock.now() - this.#lastActivity;
      if (idle >= this.#heartbeatTimeoutMs) {
        this.emit('warning', { kind: 'heartbeat_timeout', message: `no message or ping for ${idle} ms` });
        ws.terminate();
        return;
      }
      this.#armHeartbeat(this.#heartbeatTimeoutMs - idle);
    }, delay);
  }

  #stopHeartbeat(): void {
    if (this.#heartbeatTimer !== undefined) this.#clock.clear(this.#heartbeatTimer);
    this.#heartbeatTimer = undefined;
  }

  // ——— Commands ———

  #send(ws: WebSocket, payload: unknown): void {
    ws.send(JSON.stringify(payload));
  }

  #sendSubscribe(sub: ManagedSubscription): void {
    const ws = this.#ws;
    if (ws === undefined || ws.readyState !== WebSocket.OPEN) return;
    const id = this.#nextId++;
    sub.pendingId = id;
    const params: Record<string, unknown> = { channels: [sub.channel] };
    if (sub.marketTickers !== undefined) params.market_tickers = [...sub.marketTickers];
    if (sub.sendInitialSnapshot) params.send_initial_snapshot = true;
    if (sub.indexTickers !== undefined) params.index_tickers = sub.indexTickers;
    this.#track(
      id,
      'subscribe',
      (reply) => this.#onSubscribeReply(sub, id, reply),
      (error) => this.#onSubscribeFailed(sub, id, error),
    );
    this.#send(ws, { id, cmd: 'subscribe', params });
  }

  #onSubscribeReply(sub: ManagedSubscription, id: number, reply: KalshiWsMessage): void {
    if (reply.type !== 'subscribed') return;
    if (!this.#subscriptions.has(sub.key) || sub.pendingId !== id) {
      // unsubscribed meanwhile: do not leave an orphan subscription on the server
      if (this.#ws)
        this.#send(this.#ws, { id: this.#nextId++, cmd: 'unsubscribe', params: { sids: [reply.sid] } });
      return;
    }
    sub.pendingId = undefined;
    sub.sid = reply.sid;
    sub.lastSeq = undefined;
    this.#bySid.set(reply.sid, sub);
    const resubscribed = sub.everSubscribed;
    sub.everSubscribed = true;
    this.emit('subscribed', { subscription: sub.handle, resubscribed });
    for (const w of sub.waiters.splice(0)) w.resolve(sub.handle);
  }

  #onSubscribeFailed(sub: ManagedSubscription, id: number, error: Error): void {
    if (sub.pendingId !== id) return;
    sub.pendingId = undefined;
    if (error instanceof KalshiWsCommandError) {
      // Kalshi refused it: the subscription cannot exist, tell the caller.
      this.#subscriptions.delete(sub.key);
      for (const w of sub.waiters.splice(0)) w.reject(error);
    }
    // A disconnect keeps it desired: it is sent again after the reconnect.
  }

  #command(
    cmd: string,
    params: Record<string, unknown> | undefined,
    onId?: (id: number) => void,
  ): Promise<KalshiWsMessage> {
    const ws = this.#ws;
    if (ws === undefined || ws.readyState !== WebSocket.OPEN) {
      return Promise.reject(new KalshiWsDisconnectedError(`${cmd}: not connected`));
    }
    const id = this.#nextId++;
    onId?.(id);
    return new Promise((resolve, reject) => {
      this.#track(id, cmd, resolve, reject);
      this.#send(ws, params === undefined ? { id, cmd } : { id, cmd, params });
    });
  }

  #track(
    id: number,
    command: string,
    resolve: (m: KalshiWsMessage) => void,
    reject: (e: Error) => void,
  ): void {
    const timer = this.#clock.setTimeout(() => {
      if (!this.#pending.delete(id)) return;
      reject(new KalshiWsDisconnectedError(`${command}: no reply within ${this.#commandTimeoutMs} ms`));
      this.emit('warning', {
        kind: 'command_timeout',
        message: `${command} #${id} unanswered; reconnecting`,
      });
      this.#ws?.terminate(); // an unanswered command means a broken link
    }, this.#commandTimeoutMs);
    this.#pending.set(id, { command, resolve, reject, timer });
  }

  #settle(id: number | undefined, reply: KalshiWsMessage): boolean {
    if (id === undefined) return false;
    const pending = this.#pending.get(id);
    if (pending === undefined) return false;
    this.#pending.delete(id);
    this.#clock.clear(pending.timer);
    if (reply.type === 'error')
      pending.reject(new KalshiWsCommandError(reply.code, reply.message, pending.command));
    else pending.resolve(reply);
    return true;
  }

  #failPending(error: Error): void {
    for (const [id, pending] of [...this.#pending]) {
      this.#pending.delete(id);
      this.#clock.clear(pending.timer);
      pending.reject(error);
    }
    this.#pendingUnsubscribeBySid.clear();
  }

  // ——— Messages ———

  #onMessage(ws: WebSocket, data: WebSocket.RawData, isBinary: boolean): void {
    if (ws !== this.#ws) return;
    this.#lastActivity = this.#clock.now();
    this.#stats.messages += 1;
    if (this.#backoff.attempt > 0) this.#backoff.reset(); // the server is serving again
    let message: KalshiWsMessage;
    let raw: unknown;
    try {
      if (isBinary) throw new KalshiWsParseError('binary frame', undefined);
      raw = JSON.parse(rawText(data));
      message = parseKalshiWsMessage(raw);
    } catch (error) {
      this.#stats.parseErrors += 1;
      this.emit('warning', { kind: 'parse_error', message: (error as Error).message });
      this.#resyncIfBookStream(raw);
      return;
    }
    this.#dispatch(message);
  }

  #dispatch(message: KalshiWsMessage): void {
    switch (message.type) {
      case 'subscribed':
      case 'ok':
      case 'list_subscriptions':
      case 'error':
        if (this.#settle(message.id, message)) return;
        if (message.type === 'error') {
          this.emit('warning', {
            kind: 'unexpected_reply',
            message: `error ${message.code}: ${message.message}`,
          });
        } else if (message.type === 'subscribed' && this.#ws !== undefined) {
          // nobody asked for it (a command that timed out, say): do not leave it running
          this.#send(this.#ws, { id: this.#nextId++, cmd: 'unsubscribe', params: { sids: [message.sid] } });
        }
        return;
      case 'unsubscribed': {
        const id = message.id ?? this.#pendingUnsubscribeBySid.get(message.sid);
        this.#pendingUnsubscribeBySid.delete(message.sid);
        this.#settle(id, message);
        return;
      }
      case 'unknown':
        this.emit('warning', { kind: 'unknown_message', message: `unknown message type ${message.rawType}` });
        if (message.sid !== undefined) this.#accept(message.sid, message.seq); // keep seq tracking right
        return;
      default:
        break;
    }
    const sub = this.#accept(message.sid, message.seq);
    if (sub === undefined) return;
    switch (message.type) {
      case 'orderbook_snapshot': {
        const book = OrderBook.fromSnapshot(message.snapshot);
        this.#books.set(book.marketTicker, { book, owner: sub.key });
        this.emit('book', {
          marketTicker: book.marketTicker,
          book,
          cause: 'snapshot',
          sid: message.sid,
          seq: message.seq,
        });
        return;
      }
      case 'orderbook_delta': {
        const { delta } = message;
        const entry = this.#books.get(delta.marketTicker);
        if (entry === undefined || entry.owner !== sub.key) {
          this.#resync(sub, `delta for ${delta.marketTicker} before its snapshot`);
          return;
        }
        try {
          entry.book.applyDelta(delta.side, delta.price, delta.delta);
        } catch (error) {
          if (!(error instanceof OrderBookError)) throw error;
          this.#resync(sub, error.message);
          return;
        }
        this.emit('book', {
          marketTicker: delta.marketTicker,
          book: entry.book,
          cause: 'delta',
          delta,
          sid: message.sid,
          seq: message.seq,
        });
        return;
      }
      case 'ticker':
      case 'ticker_v2':
        this.emit('ticker', message.ticker);
        return;
      case 'trade':
        this.emit('trade', message.trade);
        return;
      case 'fill':
        this.emit('fill', message.fill);
        return;
      case 'market_position':
        this.emit('marketPosition', message.position);
        return;
      case 'user_order':
        this.emit('userOrder', message.order);
        return;
      case 'market_lifecycle_v2':
        this.emit('marketLifecycle', message.lifecycle);
        return;
      case 'event_lifecycle':
        this.emit('eventLifecycle', message.lifecycle);
        return;
      case 'order_group_updates':
        this.emit('orderGroupUpdate', message.update);
        return;
      case 'cfbenchmarks_value':
        this.emit('cfbenchmarksValue', message.value);
        return;
    }
  }

  /**
   * Sequence bookkeeping for a data message. Returns the subscription when the message is to be
   * processed; undefined for a stale sid, a duplicate, or a gap on an order-book stream (which
   * starts a resync).
   */
  #accept(sid: number, seq: number | undefined): ManagedSubscription | undefined {
    const sub = this.#bySid.get(sid);
    if (sub === undefined) {
      this.#stats.staleMessages += 1;
      return undefined;
    }
    if (seq === undefined) return sub;
    if (sub.lastSeq !== undefined) {
      if (seq <= sub.lastSeq) {
        this.#stats.duplicates += 1;
        return undefined;
      }
      if (seq !== sub.lastSeq + 1) {
        this.#stats.gaps += 1;
        this.emit('seqGap', { sid, channel: sub.channel, expected: sub.lastSeq + 1, received: seq });
        if (sub.channel === 'orderbook_delta') {
          this.#resync(sub, `seq gap: expected ${sub.lastSeq + 1}, got ${seq}`);
          return undefined;
        }
      }
    }
    sub.lastSeq = seq;
    return sub;
  }

  #resyncIfBookStream(raw: unknown): void {
    if (typeof raw !== 'object' || raw === null) return;
    const sid = (raw as { sid?: unknown }).sid;
    if (typeof sid !== 'number') return;
    const sub = this.#bySid.get(sid);
    if (sub?.channel === 'orderbook_delta') this.#resync(sub, 'unreadable order-book message');
  }

  /** Discards the subscription's books and resubscribes: Kalshi then sends fresh snapshots. */
  #resync(sub: ManagedSubscription, reason: string): void {
    this.#stats.resyncs += 1;
    this.emit('warning', { kind: 'book_resync', message: `sid ${sub.sid}: ${reason}` });
    this.#dropBooksOf(sub, reason);
    const ws = this.#ws;
    const oldSid = sub.sid;
    if (oldSid !== undefined) {
      this.#bySid.delete(oldSid);
      sub.sid = undefined;
      sub.lastSeq = undefined;
      if (ws !== undefined && ws.readyState === WebSocket.OPEN) {
        const id = this.#nextId++;
        this.#pendingUnsubscribeBySid.set(oldSid, id);
        this.#track(
          id,
          'unsubscribe',
          () => undefined,
          () => undefined,
        );
        this.#send(ws, { id, cmd: 'unsubscribe', params: { sids: [oldSid] } });
      }
    }
    if (sub.pendingId === undefined) this.#sendSubscribe(sub);
  }

  #dropBooksOf(sub: ManagedSubscription, reason: string): void {
    for (const [ticker, entry] of [...this.#books])
      if (entry.owner === sub.key) this.#dropBook(ticker, sub.key, reason);
  }

  #dropBook(ticker: string, owner: number, reason: string): void {
    const entry = this.#books.get(ticker);
    if (entry === undefined || entry.owner !== owner) return;
    this.#books.delete(ticker);
    this.emit('bookReset', { marketTicker: ticker, reason });
  }
}

/** A read-only view that follows the subscription through resubscriptions. */
function liveHandle(sub: Omit<ManagedSubscription, 'handle'>): KalshiSubscription {
  return {
    key: sub.key,
    channel: sub.channel,
    get sid() {
      return sub.sid;
    },
    get marketTickers() {
      return sub.marketTickers === undefined ? undefined : [...sub.marketTickers];
    },
  };
}

function rawText(data: WebSocket.RawData): string {
  if (Array.isArray(data)) return Buffer.concat(data).toString('utf8');
  if (data instanceof ArrayBuffer) return Buffer.from(data).toString('utf8');
  return data.toString('utf8');
}
