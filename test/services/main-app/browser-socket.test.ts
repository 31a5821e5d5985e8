/**
 * main_app's browser WebSocket over a real socket: hello, subscribe (latest value at once, then
 * every update; only what was asked for), unsubscribe, refusal of bad input and of topics not on
 * offer (with nothing changed), pings and the drop of a browser that stops answering them, the
 * drop of a browser that stops reading (bounded send buffer) while others go on, the connection
 * cap, and a plain GET on /ws.
 */
import type { Socket } from 'node:net';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import WebSocket from 'ws';
import {
  PUBLIC_TOPICS,
  type BrowserServerMessage,
  type BrowserSocketOptions,
} from '../../../src/services/main_app/browser-socket.ts';
import { ladderQuote, marketMessage, priceMessage } from '../coordinator/fixtures.ts';
import { waitFor } from '../../support/wait.ts';
import { NOW, startServer, type Server } from './browser-socket-server.ts';

/** A browser stand-in: every server message in order, parsed. */
class Browser {
  readonly messages: BrowserServerMessage[] = [];
  readonly socket: WebSocket;
  readonly opened: Promise<void>;
  readonly closed: Promise<number>;
  constructor(url: string, options: WebSocket.ClientOptions = {}) {
    this.socket = new WebSocket(url, options);
    this.socket.on('message', (data) => this.messages.push(JSON.parse(data.toString())));
    this.opened = new Promise((resolve, reject) => {
      this.socket.once('open', () => resolve());
      this.socket.once('error', reject);
    });
    this.closed = new Promise((resolve) => this.socket.once('close', (code) => resolve(code)));
    this.socket.on('error', () => undefined);
  }
  send(value: unknown) {
    this.socket.send(typeof value === 'string' ? value : JSON.stringify(value));
  }
  /** Waits for the next message (after `from`) matching `match`. */
  async next<T extends BrowserServerMessage['type']>(
    type: T,
    from = 0,
    match: (m: Extract<BrowserServerMessage, { type: T }>) => boolean = () => true,
  ): Promise<Extract<BrowserServerMessage, { type: T }>> {
    return waitFor(
      () =>
        this.messages
          .slice(from)
          .find(
            (m): m is Extract<BrowserServerMessage, { type: T }> =>
              m.type === type && match(m as Extract<BrowserServerMessage, { type: T }>),
          ),
      10_000,
      `a "${type}" message`,
    );
  }
  ofType<T extends BrowserServerMessage['type']>(type: T, from = 0) {
    return this.messages.slice(from).filter((m) => m.type === type) as Extract<
      BrowserServerMessage,
      { type: T }
    >[];
  }
}

const price = (seq: number, symbol: 'BTC' | 'ETH' = 'BTC') =>
  priceMessage({ symbol, price: 118_000 + seq, at: NOW + seq * 1000, seq });

const browsers: Browser[] = [];
function open(url: string, options?: WebSocket.ClientOptions) {
  const browser = new Browser(url, options);
  browsers.push(browser);
  return browser;
}
afterEach(() => {
  for (const b of browsers.splice(0)) b.socket.terminate();
});

