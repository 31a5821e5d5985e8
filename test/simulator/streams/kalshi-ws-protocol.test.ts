/**
 * The simulated Kalshi WebSocket's command protocol, byte for byte from a bare socket: replies,
 * error codes 1–17 of the AsyncAPI spec, sequenced snapshots on add_markets, list and
 * unsubscribe — and every message the server sends parses through our Kalshi models.
 */
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { RealClock, SimulatedClock } from '../../../src/core/clock/index.ts';
import { KalshiSigner } from '../../../src/integrations/kalshi/signer.ts';
import { parseKalshiWsMessage } from '../../../src/integrations/kalshi/models.ts';
import { attachKalshiWebSocket, type KalshiWsServer } from '../../../src/simulator/api/kalshi-ws/index.ts';
import { EngineStreamSource, randomFlow, TICKERS } from './support/engine-source.ts';
import { rsaKeys, sleep, startHttpServer, until, type TestServer } from './support/harness.ts';
import { RawWs } from './support/raw-ws.ts';

const keys = rsaKeys();
const [A, B] = TICKERS as [string, string];
const PATH = '/trade-api/ws/v2';

let http: TestServer;
let source: EngineStreamSource;
let server: KalshiWsServer;
const sockets: RawWs[] = [];

function signedHeaders() {
  return new KalshiSigner({
    keyId: 'k1',
    privateKey: keys.privateKey,
    clock: { now: () => Date.now() },
  }).headers('GET', PATH);
}

async function open(signed = true, options: { autoPong?: boolean } = {}): Promise<RawWs> {
  const ws = await RawWs.open(http.url(PATH), {
    ...options,
    ...(signed ? { headers: signedHeaders() } : {}),
  });
  sockets.push(ws);
  return ws;
}

beforeEach(async () => {
  http = await startHttpServer();
  source = new EngineStreamSource();
  source.addAccount('mm');
  source.addAccount('me');
  source.addKey('k1', 'me', keys.publicKey);
  randomFlow(source, { seed: 'protocol', steps: 80, accounts: ['mm'] });
});

afterEach(async () => {
  for (const ws of sockets.splice(0)) ws.close();
  await server.close();
  await http.close();
});

