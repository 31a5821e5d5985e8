import { describe, it, expect, beforeEach, afterEach } from 'vitest';
import { RealClock } from '../../core/clock/index.ts';
import { CoinbaseTickerClient, type CoinbaseTickerEvents } from './ticker-client.ts';
import { FakeCoinbaseWs } from './testing/fake-coinbase-ws.ts';

const clock = new RealClock();
let server: FakeCoinbaseWs;
let client: CoinbaseTickerClient;

function newClient(options: Partial<ConstructorParameters<typeof CoinbaseTickerClient>[0]> = {}) {
  client = new CoinbaseTickerClient({
    url: server.url,
    productIds: ['BTC-USD', 'ETH-USD'],
    clock,
    random: () => 0.5,
    reconnect: { baseMs: 20, maxMs: 100 },
    silenceTimeoutMs: 2_000,
    subscribeTimeoutMs: 2_000,
    ...options,
  });
  return client;
}

function collect<K extends keyof CoinbaseTickerEvents>(name: K): Array<CoinbaseTickerEvents[K][0]> {
  const seen: Array<CoinbaseTickerEvents[K][0]> = [];
  (client.on as (n: K, l: (...a: CoinbaseTickerEvents[K]) => void) => void)(name, (...args) =>
    seen.push(args[0]),
  );
  return seen;
}

async function until(condition: () => boolean, timeoutMs = 3_000): Promise<void> {
  const start = Date.now();
  while (!condition()) {
    if (Date.now() - start > timeoutMs) throw new Error('condition not reached');
    await new Promise((resolve) => setTimeout(resolve, 5));
  }
}

beforeEach(async () => {
  server = await FakeCoinbaseWs.start();
});

afterEach(async () => {
  await client?.close();
  await server.close();
});

describe('CoinbaseTickerClient', () => {
  it('subscribes to ticker + heartbeat for its products and emits ticks with exchange time', async () => {
    await newClient().start();
    expect(server.subscribes).toEqual([
      { type: 'subscribe', product_ids: ['BTC-USD', 'ETH-USD'], channels: ['ticker', 'heartbeat'] },
    ]);
    const ticks = collect('tick');
    server.tick('BTC-USD', '99728.83', '2024-12-07T18:00:00.542551Z');
    server.tick('ETH-USD', '3890.12', '2024-12-07T18:00:00.600000Z');
    await until(() => ticks.length === 2);
    expect(ticks[0]).toMatchObject({
      productId: 'BTC-USD',
      price: 99728.83,
      priceCents: 9_972_883,
      time: Date.UTC(2024, 11, 7, 18, 0, 0, 542),
    });
    expect(ticks[0]!.receivedAt).toBeGreaterThan(Date.UTC(2025, 0, 1));
    expect(ticks[1]).toMatchObject({ productId: 'ETH-USD', price: 3890.12 });
  });

  it('counts lost trades from trade ids and from heartbeats, and drops duplicates', async () => {
    await newClient().start();
    const ticks = collect('tick');
    const gaps = collect('gap');
    const duplicates = collect('duplicate');
    server.tick('BTC-USD', '100.00', '2024-12-07T18:00:00Z');
    server.tick('BTC-USD', '100.01', '2024-12-07T18:00:01Z', { skipTrades: 2 });
    server.tick('BTC-USD', '100.02', '2024-12-07T18:00:02Z', { duplicate: true });
    server.heartbeat('BTC-USD', '2024-12-07T18:00:03Z', 4);
    server.tick('BTC-USD', '100.03', '2024-12-07T18:00:04Z');
    await until(() => ticks.length === 4);
    expect(gaps).toEqual([
      expect.objectContaining({ productId: 'BTC-USD', missedTrades: 2, detectedBy: 'ticker' }),
      expect.objectContaining({ productId: 'BTC-USD', missedTrades: 4, detectedBy: 'heartbeat' }),
    ]);
    expect(duplicates).toHaveLength(1);
    expect(client.stats()).toMatchObject({
      ticks: 4,
      heartbeats: 1,
      gaps: 2,
      missedTrades: 6,
      duplicates: 1,
    });
  });

  it('reconnects after a drop, resubscribes, counts the outage gap, skips the replayed trade', async () => {
    await newClient().start();
    const ticks = collect('tick');
    const gaps = collect('gap');
    const last = server.tick('BTC-USD', '100.00', '2024-12-07T18:00:00Z');
    await until(() => ticks.length === 1);
    const subscribedAgain = new Promise((resolve) => client.once('subscribed', resolve));
    server.dropAll();
    await subscribedAgain;
    expect(server.subscribes).toHaveLength(2);
    // Coinbase replays the latest trade on subscribe, then trades lost during the outage show up
    server.sendRaw(
      JSON.stringify({
        type: 'ticker',
        sequence: 93_525_999_004,
        product_id: 'BTC-USD',
        price: '100.00',
        time: '2024-12-07T18:00:00Z',
        trade_id: last,
      }),
    );
    server.tick('BTC-USD', '100.05', '2024-12-07T18:00:09Z', { skipTrades: 3 });
    await until(() => ticks.length === 2);
    expect(ticks[1]).toMatchObject({ price: 100.05, tradeId: last + 4 });
    expect(gaps).toEqual([expect.objectContaining({ missedTrades: 3 })]);
    expect(client.stats()).toMatchObject({ reconnects: 1, duplicates: 0 });
  });

  it('reconnects after silence longer than the timeout', async () => {
    await newClient({ silenceTimeoutMs: 200 }).start();
    const warnings = collect('warning');
    await until(() => client.stats().reconnects >= 1 && client.isSubscribed);
    expect(warnings.some((w) => w.kind === 'silence')).toBe(true);
    expect(server.subscribes.length).toBeGreaterThanOrEqual(2);
  });

  it('reconnects when the subscription is not confirmed in time', async () => {
    server.ignoreSubscribe = true;
    newClient({ subscribeTimeoutMs: 150 });
    const warnings = collect('warning');
    const started = client.start();
    await until(() => warnings.some((w) => w.kind === 'subscribe_timeout'));
    server.ignoreSubscribe = false;
    await started;
    expect(client.stats().reconnects).toBeGreaterThanOrEqual(1);
  });

  it('reports exchange errors and unparseable messages', async () => {
    await newClient().start();
    const errors = collect('exchangeError');
    const warnings = collect('warning');
    server.sendRaw(JSON.stringify({ type: 'error', message: 'Failed to subscribe', reason: 'bad product' }));
    server.sendRaw('{"type":"ticker","price":"x"}');
    await until(() => errors.length === 1 && warnings.length === 1);
    expect(errors[0]).toEqual({ message: 'Failed to subscribe', reason: 'bad product' });
    expect(warnings[0]?.kind).toBe('parse_error');
    expect(client.stats().parseErrors).toBe(1);
  });
});
