/**
 * A small Coinbase Exchange feed for client tests: real sockets on 127.0.0.1 (port 0), the
 * subscribe → subscriptions handshake, ticker and heartbeat messages with per-product sequence
 * and trade ids, and faults on demand (lost trades, duplicates, silence, dropped connections).
 */
import type { AddressInfo } from 'node:net';
import { WebSocketServer, type WebSocket } from 'ws';

interface ProductFeed {
  sequence: number;
  tradeId: number;
}

export interface TickFaults {
  /** Trades lost before this one (trade ids skipped). */
  skipTrades?: number;
  /** Send the message twice. */
  duplicate?: boolean;
}

export class FakeCoinbaseWs {
  readonly url: string;
  readonly subscribes: unknown[] = [];
  /** When true, subscribe requests get no answer. */
  ignoreSubscribe = false;
  readonly #server: WebSocketServer;
  readonly #sockets = new Set<WebSocket>();
  readonly #feeds = new Map<string, ProductFeed>();

  private constructor(server: WebSocketServer, url: string) {
    this.#server = server;
    this.url = url;
    server.on('connection', (socket) => {
      this.#sockets.add(socket);
      socket.on('close', () => this.#sockets.delete(socket));
      socket.on('message', (data) => {
        const message = JSON.parse(data.toString()) as {
          type: string;
          product_ids: string[];
          channels: string[];
        };
        this.subscribes.push(message);
        if (message.type !== 'subscribe' || this.ignoreSubscribe) return;
        socket.send(
          JSON.stringify({
            type: 'subscriptions',
            channels: message.channels.map((name) => ({ name, product_ids: message.product_ids })),
          }),
        );
      });
    });
  }

  static async start(): Promise<FakeCoinbaseWs> {
    const server = new WebSocketServer({ host: '127.0.0.1', port: 0 });
    await new Promise<void>((resolve) => server.once('listening', () => resolve()));
    const { port } = server.address() as AddressInfo;
    return new FakeCoinbaseWs(server, `ws://127.0.0.1:${port}`);
  }

  get connectionCount(): number {
    return this.#sockets.size;
  }

  /** Sends one trade's ticker; returns its trade id. */
  tick(productId: string, price: string, time: string, faults: TickFaults = {}): number {
    const feed = this.#feed(productId);
    feed.tradeId += 1 + (faults.skipTrades ?? 0);
    feed.sequence += 3; // other channels' messages use sequence numbers too
    const text = JSON.stringify({
      type: 'ticker',
      sequence: feed.sequence,
      product_id: productId,
      price,
      open_24h: '100966.53',
      volume_24h: '9756.916611',
      low_24h: '99012.73',
      high_24h: '102104.12',
      volume_30d: '539862.627144',
      best_bid: price,
      best_bid_size: '0.024535',
      best_ask: price,
      best_ask_size: '0.062982',
      side: 'buy',
      time,
      trade_id: feed.tradeId,
      last_size: '0.000261',
    });
    this.#broadcast(text);
    if (faults.duplicate) this.#broadcast(text);
    return feed.tradeId;
  }

  /** Sends a heartbeat; `lostTrades` trades happen without a ticker first. */
  heartbeat(productId: string, time: string, lostTrades = 0): void {
    const feed = this.#feed(productId);
    feed.tradeId += lostTrades;
    feed.sequence += 1;
    this.#broadcast(
      JSON.stringify({
        type: 'heartbeat',
        sequence: feed.sequence,
        last_trade_id: feed.tradeId,
        product_id: productId,
        time,
      }),
    );
  }

  sendRaw(text: string): void {
    this.#broadcast(text);
  }

  dropAll(): void {
    for (const socket of this.#sockets) socket.terminate();
  }

  async close(): Promise<void> {
    this.dropAll();
    await new Promise<void>((resolve) => this.#server.close(() => resolve()));
  }

  #feed(productId: string): ProductFeed {
    let feed = this.#feeds.get(productId);
    if (feed === undefined) {
      feed = { sequence: 93_525_999_000, tradeId: 734_680_000 };
      this.#feeds.set(productId, feed);
    }
    return feed;
  }

  #broadcast(text: string): void {
    for (const socket of this.#sockets) socket.send(text);
  }
}
