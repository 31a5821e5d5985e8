/**
 * Start-up and shutdown of the all-in-one process, the way a user runs it: `recio start` on a
 * fresh data directory (the embedded database is created), then again on the same directory —
 * first main_app alone (the foundation), then the whole platform.
 * Prints seconds to main_app answering, to the market-data services healthy, to momentum and
 * to both strike tables, to a green platform /health, and from Ctrl-C to exit.
 * Run: node --import tsx bench/startup.ts
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { recio } from '../test/support/cli.ts';
import { portEnv } from '../test/support/ports.ts';
import { getJson, waitFor } from '../test/support/wait.ts';

const MARKET_DATA = [
  'symbol_price_watchdog_btc',
  'symbol_price_watchdog_eth',
  'btc_price_watchdog',
  'kalshi_api_watchdog',
];

async function run(label: string, env: Record<string, string>) {
  const main = `http://127.0.0.1:${env.RECIO_PORT_MAIN_APP}`;
  const startedAt = performance.now();
  const seconds = () => ((performance.now() - startedAt) / 1000).toFixed(1);
  const proc = recio(['start'], env);
  await waitFor(
    async () => ((await getJson(`${main}/health`)).status ? true : undefined),
    180_000,
    'main_app',
  );
  const answering = seconds();
  let marketData = '-';
  let momentum = '-';
  let tables = '-';
  if (!env.RECIO_SERVICES) {
    await waitFor(
      async () => {
        const { body } = await getJson(`${main}/api/system/services`);
        const healthy = body.services.filter(
          (s: { name: string; health: { status: string } | null }) =>
            MARKET_DATA.includes(s.name) && s.health?.status === 'healthy',
        );
        return healthy.length === MARKET_DATA.length ? true : undefined;
      },
      180_000,
      'market data healthy',
    );
    marketData = seconds();
    momentum = await waitFor(
      async () => {
        for (const sym of ['btc', 'eth']) {
          const { body } = await getJson(`${main}/api/price/${sym}`);
          if (body.momentum?.percent == null) return undefined;
        }
        return seconds();
      },
      180_000,
      'momentum',
    );
    tables = await waitFor(
      async () => {
        for (const sym of ['btc', 'eth']) {
          if ((await getJson(`${main}/api/strike-table/${sym}`)).status !== 200) return undefined;
        }
        return seconds();
      },
      300_000,
      'strike tables',
    );
  }
  const green = await waitFor(
    async () => ((await getJson(`${main}/health`)).body.status === 'healthy' ? seconds() : undefined),
    300_000,
    'a green /health',
  ).catch(() => 'not within 300');
  const stopAt = performance.now();
  proc.child.kill('SIGINT');
  const code = await proc.exited;
  const down = ((performance.now() - stopAt) / 1000).toFixed(2);
  console.log(
    `${label}: main_app answers ${answering} s · market data healthy ${marketData} s · momentum ${momentum} s · BTC+ETH strike tables ${tables} s · green /health ${green} s · Ctrl-C → exit ${code} in ${down} s`,
  );
}

for (const [scope, extra] of [
  ['main_app only', { RECIO_SERVICES: 'main_app' }],
  ['whole platform', {}],
] as const) {
  const dataDir = mkdtempSync(join(tmpdir(), 'recio-bench-startup-'));
  const env = { ...(await portEnv()), ...extra, RECIO_DATA_DIR: dataDir };
  await run(`${scope}, first start (fresh data directory)`, env);
  await run(`${scope}, restart (existing data)`, env);
  rmSync(dataDir, { recursive: true, force: true });
}
