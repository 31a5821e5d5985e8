/**
 * The simulated Kalshi WebSocket against our production client (src/integrations/kalshi),
 * over real sockets, with the real exchange engine behind it: books equal the engine's after
 * snapshot + many deltas, faults (drops, duplicates, dropped connections, pause) are detected
 * and healed by the client, private channels are authenticated and per account.
 */
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import WebSocket from 'ws';
import { RealClock } from '../../../src/core/clock/index.ts';
import { KalshiSigner } from '../../../src/integrations/kalshi/signer.ts';
import {
  KalshiWsClient,
  KalshiWsCommandError,
  type KalshiWsClientOptions,
} from '../../../src/integrations/kalshi/ws-client.ts';
import type {
  KalshiEventLifecycle,
  KalshiMarketLifecycle,
  KalshiOrder,
  KalshiPublicTrade,
  KalshiTickerUpdate,
  KalshiWsFill,
  KalshiWsMarketPosition,
} from '../../../src/integrations/kalshi/types.ts';
import { attachKalshiWebSocket, type KalshiWsServer } from '../../../src/simulator/api/kalshi-ws/index.ts';
import { FaultController } from '../../../src/simulator/faults/index.ts';
import { CLOSE_MS, EngineStreamSource, randomFlow, TICKERS } from './support/engine-source.ts';
import { rsaKeys, startHttpServer, until, type TestServer } from './support/harness.ts';

const clock = new RealClock();
const aliceKeys = rsaKeys();
const bobKeys = rsaKeys();
const strangerKeys = rsaKeys();
const [A, B, C] = TICKERS as [string, string, string];

let http: TestServer;
let source: EngineStreamSource;
let faults: FaultController;
let server: KalshiWsServer;
const clients: KalshiWsClient[] = [];

function signer(keyId: string, privateKey: string, skewMs = 0) {
  return new KalshiSigner({ keyId, privateKey, clock: { now: () => Date.now() + skewMs } });
}

function newClient(options: Partial<KalshiWsClientOptions> = {}): KalshiWsClient {
  const client = new KalshiWsClient({
    url: http.url('/trade-api/ws/v2'),
    clock,
    signer: signer('alice-key', aliceKeys.privateKey),
    random: () => 0.5,
    reconnect: { baseMs: 20, maxMs: 100 },
    heartbeatTimeoutMs: 5_000,
    commandTimeoutMs: 3_000,
    ...options,
  });
  client.on('warning', () => undefined); // warnings are expected under faults; counted in stats()
  clients.push(client);
  return client;
}

/** The client's book of a market in the engine's shape: ascending [price, count] per leg. */
function clientBook(client: KalshiWsClient, ticker: string) {
  const book = client.book(ticker);
  if (book === undefined) return undefined;
  const asc = (levels: { price: number; count: number }[]) =>
    levels.map((l): [number, number] => [l.price, l.count]).sort((a, b) => a[0] - b[0]);
  const snap = book.snapshot();
  return { ticker, yes: asc(snap.yesBids), no: asc(snap.noBids) };
}

function booksEqual(client: KalshiWsClient, tickers: readonly string[]): boolean {
  return tickers.every(
    (t) => JSON.stringify(clientBook(client, t)) === JSON.stringify(source.getOrderbook(t)),
  );
}

beforeEach(async () => {
  http = await startHttpServer();
  source = new EngineStreamSource();
  for (const account of ['mm1', 'mm2', 'alice', 'bob']) source.addAccount(account);
  source.addKey('alice-key', 'alice', aliceKeys.publicKey);
  source.addKey('bob-key', 'bob', bobKeys.publicKey);
  randomFlow(source, { seed: 'warm-up', steps: 150, accounts: ['mm1', 'mm2'], tickers: [A, B] });
  faults = new FaultController({ seed: 'kalshi-ws-test' });
  server = attachKalshiWebSocket({ server: http.server, source, clock, faults });
});

afterEach(async () => {
  await Promise.all(clients.splice(0).map((c) => c.close()));
  await server.close();
  await http.close();
});

