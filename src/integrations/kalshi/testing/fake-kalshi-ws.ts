/**
 * A small Kalshi-shaped WebSocket server for client tests and benchmarks: real sockets on
 * 127.0.0.1 (port 0), the command protocol (subscribe / unsubscribe / update_subscription /
 * list_subscriptions with Kalshi's replies), order books with snapshots and sequenced deltas in
 * the current `_dollars` / `_fp` format, pings, and faults on demand (gaps, duplicates, dropped
 * connections, silence).
 */
import type { IncomingMessage } from 'node:http';
import type { AddressInfo } from 'node:net';
import { WebSocketServer, type WebSocket } from 'ws';
import { formatCount, formatDollars } from '../../../domain/kalshi/fixed-point.ts';
import { verifyKalshiSignature } from '../signer.ts';

const KNOWN_CHANNELS = new Set([
  'orderbook_delta',
  'ticker',
  'ticker_v2',
  'trade',
  'fill',
  'market_positions',
  'user_orders',
  'market_lifecycle_v2',
  'order_group_updates',
]);

interface ServerSubscription {
  channel: string;
  markets: Set<string> | undefined;
  seq: number;
}

interface Connection {
  id: number;
  socket: WebSocket;
  subs: Map<number, ServerSubscription>;
}

export interface FakeCommand {
  connection: number;
  id?: number;
  cmd: string;
  params?: Record<string, unknown>;
}

type Book = { yes: Map<number, number>; no: Map<number, number> };

export interface DeltaFaults {
  /** Skip this many sequence numbers before the message (a gap). */
  skip?: number;
  /** Send the message twice (a duplicate). */
  duplicate?: boolean;
  clientOrderId?: string;
}

export class FakeKalshiWs {
  readonly url: string;
  readonly commands: FakeCommand[] = [];
  readonly handshakes: Array<{ signed: boolean; reason?: string }> = [];
  pongs = 0;
  /** Channels answered with error 8 (unknown channel). */
  readonly rejectChannels = new Set<string>();
  readonly #server: WebSocketServer;
  readonly #connections = new Set<Connection>();
  readonly #books = new Map<string, Book>();
  #nextConnection = 1;
  #nextSid = 1;
  #pingTimer: NodeJS.Timeout | undefined;
  #silent = false;

