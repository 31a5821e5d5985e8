import { describe, it, expect, beforeAll, afterAll, afterEach } from 'vitest';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { RealClock } from '../../core/clock/index.ts';
import { TokenBucket } from '../shared/token-bucket.ts';
import { CoinbaseApiError, MAX_CANDLES_PER_REQUEST, fetchCandles, findGaps } from './candles.ts';
import type { Candle } from './models.ts';

const clock = new RealClock();
const MINUTE = 60_000;
const T0 = Date.UTC(2024, 7, 3, 0, 0, 0);
/** 1,000 minutes with trades except a few quiet ones. */
const QUIET = new Set([5, 6, 7, 299, 300, 999].map((i) => T0 + i * MINUTE));
const HISTORY: Array<[number, number, number, number, number, number]> = [];
for (let i = 0; i < 1_000; i++) {
  const t = T0 + i * MINUTE;
  if (QUIET.has(t)) continue;
  const open = 60_000 + i;
  HISTORY.push([t / 1000, open - 5, open + 5, open, open + 1, 1.5]);
}

interface Seen {
  start: number;
  end: number;
  granularity: string | null;
}
const seen: Seen[] = [];
let failures: number[] = [];
let server: Server;
let baseUrl: string;

beforeAll(async () => {
  server = createServer((req, res) => {
    const url = new URL(req.url ?? '/', 'http://x');
    const failure = failures.shift();
    if (failure !== undefined) {
      res
        .writeHead(failure, { 'content-type': 'application/json' })
        .end(JSON.stringify({ message: 'try later' }));
      return;
    }
    if (url.pathname !== '/products/BTC-USD/candles') {
      res.writeHead(404, { 'content-type': 'application/json' }).end(JSON.stringify({ message: 'NotFound' }));
      return;
    }
    const start = Date.parse(url.searchParams.get('start') ?? '');
    const end = Date.parse(url.searchParams.get('end') ?? '');
    seen.push({ start, end, granularity: url.searchParams.get('granularity') });
    if ((end - start) / MINUTE + 1 > MAX_CANDLES_PER_REQUEST) {
      res
        .writeHead(400, { 'content-type': 'application/json' })
        .end(JSON.stringify({ message: 'granularity too small for the requested time range' }));
      return;
    }
    // inclusive end like Coinbase, newest first
    const rows = HISTORY.filter(([t]) => t * 1000 >= start && t * 1000 <= end).reverse();
    res.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify(rows));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  baseUrl = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});
afterAll(() => new Promise<void>((resolve) => server.close(() => resolve())));
afterEach(() => {
  seen.length = 0;
  failures = [];
});

function options(overrides: Partial<Parameters<typeof fetchCandles>[0]> = {}) {
  return {
    baseUrl,
    productId: 'BTC-USD',
    start: T0,
    end: T0 + 1_000 * MINUTE,
    limiter: new TokenBucket({ ratePerSecond: 1_000, clock }),
    clock,
    random: () => 0.5,
    retry: { baseMs: 5, maxMs: 20 },
    ...overrides,
  };
}

describe('fetchCandles', () => {
  it('pages in windows of 300, returns sorted unique candles and the gaps', async () => {
    const result = await fetchCandles(options());
    expect(seen.map((s) => (s.start - T0) / MINUTE)).toEqual([0, 300, 600, 900]);
    expect(seen.map((s) => (s.end - s.start) / MINUTE + 1)).toEqual([300, 300, 300, 100]);
    expect(seen.every((s) => s.granularity === '60')).toBe(true);
    expect(result.requests).toBe(4);
    expect(result.candles).toHaveLength(1_000 - QUIET.size);
    for (let i = 1; i < result.candles.length; i++)
      expect(result.candles[i]!.time).toBeGreaterThan(result.candles[i - 1]!.time);
    expect(result.candles[0]).toEqual({
      time: T0,
      low: 59_995,
      high: 60_005,
      open: 60_000,
      close: 60_001,
      volume: 1.5,
    });
    expect(result.gaps).toEqual([
      { from: T0 + 5 * MINUTE, to: T0 + 7 * MINUTE, missing: 3 },
      { from: T0 + 299 * MINUTE, to: T0 + 300 * MINUTE, missing: 2 },
      { from: T0 + 999 * MINUTE, to: T0 + 999 * MINUTE, missing: 1 },
    ]);
  });

  it('resumes after the last stored candle and reports each window as it comes', async () => {
    const windows: Array<{ start: number; count: number }> = [];
    const result = await fetchCandles(
      options({
        resumeAfter: T0 + 649 * MINUTE + 30_000,
        onWindow: (candles, w) =>
          void windows.push({ start: (w.start - T0) / MINUTE, count: candles.length }),
      }),
    );
    expect(result.range.start).toBe(T0 + 650 * MINUTE);
    expect(windows).toEqual([
      { start: 650, count: 300 },
      { start: 950, count: 49 },
    ]);
    expect(result.candles[0]!.time).toBe(T0 + 650 * MINUTE);
  });

  it('retries 429 and 5xx with backoff', async () => {
    failures = [429, 503];
    const result = await fetchCandles(options({ end: T0 + 10 * MINUTE }));
    expect(result.requests).toBe(3);
    expect(result.candles).toHaveLength(7);
  });

  it('does not retry a 4xx and surfaces Coinbase’s message', async () => {
    failures = [400];
    const error = await fetchCandles(options()).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(CoinbaseApiError);
    expect(error).toMatchObject({ httpStatus: 400 });
    expect((error as Error).message).toMatch(/try later/);
  });

  it('gives up after maxAttempts', async () => {
    failures = [500, 500, 500];
    await expect(
      fetchCandles(options({ retry: { maxAttempts: 3, baseMs: 1, maxMs: 2 } })),
    ).rejects.toMatchObject({ httpStatus: 500 });
  });

  it('waits on the injected limiter for every request', async () => {
    let acquired = 0;
    const limiter = { acquire: async () => void acquired++ };
    failures = [500];
    await fetchCandles(options({ limiter }));
    expect(acquired).toBe(5);
  });

  it('an empty range fetches nothing', async () => {
    const result = await fetchCandles(options({ end: T0 }));
    expect(result).toEqual({ candles: [], gaps: [], requests: 0, range: { start: T0, end: T0 } });
  });
});

describe('findGaps', () => {
  const c = (minute: number): Candle => ({
    time: T0 + minute * MINUTE,
    low: 1,
    high: 1,
    open: 1,
    close: 1,
    volume: 0,
  });
  it('finds leading, inner and trailing gaps', () => {
    expect(findGaps([c(2), c(3), c(6)], T0, T0 + 9 * MINUTE, MINUTE)).toEqual([
      { from: T0, to: T0 + MINUTE, missing: 2 },
      { from: T0 + 4 * MINUTE, to: T0 + 5 * MINUTE, missing: 2 },
      { from: T0 + 7 * MINUTE, to: T0 + 8 * MINUTE, missing: 2 },
    ]);
    expect(findGaps([], T0, T0 + 2 * MINUTE, MINUTE)).toEqual([{ from: T0, to: T0 + MINUTE, missing: 2 }]);
    expect(findGaps([c(0), c(1)], T0, T0 + 2 * MINUTE, MINUTE)).toEqual([]);
  });
});