describe('simulated Kalshi WebSocket with the production client', () => {
  it('builds books equal to the engine after the snapshot and many deltas', async () => {
    const client = newClient();
    await client.start();
    await client.subscribe({ channel: 'orderbook_delta', marketTickers: [...TICKERS] });
    await until(() => TICKERS.every((t) => client.book(t) !== undefined), 'snapshots');
    expect(booksEqual(client, TICKERS)).toBe(true);
    expect(source.getOrderbook(A)?.yes.length).toBeGreaterThan(0); // a non-trivial book

    randomFlow(source, { seed: 'many-deltas', steps: 1_500, accounts: ['mm1', 'mm2', 'alice', 'bob'] });
    await until(() => booksEqual(client, TICKERS), 'books equal to the engine');
    const stats = client.stats();
    expect(stats.messages).toBeGreaterThan(1_000);
    expect(stats).toMatchObject({ gaps: 0, resyncs: 0, parseErrors: 0, duplicates: 0 });
    expect(server.stats().bookRepairs).toBe(0);
  });

  it('serves snapshots that add up with the deltas while the engine is ahead of the delivered events', async () => {
    source.holdEvents = true; // as the runtime: events reach the server only once durable
    randomFlow(source, { seed: 'ahead', steps: 300, accounts: ['mm1', 'mm2'] });
    const client = newClient();
    await client.start();
    await client.subscribe({ channel: 'orderbook_delta', marketTickers: [...TICKERS] });
    await until(() => TICKERS.every((t) => client.book(t) !== undefined), 'snapshots');
    expect(booksEqual(client, TICKERS)).toBe(false); // the engine is ahead of what was delivered
    source.holdEvents = false;
    source.flush();
    randomFlow(source, { seed: 'after', steps: 200, accounts: ['mm1', 'mm2'] });
    await until(() => booksEqual(client, TICKERS), 'books equal after the held events arrive');
    expect(client.stats()).toMatchObject({ gaps: 0, resyncs: 0 });
  });

  it('turns injected drops into seq gaps that the client heals by resubscribing', async () => {
    const client = newClient();
    const gaps: number[] = [];
    client.on('seqGap', (gap) => gaps.push(gap.received - gap.expected));
    await client.start();
    await client.subscribe({ channel: 'orderbook_delta', marketTickers: [...TICKERS] });
    await until(() => TICKERS.every((t) => client.book(t) !== undefined), 'snapshots');

    faults.update({ ws: { dropShare: 0.05, messageTypes: ['orderbook_delta'] } });
    randomFlow(source, { seed: 'lossy', steps: 600, accounts: ['mm1', 'mm2'] });
    await until(() => client.stats().resyncs > 0, 'a resync');
    faults.clear();
    randomFlow(source, { seed: 'calm', steps: 50, accounts: ['mm1', 'mm2'] });
    await until(() => booksEqual(client, TICKERS), 'books healed');
    expect(gaps.length).toBeGreaterThan(0);
    expect(gaps.every((missing) => missing >= 1)).toBe(true);
    expect(faults.stats().wsDropped).toBeGreaterThan(0);
  });

  it('drops duplicated messages by their seq and keeps the books right', async () => {
    const client = newClient();
    await client.start();
    await client.subscribe({ channel: 'orderbook_delta', marketTickers: [...TICKERS] });
    await until(() => TICKERS.every((t) => client.book(t) !== undefined), 'snapshots');
    faults.update({ ws: { duplicateShare: 0.2 } });
    randomFlow(source, { seed: 'echo', steps: 300, accounts: ['mm1', 'mm2'] });
    await until(() => booksEqual(client, TICKERS) && client.stats().duplicates > 0, 'books with duplicates');
    expect(client.stats()).toMatchObject({ gaps: 0, resyncs: 0 });
    expect(client.stats().duplicates).toBe(faults.stats().wsDuplicated);
  });

  it('after a dropped connection the client reconnects, resubscribes and rebuilds its books', async () => {
    const client = newClient();
    const resubscribed: boolean[] = [];
    client.on('subscribed', ({ resubscribed: again }) => resubscribed.push(again));
    await client.start();
    await client.subscribe({ channel: 'orderbook_delta', marketTickers: [...TICKERS] });
    await until(() => TICKERS.every((t) => client.book(t) !== undefined), 'snapshots');

    expect(faults.dropConnections({ target: 'kalshi' })).toEqual({ dropped: 1 });
    randomFlow(source, { seed: 'while-down', steps: 100, accounts: ['mm1', 'mm2'] });
    await until(() => resubscribed.includes(true), 'a resubscription');
    randomFlow(source, { seed: 'back', steps: 100, accounts: ['mm1', 'mm2'] });
    await until(() => booksEqual(client, TICKERS), 'books rebuilt');
    expect(client.stats().reconnects).toBeGreaterThanOrEqual(1);
    expect(server.connectionCount).toBe(1);
  });

  it('withholds data while the exchange is paused; the gap after it makes the client resync', async () => {
    const client = newClient();
    let deltas = 0;
    client.on('book', ({ cause }) => {
      if (cause === 'delta') deltas += 1;
    });
    await client.start();
    await client.subscribe({ channel: 'orderbook_delta', marketTickers: [...TICKERS] });
    await until(() => TICKERS.every((t) => client.book(t) !== undefined), 'snapshots');
    faults.update({ paused: true });
    randomFlow(source, { seed: 'paused', steps: 100, accounts: ['mm1', 'mm2'] });
    await new Promise((resolve) => setTimeout(resolve, 100));
    expect(deltas).toBe(0);
    expect(server.stats().withheldWhilePaused).toBeGreaterThan(0);
    expect(client.isOpen).toBe(true);
    faults.update({ paused: false });
    randomFlow(source, { seed: 'resumed', steps: 100, accounts: ['mm1', 'mm2'] });
    await until(() => booksEqual(client, TICKERS), 'books after the pause');
    expect(client.stats().resyncs).toBeGreaterThan(0);
  });

  it('delays messages under a latency fault without reordering them', async () => {
    faults.update({ latency: { wsMs: 30, jitterMs: 40 } });
    const client = newClient();
    await client.start();
    await client.subscribe({ channel: 'orderbook_delta', marketTickers: [...TICKERS] });
    randomFlow(source, { seed: 'slow', steps: 300, accounts: ['mm1', 'mm2'] });
    await until(() => booksEqual(client, TICKERS), 'books under latency');
    expect(client.stats()).toMatchObject({ gaps: 0, resyncs: 0, duplicates: 0 });
  });
});

