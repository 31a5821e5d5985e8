/**
 * The simulated Coinbase Exchange feed with our production ticker client
 * (src/integrations/coinbase/ticker-client.ts) over real sockets: ticks and heartbeats,
 * injected duplicates and gaps detected, reconnection after a dropped connection; and the
 * protocol from a bare socket (subscriptions reply, errors, the 5-second subscribe rule).
 */
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { RealClock, SimulatedClock, type Clock } from '../../../src/core/clock/index.ts';
import { parseCoinbaseMessage } from '../../../src/integrations/coinbase/models.ts';
import {
  CoinbaseTickerClient,
  type CoinbaseGap,
  type CoinbaseTickEvent,
} from '../../../src/integrations/coinbase/ticker-client.ts';
import type { CoinbaseHeartbeat } from '../../../src/integrations/coinbase/models.ts';
import { attachCoinbaseWebSocket, type CoinbaseWsServer } from '../../../src/simulator/api/coinbase/index.ts';
import { FaultController } from '../../../src/simulator/faults/index.ts';
import type { SpotTick } from '../../../src/simulator/market/coinbase-feed.ts';
import { sleep, startHttpServer, until, type TestServer } from './support/harness.ts';
import { RawWs } from './support/raw-ws.ts';
import { SpotFeedSource } from './support/spot-source.ts';

const START = Date.UTC(2025, 7, 3, 19, 0, 0);

let http: TestServer;
let source: SpotFeedSource;
let faults: FaultController;
let server: CoinbaseWsServer;
const closers: Array<() => Promise<void> | void> = [];

/** Attaches the feed, then lets 5 s of market pass (so there is a latest trade to replay). */
function attach(clock: Clock = new RealClock(), heartbeatIntervalMs = 50) {
  server = attachCoinbaseWebSocket({ server: http.server, source, clock, faults, heartbeatIntervalMs });
  source.step(5);
}

function newClient(): CoinbaseTickerClient {
  const client = new CoinbaseTickerClient({
    url: http.url('/coinbase/ws'),
    productIds: ['BTC-USD'],
    clock: new RealClock(),
    random: () => 0.5,
    reconnect: { baseMs: 20, maxMs: 100 },
    silenceTimeoutMs: 2_000,
  });
  client.on('warning', () => undefined);
  closers.push(() => client.close());
  return client;
}

function record(client: CoinbaseTickerClient) {
  const seen = {
    ticks: [] as CoinbaseTickEvent[],
    heartbeats: [] as CoinbaseHeartbeat[],
    gaps: [] as CoinbaseGap[],
    duplicates: 0,
  };
  client.on('tick', (t) => seen.ticks.push(t));
  client.on('heartbeat', (h) => seen.heartbeats.push(h));
  client.on('gap', (g) => seen.gaps.push(g));
  client.on('duplicate', () => (seen.duplicates += 1));
  return seen;
}

const btc = (ticks: SpotTick[]) => ticks.filter((t) => t.productId === 'BTC-USD');

beforeEach(async () => {
  http = await startHttpServer();
  source = new SpotFeedSource({ startMs: START, seed: 'coinbase-ws' });
  faults = new FaultController({ seed: 'coinbase-ws' });
});

afterEach(async () => {
  for (const close of closers.splice(0)) await close();
  await server.close();
  await http.close();
});

describe('simulated Coinbase feed with the production ticker client', () => {
  it('delivers every trade of the subscribed product and heartbeats with the last trade id', async () => {
    attach();
    const client = newClient();
    const seen = record(client);
    await client.start();
    const sent = btc(source.step(30));
    await until(() => seen.ticks.length === sent.length + 1, 'ticks'); // +1: the latest trade replayed on subscribe
    const ticks = seen.ticks.slice(1);
    expect(ticks.map((t) => t.tradeId)).toEqual(sent.map((t) => t.tradeId));
    expect(ticks.map((t) => [t.price, t.time, t.side, t.bestBid, t.bestAsk])).toEqual(
      sent.map((t) => [t.price, t.timeMs, t.side, t.bestBid, t.bestAsk]),
    );
    expect(ticks.every((t) => t.productId === 'BTC-USD')).toBe(true);
    const last = sent.at(-1)!;
    await until(
      () => seen.heartbeats.some((h) => h.lastTradeId === last.tradeId),
      'a heartbeat after the ticks',
    );
    expect(seen.heartbeats.at(-1)).toMatchObject({ productId: 'BTC-USD', sequence: last.sequence });
    expect(client.stats()).toMatchObject({ gaps: 0, duplicates: 0, parseErrors: 0 });
  });

  it('reports injected duplicates and the trades lost to injected drops', async () => {
    attach();
    const client = newClient();
    const seen = record(client);
    await client.start();
    faults.update({
      ws: { dropShare: 0.1, duplicateShare: 0.1, targets: ['coinbase'], messageTypes: ['ticker'] },
    });
    const sent = btc(source.step(60));
    faults.clear();
    const last = sent.at(-1)!;
    // the heartbeat after the last trade also reveals drops at the very end
    await until(
      () => seen.heartbeats.some((h) => h.lastTradeId === last.tradeId),
      'a heartbeat after the ticks',
    );
    await sleep(20);
    const { wsDropped, wsDuplicated } = faults.stats();
    expect(wsDropped).toBeGreaterThan(0);
    expect(wsDuplicated).toBeGreaterThan(0);
    const missed = seen.gaps.reduce((sum, g) => sum + g.missedTrades, 0);
    // faults hit both products' ticker messages; the client subscribed to BTC-USD only
    const delivered = new Set(seen.ticks.map((t) => t.tradeId));
    const lost = sent.filter((t) => !delivered.has(t.tradeId)).length;
    expect(missed).toBe(lost);
    expect(lost).toBeGreaterThan(0);
    expect(seen.duplicates).toBeGreaterThan(0);
    expect(seen.ticks.map((t) => t.tradeId)).toEqual([...delivered]); // no trade handed on twice
  });

  it('reconnects after a dropped connection and resumes the feed', async () => {
    attach();
    const client = newClient();
    const seen = record(client);
    let subscriptions = 0;
    client.on('subscribed', () => (subscriptions += 1));
    await client.start();
    source.step(5);
    expect(faults.dropConnections({ target: 'coinbase' })).toEqual({ dropped: 1 });
    await until(() => subscriptions === 2, 'a new subscription');
    const after = btc(source.step(10));
    await until(() => seen.ticks.at(-1)?.tradeId === after.at(-1)!.tradeId, 'ticks after the reconnect');
    expect(client.stats().reconnects).toBe(1);
    expect(seen.duplicates).toBe(0); // the replayed latest trade is recognised, not a duplicate
    expect(server.connectionCount).toBe(1);
  });
});

