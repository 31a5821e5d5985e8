/**
 * The simulated Coinbase candles endpoint with our production history client
 * (src/integrations/coinbase/candles.ts) over a real socket: pagination in windows of 300,
 * gaps where nothing traded, roll-ups, Coinbase's 400/404 answers, and recovery from injected
 * 429s and 5xx.
 */
import Fastify, { type FastifyInstance } from 'fastify';
import type { AddressInfo } from 'node:net';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { RealClock } from '../../../src/core/clock/index.ts';
import { fetchCandles } from '../../../src/integrations/coinbase/candles.ts';
import { TokenBucket } from '../../../src/integrations/shared/token-bucket.ts';
import { registerCoinbaseRoutes } from '../../../src/simulator/api/coinbase/index.ts';
import { FaultController } from '../../../src/simulator/faults/index.ts';
import { SpotFeedSource } from './support/spot-source.ts';

const clock = new RealClock();
const START = Date.UTC(2025, 7, 3, 6, 0, 0);
const MINUTES = 700;

let app: FastifyInstance;
let baseUrl: string;
let source: SpotFeedSource;
let faults: FaultController;

beforeEach(async () => {
  // sparse trading (one trade per ~50 s): some minutes have none → gaps
  source = new SpotFeedSource({ startMs: START, ticksPerSecond: 0.02, seed: 'candles' });
  source.step(MINUTES * 60 + 30); // ends 30 s into a minute that must not be served yet
  faults = new FaultController({ seed: 'candles' });
  app = Fastify();
  await registerCoinbaseRoutes(app, { source, faults, clock });
  await app.listen({ host: '127.0.0.1', port: 0 });
  baseUrl = `http://127.0.0.1:${(app.server.address() as AddressInfo).port}/coinbase`;
});

afterEach(async () => {
  await app.close();
});

const limiter = () => new TokenBucket({ ratePerSecond: 1_000, clock });

describe('simulated Coinbase candles with the production history client', () => {
  it('pages through 700 minutes in windows of 300, with the gaps where nothing traded', async () => {
    const result = await fetchCandles({
      baseUrl,
      productId: 'BTC-USD',
      start: START,
      end: START + MINUTES * 60_000,
      limiter: limiter(),
      clock,
    });
    const expected = source.feed('BTC-USD').candlesBetween(START, START + (MINUTES - 1) * 60_000);
    expect(result.requests).toBe(3);
    expect(result.candles).toEqual(
      expected.map((c) => ({
        time: c.startMs,
        low: c.low,
        high: c.high,
        open: c.open,
        close: c.close,
        volume: c.volume,
      })),
    );
    const missing = result.gaps.reduce((sum, g) => sum + g.missing, 0);
    expect(missing).toBe(MINUTES - expected.length);
    expect(missing).toBeGreaterThan(50); // sparse trading leaves holes
  });

  it('serves the latest 300 newest first without a range, never the minute in progress', async () => {
    const response = await fetch(`${baseUrl}/products/ETH-USD/candles?granularity=60`);
    const rows = (await response.json()) as number[][];
    expect(response.status).toBe(200);
    const times = rows.map((r) => r[0] as number);
    expect(times).toEqual([...times].sort((a, b) => b - a));
    const lastFinished = START / 1000 + (MINUTES - 1) * 60;
    expect(Math.max(...times)).toBeLessThanOrEqual(lastFinished);
    expect(Math.min(...times)).toBeGreaterThanOrEqual(lastFinished - 299 * 60);
    expect(times).not.toContain(START / 1000 + MINUTES * 60);
  });

  it('rolls 1-minute candles up to 5 minutes', async () => {
    const start = new Date(START).toISOString();
    const end = new Date(START + 295 * 60_000).toISOString();
    const rows = (await (
      await fetch(`${baseUrl}/products/BTC-USD/candles?granularity=300&start=${start}&end=${end}`)
    ).json()) as number[][];
    const minutes = source.feed('BTC-USD').candlesBetween(START, START + 300 * 60_000 - 1);
    const bucket = (t: number) => Math.floor(t / 300_000) * 300_000;
    const firstRow = rows.at(-1)!;
    const inFirst = minutes.filter((m) => bucket(m.startMs) === firstRow[0]! * 1000);
    expect(firstRow).toEqual([
      firstRow[0],
      Math.min(...inFirst.map((m) => m.low)),
      Math.max(...inFirst.map((m) => m.high)),
      inFirst[0]!.open,
      inFirst.at(-1)!.close,
      Math.round(inFirst.reduce((s, m) => s + m.volume, 0) * 1e8) / 1e8,
    ]);
    expect(rows.length).toBe(new Set(minutes.map((m) => bucket(m.startMs))).size);
  });

  it('answers like Coinbase to bad requests', async () => {
    const get = async (query: string, product = 'BTC-USD') => {
      const r = await fetch(`${baseUrl}/products/${product}/candles?${query}`);
      return { status: r.status, body: (await r.json()) as { message: string } };
    };
    const tooMany = await get(
      `granularity=60&start=${new Date(START).toISOString()}&end=${new Date(START + 300 * 60_000).toISOString()}`,
    );
    expect(tooMany).toEqual({ status: 400, body: { message: expect.stringContaining('exceeds 300') } });
    const exactly300 = await get(`granularity=60&start=${START / 1000}&end=${START / 1000 + 299 * 60}`);
    expect(exactly300.status).toBe(200);
    expect((await get('granularity=120')).body).toEqual({ message: 'Unsupported granularity' });
    expect((await get('granularity=60&start=yesterday')).status).toBe(400);
    expect((await get('granularity=60', 'DOGE-USD')).status).toBe(404);
  });

  it('the client rides out injected 429s and 5xx', async () => {
    faults.update({ http: { share429: 0.3, share5xx: 0.2 } });
    const result = await fetchCandles({
      baseUrl,
      productId: 'BTC-USD',
      start: START,
      end: START + MINUTES * 60_000,
      limiter: limiter(),
      clock,
      retry: { maxAttempts: 20, baseMs: 1, maxMs: 5 },
    });
    expect(result.requests).toBeGreaterThan(3);
    expect(result.candles.length).toBe(
      source.feed('BTC-USD').candlesBetween(START, START + (MINUTES - 1) * 60_000).length,
    );
    expect(faults.stats().httpRejected).toBe(result.requests - 3);
  });
});
