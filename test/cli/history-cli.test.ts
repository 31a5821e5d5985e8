/**
 * `recio history …` and `recio model build` as a user runs them: child processes against a
 * fresh PostgreSQL database; a local HTTP server plays Coinbase's candle endpoint.
 */
import { createServer, type Server } from 'node:http';
import { mkdtempSync, writeFileSync } from 'node:fs';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { migrateToLatest, openDatabase, type DatabaseHandle } from '../../src/core/db/index.ts';
import { buildFingerprintGrid } from '../../src/domain/model/index.ts';
import { readCandles, readCloseSeries } from '../../src/storage/candles/candle-repository.ts';
import { syntheticCandleChunks } from '../../src/storage/candles/synthetic-history.ts';
import { loadModel } from '../../src/storage/models/model-repository.ts';
import { recioOnce } from '../support/cli.ts';
import { createTestDatabase } from '../support/postgres.ts';

const tempDir = () => mkdtempSync(join(tmpdir(), 'recio-history-cli-'));
const START = Date.UTC(2025, 6, 17);
const MIN = 60_000;

/** 3 days of candles as CSV text (ISO times), from the synthetic generator. */
function csvOfSyntheticDays(days: number): string {
  const [c] = [
    ...syntheticCandleChunks({
      symbol: 'BTC',
      startMs: START,
      minutes: days * 1_440,
      seed: 11,
      chunkMinutes: days * 1_440,
    }),
  ];
  const lines = ['time,open,high,low,close,volume'];
  for (let i = 0; i < c!.length; i++) {
    const cents = [c!.openCents[i]!, c!.highCents[i]!, c!.lowCents[i]!, c!.closeCents[i]!].map((x) =>
      (x / 100).toFixed(2),
    );
    lines.push(`${new Date(c!.ts[i]!).toISOString()},${cents.join(',')},${(i % 13) / 4}`);
  }
  return lines.join('\n') + '\n';
}

/** Coinbase's GET /products/{id}/candles: every minute has a candle except those ≡ 7 mod 50. */
function fakeCoinbase(): Promise<{ server: Server; url: string; requests: () => number }> {
  let requests = 0;
  const server = createServer((req, res) => {
    requests += 1;
    const url = new URL(req.url!, 'http://x');
    if (url.pathname !== '/products/BTC-USD/candles' || url.searchParams.get('granularity') !== '60') {
      res.writeHead(404).end(JSON.stringify({ message: 'NotFound' }));
      return;
    }
    const start = Date.parse(url.searchParams.get('start')!);
    const end = Date.parse(url.searchParams.get('end')!);
    const rows: number[][] = [];
    for (let t = end; t >= start; t -= MIN) {
      const m = t / MIN;
      if (m % 50 === 7) continue;
      const close = 100_000 + (m % 100);
      rows.push([t / 1000, close - 5, close + 5, close - 1, close, 0.5]);
    }
    res.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify(rows));
  });
  return new Promise((resolve) =>
    server.listen(0, '127.0.0.1', () =>
      resolve({
        server,
        url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
        requests: () => requests,
      }),
    ),
  );
}