describe('Coinbase feed protocol', () => {
  it('answers subscribe with the full subscriptions, then replays the latest trade', async () => {
    attach();
    const ws = await RawWs.open(http.url('/coinbase/ws'));
    closers.push(() => ws.close());
    ws.send({
      type: 'subscribe',
      product_ids: ['ETH-USD'],
      channels: ['ticker', { name: 'heartbeat', product_ids: ['BTC-USD'] }],
    });
    expect(await ws.next()).toEqual({
      type: 'subscriptions',
      channels: [
        { name: 'ticker', product_ids: ['ETH-USD'] },
        { name: 'heartbeat', product_ids: ['BTC-USD'] },
      ],
    });
    const replay = await ws.next();
    expect(replay).toMatchObject({
      type: 'ticker',
      product_id: 'ETH-USD',
      trade_id: source.feed('ETH-USD').snapshot().tradeId,
    });
    const eth = source.step(20).filter((t) => t.productId === 'ETH-USD');
    await until(() => ws.messages.filter((m) => m.type === 'ticker').length === eth.length + 1, 'ETH ticks');
    const tickers = ws.messages.filter((m) => m.type === 'ticker').slice(1);
    expect(tickers.map((m) => m.sequence)).toEqual(eth.map((t) => t.sequence));
    for (const m of tickers) {
      for (const field of [
        'price',
        'open_24h',
        'volume_24h',
        'low_24h',
        'high_24h',
        'volume_30d',
        'best_bid',
        'best_ask',
        'last_size',
      ]) {
        expect(typeof m[field]).toBe('string');
      }
      expect(m.time).toMatch(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{6}Z$/);
      expect(Number(m.low_24h)).toBeLessThanOrEqual(Number(m.price));
      expect(Number(m.high_24h)).toBeGreaterThanOrEqual(Number(m.price));
    }
    await until(() => ws.messages.some((m) => m.type === 'heartbeat'), 'a heartbeat');
    expect(ws.messages.filter((m) => m.type === 'heartbeat').every((m) => m.product_id === 'BTC-USD')).toBe(
      true,
    );
    ws.send({ type: 'unsubscribe', channels: ['heartbeat'], product_ids: ['BTC-USD'] });
    await until(
      () => ws.messages.some((m) => m.type === 'subscriptions' && m.channels.length === 1),
      'unsubscribed',
    );
    for (const m of ws.messages) expect(() => parseCoinbaseMessage(m)).not.toThrow();
  });

  it('answers bad requests with error messages and changes nothing', async () => {
    attach();
    const ws = await RawWs.open(http.url('/coinbase/ws'));
    closers.push(() => ws.close());
    const bad = [
      'nope',
      { type: 'subscribe', channels: ['ticker'] },
      { type: 'subscribe', product_ids: ['DOGE-USD'], channels: ['ticker'] },
      { type: 'subscribe', product_ids: ['BTC-USD'], channels: ['level3'] },
      { type: 'hello', product_ids: ['BTC-USD'], channels: ['ticker'] },
      { type: 'subscribe', product_ids: ['BTC-USD'] },
    ];
    for (const request of bad) {
      const reply = await ws.ask(request);
      expect(reply).toMatchObject({ type: 'error', message: expect.any(String), reason: expect.any(String) });
    }
    source.step(5);
    await sleep(30);
    expect(ws.pending()).toEqual([]);
    expect(server.stats().errors).toBe(bad.length);
  });

  it('disconnects a client that does not subscribe within 5 s of the clock', async () => {
    const clock = new SimulatedClock({ start: START, rate: 0 });
    attach(clock, 1_000);
    const idle = await RawWs.open(http.url('/coinbase/ws'));
    const active = await RawWs.open(http.url('/coinbase/ws'));
    closers.push(
      () => idle.close(),
      () => active.close(),
    );
    await active.ask({ type: 'subscribe', product_ids: ['BTC-USD'], channels: ['heartbeat'] });
    await clock.advance(4_999);
    await sleep(20);
    expect(idle.closed).toBe(false);
    await clock.advance(1);
    await until(() => idle.closed, 'the idle client disconnected');
    expect(idle.messages).toEqual([
      expect.objectContaining({ type: 'error', reason: expect.stringContaining('5 seconds') }),
    ]);
    expect(active.closed).toBe(false);
    expect(active.messages.filter((m) => m.type === 'heartbeat')).toHaveLength(5);
    expect(server.stats().subscribeTimeouts).toBe(1);
  });
});