describe('authentication', () => {
  it('an anonymous connection gets public channels and error 9 on private ones', async () => {
    const client = newClient({ signer: undefined });
    await client.start();
    for (const channel of ['fill', 'orderbook_delta', 'market_positions', 'user_orders'] as const) {
      const error = await client
        .subscribe({ channel, marketTickers: channel === 'fill' ? undefined : [A] })
        .catch((e: unknown) => e);
      expect(error).toBeInstanceOf(KalshiWsCommandError);
      expect((error as KalshiWsCommandError).code).toBe(9);
    }
    const ticker = await client.subscribe({ channel: 'ticker', marketTickers: [A] });
    expect(ticker.sid).toBeGreaterThan(0);
    expect(server.stats().authenticatedConnections).toBe(0);
  });

  it('refuses the handshake with 401 for an unknown key, a wrong key or a stale timestamp', async () => {
    const attempts = [
      signer('nobody', strangerKeys.privateKey).headers('GET', '/trade-api/ws/v2'),
      signer('alice-key', strangerKeys.privateKey).headers('GET', '/trade-api/ws/v2'),
      signer('alice-key', aliceKeys.privateKey, -120_000).headers('GET', '/trade-api/ws/v2'),
      signer('alice-key', aliceKeys.privateKey).headers('GET', '/trade-api/v2/portfolio/orders'),
    ];
    for (const headers of attempts) {
      const status = await new Promise<number>((resolve, reject) => {
        const ws = new WebSocket(http.url('/trade-api/ws/v2'), { headers });
        ws.on('unexpected-response', (_req, res) => resolve(res.statusCode ?? 0));
        ws.on('open', () => reject(new Error('handshake accepted')));
        ws.on('error', () => undefined);
      });
      expect(status).toBe(401);
    }
    const good = newClient();
    await good.start();
    await good.subscribe({ channel: 'fill' });
    expect(server.stats().authenticatedConnections).toBe(1);
  });
});

