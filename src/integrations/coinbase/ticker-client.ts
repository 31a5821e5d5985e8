/**
 * Coinbase Exchange ticker feed client (`ws`): subscribes to ticker + heartbeat for the products
 * right after connecting (Coinbase drops a connection that has not subscribed within 5 s),
 * reconnects with jittered backoff after a drop or after `silenceTimeoutMs` without any message,
 * and checks continuity per product:
 * - duplicate / out-of-order: a ticker whose `sequence` is not above the last ticker's → dropped;
 * - gap: `trade_id` is +1 per trade of a product, so a jump means missed trades; the heartbeat's
 *   `last_trade_id` also reveals trades missed after the last tick. (The `sequence` number spans
 *   every channel of the product, so it skips on the ticker channel by design: not a gap signal.)
 * Counts are kept in stats() and reported as events. Timers run on the injected Clock.
 */
import { EventEmitter } from 'node:events';
import WebSocket from 'ws';
import type { Clock, TimerHandle } from '../../core/clock/clock.ts';
import type { EpochMs } from '../../domain/units.ts';
import { Backoff, type BackoffPolicy, type RandomSource } from '../shared/backoff.ts';
import { parseCoinbaseMessage, type CoinbaseHeartbeat, type CoinbaseTick } from './models.ts';

export interface CoinbaseTickerClientOptions {
  /** e.g. `wss://ws-feed.exchange.coinbase.com`, or the simulator's Coinbase endpoint. */
  url: string;
  productIds: string[];
  clock: Clock;
  random?: RandomSource;
  /** Default ['ticker', 'heartbeat']. */
  channels?: string[];
  /** No message for this long → reconnect. Default 10 s. */
  silenceTimeoutMs?: number;
  /** No `subscriptions` answer this long after connecting → reconnect. Default 5 s. */
  subscribeTimeoutMs?: number;
  /** Default 500 ms doubling to 30 s. */
  reconnect?: Partial<BackoffPolicy>;
}

export interface CoinbaseTickEvent extends CoinbaseTick {
  /** Local clock time at receipt. */
  receivedAt: EpochMs;
}

export interface CoinbaseGap {
  productId: string;
  /** Trade id expected next, and the one that came (or the heartbeat's last_trade_id). */
  expectedTradeId: number;
  receivedTradeId: number;
  missedTrades: number;
  detectedBy: 'ticker' | 'heartbeat';
}

export interface CoinbaseTickerStats {
  ticks: number;
  heartbeats: number;
  duplicates: number;
  gaps: number;
  missedTrades: number;
  reconnects: number;
  parseErrors: number;
  lastMessageAt: EpochMs | undefined;
}

export interface CoinbaseTickerEvents {
  open: [];
  subscribed: [{ channels: Array<{ name: string; productIds: string[] }> }];
  close: [{ code: number; reason: string; willReconnect: boolean }];
  reconnecting: [{ attempt: number; delayMs: number }];
  tick: [CoinbaseTickEvent];
  heartbeat: [CoinbaseHeartbeat];
  gap: [CoinbaseGap];
  duplicate: [{ productId: string; sequence: number; lastSequence: number }];
  /** Coinbase's `{"type": "error"}` message. */
  exchangeError: [{ message: string; reason?: string }];
  warning: [
    {
      kind: 'parse_error' | 'silence' | 'subscribe_timeout' | 'socket_error' | 'unknown_message';
      message: string;
    },
  ];
}

interface ProductState {
  /** Last ticker sequence on the current connection. */
  lastSequence: number | undefined;
  /** Last trade id seen, kept across reconnects so an outage's missed trades are counted. */
  lastTradeId: number | undefined;
  /** True until the first ticker of a new connection re-baselines the sequence. */
  fresh: boolean;
}

const DEFAULT_RECONNECT: BackoffPolicy = { baseMs: 500, maxMs: 30_000 };