describe('browser WebSocket', () => {
  let server: Server;
  beforeAll(async () => {
    server = await startServer();
  });
  afterAll(async () => {
    await server.close();
  });

  it('says hello with the mode and the topics on offer', async () => {
    const browser = open(server.url);
    const hello = await browser.next('hello');
    expect(hello.mode).toBe('paper');
    expect(hello.version).toBe('test');
    expect(hello.topics).toEqual(PUBLIC_TOPICS);
    expect(hello.topics).toEqual(
      expect.arrayContaining([
        'price.btc',
        'price.eth',
        'strikes.btc',
        'strikes.eth',
        'market.btc',
        'index.eth',
      ]),
    );
    expect(hello.at).toBe(NOW);
  });

  it('sends the latest value at once on subscribe, then every update, and only subscribed topics', async () => {
    await server.bus.publish('price.btc', price(1));
    await server.bus.publish('price.btc', price(2));
    const browser = open(server.url);
    await browser.next('hello');
    // The bus delivers asynchronously: wait until main_app holds seq 2 (a second browser sees it).
    const probe = open(server.url);
    await probe.opened;
    probe.send({ op: 'subscribe', topics: ['price.btc'] });
    await probe.next('message', 0, (m) => (m.payload as any).seq === 2);

    browser.send({ op: 'subscribe', topics: ['price.btc', 'strikes.btc'] });
    const subscribed = await browser.next('subscriptions');
    expect(subscribed.topics.sort()).toEqual(['price.btc', 'strikes.btc']);
    const first = await browser.next('message');
    expect(first.topic).toBe('price.btc');
    expect((first.payload as any).seq).toBe(2); // the latest, not the whole history
    expect(browser.messages.indexOf(subscribed)).toBeLessThan(browser.messages.indexOf(first));

    await server.bus.publish('price.eth', price(3, 'ETH')); // not subscribed
    await server.bus.publish('price.btc', price(4));
    await browser.next('message', 0, (m) => (m.payload as any).seq === 4);
    expect(browser.ofType('message').map((m) => [m.topic, (m.payload as any).seq])).toEqual([
      ['price.btc', 2],
      ['price.btc', 4],
    ]);

    // Subscribing again to a held topic does not resend it.
    const before = browser.messages.length;
    browser.send({ op: 'subscribe', topics: ['price.btc'] });
    await browser.next('subscriptions', before);
    await server.bus.publish('price.btc', price(5));
    await browser.next('message', before, (m) => (m.payload as any).seq === 5);
    expect(browser.ofType('message', before)).toHaveLength(1);
  });

  it('refuses bad input and topics not on offer with an error, changing nothing', async () => {
    const browser = open(server.url);
    await browser.opened;
    browser.send({ op: 'subscribe', topics: ['price.eth'] });
    await browser.next('subscriptions');

    const bad: Array<[unknown, RegExp]> = [
      ['{not json', /not JSON/],
      [{ op: 'publish', topics: ['price.btc'] }, /op/],
      [{ op: 'subscribe' }, /topics/],
      [{ op: 'subscribe', topics: [] }, /at least one/],
      [{ op: 'subscribe', topics: 'price.btc' }, /topics/],
      [{ op: 'subscribe', topics: ['price.btc'], extra: 1 }, /extra/],
      [{ op: 'subscribe', topics: Array.from({ length: 40 }, () => 'price.btc') }, /at most 32/],
      [{ op: 'subscribe', topics: ['price.btc', 'trades.alice'] }, /unknown or private topic "trades.alice"/],
      [{ op: 'subscribe', topics: ['health.main_app'] }, /unknown or private topic "health.main_app"/],
      [{ op: 'subscribe', topics: ['price.doge'] }, /price.doge/],
      [{ op: 'subscribe', topics: ['price.*'] }, /price\.\*/],
      [{ op: 'unsubscribe', topics: ['strikes.xrp'] }, /strikes.xrp/],
    ];
    for (const [input, expected] of bad) {
      const from = browser.messages.length;
      browser.send(input);
      const error = await browser.next('error', from);
      expect(error.error, JSON.stringify(input)).toMatch(expected);
    }
    const from = browser.messages.length;
    browser.socket.send(Buffer.from('{"op":"subscribe","topics":["price.btc"]}'), { binary: true });
    expect((await browser.next('error', from)).error).toMatch(/binary/);

    // Still only price.eth: price.btc (named in refused requests) never arrives.
    await server.bus.publish('price.btc', price(10));
    await server.bus.publish('price.eth', price(11, 'ETH'));
    await browser.next('message', 0, (m) => (m.payload as any).seq === 11);
    // (price.eth's latest from an earlier test came at subscribe, then seq 11.)
    expect(new Set(browser.ofType('message').map((m) => m.topic))).toEqual(new Set(['price.eth']));
    expect(browser.ofType('subscriptions')).toHaveLength(1);
    expect(browser.socket.readyState).toBe(WebSocket.OPEN);
  });

  it('stops sending a topic after unsubscribe', async () => {
    const browser = open(server.url);
    await browser.opened;
    browser.send({ op: 'subscribe', topics: ['price.eth', 'price.btc'] });
    await browser.next('subscriptions');
    browser.send({ op: 'unsubscribe', topics: ['price.btc'] });
    const after = await browser.next('subscriptions', 0, (m) => m.topics.length === 1);
    expect(after.topics).toEqual(['price.eth']);
    const from = browser.messages.length;
    await server.bus.publish('price.btc', price(20));
    await server.bus.publish('price.eth', price(21, 'ETH'));
    await browser.next('message', from, (m) => (m.payload as any).seq === 21);
    expect(browser.ofType('message', from).map((m) => m.topic)).toEqual(['price.eth']);
  });

  it('answers a plain GET on /ws with 426 problem+json', async () => {
    const response = await fetch(server.url.replace('ws:', 'http:'));
    expect(response.status).toBe(426);
    expect(response.headers.get('content-type')).toMatch(/application\/problem\+json/);
    expect(((await response.json()) as { detail: string }).detail).toMatch(/WebSocket/);
  });
});

