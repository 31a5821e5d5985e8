/**
 * The Kalshi WebSocket hub: connections, their subscriptions and the routing of engine events
 * to them. Transport-free apart from the `ws` socket it writes to (server.ts does the HTTP
 * upgrade, the signed handshake and the pings).
 *
 * Per connection: subscription ids from 1; `seq` per subscription on sequenced channels
 * (orderbook_delta: snapshot = 1, then +1 per message). A message lost to a fault or withheld
 * while the exchange is paused still uses its `seq`, so the client sees the gap and resyncs.
 * Private channels deliver only the connection's own account's records, and an order-book
 * delta carries `client_order_id` only to the account whose order caused it.
 */
import type WebSocket from 'ws';
import type { Logger } from 'pino';
import type { Clock } from '../../../core/clock/clock.ts';
import type { EngineEvent, MarketView } from '../../engine/types.ts';
import type { FaultController } from '../../faults/fault-controller.ts';
import { WsOutbox } from '../../faults/ws-outbox.ts';
import { ShadowBooks } from './books.ts';
import {
  INDEX_TICKERS,
  channelRules,
  isIndexTicker,
  type ChannelRules,
  type KalshiChannelName,
} from './channels.ts';
import { parseWsCommand, wsError, type KalshiWsCommand, type WsCommandError } from './commands.ts';
import type { IndexPrint, KalshiStreamSource, ListedEvent } from './source.ts';
import {
  cfbenchmarksValueMsg,
  eventLifecycleMsg,
  fillMsg,
  marketLifecycleMsg,
  marketPositionMsg,
  orderbookDeltaMsg,
  orderbookSnapshotMsg,
  tickerMsg,
  tradeMsg,
  userOrderMsg,
} from './wire.ts';

export type StreamLog = Pick<Logger, 'debug' | 'info' | 'warn'>;

export interface KalshiWsHubOptions {
  source: KalshiStreamSource;
  clock: Clock;
  faults?: FaultController;
  log?: StreamLog;
  /** Serve orderbook_delta without authentication (Kalshi requires it; default false). */
  publicOrderbook?: boolean;
  /** Cut off a client with more than this many bytes unread (default 16 MiB). */
  maxBufferedBytes?: number;
}

export interface KalshiWsHubStats {
  connections: number;
  authenticatedConnections: number;
  subscriptions: number;
  commands: number;
  commandErrors: number;
  /** Data messages handed to the sockets (before drop/duplicate faults). */
  dataMessages: number;
  /** Data messages not sent because the exchange was paused. */
  withheldWhilePaused: number;
  /** Books rebuilt from the engine because a delta did not fit (should stay 0). */
  bookRepairs: number;
  slowConsumersCut: number;
}

interface Subscription {
  sid: number;
  channel: KalshiChannelName;
  rules: ChannelRules;
  /** undefined: every market. */
  markets: Set<string> | undefined;
  /** cfbenchmarks_value: the indices wanted (undefined: every index). */
  indices: Set<string> | undefined;
  /** Last seq used (sequenced channels). */
  seq: number;
}

interface Connection {
  id: number;
  socket: WebSocket;
  outbox: WsOutbox;
  accountId: string | undefined;
  subs: Map<number, Subscription>;
  nextSid: number;
  /** Pings sent since the last pong. */
  unansweredPings: number;
}

type DeltaEvent = Extract<EngineEvent, { type: 'orderbook_delta' }>;

