import { describe, it, expect, beforeEach, afterEach } from 'vitest';
import { generateKeyPairSync } from 'node:crypto';
import { RealClock } from '../../core/clock/index.ts';
import { KalshiSigner } from './signer.ts';
import {
  KalshiWsClient,
  KalshiWsCommandError,
  KalshiWsDisconnectedError,
  type KalshiWsEvents,
} from './ws-client.ts';
import { FakeKalshiWs } from './testing/fake-kalshi-ws.ts';

const keys = generateKeyPairSync('rsa', {
  modulusLength: 2048,
  privateKeyEncoding: { type: 'pkcs8', format: 'pem' },
  publicKeyEncoding: { type: 'spki', format: 'pem' },
});
const clock = new RealClock();
const signer = new KalshiSigner({ keyId: 'ws-key', privateKey: keys.privateKey, clock });
const A = 'KXBTCD-25AUG0316-T114749.99';
const B = 'KXBTCD-25AUG0316-T114999.99';

let server: FakeKalshiWs;
let client: KalshiWsClient;

function newClient(options: Partial<ConstructorParameters<typeof KalshiWsClient>[0]> = {}) {
  client = new KalshiWsClient({
    url: server.url,
    clock,
    signer,
    random: () => 0.5,
    reconnect: { baseMs: 20, maxMs: 100 },
    heartbeatTimeoutMs: 2_000,
    commandTimeoutMs: 2_000,
    ...options,
  });
  return client;
}

/** Resolves with the first event of `name` that satisfies `predicate`. */
function next<K extends keyof KalshiWsEvents>(
  name: K,
  predicate: (...args: KalshiWsEvents[K]) => boolean = () => true,
  timeoutMs = 3_000,
): Promise<KalshiWsEvents[K]> {
  return new Promise((resolve, reject) => {
    const timer = setTimeout(
      () => reject(new Error(`no ${String(name)} event within ${timeoutMs} ms`)),
      timeoutMs,
    );
    const listener = (...args: KalshiWsEvents[K]) => {
      if (!predicate(...args)) return;
      clearTimeout(timer);
      (client.off as (n: K, l: typeof listener) => void)(name, listener);
      resolve(args);
    };
    (client.on as (n: K, l: typeof listener) => void)(name, listener);
  });
}

/** Waits until `condition` holds (polling), for state reached by several messages. */
async function until(condition: () => boolean, timeoutMs = 3_000): Promise<void> {
  const start = Date.now();
  while (!condition()) {
    if (Date.now() - start > timeoutMs) throw new Error('condition not reached');
    await new Promise((resolve) => setTimeout(resolve, 5));
  }
}

beforeEach(async () => {
  server = await FakeKalshiWs.start({ publicKeyPem: keys.publicKey });
  server.setBook(
    A,
    [
      [2_000, 5],
      [2_100, 150],
    ],
    [
      [7_700, 40],
      [7_600, 7],
    ],
  );
  server.setBook(B, [[1_000, 3]], [[8_800, 9]]);
});

afterEach(async () => {
  await client?.close();
  await server.close();
});