describe('private channels', () => {
  it('deliver fills, orders and positions of the connection’s own account only', async () => {
    const alice = newClient();
    const bob = newClient({ signer: signer('bob-key', bobKeys.privateKey) });
    const seen = {
      alice: {
        fills: [] as KalshiWsFill[],
        orders: [] as KalshiOrder[],
        positions: [] as KalshiWsMarketPosition[],
      },
      bob: {
        fills: [] as KalshiWsFill[],
        orders: [] as KalshiOrder[],
        positions: [] as KalshiWsMarketPosition[],
      },
    };
    const deltaIds = { alice: [] as (string | undefined)[], bob: [] as (string | undefined)[] };
    for (const [name, client] of [
      ['alice', alice],
      ['bob', bob],
    ] as const) {
      client.on('fill', (f) => seen[name].fills.push(f));
      client.on('userOrder', (o) => seen[name].orders.push(o));
      client.on('marketPosition', (p) => seen[name].positions.push(p));
      client.on('book', ({ delta }) => {
        if (delta) deltaIds[name].push(delta.clientOrderId);
      });
      await client.start();
      await client.subscribe({ channel: 'fill' });
      await client.subscribe({ channel: 'user_orders' });
      await client.subscribe({ channel: 'market_positions' });
      await client.subscribe({ channel: 'orderbook_delta', marketTickers: [C] });
    }
    await until(() => alice.book(C) !== undefined && bob.book(C) !== undefined, 'snapshots');
    // C has no other orders: bob rests a bid at 3¢, alice sells into it
    const rest = source.run((nowMs) =>
      source.engine.placeOrder({
        accountId: 'bob',
        ticker: C,
        side: 'bid',
        priceCc: 300,
        count: 10,
        timeInForce: 'good_till_canceled',
        clientOrderId: 'bob-1',
        nowMs,
      }),
    );
    expect(rest.ok).toBe(true);
    const take = source.run((nowMs) =>
      source.engine.placeOrder({
        accountId: 'alice',
        ticker: C,
        side: 'ask',
        priceCc: 300,
        count: 4,
        timeInForce: 'immediate_or_cancel',
        clientOrderId: 'alice-1',
        nowMs,
      }),
    );
    expect(take.ok && take.value.fills.length).toBe(1);
    await until(
      () => seen.alice.fills.length === 1 && seen.bob.fills.length === 1 && seen.alice.positions.length > 0,
      'fills and positions',
    );
    await new Promise((resolve) => setTimeout(resolve, 50)); // nothing else may arrive

    const [aliceFill] = seen.alice.fills as [KalshiWsFill];
    const [bobFill] = seen.bob.fills as [KalshiWsFill];
    expect(aliceFill).toMatchObject({
      isTaker: true,
      bookSide: 'ask',
      outcomeSide: 'no',
      count: 4,
      yesPrice: 300,
    });
    expect(aliceFill.clientOrderId).toBe('alice-1');
    expect(aliceFill.postPosition).toBe(-4);
    expect(bobFill).toMatchObject({
      isTaker: false,
      bookSide: 'bid',
      outcomeSide: 'yes',
      count: 4,
      yesPrice: 300,
    });
    expect(bobFill.clientOrderId).toBe('bob-1');
    expect(aliceFill.tradeId).toBe(bobFill.tradeId);
    expect(seen.alice.orders.every((o) => o.clientOrderId === 'alice-1')).toBe(true);
    expect(seen.bob.orders.every((o) => o.clientOrderId === 'bob-1')).toBe(true);
    expect(seen.bob.orders.at(-1)).toMatchObject({ status: 'resting', fillCount: 4, remainingCount: 6 });

    const alicePosition = source.engine.getPosition('alice', C)!;
    expect(seen.alice.positions.at(-1)).toMatchObject({
      marketTicker: C,
      position: -4,
      positionCost: alicePosition.costBasisCc, // centi-cents on this channel
      feesPaid: alicePosition.feesPaidCc,
      realizedPnl: alicePosition.realizedPnlCc,
    });
    expect(alicePosition.costBasisCc).toBe(4 * 9_700); // 4 NO at $0.97
    expect(seen.bob.positions.every((p) => p.position >= 0)).toBe(true);

    // client_order_id on a delta only for the account whose order caused it: bob's resting
    // bid added the level, alice's sell took 4 off it; each sees only its own id
    const own = (ids: (string | undefined)[]) => ids.filter((id) => id !== undefined);
    expect(own(deltaIds.bob)).toEqual(['bob-1']);
    expect(own(deltaIds.alice)).toEqual(['alice-1']);
    expect(deltaIds.alice).toHaveLength(2);
    expect(deltaIds.bob).toHaveLength(2);
    expect(booksEqual(alice, [C]) && booksEqual(bob, [C])).toBe(true);
  });
});