describe('commands and replies', () => {
  beforeEach(() => {
    server = attachKalshiWebSocket({ server: http.server, source, clock: new RealClock() });
  });

  it('answers each malformed command with the spec’s error code', async () => {
    const ws = await open();
    const error = (id: number | undefined, code: number) => ({
      ...(id === undefined ? {} : { id }),
      type: 'error',
      msg: expect.objectContaining({ code }),
    });
    expect(await ws.ask('not json')).toEqual(error(undefined, 1));
    expect(await ws.ask({ id: 1, cmd: 'subscribe' })).toEqual(error(1, 2));
    expect(await ws.ask({ id: 2, cmd: 'subscribe', params: {} })).toEqual(error(2, 3));
    expect(await ws.ask({ id: 3, cmd: 'nope', params: {} })).toEqual(error(3, 5));
    expect(await ws.ask({ id: 4, cmd: 'subscribe', params: { channels: ['bogus'] } })).toEqual(error(4, 8));
    expect(await ws.ask({ id: 5, cmd: 'subscribe', params: { channels: ['orderbook_delta'] } })).toEqual(
      error(5, 14),
    );
    expect(
      await ws.ask({ id: 6, cmd: 'subscribe', params: { channels: ['ticker'], market_tickers: ['NOPE-1'] } }),
    ).toEqual({ id: 6, type: 'error', msg: { code: 16, msg: 'Market not found', market_ticker: 'NOPE-1' } });
    expect(
      await ws.ask({
        id: 7,
        cmd: 'subscribe',
        params: { channels: ['ticker'], market_ticker: A, market_tickers: [B] },
      }),
    ).toEqual(error(7, 11));
    expect(await ws.ask({ id: 8, cmd: 'unsubscribe', params: {} })).toEqual(error(8, 4));
    expect(await ws.ask({ id: 9, cmd: 'unsubscribe', params: { sids: [42] } })).toEqual(error(9, 7));
    const update = (id: number, params: Record<string, unknown>) =>
      ws.ask({ id, cmd: 'update_subscription', params });
    expect(await update(10, { sids: [1], market_tickers: [A] })).toEqual(error(10, 15));
    expect(await update(11, { sids: [1], market_tickers: [A], action: 'replace' })).toEqual(error(11, 13));
    expect(await update(12, { sid: 1, sids: [1], market_tickers: [A], action: 'add_markets' })).toEqual(
      error(12, 12),
    );
    expect(await update(13, { sids: [1, 2], market_tickers: [A], action: 'add_markets' })).toEqual(
      error(13, 12),
    );
    expect(await update(14, { sid: 1, action: 'add_markets' })).toEqual(error(14, 14));
    expect(await update(15, { sid: 99, market_tickers: [A], action: 'add_markets' })).toEqual(error(15, 7));
    for (const message of ws.messages) expect(() => parseKalshiWsMessage(message)).not.toThrow();
  });

  it('subscribes with sequenced snapshots, adds and removes markets, lists and unsubscribes', async () => {
    const ws = await open();
    const subscribed = await ws.ask({
      id: 1,
      cmd: 'subscribe',
      params: { channels: ['orderbook_delta'], market_tickers: [A] },
    });
    expect(subscribed).toEqual({ id: 1, type: 'subscribed', msg: { channel: 'orderbook_delta', sid: 1 } });
    const snapshotA = await ws.next();
    expect(snapshotA).toMatchObject({
      type: 'orderbook_snapshot',
      sid: 1,
      seq: 1,
      msg: { market_ticker: A },
    });
    const bookA = source.getOrderbook(A)!;
    expect(snapshotA.msg.yes_dollars_fp).toEqual(
      bookA.yes.map(([p, c]) => [(p / 10_000).toFixed(4), `${c}.00`]),
    );

    expect(
      await ws.ask({
        id: 2,
        cmd: 'subscribe',
        params: { channels: ['orderbook_delta'], market_tickers: [A] },
      }),
    ).toMatchObject({ id: 2, type: 'error', msg: { code: 6 } });

    const ok = await ws.ask({
      id: 3,
      cmd: 'update_subscription',
      params: { sids: [1], market_tickers: [B], action: 'add_markets' },
    });
    expect(ok).toEqual({ id: 3, sid: 1, type: 'ok', market_tickers: [A, B] });
    expect(await ws.next()).toMatchObject({
      type: 'orderbook_snapshot',
      sid: 1,
      seq: 2,
      msg: { market_ticker: B },
    });

    randomFlow(source, { seed: 'more', steps: 40, accounts: ['mm'], tickers: [A, B] });
    await until(() => ws.pending().length > 0, 'deltas');
    await sleep(20);
    const seqs = ws.pending().map((m) => m.seq);
    expect(seqs[0]).toBe(3);
    expect(seqs).toEqual(seqs.map((_, i) => 3 + i)); // contiguous
    ws.skipPending();

    expect(
      await ws.ask({
        id: 4,
        cmd: 'update_subscription',
        params: { sid: 1, market_ticker: A, action: 'delete_markets' },
      }),
    ).toEqual({ id: 4, sid: 1, type: 'ok', market_tickers: [B] });
    const tick = await ws.ask({ id: 5, cmd: 'subscribe', params: { channels: ['ticker'] } });
    expect(tick).toEqual({ id: 5, type: 'subscribed', msg: { channel: 'ticker', sid: 2 } });
    expect(await ws.ask({ id: 6, cmd: 'list_subscriptions' })).toEqual({
      id: 6,
      type: 'list_subscriptions',
      subscriptions: [
        { channel: 'orderbook_delta', sid: 1 },
        { channel: 'ticker', sid: 2 },
      ],
    });
    expect(await ws.ask({ id: 7, cmd: 'unsubscribe', params: { sids: [1] } })).toEqual({
      id: 7,
      sid: 1,
      type: 'unsubscribed',
    });
    randomFlow(source, { seed: 'after-unsubscribe', steps: 40, accounts: ['mm'], tickers: [A] });
    await sleep(30);
    expect(ws.pending().every((m) => m.sid === 2)).toBe(true);
    for (const message of ws.messages) expect(() => parseKalshiWsMessage(message)).not.toThrow();
  });

  it('sends a ticker snapshot on request and refuses markets on channels that take none', async () => {
    const ws = await open(false);
    await ws.ask({
      id: 1,
      cmd: 'subscribe',
      params: { channels: ['ticker'], market_tickers: [A], send_initial_snapshot: true },
    });
    const snapshot = parseKalshiWsMessage(await ws.next());
    const market = source.getMarket(A)!;
    expect(snapshot).toMatchObject({
      type: 'ticker',
      ticker: { marketTicker: A, yesBid: market.yesBidCc, yesAsk: market.yesAskCc, volume: market.volume },
    });
    const lifecycle = await ws.ask({
      id: 2,
      cmd: 'subscribe',
      params: { channels: ['market_lifecycle_v2'] },
    });
    expect(lifecycle).toMatchObject({ type: 'subscribed', msg: { sid: 2 } });
    expect(
      await ws.ask({
        id: 3,
        cmd: 'update_subscription',
        params: { sid: 2, market_tickers: [A], action: 'add_markets' },
      }),
    ).toMatchObject({ id: 3, type: 'error', msg: { code: 10 } });
  });
});

describe('heartbeat', () => {
  it('pings every 10 s of the clock with body "heartbeat" and cuts a client that never answers', async () => {
    const clock = new SimulatedClock({ start: Date.now(), rate: 0 });
    server = attachKalshiWebSocket({ server: http.server, source, clock, unansweredPingsLimit: 2 });
    const polite = await open(false);
    const silent = await open(false, { autoPong: false });
    await clock.advance(9_999);
    await sleep(20);
    expect(polite.pings).toEqual([]);
    for (let i = 1; i <= 3; i++) {
      await clock.advance(i === 1 ? 1 : 10_000);
      await until(() => polite.pings.length === i, `ping ${i}`);
    }
    expect(polite.pings).toEqual(['heartbeat', 'heartbeat', 'heartbeat']);
    await until(() => silent.closed, 'the silent client cut');
    expect(polite.closed).toBe(false);
    expect(server.connectionCount).toBe(1);
  });
});
