/**
 * The README's start command, as a trader runs it: `recio start` on a fresh data directory
 * (embedded database, paper trading on the simulator), the whole platform in one process.
 * Checks what issues 4 and 5 promise "with the start command alone": prices every second with
 * momentum, live books, snapshot files and rows, the four market-data services healthy, and
 * 21-row strike tables for BTC and ETH refreshed at least once a second, whose diffs follow
 * from the probabilities and the asks; a green platform /health once the models are built.
 * Then Ctrl-C, and the snapshots are in the database.
 *
 * Times are not asserted here (a loaded CI machine is slow); bench/startup.ts measures them.
 */
import { existsSync, mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { sql } from 'kysely';
import { afterAll, describe, expect, it } from 'vitest';
import { openDatabase } from '../../src/core/db/index.ts';
import { recio, type CliProcess } from '../support/cli.ts';
import { portEnv } from '../support/ports.ts';
import { getJson, waitFor } from '../support/wait.ts';
import WebSocket from 'ws';

const MARKET_DATA = [
  'symbol_price_watchdog_btc',
  'symbol_price_watchdog_eth',
  'btc_price_watchdog',
  'kalshi_api_watchdog',
];
const SYMBOLS = ['btc', 'eth'] as const;
const TABLE_COLUMNS = [
  'strike',
  'buffer',
  'buffer_pct',
  'probability',
  'yes_bid',
  'yes_ask',
  'no_bid',
  'no_ask',
  'yes_diff',
  'no_diff',
  'volume',
  'ticker',
  'active_side',
];
const HEADER_FIELDS = [
  'symbol',
  'price',
  'ttc_seconds',
  'event_ticker',
  'market_title',
  'strike_tier',
  'momentum_score',
  'momentum_bucket',
  'model_id',
  'seq',
];

const started: CliProcess[] = [];
afterAll(async () => {
  for (const proc of started) {
    if (proc.child.exitCode !== null) continue;
    proc.child.kill('SIGKILL');
    await proc.exited;
  }
});

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** The seconds of every `topic` price main_app's browser stream delivers, until closed. */
async function priceStream(url: string, topic: string): Promise<{ close(): number[] }> {
  const seconds: number[] = [];
  const socket = new WebSocket(url);
  socket.on('message', (data) => {
    const message = JSON.parse(data.toString());
    if (message.type === 'message' && message.topic === topic) seconds.push(message.payload.secondMs);
  });
  await new Promise((resolve, reject) => socket.once('open', resolve).once('error', reject));
  socket.send(JSON.stringify({ op: 'subscribe', topics: [topic] }));
  return {
    close: () => {
      socket.close();
      return seconds;
    },
  };
}

/** An ISO time `seconds` before the next whole hour: a start just before a market's close. */
function beforeTheClose(seconds: number): string {
  const hour = 3_600_000;
  return new Date((Math.floor(Date.now() / hour) + 1) * hour - seconds * 1_000).toISOString();
}

// Once as a trader starts it, and once 20 s before an hourly close (simulated clock at the
// real rate), so the hourly rollover falls while the checks run, whatever the time of the run.
const STARTS = [
  { when: 'real clock', clock: {} },
  {
    when: 'simulated clock, 20 s before an hourly close',
    clock: { RECIO_CLOCK: 'simulated', RECIO_CLOCK_START: beforeTheClose(20) },
  },
];

describe.each(STARTS)(
  'the start command alone (fresh data directory, whole platform; $when)',
  ({ clock }) => {
    it(
      'serves prices, books, snapshots and strike tables, and keeps them after Ctrl-C',
      { timeout: 420_000 },
      async () => {
        const dataDir = mkdtempSync(join(tmpdir(), 'recio-platform-'));
        const env = { ...(await portEnv()), ...clock, RECIO_DATA_DIR: dataDir };
        const main = `http://127.0.0.1:${env.RECIO_PORT_MAIN_APP}`;
        const proc = recio(['start'], env);
        started.push(proc);
        const output = () => proc.output().slice(-4_000);

        // The four market-data services report healthy.
        await waitFor(
          async () => {
            const { body } = await getJson(`${main}/api/system/services`);
            const healthy = body.services.filter(
              (s: { name: string; state: string; health: { status: string } | null }) =>
                MARKET_DATA.includes(s.name) && s.state === 'running' && s.health?.status === 'healthy',
            );
            return healthy.length === MARKET_DATA.length ? true : undefined;
          },
          180_000,
          'the market-data services healthy',
        ).catch((error: Error) => {
          throw new Error(`${error.message}\n${output()}`);
        });

        for (const sym of SYMBOLS) {
          // A price for each second, with momentum. The watchdog may report healthy (ticks
          // arriving) a moment before its first whole second. Every second is checked on the
          // live stream (/ws), which delivers each price in order: polling could miss one on a
          // loaded machine.
          await waitFor(
            async () => ((await getJson(`${main}/api/price/${sym}`)).status === 200 ? true : undefined),
            30_000,
            `the first ${sym} price`,
          );
          const stream = await priceStream(`ws://127.0.0.1:${env.RECIO_PORT_MAIN_APP}/ws`, `price.${sym}`);
          await sleep(4_500);
          const seconds = stream.close();
          expect(seconds.length, `${sym} prices in 4.5 s`).toBeGreaterThanOrEqual(3);
          expect(seconds.slice(1).map((s, i) => s - seconds[i]!)).toEqual(
            Array(seconds.length - 1).fill(1_000),
          );
          const last = (await getJson(`${main}/api/price/${sym}`)).body;
          expect(last.momentum.percent, `momentum of ${sym}`).not.toBeNull();
          expect(last.momentum.deltas.length).toBeGreaterThan(0);

          // The current event's books are live. Right after an hourly rollover the next event's
          // markets are still 'initialized' (they open at the previous close) with empty books,
          // and at start the books arrive one by one: wait for every market open with a book.
          const market = await waitFor(
            async () => {
              const { body } = await getJson(`${main}/api/market/${sym}`);
              const rows: any[] = body?.rows ?? [];
              return rows.length > 20 && rows.every((r) => r.hasBook && r.status === 'active')
                ? body
                : undefined;
            },
            30_000,
            `every ${sym} market open with a live book`,
          );
          expect(market.eventTicker).toMatch(new RegExp(`^KX${sym.toUpperCase()}D-`));
          // Most are quoted. Those at the money are quoted on both legs, except in the hour's last
          // minutes: then every strike is nearly decided and the makers leave the side that would
          // price at 0 or 100 empty (as Kalshi's books do). Times are the platform's clock.
          const quoted = market.rows.filter((r: any) => r.yesBid !== null || r.noBid !== null);
          expect(quoted.length).toBeGreaterThan(market.rows.length / 2);
          if (market.closeTimeMs - last.secondMs > 10 * 60_000)
            expect(market.rows.some((r: any) => r.yesBid !== null && r.noBid !== null)).toBe(true);

          // The latest-snapshot file of the market exists and is the current event's (read again
          // together: an hourly rollover may fall in between).
          const file = join(dataDir, 'snapshots', `market-${sym}.json`);
          await waitFor(
            async () => {
              if (!existsSync(file)) return undefined;
              const current = (await getJson(`${main}/api/market/${sym}`)).body.eventTicker;
              return JSON.parse(readFileSync(file, 'utf8')).eventTicker === current ? true : undefined;
            },
            30_000,
            `${file} of the current event`,
          );
        }

        for (const sym of SYMBOLS) {
          // The strike table appears once the fresh install's synthetic model is built.
          const first = await waitFor(
            async () => {
              const { status, body } = await getJson(`${main}/api/strike-table/${sym}`);
              return status === 200 ? body : undefined;
            },
            300_000,
            `the ${sym} strike table`,
          ).catch((error: Error) => {
            throw new Error(`${error.message}\n${output()}`);
          });
          for (const field of HEADER_FIELDS) expect(first, field).toHaveProperty(field);
          expect(first.model_synthetic).toBe(true);
          expect(first.rows).toHaveLength(21);
          const strikes = first.rows.map((r: any) => r.strike);
          expect(strikes).toEqual([...strikes].sort((a: number, b: number) => a - b));
          expect(strikes[0]).toBeLessThan(first.price);
          expect(strikes.at(-1)).toBeGreaterThan(first.price);
          for (const row of first.rows) {
            for (const column of TABLE_COLUMNS) expect(row, column).toHaveProperty(column);
            // Diffs follow from the active side's probability and the asks (model.md).
            const yesFair = row.active_side === 'yes' ? row.probability : 100 - row.probability;
            if (row.yes_ask !== null) expect(row.yes_diff).toBeCloseTo(yesFair - row.yes_ask, 9);
            else expect(row.yes_diff).toBeNull();
            if (row.no_ask !== null) expect(row.no_diff).toBeCloseTo(100 - yesFair - row.no_ask, 9);
            else expect(row.no_diff).toBeNull();
            expect(row.buffer).toBeCloseTo(Math.abs(first.price - row.strike), 2);
          }
          const tableFile = join(dataDir, 'snapshots', `strikes-${sym}.json`);
          await waitFor(
            async () => {
              if (!existsSync(tableFile)) return undefined;
              const current = (await getJson(`${main}/api/strike-table/${sym}`)).body.event_ticker;
              return JSON.parse(readFileSync(tableFile, 'utf8')).table.event_ticker === current
                ? true
                : undefined;
            },
            30_000,
            `${tableFile} of the current event`,
          );

          // Refreshed at least once a second: over a few seconds of the coordinator's own clock,
          // tables came at least as often as seconds passed.
          await sleep(4_000);
          const later = (await getJson(`${main}/api/strike-table/${sym}`)).body;
          const seconds = (later.computed_at_ms - first.computed_at_ms) / 1_000;
          expect(seconds).toBeGreaterThan(2);
          expect(later.seq - first.seq).toBeGreaterThanOrEqual(Math.floor(seconds));
        }

        // Both models are listed as synthetic.
        const models = (await getJson(`${main}/api/model`)).body.models;
        expect(models.map((m: any) => [m.symbol, m.active?.synthetic])).toEqual([
          ['BTC', true],
          ['ETH', true],
        ]);

        // With the models in place every service is healthy: the platform's /health is green.
        await waitFor(
          async () => {
            const { status, body } = await getJson(`${main}/health`);
            return status === 200 && body.status === 'healthy' ? true : undefined;
          },
          120_000,
          'a green platform /health',
        ).catch(async (error: Error) => {
          const services = (await getJson(`${main}/api/system/services`)).body.services;
          const unwell = services.filter((s: any) => s.health && s.health.status !== 'healthy');
          throw new Error(`${error.message}\n${JSON.stringify(unwell, null, 1).slice(0, 3_000)}`);
        });

        proc.child.kill('SIGINT');
        expect(await proc.exited, output()).toBe(0);

        // Market snapshots landed in the embedded database and survive the stop.
        const handle = await openDatabase({ dataDir: join(dataDir, 'pglite') });
        try {
          const { rows } = await sql<{ symbol: string; n: number }>`
        select symbol, count(*)::int as n from market.market_snapshots group by symbol order by symbol`.execute(
            handle.db,
          );
          expect(rows.map((r) => r.symbol)).toEqual(['BTC', 'ETH']);
          for (const row of rows) expect(row.n).toBeGreaterThan(0);
        } finally {
          await handle.close();
        }
      },
    );
  },
);