describe('public channels', () => {
  it('ticker, trade and lifecycle messages reach the client with the engine’s values', async () => {
    const client = newClient({ signer: undefined });
    const tickers: KalshiTickerUpdate[] = [];
    const trades: KalshiPublicTrade[] = [];
    const lifecycle: KalshiMarketLifecycle[] = [];
    const listed: KalshiEventLifecycle[] = [];
    client.on('ticker', (t) => tickers.push(t));
    client.on('trade', (t) => trades.push(t));
    client.on('marketLifecycle', (l) => lifecycle.push(l));
    client.on('eventLifecycle', (e) => listed.push(e));
    await client.start();
    await client.subscribe({ channel: 'ticker', marketTickers: [A] });
    await client.subscribe({ channel: 'trade' });
    await client.subscribe({ channel: 'market_lifecycle_v2' });

    const tradeIds = () => TICKERS.flatMap((t) => source.engine.listTrades(t));
    const earlier = new Set(tradeIds().map((t) => t.tradeId));
    randomFlow(source, { seed: 'public', steps: 200, accounts: ['mm1', 'mm2'] });
    const engineTrades = tradeIds().filter((t) => !earlier.has(t.tradeId));
    expect(engineTrades.length).toBeGreaterThan(10);
    await until(() => trades.length === engineTrades.length && tickers.length > 0, 'trades and tickers');
    const byId = new Map(engineTrades.map((t) => [t.tradeId, t]));
    for (const trade of trades) {
      const record = byId.get(trade.tradeId!)!;
      expect(trade).toMatchObject({
        marketTicker: record.ticker,
        yesPrice: record.yesPriceCc,
        noPrice: record.noPriceCc,
        count: record.count,
        takerSide: record.takerOutcomeSide,
      });
    }
    expect(tickers.every((t) => t.marketTicker === A)).toBe(true);
    const market = source.engine.getMarket(A)!;
    await until(() => tickers.at(-1)?.volume === market.volume, 'the last ticker');
    expect(tickers.at(-1)).toMatchObject({
      yesBid: market.yesBidCc ?? 0,
      yesAsk: market.yesAskCc ?? 10_000,
      lastPrice: market.lastPriceCc ?? 0,
      openInterest: market.openInterest,
    });

    // a new market is created, then the hour closes, is determined and settles
    const ticker = 'KXBTCD-25AUG0316-T115499.99';
    source.run((nowMs) =>
      source.engine.createMarket(
        {
          ticker,
          eventTicker: 'KXBTCD-25AUG0316',
          seriesTicker: 'KXBTCD',
          strike: 115_500,
          openTime: CLOSE_MS - 3_600_000,
          closeTime: CLOSE_MS,
        },
        nowMs,
      ),
    );
    source.listEvent({
      eventTicker: 'KXBTCD-25AUG0317',
      seriesTicker: 'KXBTCD',
      symbol: 'BTC',
      closeTime: CLOSE_MS + 3_600_000,
    });
    source.advanceTo(CLOSE_MS);
    source.run((nowMs) =>
      source.engine.determineMarket({ ticker, result: 'no', expirationValue: '115321.07', nowMs }),
    );
    source.run((nowMs) => source.engine.settleMarket({ ticker, nowMs }));
    await until(
      () => lifecycle.some((l) => l.marketTicker === ticker && l.eventType === 'settled'),
      'settled',
    );
    const own = lifecycle.filter((l) => l.marketTicker === ticker);
    expect(own.map((l) => l.eventType)).toEqual(['created', 'activated', 'determined', 'settled']);
    expect(own[0]).toMatchObject({ strike: 115_500, floorStrike: 115_499.99, closeTime: CLOSE_MS });
    expect(own[2]).toMatchObject({ result: 'no' });
    expect(listed).toEqual([
      expect.objectContaining({
        eventTicker: 'KXBTCD-25AUG0317',
        seriesTicker: 'KXBTCD',
        strikeDate: CLOSE_MS + 3_600_000,
      }),
    ]);
    expect(listed[0]!.title).toContain('Bitcoin price');
    expect(client.stats().parseErrors).toBe(0);
  });
});