  private constructor(server: WebSocketServer, url: string, publicKeyPem: string | undefined) {
    this.#server = server;
    this.url = url;
    server.on('connection', (socket: WebSocket, request: IncomingMessage) => {
      if (publicKeyPem !== undefined) {
        const check = verifyKalshiSignature({
          publicKeyPem,
          headers: request.headers,
          method: 'GET',
          path: request.url ?? '/',
          now: Date.now(),
        });
        this.handshakes.push(check.ok ? { signed: true } : { signed: false, reason: check.reason });
      } else {
        this.handshakes.push({ signed: false });
      }
      const connection: Connection = { id: this.#nextConnection++, socket, subs: new Map() };
      this.#connections.add(connection);
      socket.on('message', (data) => this.#onCommand(connection, data.toString()));
      socket.on('pong', () => this.pongs++);
      socket.on('close', () => this.#connections.delete(connection));
    });
  }

  static async start(
    options: { publicKeyPem?: string; pingIntervalMs?: number } = {},
  ): Promise<FakeKalshiWs> {
    const server = new WebSocketServer({ host: '127.0.0.1', port: 0, path: '/trade-api/ws/v2' });
    await new Promise<void>((resolve) => server.once('listening', () => resolve()));
    const { port } = server.address() as AddressInfo;
    const fake = new FakeKalshiWs(server, `ws://127.0.0.1:${port}/trade-api/ws/v2`, options.publicKeyPem);
    if (options.pingIntervalMs !== undefined) {
      fake.#pingTimer = setInterval(() => {
        if (fake.#silent) return;
        for (const c of fake.#connections) c.socket.ping('heartbeat');
      }, options.pingIntervalMs);
    }
    return fake;
  }

  /** Open connections. */
  get connectionCount(): number {
    return this.#connections.size;
  }

  /** Sets a market's server-side book: levels as [price cc, count]. */
  setBook(ticker: string, yes: Array<[number, number]>, no: Array<[number, number]>): void {
    this.#books.set(ticker, { yes: new Map(yes), no: new Map(no) });
  }

  /** The server's book of a market, best first (to compare with the client's). */
  bookOf(ticker: string): {
    yesBids: Array<{ price: number; count: number }>;
    noBids: Array<{ price: number; count: number }>;
  } {
    const book = this.#books.get(ticker) ?? { yes: new Map(), no: new Map() };
    const sorted = (m: Map<number, number>) =>
      [...m].sort((a, b) => b[0] - a[0]).map(([price, count]) => ({ price, count }));
    return { yesBids: sorted(book.yes), noBids: sorted(book.no) };
  }

  /** Changes a level and sends the delta to every order-book subscription of the market. */
  delta(ticker: string, side: 'yes' | 'no', price: number, delta: number, faults: DeltaFaults = {}): void {
    const book = this.#books.get(ticker) ?? { yes: new Map(), no: new Map() };
    this.#books.set(ticker, book);
    const next = (book[side].get(price) ?? 0) + delta;
    if (next < 0) throw new Error(`fake: level ${side} ${price} would go negative`);
    if (next === 0) book[side].delete(price);
    else book[side].set(price, next);
    const msg: Record<string, unknown> = {
      market_ticker: ticker,
      ...(price % 100 === 0 ? { price: price / 100 } : {}), // legacy integer cents, when whole
      price_dollars: formatDollars(price, 4),
      delta,
      delta_fp: formatCount(delta),
      side,
    };
    if (faults.clientOrderId !== undefined) msg.client_order_id = faults.clientOrderId;
    for (const connection of this.#connections) {
      for (const [sid, sub] of connection.subs) {
        if (sub.channel !== 'orderbook_delta' || !covers(sub, ticker)) continue;
        sub.seq += 1 + (faults.skip ?? 0);
        const text = JSON.stringify({ type: 'orderbook_delta', sid, seq: sub.seq, msg });
        connection.socket.send(text);
        if (faults.duplicate) connection.socket.send(text);
      }
    }
  }

  /** Sends a data message to every subscription of `channel` covering the message's market. */
  publish(
    channel: string,
    type: string,
    msg: Record<string, unknown>,
    options: { withSeq?: boolean } = {},
  ): void {
    const ticker = typeof msg.market_ticker === 'string' ? msg.market_ticker : undefined;
    for (const connection of this.#connections) {
      for (const [sid, sub] of connection.subs) {
        if (sub.channel !== channel || (ticker !== undefined && !covers(sub, ticker))) continue;
        const payload: Record<string, unknown> = { type, sid, msg };
        if (options.withSeq) payload.seq = ++sub.seq;
        connection.socket.send(JSON.stringify(payload));
      }
    }
  }

  /** Sends raw text to every connection (malformed input tests). */
  sendRaw(text: string): void {
    for (const connection of this.#connections) connection.socket.send(text);
  }

  /** Subscription ids of a channel across connections. */
  sidsOf(channel: string): number[] {
    return [...this.#connections].flatMap((c) =>
      [...c.subs].filter(([, s]) => s.channel === channel).map(([sid]) => sid),
    );
  }

  /** Kills every connection without a close handshake (a network drop). */
  dropAll(): void {
    for (const connection of this.#connections) connection.socket.terminate();
  }

  /** While silent, no pings go out (the client's heartbeat timeout should fire). */
  silence(on: boolean): void {
    this.#silent = on;
  }

  async close(): Promise<void> {
    if (this.#pingTimer) clearInterval(this.#pingTimer);
    this.dropAll();
    await new Promise<void>((resolve) => this.#server.close(() => resolve()));
  }

  #onCommand(connection: Connection, text: string): void {
    const command = JSON.parse(text) as { id?: number; cmd: string; params?: Record<string, unknown> };
    this.commands.push({ connection: connection.id, ...command });
    if (this.#silent) return;
    const { id, params = {} } = command;
    const reply = (payload: Record<string, unknown>) =>
      connection.socket.send(JSON.stringify({ id, ...payload }));
    switch (command.cmd) {
      case 'subscribe': {
        const channels = (params.channels as string[] | undefined) ?? [];
        const markets = params.market_tickers as string[] | undefined;
        for (const channel of channels) {
          if (!KNOWN_CHANNELS.has(channel) || this.rejectChannels.has(channel)) {
            reply({ type: 'error', msg: { code: 8, msg: 'Unknown channel name' } });
            continue;
          }
          const sid = this.#nextSid++;
          const sub: ServerSubscription = {
            channel,
            markets: markets ? new Set(markets) : undefined,
            seq: 0,
          };
          connection.subs.set(sid, sub);
          reply({ type: 'subscribed', msg: { channel, sid } });
          if (channel === 'orderbook_delta')
            for (const ticker of markets ?? []) this.#sendSnapshot(connection, sid, sub, ticker);
        }
        return;
      }
      case 'unsubscribe': {
        for (const sid of (params.sids as number[] | undefined) ?? []) {
          if (connection.subs.delete(sid))
            connection.socket.send(JSON.stringify({ id, sid, type: 'unsubscribed' }));
          else reply({ type: 'error', msg: { code: 7, msg: 'Unknown subscription ID' } });
        }
        return;
      }
      case 'update_subscription': {
        const sid = (params.sids as number[] | undefined)?.[0] ?? (params.sid as number | undefined);
        const sub = sid === undefined ? undefined : connection.subs.get(sid);
        if (sid === undefined || sub === undefined)
          return reply({ type: 'error', msg: { code: 7, msg: 'Unknown subscription ID' } });
        const tickers = (params.market_tickers as string[] | undefined) ?? [];
        sub.markets ??= new Set();
        for (const ticker of tickers) {
          if (params.action === 'add_markets') sub.markets.add(ticker);
          else sub.markets.delete(ticker);
        }
        reply({ type: 'ok', sid, market_tickers: [...sub.markets] });
        if (params.action === 'add_markets' && sub.channel === 'orderbook_delta') {
          for (const ticker of tickers) this.#sendSnapshot(connection, sid, sub, ticker);
        }
        return;
      }
      case 'list_subscriptions':
        return reply({
          type: 'ok',
          subscriptions: [...connection.subs].map(([sid, s]) => ({ channel: s.channel, sid })),
        });
      default:
        return reply({ type: 'error', msg: { code: 5, msg: 'Unknown command' } });
    }
  }

  #sendSnapshot(connection: Connection, sid: number, sub: ServerSubscription, ticker: string): void {
    const book = this.#books.get(ticker) ?? { yes: new Map(), no: new Map() };
    // Kalshi lists levels ascending (best last)
    const levels = (m: Map<number, number>) =>
      [...m].sort((a, b) => a[0] - b[0]).map(([p, c]) => [formatDollars(p, 4), formatCount(c)]);
    const msg: Record<string, unknown> = { market_ticker: ticker };
    if (book.yes.size > 0) msg.yes_dollars_fp = levels(book.yes);
    if (book.no.size > 0) msg.no_dollars_fp = levels(book.no);
    sub.seq += 1;
    connection.socket.send(JSON.stringify({ type: 'orderbook_snapshot', sid, seq: sub.seq, msg }));
  }
}

function covers(sub: ServerSubscription, ticker: string): boolean {
  return sub.markets === undefined || sub.markets.has(ticker);
}