describe('KalshiWsClient', () => {
  it('connects with a signed handshake', async () => {
    await newClient().start();
    expect(server.handshakes).toEqual([{ signed: true }]);
    expect(client.isOpen).toBe(true);
  });

  it('builds books from snapshot + deltas and keeps them equal to the server', async () => {
    await newClient().start();
    const sub = await client.subscribe({ channel: 'orderbook_delta', marketTickers: [A, B] });
    expect(sub.sid).toBeGreaterThan(0);
    await until(() => client.book(A) !== undefined && client.book(B) !== undefined);
    expect(client.book(A)!.snapshot()).toEqual({ marketTicker: A, ...server.bookOf(A) });
    expect(client.book(A)!.top()).toEqual({
      yesBid: { price: 2_100, count: 150 },
      yesAsk: { price: 2_300, count: 40 },
      noBid: { price: 7_700, count: 40 },
      noAsk: { price: 7_900, count: 150 },
    });

    const deltas: number[] = [];
    client.on('book', (e) => e.cause === 'delta' && deltas.push(e.seq));
    server.delta(A, 'yes', 2_200, 12, { clientOrderId: 'mine' });
    server.delta(A, 'no', 7_700, -40);
    server.delta(B, 'yes', 1_000, -3);
    server.delta(A, 'yes', 2_150, 1); // a sub-cent level
    await until(() => deltas.length === 4);
    expect(client.book(A)!.snapshot()).toEqual({ marketTicker: A, ...server.bookOf(A) });
    expect(client.book(B)!.snapshot()).toEqual({ marketTicker: B, ...server.bookOf(B) });
    expect(client.book(A)!.bestAsk('yes')).toEqual({ price: 2_400, count: 7 });
    expect(client.stats()).toMatchObject({ gaps: 0, duplicates: 0, resyncs: 0 });
  });

  it('ignores duplicated messages', async () => {
    await newClient().start();
    await client.subscribe({ channel: 'orderbook_delta', marketTickers: [A] });
    await until(() => client.book(A) !== undefined);
    server.delta(A, 'yes', 2_100, 10, { duplicate: true });
    server.delta(A, 'yes', 2_100, 1);
    await until(() => client.book(A)!.bestBid('yes')?.count === 161);
    expect(client.stats().duplicates).toBe(1);
    expect(client.book(A)!.snapshot()).toEqual({ marketTicker: A, ...server.bookOf(A) });
  });

  it('on a seq gap discards the book, resubscribes and rebuilds from a fresh snapshot', async () => {
    await newClient().start();
    const sub = await client.subscribe({ channel: 'orderbook_delta', marketTickers: [A] });
    await until(() => client.book(A) !== undefined);
    const firstSid = sub.sid;
    const gap = next('seqGap');
    const reset = next('bookReset');
    const resubscribed = next('subscribed', (e) => e.resubscribed);
    server.delta(A, 'yes', 2_100, 10, { skip: 1 }); // one message "lost"
    expect((await gap)[0]).toMatchObject({ channel: 'orderbook_delta', expected: 2, received: 3 });
    expect((await reset)[0].marketTicker).toBe(A);
    await resubscribed;
    await until(() => client.book(A) !== undefined);
    expect(sub.sid).not.toBe(firstSid);
    expect(client.book(A)!.snapshot()).toEqual({ marketTicker: A, ...server.bookOf(A) });
    expect(server.commands.filter((c) => c.cmd === 'unsubscribe').map((c) => c.params?.sids)).toEqual([
      [firstSid],
    ]);
    expect(client.stats()).toMatchObject({ gaps: 1, resyncs: 1 });
    // and the stream goes on under the new sid
    server.delta(A, 'no', 7_600, 3);
    await until(() =>
      client
        .book(A)!
        .depth('no')
        .some((l) => l.price === 7_600 && l.count === 10),
    );
  });

  it('a delta the book cannot take (level below zero) triggers a resync', async () => {
    await newClient().start();
    await client.subscribe({ channel: 'orderbook_delta', marketTickers: [A] });
    await until(() => client.book(A) !== undefined);
    // corrupt the client's view: the server's next delta removes more than the client holds
    client.book(A)!.applyDelta('yes', 2_100, -100);
    const resubscribed = next('subscribed', (e) => e.resubscribed);
    server.delta(A, 'yes', 2_100, -120);
    await resubscribed;
    await until(() => client.book(A)?.bestBid('yes')?.count === 30);
    expect(client.stats().resyncs).toBe(1);
  });

  it('reconnects after a dropped connection and resubscribes every channel', async () => {
    await newClient().start();
    await client.subscribe({ channel: 'orderbook_delta', marketTickers: [A] });
    await client.subscribe({ channel: 'ticker' });
    await until(() => client.book(A) !== undefined);
    const reconnecting = next('reconnecting');
    const both = Promise.all([
      next('subscribed', (e) => e.resubscribed && e.subscription.channel === 'ticker'),
      next('subscribed', (e) => e.resubscribed && e.subscription.channel === 'orderbook_delta'),
    ]);
    server.dropAll();
    expect((await reconnecting)[0]).toEqual({ attempt: 1, delayMs: 15 });
    await both;
    expect(server.connectionCount).toBe(1);
    expect(server.handshakes).toHaveLength(2);
    await until(() => client.book(A) !== undefined);
    server.delta(A, 'yes', 2_100, 1);
    await until(() => client.book(A)!.bestBid('yes')?.count === 151);
    const tickers: string[] = [];
    client.on('ticker', (t) => tickers.push(t.marketTicker));
    server.publish('ticker', 'ticker', {
      market_ticker: B,
      price_dollars: '0.1000',
      yes_bid_dollars: '0.0900',
      no_bid_dollars: '0.8800',
      volume_fp: '10.00',
      open_interest_fp: '5.00',
      ts: 1754250612,
    });
    await until(() => tickers.length === 1);
    expect(client.stats().reconnects).toBe(1);
  });

  it('keeps trying while the server is down, then resubscribes', async () => {
    await newClient().start();
    await client.subscribe({ channel: 'orderbook_delta', marketTickers: [A] });
    const url = server.url;
    await server.close();
    await until(() => client.stats().reconnects >= 3);
    // a new server on the same port
    const port = Number(new URL(url).port);
    const { WebSocketServer } = await import('ws');
    const revived = new WebSocketServer({ host: '127.0.0.1', port, path: '/trade-api/ws/v2' });
    const got: string[] = [];
    revived.on('connection', (socket) =>
      socket.on('message', (data) => got.push(JSON.parse(data.toString()).cmd)),
    );
    await until(() => got.includes('subscribe'), 5_000);
    await client.close();
    await new Promise<void>((resolve) => revived.close(() => resolve()));
  });

  it('reconnects when the server falls silent past the heartbeat timeout', async () => {
    await server.close();
    server = await FakeKalshiWs.start({ publicKeyPem: keys.publicKey, pingIntervalMs: 50 });
    await newClient({ heartbeatTimeoutMs: 300 }).start();
    await new Promise((resolve) => setTimeout(resolve, 400));
    expect(client.stats().reconnects).toBe(0); // pings keep it alive
    expect(server.pongs).toBeGreaterThan(0); // and they are answered
    const warning = next('warning', (w) => w.kind === 'heartbeat_timeout');
    server.silence(true);
    await warning;
    await next('open');
    expect(client.stats().reconnects).toBe(1);
  });

  it('command errors reject with Kalshi code; list and update subscriptions', async () => {
    await newClient().start();
    server.rejectChannels.add('fill');
    const error = await client.subscribe({ channel: 'fill' }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(KalshiWsCommandError);
    expect(error).toMatchObject({ code: 8, command: 'subscribe' });
    expect(client.subscriptions()).toHaveLength(0);

    const sub = await client.subscribe({ channel: 'orderbook_delta', marketTickers: [A] });
    expect(await client.listSubscriptions()).toEqual([{ channel: 'orderbook_delta', sid: sub.sid }]);

    await client.updateSubscription(sub, 'add_markets', [B]);
    await until(() => client.book(B) !== undefined);
    expect(sub.marketTickers).toEqual([A, B]);
    const reset = next('bookReset', (e) => e.marketTicker === A);
    await client.updateSubscription(sub, 'delete_markets', [A]);
    await reset;
    expect(client.book(A)).toBeUndefined();
    expect(server.commands.at(-1)).toMatchObject({
      cmd: 'update_subscription',
      params: { sids: [sub.sid], market_tickers: [A], action: 'delete_markets' },
    });
  });

  it('an update made while the subscribe is in flight is sent once it is acknowledged', async () => {
    await newClient().start();
    const pending = client.subscribe({ channel: 'orderbook_delta', marketTickers: [A] });
    const handle = client.subscriptions()[0]!;
    await client.updateSubscription(handle, 'add_markets', [B]);
    await pending;
    await until(() => client.book(A) !== undefined && client.book(B) !== undefined);
    expect(server.commands.map((c) => c.cmd)).toEqual(['subscribe', 'update_subscription']);
  });

  it('unsubscribe drops the books and ignores later messages of the old sid', async () => {
    await newClient().start();
    const sub = await client.subscribe({ channel: 'orderbook_delta', marketTickers: [A] });
    await until(() => client.book(A) !== undefined);
    const sid = sub.sid!;
    await client.unsubscribe(sub);
    expect(client.book(A)).toBeUndefined();
    expect(server.sidsOf('orderbook_delta')).toEqual([]);
    server.sendRaw(
      JSON.stringify({
        type: 'orderbook_delta',
        sid,
        seq: 2,
        msg: { market_ticker: A, price_dollars: '0.2100', delta_fp: '1.00', side: 'yes' },
      }),
    );
    await until(() => client.stats().staleMessages === 1);
  });

  it('emits parsed channel messages', async () => {
    await newClient().start();
    await client.subscribe({ channel: 'fill' });
    await client.subscribe({ channel: 'market_positions' });
    await client.subscribe({ channel: 'market_lifecycle_v2' });
    const fill = next('fill');
    const position = next('marketPosition');
    const lifecycle = next('marketLifecycle');
    server.publish('fill', 'fill', {
      trade_id: 't1',
      order_id: 'o1',
      market_ticker: A,
      is_taker: true,
      side: 'yes',
      action: 'buy',
      yes_price_dollars: '0.2300',
      count_fp: '5.00',
      ts: 1754250601,
      client_order_id: 'c1',
    });
    server.publish('market_positions', 'market_position', {
      market_ticker: A,
      position_fp: '5.00',
      position_cost: 11500,
      realized_pnl: 0,
      fees_paid: 700,
    });
    server.publish('market_lifecycle_v2', 'market_lifecycle_v2', {
      market_ticker: A,
      event_type: 'determined',
      result: 'no',
      determination_ts: 1754251270,
    });
    expect((await fill)[0]).toMatchObject({
      tradeId: 't1',
      count: 5,
      yesPrice: 2_300,
      clientOrderId: 'c1',
      bookSide: 'bid',
    });
    expect((await position)[0]).toMatchObject({ position: 5, positionCost: 11_500, feesPaid: 700 });
    expect((await lifecycle)[0]).toMatchObject({
      eventType: 'determined',
      result: 'no',
      determinationTime: 1_754_251_270_000,
    });
  });

  it('reports malformed messages as warnings; a bad order-book message forces a resync', async () => {
    await newClient().start();
    const sub = await client.subscribe({ channel: 'orderbook_delta', marketTickers: [A] });
    await until(() => client.book(A) !== undefined);
    const warning = next('warning', (w) => w.kind === 'parse_error');
    server.sendRaw('not json');
    expect((await warning)[0].message).toMatch(/JSON/);
    const resubscribed = next('subscribed', (e) => e.resubscribed);
    server.sendRaw(
      JSON.stringify({
        type: 'orderbook_delta',
        sid: sub.sid,
        seq: 2,
        msg: { market_ticker: A, price_dollars: '0.21', delta_fp: '0.50', side: 'yes' },
      }),
    );
    await resubscribed;
    await until(() => client.book(A) !== undefined);
    expect(client.stats()).toMatchObject({ parseErrors: 2, resyncs: 1 });
  });

  it('close() rejects what is pending and stops reconnecting', async () => {
    await newClient().start();
    server.rejectChannels.clear();
    const pending = client.subscribe({ channel: 'ticker' }).catch((e: unknown) => e);
    await client.close();
    expect(await pending).toBeInstanceOf(KalshiWsDisconnectedError);
    await new Promise((resolve) => setTimeout(resolve, 100));
    expect(server.connectionCount).toBe(0);
    await expect(client.subscribe({ channel: 'ticker' })).rejects.toThrow(/closed/);
  });
});