export class KalshiWsHub {
  readonly #source: KalshiStreamSource;
  readonly #clock: Clock;
  readonly #faults: FaultController | undefined;
  readonly #log: StreamLog | undefined;
  readonly #publicOrderbook: boolean;
  readonly #maxBufferedBytes: number | undefined;
  readonly #connections = new Set<Connection>();
  readonly #books = new ShadowBooks();
  #nextConnectionId = 1;
  readonly #stats = {
    commands: 0,
    commandErrors: 0,
    dataMessages: 0,
    withheldWhilePaused: 0,
    bookRepairs: 0,
    slowConsumersCut: 0,
  };

  constructor(options: KalshiWsHubOptions) {
    this.#source = options.source;
    this.#clock = options.clock;
    this.#faults = options.faults;
    this.#log = options.log;
    this.#publicOrderbook = options.publicOrderbook ?? false;
    this.#maxBufferedBytes = options.maxBufferedBytes;
    for (const ticker of this.#source.listMarketTickers()) this.#seedBook(ticker);
  }

  get connectionCount(): number {
    return this.#connections.size;
  }

  stats(): KalshiWsHubStats {
    let subscriptions = 0;
    let authenticated = 0;
    for (const c of this.#connections) {
      subscriptions += c.subs.size;
      if (c.accountId !== undefined) authenticated += 1;
    }
    return {
      connections: this.#connections.size,
      authenticatedConnections: authenticated,
      subscriptions,
      ...this.#stats,
    };
  }

  /** Takes over an upgraded socket; `accountId` is set when the handshake was signed. */
  connect(socket: WebSocket, accountId: string | undefined): void {
    const connection: Connection = {
      id: this.#nextConnectionId++,
      socket,
      accountId,
      subs: new Map(),
      nextSid: 1,
      unansweredPings: 0,
      outbox: new WsOutbox({
        socket,
        clock: this.#clock,
        target: 'kalshi',
        faults: this.#faults,
        maxBufferedBytes: this.#maxBufferedBytes,
        onOverflow: (bytes) => {
          this.#stats.slowConsumersCut += 1;
          this.#log?.warn({ connection: connection.id, bytes }, 'kalshi ws: client too slow, disconnected');
        },
      }),
    };
    this.#connections.add(connection);
    socket.on('message', (data, isBinary) => {
      const text = isBinary ? undefined : rawText(data);
      this.#onText(connection, text);
    });
    socket.on('pong', () => {
      connection.unansweredPings = 0;
    });
    socket.on('close', () => {
      this.#connections.delete(connection);
      connection.outbox.close();
    });
    socket.on('error', (error) =>
      this.#log?.debug({ connection: connection.id, err: error }, 'kalshi ws: socket error'),
    );
    this.#log?.debug(
      { connection: connection.id, authenticated: accountId !== undefined },
      'kalshi ws: open',
    );
  }

  /** Pings every connection (body `heartbeat`); ends those that left `limit` pings unanswered (0: never). */
  ping(limit: number): void {
    for (const c of this.#connections) {
      if (limit > 0 && c.unansweredPings >= limit) {
        this.#log?.info({ connection: c.id }, 'kalshi ws: no pong, disconnecting');
        c.socket.terminate();
        continue;
      }
      c.unansweredPings += 1;
      c.socket.ping('heartbeat');
    }
  }

  /** Drops the connections `pick` chooses (fault injection); returns how many. */
  dropConnections(pick: () => boolean, mode: 'terminate' | 'close'): number {
    let dropped = 0;
    for (const c of [...this.#connections]) {
      if (!pick()) continue;
      dropped += 1;
      c.outbox.close();
      if (mode === 'terminate') c.socket.terminate();
      else c.socket.close(1001, 'dropped by the simulator');
    }
    return dropped;
  }

  /** Ends every connection (server shutdown). */
  closeAll(code = 1001, reason = 'server shutting down'): void {
    for (const c of [...this.#connections]) {
      c.outbox.close();
      c.socket.close(code, reason);
    }
  }

  // ── Engine events → channels ──────────────────────────────────────────────────────────

  onEngineEvents(events: readonly EngineEvent[]): void {
    for (const event of events) {
      switch (event.type) {
        case 'orderbook_delta':
          this.#onDelta(event);
          break;
        case 'ticker': {
          const body = JSON.stringify(tickerMsg(event.ticker, event.quote, event.tsMs));
          this.#route('ticker', 'ticker', event.ticker, undefined, () => body);
          break;
        }
        case 'trade': {
          const body = JSON.stringify(tradeMsg(event.trade));
          this.#route('trade', 'trade', event.trade.ticker, undefined, () => body);
          break;
        }
        case 'fill': {
          const body = JSON.stringify(fillMsg(event.fill));
          this.#route('fill', 'fill', undefined, event.fill.accountId, () => body);
          break;
        }
        case 'order': {
          const body = JSON.stringify(userOrderMsg(event.order));
          this.#route('user_orders', 'user_order', event.order.ticker, event.order.accountId, () => body);
          break;
        }
        case 'position': {
          const { position } = event;
          const body = JSON.stringify(marketPositionMsg(position));
          this.#route('market_positions', 'market_position', position.ticker, position.accountId, () => body);
          break;
        }
        case 'market_lifecycle': {
          if (event.eventType === 'created' && !this.#books.has(event.ticker)) {
            this.#books.seed({ ticker: event.ticker, yes: [], no: [] });
          }
          const msg = marketLifecycleMsg(event.eventType, event.market, event.tsMs);
          if (msg !== undefined) {
            const body = JSON.stringify(msg);
            this.#route('market_lifecycle_v2', 'market_lifecycle_v2', undefined, undefined, () => body);
          }
          if (event.eventType === 'settled') this.#books.delete(event.ticker);
          break;
        }
        case 'balance':
        case 'settlement':
          break; // no Kalshi channel carries them
      }
    }
  }

  onEventsListed(events: readonly ListedEvent[]): void {
    for (const event of events) {
      const body = JSON.stringify(eventLifecycleMsg(event));
      this.#route('market_lifecycle_v2', 'event_lifecycle', undefined, undefined, () => body);
    }
  }

  onIndexPrints(prints: readonly IndexPrint[]): void {
    for (const print of prints) {
      const index = INDEX_TICKERS[print.symbol];
      const body = JSON.stringify(cfbenchmarksValueMsg(index, print.price, print.timeMs));
      for (const c of this.#connections) {
        for (const sub of c.subs.values()) {
          if (sub.channel !== 'cfbenchmarks_value') continue;
          if (sub.indices !== undefined && !sub.indices.has(index)) continue;
          this.#deliver(c, sub, 'cfbenchmarks_value', body);
        }
      }
    }
  }

  #onDelta(event: DeltaEvent): void {
    if (!this.#books.apply(event)) {
      this.#repairBook(event.ticker);
      return;
    }
    let plain: string | undefined;
    let withId: string | undefined;
    this.#route('orderbook_delta', 'orderbook_delta', event.ticker, undefined, (c) => {
      if (
        event.causedByClientOrderId &&
        c.accountId !== undefined &&
        c.accountId === event.causedByAccountId
      ) {
        return (withId ??= JSON.stringify(orderbookDeltaMsg(event, true)));
      }
      return (plain ??= JSON.stringify(orderbookDeltaMsg(event, false)));
    });
  }

  /** A delta that does not fit means the books drifted: rebuild from the engine, resend snapshots. */
  #repairBook(ticker: string): void {
    this.#stats.bookRepairs += 1;
    this.#log?.warn({ ticker }, 'kalshi ws: delta does not fit the book; re-seeding it from the engine');
    this.#seedBook(ticker);
    for (const c of this.#connections) {
      for (const sub of c.subs.values()) {
        if (sub.channel === 'orderbook_delta' && covers(sub, ticker)) this.#sendSnapshot(c, sub, ticker);
      }
    }
  }

  #seedBook(ticker: string): void {
    const view = this.#source.getOrderbook(ticker);
    this.#books.seed(view ?? { ticker, yes: [], no: [] });
  }

  /** Sends to every subscription of `channel` covering `ticker` (and owned by `accountId` when given). */
  #route(
    channel: KalshiChannelName,
    type: string,
    ticker: string | undefined,
    accountId: string | undefined,
    body: (c: Connection) => string,
  ): void {
    for (const c of this.#connections) {
      if (accountId !== undefined && c.accountId !== accountId) continue;
      for (const sub of c.subs.values()) {
        if (sub.channel !== channel) continue;
        if (ticker !== undefined && !covers(sub, ticker)) continue;
        this.#deliver(c, sub, type, body(c));
      }
    }
  }

  #deliver(c: Connection, sub: Subscription, type: string, body: string): void {
    let text: string;
    if (sub.rules.sequenced) {
      sub.seq += 1;
      text = `{"type":"${type}","sid":${sub.sid},"seq":${sub.seq},"msg":${body}}`;
    } else {
      text = `{"type":"${type}","sid":${sub.sid},"msg":${body}}`;
    }
    if (this.#faults?.paused) {
      this.#stats.withheldWhilePaused += 1;
      return;
    }
    this.#stats.dataMessages += 1;
    c.outbox.data(text, type);
  }

  #sendSnapshot(c: Connection, sub: Subscription, ticker: string): void {
    const { yes, no } = this.#books.levels(ticker);
    this.#deliver(c, sub, 'orderbook_snapshot', JSON.stringify(orderbookSnapshotMsg(ticker, yes, no)));
  }

  #sendTickerSnapshot(c: Connection, sub: Subscription, tickers: Iterable<string>): void {
    const ts = this.#source.now();
    for (const ticker of tickers) {
      const market = this.#source.getMarket(ticker);
      if (market === undefined) continue;
      this.#deliver(c, sub, 'ticker', JSON.stringify(tickerMsg(ticker, quoteOf(market), ts)));
    }
  }

  // ── Commands ──────────────────────────────────────────────────────────────────────────

  #onText(c: Connection, text: string | undefined): void {
    this.#stats.commands += 1;
    if (text === undefined) {
      this.#replyError(c, wsError(0, 1, undefined, 'binary frames are not accepted'));
      return;
    }
    const parsed = parseWsCommand(text);
    if (!parsed.ok) {
      this.#replyError(c, parsed.error);
      return;
    }
    try {
      this.#run(c, parsed.command);
    } catch (error) {
      this.#log?.warn({ connection: c.id, err: error }, 'kalshi ws: command failed');
      this.#replyError(c, wsError(parsed.command.id, 17));
    }
  }

  #run(c: Connection, command: KalshiWsCommand): void {
    switch (command.cmd) {
      case 'subscribe':
        for (const channel of command.channels) this.#subscribe(c, command, channel);
        return;
      case 'unsubscribe':
        for (const sid of command.sids) {
          if (!c.subs.delete(sid)) {
            this.#replyError(c, wsError(command.id, 7, undefined, `sid ${sid}`));
            continue;
          }
          this.#reply(c, command.id, { sid, type: 'unsubscribed' });
        }
        return;
      case 'update_subscription':
        this.#update(c, command);
        return;
      case 'list_subscriptions':
        this.#reply(c, command.id, {
          type: 'list_subscriptions',
          subscriptions: [...c.subs.values()].map((s) => ({ channel: s.channel, sid: s.sid })),
        });
        return;
    }
  }

  #subscribe(c: Connection, command: Extract<KalshiWsCommand, { cmd: 'subscribe' }>, channel: string): void {
    const id = command.id;
    const rules = channelRules(channel);
    if (rules === undefined) return this.#replyError(c, wsError(id, 8, undefined, channel));
    const name = channel as KalshiChannelName;
    const needsAuth = rules.private && !(name === 'orderbook_delta' && this.#publicOrderbook);
    if (needsAuth && c.accountId === undefined)
      return this.#replyError(c, wsError(id, 9, undefined, channel));
    let markets: Set<string> | undefined;
    if (rules.markets !== 'ignored') {
      if (command.marketTickers === undefined) {
        if (rules.markets === 'required') return this.#replyError(c, wsError(id, 14, undefined, channel));
      } else {
        const unknown = command.marketTickers.find((t) => this.#source.getMarket(t) === undefined);
        if (unknown !== undefined) return this.#replyError(c, wsError(id, 16, unknown));
        markets = new Set(command.marketTickers);
      }
    }
    let indices: Set<string> | undefined;
    if (name === 'cfbenchmarks_value' && command.indexTickers !== undefined) {
      const unknown = command.indexTickers.find((t) => !isIndexTicker(t));
      if (unknown !== undefined) return this.#replyError(c, wsError(id, 11, undefined, `index ${unknown}`));
      indices = new Set(command.indexTickers);
    }
    if (this.#overlaps(c, name, markets)) return this.#replyError(c, wsError(id, 6, undefined, channel));
    const sub: Subscription = { sid: c.nextSid++, channel: name, rules, markets, indices, seq: 0 };
    c.subs.set(sub.sid, sub);
    this.#reply(c, id, { type: 'subscribed', msg: { channel: name, sid: sub.sid } });
    if (name === 'orderbook_delta') for (const t of markets ?? []) this.#sendSnapshot(c, sub, t);
    if (name === 'ticker' && command.sendInitialSnapshot) {
      this.#sendTickerSnapshot(c, sub, markets ?? this.#source.listMarketTickers());
    }
  }

  #update(c: Connection, command: Extract<KalshiWsCommand, { cmd: 'update_subscription' }>): void {
    const id = command.id;
    const sub = c.subs.get(command.sid);
    if (sub === undefined) return this.#replyError(c, wsError(id, 7, undefined, `sid ${command.sid}`));
    if (sub.rules.markets === 'ignored') {
      return this.#replyError(c, wsError(id, 10, undefined, `${sub.channel} does not take markets`));
    }
    if (sub.markets === undefined) {
      return this.#replyError(c, wsError(id, 10, undefined, 'the subscription covers every market'));
    }
    const added: string[] = [];
    if (command.action === 'add_markets') {
      const unknown = command.marketTickers.find((t) => this.#source.getMarket(t) === undefined);
      if (unknown !== undefined) return this.#replyError(c, wsError(id, 16, unknown));
      for (const t of command.marketTickers) {
        if (sub.markets.has(t)) continue;
        sub.markets.add(t);
        added.push(t);
      }
    } else {
      for (const t of command.marketTickers) sub.markets.delete(t);
    }
    this.#reply(c, id, { sid: sub.sid, type: 'ok', market_tickers: [...sub.markets] });
    if (sub.channel === 'orderbook_delta') for (const t of added) this.#sendSnapshot(c, sub, t);
    if (sub.channel === 'ticker' && command.sendInitialSnapshot) this.#sendTickerSnapshot(c, sub, added);
  }

  #overlaps(c: Connection, channel: KalshiChannelName, markets: Set<string> | undefined): boolean {
    for (const sub of c.subs.values()) {
      if (sub.channel !== channel) continue;
      if (sub.markets === undefined || markets === undefined) return true;
      for (const t of markets) if (sub.markets.has(t)) return true;
    }
    return false;
  }

  #reply(c: Connection, id: number, payload: Record<string, unknown>): void {
    c.outbox.control(JSON.stringify(id > 0 ? { id, ...payload } : payload));
  }

  #replyError(c: Connection, error: WsCommandError): void {
    this.#stats.commandErrors += 1;
    const msg: Record<string, unknown> = { code: error.code, msg: error.msg };
    if (error.marketTicker !== undefined) msg.market_ticker = error.marketTicker;
    this.#reply(c, error.id, { type: 'error', msg });
  }
}

function covers(sub: Subscription, ticker: string): boolean {
  return sub.markets === undefined || sub.markets.has(ticker);
}

function quoteOf(market: MarketView) {
  return {
    yesBidCc: market.yesBidCc,
    yesAskCc: market.yesAskCc,
    lastPriceCc: market.lastPriceCc,
    volume: market.volume,
    openInterest: market.openInterest,
  };
}

function rawText(data: WebSocket.RawData): string {
  if (Array.isArray(data)) return Buffer.concat(data).toString('utf8');
  if (data instanceof ArrayBuffer) return Buffer.from(data).toString('utf8');
  return data.toString('utf8');
}