export class CoinbaseTickerClient extends EventEmitter<CoinbaseTickerEvents> {
  readonly url: string;
  readonly productIds: readonly string[];
  readonly #clock: Clock;
  readonly #channels: string[];
  readonly #silenceTimeoutMs: number;
  readonly #subscribeTimeoutMs: number;
  readonly #backoff: Backoff;
  readonly #products = new Map<string, ProductState>();
  readonly #stats: CoinbaseTickerStats = {
    ticks: 0,
    heartbeats: 0,
    duplicates: 0,
    gaps: 0,
    missedTrades: 0,
    reconnects: 0,
    parseErrors: 0,
    lastMessageAt: undefined,
  };
  #ws: WebSocket | undefined;
  #started = false;
  #closed = false;
  #subscribed = false;
  #lastActivity = 0;
  #watchdog: TimerHandle | undefined;
  #subscribeTimer: TimerHandle | undefined;
  #reconnectTimer: TimerHandle | undefined;
  readonly #openWaiters: Array<{ resolve: () => void; reject: (e: Error) => void }> = [];

  constructor(options: CoinbaseTickerClientOptions) {
    super();
    if (options.productIds.length === 0) throw new Error('CoinbaseTickerClient: no productIds');
    this.url = options.url;
    this.productIds = [...options.productIds];
    this.#clock = options.clock;
    this.#channels = options.channels ?? ['ticker', 'heartbeat'];
    this.#silenceTimeoutMs = options.silenceTimeoutMs ?? 10_000;
    this.#subscribeTimeoutMs = options.subscribeTimeoutMs ?? 5_000;
    this.#backoff = new Backoff(
      { ...DEFAULT_RECONNECT, ...options.reconnect },
      options.random ?? Math.random,
    );
    for (const id of this.productIds)
      this.#products.set(id, { lastSequence: undefined, lastTradeId: undefined, fresh: true });
  }

  /** Connects (retrying until it succeeds) and resolves once Coinbase confirmed the subscription. */
  start(): Promise<void> {
    if (this.#closed) return Promise.reject(new Error('client is closed'));
    const subscribed = this.#subscribed
      ? Promise.resolve()
      : new Promise<void>((resolve, reject) => this.#openWaiters.push({ resolve, reject }));
    if (!this.#started) {
      this.#started = true;
      this.#connect();
    }
    return subscribed;
  }

  get isSubscribed(): boolean {
    return this.#subscribed;
  }

  stats(): CoinbaseTickerStats {
    return { ...this.#stats };
  }

  async close(): Promise<void> {
    if (this.#closed) return;
    this.#closed = true;
    for (const timer of [this.#watchdog, this.#subscribeTimer, this.#reconnectTimer])
      if (timer) this.#clock.clear(timer);
    for (const w of this.#openWaiters.splice(0)) w.reject(new Error('client closed'));
    const ws = this.#ws;
    if (ws !== undefined && ws.readyState !== WebSocket.CLOSED) {
      await new Promise<void>((resolve) => {
        const force = this.#clock.setTimeout(() => ws.terminate(), 1_000);
        ws.once('close', () => {
          this.#clock.clear(force);
          resolve();
        });
        ws.close(1000, 'client closing');
      });
    }
  }

  #connect(): void {
    if (this.#closed) return;
    const ws = new WebSocket(this.url, { handshakeTimeout: 10_000 });
    this.#ws = ws;
    this.#subscribed = false;
    ws.on('open', () => {
      if (ws !== this.#ws) return;
      this.#lastActivity = this.#clock.now();
      for (const state of this.#products.values()) {
        state.lastSequence = undefined;
        state.fresh = true;
      }
      this.emit('open');
      ws.send(JSON.stringify({ type: 'subscribe', product_ids: this.productIds, channels: this.#channels }));
      this.#subscribeTimer = this.#clock.setTimeout(() => {
        this.#subscribeTimer = undefined;
        if (ws !== this.#ws || this.#subscribed) return;
        this.emit('warning', {
          kind: 'subscribe_timeout',
          message: `no subscriptions answer within ${this.#subscribeTimeoutMs} ms`,
        });
        ws.terminate();
      }, this.#subscribeTimeoutMs);
      this.#armWatchdog();
    });
    ws.on('message', (data, isBinary) => {
      if (ws === this.#ws) this.#onMessage(isBinary ? undefined : data.toString());
    });
    ws.on('error', (error) => this.emit('warning', { kind: 'socket_error', message: error.message }));
    ws.on('close', (code, reason) => {
      if (ws !== this.#ws) return;
      this.#ws = undefined;
      this.#subscribed = false;
      for (const timer of [this.#watchdog, this.#subscribeTimer]) if (timer) this.#clock.clear(timer);
      this.#watchdog = undefined;
      this.#subscribeTimer = undefined;
      const willReconnect = !this.#closed;
      this.emit('close', { code, reason: reason.toString(), willReconnect });
      if (!willReconnect) return;
      const delayMs = this.#backoff.next();
      this.#stats.reconnects += 1;
      this.emit('reconnecting', { attempt: this.#backoff.attempt, delayMs });
      this.#reconnectTimer = this.#clock.setTimeout(() => {
        this.#reconnectTimer = undefined;
        this.#connect();
      }, delayMs);
    });
  }

  #armWatchdog(delay = this.#silenceTimeoutMs): void {
    this.#watchdog = this.#clock.setTimeout(() => {
      this.#watchdog = undefined;
      const ws = this.#ws;
      if (ws === undefined) return;
      const idle = this.#clock.now() - this.#lastActivity;
      if (idle >= this.#silenceTimeoutMs) {
        this.emit('warning', { kind: 'silence', message: `no message for ${idle} ms` });
        ws.terminate();
        return;
      }
      this.#armWatchdog(this.#silenceTimeoutMs - idle);
    }, delay);
  }

  #onMessage(text: string | undefined): void {
    const now = this.#clock.now();
    this.#lastActivity = now;
    this.#stats.lastMessageAt = now;
    let message;
    try {
      if (text === undefined) throw new Error('binary frame');
      message = parseCoinbaseMessage(JSON.parse(text));
    } catch (error) {
      this.#stats.parseErrors += 1;
      this.emit('warning', { kind: 'parse_error', message: (error as Error).message });
      return;
    }
    switch (message.type) {
      case 'subscriptions':
        if (!this.#subscribed) {
          this.#subscribed = true;
          this.#backoff.reset();
          if (this.#subscribeTimer) this.#clock.clear(this.#subscribeTimer);
          this.#subscribeTimer = undefined;
          for (const w of this.#openWaiters.splice(0)) w.resolve();
        }
        this.emit('subscribed', { channels: message.channels });
        return;
      case 'ticker':
        this.#onTick(message.tick, now);
        return;
      case 'heartbeat':
        this.#onHeartbeat(message.heartbeat);
        return;
      case 'error':
        this.emit('exchangeError', { message: message.message, reason: message.reason });
        return;
      case 'unknown':
        this.emit('warning', { kind: 'unknown_message', message: `unknown message type ${message.rawType}` });
        return;
    }
  }

  #state(productId: string): ProductState {
    let state = this.#products.get(productId);
    if (state === undefined) {
      state = { lastSequence: undefined, lastTradeId: undefined, fresh: true };
      this.#products.set(productId, state);
    }
    return state;
  }

  #onTick(tick: CoinbaseTick, receivedAt: EpochMs): void {
    const state = this.#state(tick.productId);
    if (state.lastSequence !== undefined && tick.sequence <= state.lastSequence) {
      this.#stats.duplicates += 1;
      this.emit('duplicate', {
        productId: tick.productId,
        sequence: tick.sequence,
        lastSequence: state.lastSequence,
      });
      return;
    }
    state.lastSequence = tick.sequence;
    const last = state.lastTradeId;
    if (last !== undefined) {
      if (tick.tradeId > last + 1) {
        this.#reportGap({
          productId: tick.productId,
          expectedTradeId: last + 1,
          receivedTradeId: tick.tradeId,
          missedTrades: tick.tradeId - last - 1,
          detectedBy: 'ticker',
        });
      } else if (tick.tradeId === last && state.fresh) {
        // Coinbase replays the latest trade on subscribe: already seen before the reconnect.
        state.fresh = false;
        return;
      } else if (tick.tradeId <= last && !state.fresh) {
        // same trade again under a new sequence number: a duplicate all the same
        this.#stats.duplicates += 1;
        this.emit('duplicate', {
          productId: tick.productId,
          sequence: tick.sequence,
          lastSequence: tick.sequence,
        });
        return;
      }
      // tradeId ≤ last on a fresh connection: the feed restarted its numbering; re-baseline.
    }
    state.fresh = false;
    state.lastTradeId = tick.tradeId;
    this.#stats.ticks += 1;
    this.emit('tick', { ...tick, receivedAt });
  }

  #onHeartbeat(heartbeat: CoinbaseHeartbeat): void {
    this.#stats.heartbeats += 1;
    const state = this.#state(heartbeat.productId);
    const last = state.lastTradeId;
    if (last !== undefined && !state.fresh && heartbeat.lastTradeId > last) {
      this.#reportGap({
        productId: heartbeat.productId,
        expectedTradeId: last + 1,
        receivedTradeId: heartbeat.lastTradeId,
        missedTrades: heartbeat.lastTradeId - last,
        detectedBy: 'heartbeat',
      });
      state.lastTradeId = heartbeat.lastTradeId;
    }
    this.emit('heartbeat', heartbeat);
  }

  #reportGap(gap: CoinbaseGap): void {
    this.#stats.gaps += 1;
    this.#stats.missedTrades += gap.missedTrades;
    this.emit('gap', gap);
  }
}
