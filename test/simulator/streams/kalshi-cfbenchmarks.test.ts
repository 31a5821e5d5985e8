/**
 * `cfbenchmarks_value` on the simulated Kalshi WebSocket, read by our client: the prints are
 * exactly the index prints the market simulation settles on (value and second), filtered by
 * `index_tickers`, unknown indices refused (code 11), and no authentication needed.
 */
import Fastify, { type FastifyInstance } from 'fastify';
import type { AddressInfo } from 'node:net';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { RealClock } from '../../../src/core/clock/index.ts';
import type { KalshiCfBenchmarksValue } from '../../../src/integrations/kalshi/types.ts';
import { KalshiWsClient, KalshiWsCommandError } from '../../../src/integrations/kalshi/ws-client.ts';
import {
  attachKalshiWebSocket,
  type KalshiStreamSource,
  type KalshiWsServer,
} from '../../../src/simulator/api/kalshi-ws/index.ts';
import {
  defaultSimulationConfig,
  MarketSimulation,
  type SimulationOutput,
} from '../../../src/simulator/market/index.ts';
import { until } from './support/harness.ts';

const clock = new RealClock();
const START = Date.UTC(2025, 7, 3, 18, 58, 0);

type Print = SimulationOutput['indexPrints'][number];

let simulation: MarketSimulation;
let app: FastifyInstance;
let server: KalshiWsServer;
let url: string;
const listeners = new Set<(prints: readonly Print[]) => void>();
/** Every index print the simulation made, in order. */
const made: Print[] = [];
const clients: KalshiWsClient[] = [];

/** The runtime's reading (src/simulator/runtime/stream-sources.ts), index prints only. */
function source(): KalshiStreamSource {
  return {
    onEvents: () => () => undefined,
    onIndexPrints: (listener) => {
      listeners.add(listener);
      return () => listeners.delete(listener);
    },
    getOrderbook: (ticker) => simulation.engine.getOrderbook(ticker),
    getMarket: (ticker) => simulation.engine.getMarket(ticker),
    listMarketTickers: () => [],
    accountForApiKey: () => undefined,
    now: () => simulation.now,
  };
}

/** `seconds` more of the simulation, one batch per second. */
function advance(seconds: number): void {
  for (let i = 0; i < seconds; i++) {
    const { indexPrints } = simulation.advanceTo(simulation.now + 1000);
    made.push(...indexPrints);
    for (const listener of listeners) listener(indexPrints);
  }
}

function client(): KalshiWsClient {
  const c = new KalshiWsClient({ url, clock, reconnect: { baseMs: 20, maxMs: 100 } }); // unsigned
  clients.push(c);
  return c;
}

const asPrint = (v: KalshiCfBenchmarksValue): Print => ({
  symbol: v.symbol!,
  timeMs: v.timeMs,
  price: v.value,
});

beforeEach(async () => {
  ({ simulation } = MarketSimulation.create(
    defaultSimulationConfig({ seed: 'cfbenchmarks', startTimeMs: START }),
  ));
  made.length = 0;
  app = Fastify();
  await app.listen({ host: '127.0.0.1', port: 0 });
  url = `ws://127.0.0.1:${(app.server.address() as AddressInfo).port}/trade-api/ws/v2`;
  server = attachKalshiWebSocket({ server: app.server, source: source(), clock });
});

afterEach(async () => {
  await Promise.all(clients.splice(0).map((c) => c.close()));
  listeners.clear();
  await server.close();
  await app.close();
});

describe('cfbenchmarks_value on the simulated Kalshi WebSocket', () => {
  it('delivers exactly the index prints the simulation settles on, across a close', async () => {
    const all = client();
    const received: KalshiCfBenchmarksValue[] = [];
    all.on('cfbenchmarksValue', (v) => received.push(v));
    await all.start();
    await all.subscribe({ channel: 'cfbenchmarks_value' });
    const from = made.length;
    advance(150); // 18:58 → 19:00:30: a whole settlement window and its close
    const expected = made.slice(from);
    expect(new Set(expected.map((p) => p.symbol))).toEqual(new Set(['BTC', 'ETH']));
    expect(expected.length).toBeGreaterThanOrEqual(2 * 150);
    await until(() => received.length >= expected.length, 'every print');
    expect(received.map(asPrint)).toEqual(expected);
    expect(received.find((v) => v.symbol === 'BTC')?.index).toBe('BRTI');
    expect(received.find((v) => v.symbol === 'ETH')?.index).toBe('ETHUSD_RTI');
    expect(all.stats()).toMatchObject({ parseErrors: 0 });
  });

  it('filters by index_tickers and refuses an unknown index', async () => {
    const eth = client();
    const received: KalshiCfBenchmarksValue[] = [];
    eth.on('cfbenchmarksValue', (v) => received.push(v));
    await eth.start();
    await eth.subscribe({ channel: 'cfbenchmarks_value', indexTickers: ['ETHUSD_RTI'] });
    const from = made.length;
    advance(20);
    const expected = made.slice(from).filter((p) => p.symbol === 'ETH');
    expect(expected.length).toBeGreaterThanOrEqual(20);
    await until(() => received.length >= expected.length, 'the ETH prints');
    expect(received.map(asPrint)).toEqual(expected);

    const bad = client();
    await bad.start();
    const refused = await bad.subscribe({ channel: 'cfbenchmarks_value', indexTickers: ['SPX'] }).then(
      () => undefined,
      (error: unknown) => error,
    );
    expect(refused).toBeInstanceOf(KalshiWsCommandError);
    expect((refused as KalshiWsCommandError).code).toBe(11);
  });
});