describe('recio history (PostgreSQL)', { timeout: 120_000 }, () => {
  let database: { url: string; drop(): Promise<void> };
  let handle: DatabaseHandle;
  let env: Record<string, string>;
  beforeAll(async () => {
    database = await createTestDatabase('recio_history_cli');
    env = { DATABASE_URL: database.url, RECIO_DATA_DIR: tempDir() };
    handle = await openDatabase({ databaseUrl: database.url });
    await migrateToLatest(handle.db);
  });
  afterAll(async () => {
    await handle?.close();
    await database?.drop();
  });

  const count = async (synthetic: boolean) =>
    (
      await sql<{
        n: number;
      }>`select count(*)::int as n from market.candles_1m where synthetic = ${synthetic}`.execute(handle.db)
    ).rows[0]!.n;

  it('imports a candle CSV all or nothing, then builds the model buildFingerprintGrid gives on it', async () => {
    const dir = tempDir();
    const text = csvOfSyntheticDays(3);
    const lines = text.split('\n');
    lines[4_000] = lines[4_000]!.replace(/,[\d.]+$/, ',lots');
    writeFileSync(join(dir, 'bad.csv'), lines.join('\n'));
    const bad = await recioOnce(
      ['history', 'import', '--symbol', 'BTC', '--file', join(dir, 'bad.csv')],
      env,
    );
    expect(bad.code).toBe(1);
    expect(bad.output).toMatch(/^recio: bad\.csv, line 4001: volume "lots" is not a number ≥ 0$/m);
    expect(await count(false)).toBe(0);

    writeFileSync(join(dir, 'good.csv'), text);
    const good = await recioOnce(
      ['history', 'import', '--symbol', 'btc', '--file', join(dir, 'good.csv')],
      env,
    );
    expect(good.code, good.output).toBe(0);
    expect(good.output).toMatch(/imported 4,320 candles for BTC from 2025-07-17T00:00Z to 2025-07-19T23:59Z/);
    expect(await count(false)).toBe(4_320);
    expect((await readCandles(handle.db, { symbol: 'BTC', series: 'real' }, 2))[1]).toMatchObject({
      ts: START + MIN,
      source: 'csv',
      volume: 0.25,
    });

    const build = await recioOnce(
      ['model', 'build', '--symbol', 'BTC', '--weighting', 'half-life:30', '--id', 'btc-csv', '--activate'],
      env,
    );
    expect(build.code, build.output).toBe(0);
    expect(build.output).toMatch(/building BTC model: 100%/); // progress lines (stderr is not a TTY here)
    expect(build.output).toMatch(
      /model btc-csv: BTC, source csv, .* rows used 4,319, weighting half-life 30 d, .* — active/,
    );
    const stored = await loadModel(handle.db, 'btc-csv');
    const series = await readCloseSeries(handle.db, { symbol: 'BTC', series: 'real' });
    const direct = buildFingerprintGrid({
      ...series,
      symbol: 'BTC',
      modelId: 'btc-csv',
      source: 'csv',
      builtAt: stored.meta.builtAt,
      weighting: { kind: 'half-life', halfLifeDays: 30 },
    });
    expect(stored.meta).toEqual(direct.meta);
    expect(Buffer.from(stored.up.buffer).equals(Buffer.from(direct.up.buffer))).toBe(true);
    expect(Buffer.from(stored.down.buffer).equals(Buffer.from(direct.down.buffer))).toBe(true);
  });

  it("synthesizes history from the simulator's process into the SYNTHETIC series", async () => {
    const run = await recioOnce(
      ['history', 'synth', '--symbol', 'ETH', '--days', '1', '--seed', '3', '--end', '2025-07-20T00:00:00Z'],
      env,
    );
    expect(run.code, run.output).toBe(0);
    expect(run.output).toMatch(
      /stored 1,440 SYNTHETIC candles for ETH \(seed 3\) from 2025-07-19T00:00Z to 2025-07-19T23:59Z/,
    );
    const stored = await readCloseSeries(handle.db, { symbol: 'ETH', series: 'synthetic' });
    const [expected] = [
      ...syntheticCandleChunks({ symbol: 'ETH', startMs: Date.UTC(2025, 6, 19), minutes: 1_440, seed: 3 }),
    ];
    expect([...stored.closes]).toEqual([...expected!.closeCents].map((c) => c / 100));
    expect(stored.sources).toEqual({ synthetic: 1_440 });

    const status = await recioOnce(['history', 'status', '--symbol', 'ETH'], env);
    expect(status.output).toContain('ETH real: no candles');
    expect(status.output).toMatch(
      /ETH SYNTHETIC: 1,440 candles 2025-07-19T00:00Z … 2025-07-19T23:59Z \(synthetic 1,440\); 0 minutes missing/,
    );
  });

  it('fetches Coinbase candles window by window, and a second run fetches only what is new', async () => {
    const coinbase = await fakeCoinbase();
    try {
      const fetchEnv = { ...env, RECIO_MODE: 'demo', RECIO_COINBASE_REST_URL: coinbase.url };
      const first = await recioOnce(['history', 'fetch', '--symbol', 'BTC', '--days', '0.5'], fetchEnv);
      expect(first.code, first.output).toBe(0);
      expect(first.output).toContain(`from ${coinbase.url}`);
      expect(coinbase.requests()).toBe(3); // 720 minutes in windows of 300
      const after = await sql<{ n: number; first: Date; last: Date }>`
        select count(*)::int as n, min(ts) as first, max(ts) as last
        from market.candles_1m where source = 'coinbase' and synthetic = false
      `.execute(handle.db);
      const row = after.rows[0]!;
      const minutes = (row.last.getTime() - row.first.getTime()) / MIN + 1;
      expect(row.n).toBeGreaterThan(700);
      // Every minute of the range except the "no trade" ones (≡ 7 mod 50) is stored.
      let expected = 0;
      for (let t = row.first.getTime(); t <= row.last.getTime(); t += MIN)
        if ((t / MIN) % 50 !== 7) expected++;
      expect(row.n).toBe(expected);
      expect(minutes - row.n).toBeGreaterThan(0);

      const second = await recioOnce(['history', 'fetch', '--symbol', 'BTC', '--days', '0.5'], fetchEnv);
      expect(second.code, second.output).toBe(0);
      // Resumed after the last stored minute: at most the minutes that passed (and the no-trade
      // minute at the start of the range, if any) are asked for.
      expect(coinbase.requests() - 3).toBeLessThanOrEqual(2);
    } finally {
      coinbase.server.close();
    }
  });
});