describe('browser WebSocket limits', () => {
  const servers: Server[] = [];
  afterAll(async () => {
    await Promise.all(servers.map((s) => s.close()));
  });
  const start = async (options: BrowserSocketOptions) => {
    const server = await startServer(options);
    servers.push(server);
    return server;
  };

  it('pings, sends heartbeats, and drops a browser that stops answering pings', async () => {
    const server = await start({ pingIntervalMs: 150 });
    const alive = open(server.url);
    let pings = 0;
    alive.socket.on('ping', () => pings++);
    const deaf = open(server.url, { autoPong: false });
    await Promise.all([alive.opened, deaf.opened]);
    expect(await deaf.closed).toBe(1006); // terminated: no close handshake
    await waitFor(() => (pings >= 3 ? true : undefined), 10_000, 'three pings');
    await alive.next('heartbeat');
    expect(alive.socket.readyState).toBe(WebSocket.OPEN);
    const metrics = await server.http.metrics.registry.getSingleMetricAsString(
      'recio_browser_socket_dropped_total',
    );
    expect(metrics).toMatch(/reason="no pong"[^}]*} 1/);
  });

  it('drops a browser that stops reading, keeps serving the others, and bounds the buffer', async () => {
    const server = await start({ maxBufferedBytes: 256 * 1024 });
    const slow = open(server.url);
    let raw: Socket | undefined;
    slow.socket.on('upgrade', (response) => (raw = response.socket));
    const fast = open(server.url);
    await Promise.all([slow.opened, fast.opened]);
    for (const b of [slow, fast]) b.send({ op: 'subscribe', topics: ['market.btc'] });
    await Promise.all([slow.next('subscriptions'), fast.next('subscriptions')]);
    raw!.pause(); // the slow browser reads nothing more

    const dropped = async () =>
      (
        await server.http.metrics.registry.getSingleMetricAsString('recio_browser_socket_dropped_total')
      ).match(/reason="send buffer full"[^}]*} 1/);
    let seq = 0;
    while (!(await dropped())) {
      seq += 1;
      expect(seq, 'the slow browser is dropped before 20 000 messages').toBeLessThan(20_000);
      await server.bus.publish(
        'market.btc',
        marketMessage({ first: 100_000, spacing: 250, count: 75, quote: ladderQuote(118_000), at: NOW, seq }),
      );
      // Let the bus deliver and the socket flush (the fast browser keeps up).
      await new Promise((resolve) => setImmediate(resolve));
    }
    // The fast browser got the newest message and its socket is open.
    await fast.next('message', 0, (m) => (m.payload as any).seq === seq);
    expect(fast.socket.readyState).toBe(WebSocket.OPEN);
    raw!.resume();
    expect(await slow.closed).toBe(1006);
  });

  it('refuses a page from another site with 403 before the upgrade; lets the UI, listed origins and tools in', async () => {
    const server = await start({ allowedOrigins: ['https://desk.example'] });
    const host = `127.0.0.1:${server.port}`;
    const handshake = (origin?: string) =>
      new Promise<number>((resolve, reject) => {
        const socket = new WebSocket(server.url, origin === undefined ? {} : { origin });
        socket.once('open', () => {
          socket.close();
          resolve(101);
        });
        socket.once('unexpected-response', (_request, response) => {
          resolve(response.statusCode ?? 0);
          socket.terminate();
        });
        socket.once('error', reject);
      });
    expect(await handshake('https://evil.example')).toBe(403);
    expect(await handshake('null')).toBe(403);
    expect(await handshake(`http://${host}`)).toBe(101);
    expect(await handshake('https://desk.example')).toBe(101);
    expect(await handshake()).toBe(101);
    const metrics = await server.http.metrics.registry.getSingleMetricAsString(
      'recio_browser_socket_dropped_total',
    );
    expect(metrics).toMatch(/{reason="origin refused"[^}]*} 2$/m);
  });

  it('refuses connections beyond the cap with 1013', async () => {
    const server = await start({ maxClients: 1 });
    const first = open(server.url);
    await first.next('hello');
    const second = open(server.url);
    expect(await second.closed).toBe(1013);
    expect(first.socket.readyState).toBe(WebSocket.OPEN);
  });
});
