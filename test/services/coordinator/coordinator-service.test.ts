/**
 * The coordinator as a service in an all-in-one host, with main_app: constructed market data
 * published on the host's bus in, strike tables out over HTTP, in the JSON files and on /health.
 */
import { existsSync, mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { configSchema } from '../../../src/core/config/schema.ts';
import { migrateToLatest, openDatabase } from '../../../src/core/db/index.ts';
import { loadManifest } from '../../../src/core/manifest/manifest.ts';
import { startHost, type Host } from '../../../src/core/service/host.ts';
import { mainApp } from '../../../src/services/main_app/index.ts';
import {
  createCoordinatorService,
  strikesSnapshotFile,
} from '../../../src/services/unified_production_coordinator/index.ts';
import { saveModel } from '../../../src/storage/models/model-repository.ts';
import { portEnv } from '../../support/ports.ts';
import { createTestDatabase } from '../../support/postgres.ts';
import { getJson, waitFor } from '../../support/wait.ts';
import {
  CLOSE,
  indexMessage,
  ladderQuote,
  marketMessage,
  priceMessage,
  settlementOf,
  testGrid,
} from './fixtures.ts';

const hosts: Host[] = [];
const databases: Array<{ drop(): Promise<void> }> = [];
afterEach(async () => {
  await Promise.all(hosts.splice(0).map((h) => h.stop()));
  await Promise.all(databases.splice(0).map((d) => d.drop()));
});

const PRICE = 118_237.42;
const ETH_PRICE = 3_751.37;

async function host(options: { seedModels: boolean; bootstrapDays?: number; startMs?: number }) {
  const database = await createTestDatabase('recio_upc');
  databases.push(database);
  if (options.seedModels) {
    const handle = await openDatabase({ databaseUrl: database.url });
    await migrateToLatest(handle.db);
    await saveModel(handle.db, testGrid('BTC', 'btc-test-1'), { activate: true });
    await saveModel(handle.db, testGrid('ETH', 'eth-test-1'), { activate: true });
    await handle.close();
  }
  const env = await portEnv();
  const dataDir = mkdtempSync(join(tmpdir(), 'recio-upc-'));
  const config = configSchema.parse({
    dataDir,
    databaseUrl: database.url,
    log: { level: 'silent', files: false },
    // 754 s before a 5 pm close (unless told otherwise), at the real pace.
    clock: { mode: 'simulated', start: new Date(options.startMs ?? CLOSE - 754_000).toISOString(), rate: 1 },
  });
  const coordinator = createCoordinatorService(
    options.bootstrapDays !== undefined ? { bootstrapDays: options.bootstrapDays } : {},
  );
  const h = await startHost({
    topology: 'all-in-one',
    config,
    manifest: loadManifest(undefined, { env }),
    registry: { main_app: async () => mainApp, unified_production_coordinator: async () => coordinator },
    services: ['unified_production_coordinator', 'main_app'],
    version: 'test',
  });
  hosts.push(h);
  const base = `http://127.0.0.1:${env.RECIO_PORT_MAIN_APP}`;
  const coordinatorBase = `http://127.0.0.1:${env.RECIO_PORT_UNIFIED_PRODUCTION_COORDINATOR}`;
  return { h, base, coordinatorBase, dataDir };
}

async function publishMarketData(h: Host) {
  const at = h.clock.now();
  await h.bus.publish('price.btc', priceMessage({ price: PRICE, momentumPercent: 0.043, at }));
  await h.bus.publish('index.btc', indexMessage({ value: PRICE, at }));
  await h.bus.publish(
    'market.btc',
    marketMessage({ first: 110_000, spacing: 250, count: 75, quote: ladderQuote(PRICE), at }),
  );
}

async function publishEth(h: Host) {
  const at = h.clock.now();
  await h.bus.publish('price.eth', priceMessage({ symbol: 'ETH', price: ETH_PRICE, at }));
  await h.bus.publish(
    'market.eth',
    marketMessage({
      symbol: 'ETH',
      first: 3_000,
      spacing: 20,
      count: 75,
      quote: ladderQuote(ETH_PRICE, 2),
      at,
    }),
  );
}

describe('unified_production_coordinator service', () => {
  it('serves 21-row strike tables refreshed every second, writes the JSON file, reports health', async () => {
    const { h, base, coordinatorBase, dataDir } = await host({ seedModels: true });

    // Models loaded, no market data yet: degraded, and main_app has nothing to show.
    const waiting = await waitFor(
      async () => {
        const r = await getJson(`${coordinatorBase}/health`);
        const model = r.body.checks.find((c: any) => c.name === 'model');
        return model?.ok ? r : undefined;
      },
      15_000,
      'models loaded',
    );
    expect(waiting.body.status).toBe('degraded');
    expect(waiting.body.checks.find((c: any) => c.name === 'strike tables').detail).toBe(
      'BTC: waiting for price, market; ETH: waiting for price, market',
    );
    expect((await getJson(`${base}/api/strike-table/btc`)).status).toBe(503);

    await publishMarketData(h);
    const first = await waitFor(
      async () => {
        const r = await getJson(`${base}/api/strike-table/btc`);
        return r.status === 200 ? r.body : undefined;
      },
      10_000,
      'the first BTC table',
    );
    expect(first.rows).toHaveLength(21);
    expect(first).toMatchObject({
      symbol: 'BTC',
      model_id: 'btc-test-1',
      model_synthetic: true,
      strike_tier: 250,
    });
    expect(first.rows.map((r: any) => r.strike)).toEqual(
      Array.from({ length: 21 }, (_, i) => 115_750 + 250 * i),
    );
    for (const row of first.rows) {
      const yesValue = row.active_side === 'yes' ? row.probability : 100 - row.probability;
      expect(row.yes_diff).toBeCloseTo(yesValue - row.yes_ask, 9);
      expect(row.no_diff).toBeCloseTo(100 - yesValue - row.no_ask, 9);
    }

    // No new input: the table is still recomputed (time to close moves) at least once a second.
    // (Waited for rather than timed: a loaded CI machine may run a beat late.)
    const later = await waitFor(
      async () => {
        const body = (await getJson(`${base}/api/strike-table/btc`)).body;
        return body.seq >= first.seq + 2 && body.ttc_seconds < first.ttc_seconds - 1.5 ? body : undefined;
      },
      10_000,
      'two more tables without new input',
    );
    expect(later.age_ms).toBeLessThan(5_000);

    // The JSON file follows the newest table.
    const file = strikesSnapshotFile(dataDir, 'BTC');
    expect(file).toBe(join(dataDir, 'snapshots', 'strikes-btc.json'));
    const onDisk = await waitFor(
      () => {
        if (!existsSync(file)) return undefined;
        const m = JSON.parse(readFileSync(file, 'utf8'));
        return m.seq >= later.seq ? m : undefined;
      },
      5_000,
      'the JSON file',
    );
    expect(onDisk.table.rows).toHaveLength(21);
    expect(onDisk.model).toEqual({ id: 'btc-test-1', source: 'synthetic', synthetic: true });

    const watch = await getJson(`${base}/api/watchlist/btc`);
    expect(watch.status).toBe(200);
    expect(watch.body.rows.every((r: any) => r.volume >= 1_000 && r.probability > 90)).toBe(true);

    // With ETH as well, the coordinator is healthy.
    await publishEth(h);
    const healthy = await waitFor(
      async () => {
        const r = await getJson(`${coordinatorBase}/health`);
        return r.body.status === 'healthy' ? r.body : undefined;
      },
      10_000,
      'a healthy coordinator',
    );
    expect(healthy.checks.find((c: any) => c.name === 'model').detail).toBe(
      'BTC btc-test-1 (synthetic); ETH eth-test-1 (synthetic)',
    );
    const eth = (await getJson(`${base}/api/strike-table/eth`)).body;
    expect(eth).toMatchObject({ symbol: 'ETH', strike_tier: 20, model_id: 'eth-test-1' });
    expect(eth.rows).toHaveLength(21);

    // A price feed that stopped: the tables go on (time to close moves) but /health says why they are stale.
    await h.bus.publish('price.btc', priceMessage({ price: PRICE, at: h.clock.now() - 20_000 }));
    const stale = await waitFor(
      async () => {
        const r = await getJson(`${coordinatorBase}/health`);
        return r.body.status === 'degraded' ? r.body : undefined;
      },
      10_000,
      'a degraded coordinator',
    );
    expect(stale.checks.find((c: any) => c.name === 'strike tables').detail).toMatch(
      /^BTC: computed from a price 2\d s old$/,
    );

    const models = (await getJson(`${base}/api/model`)).body.models;
    expect(models.map((m: any) => [m.symbol, m.active.modelId, m.active.synthetic, m.inUse])).toEqual([
      ['BTC', 'btc-test-1', true, 'btc-test-1'],
      ['ETH', 'eth-test-1', true, 'eth-test-1'],
    ]);
  });

  it('bootstraps a synthetic model on a fresh database without holding up the start', async () => {
    const { h, base, coordinatorBase } = await host({ seedModels: false, bootstrapDays: 2 });
    // The service is up before any model exists.
    const early = await getJson(`${coordinatorBase}/health`);
    expect(early.body.status).toBe('degraded');
    expect(early.body.checks.find((c: any) => c.name === 'model').ok).toBe(false);

    await publishMarketData(h);
    const table = await waitFor(
      async () => {
        const r = await getJson(`${base}/api/strike-table/btc`);
        return r.status === 200 ? r.body : undefined;
      },
      60_000,
      'a table from the bootstrapped model',
    );
    expect(table.model_synthetic).toBe(true);
    expect(table.model_source).toBe('synthetic');
    expect(table.rows).toHaveLength(21);
    const models = (await getJson(`${base}/api/model`)).body.models;
    expect(models[0].active).toMatchObject({
      symbol: 'BTC',
      source: 'synthetic',
      synthetic: true,
      active: true,
    });
    expect(models[0].active.to - models[0].active.from).toBeGreaterThan(86_400_000);
  }, 90_000);

  it('stores the table one minute before the close and scores it once the hour settles', async () => {
    const { h, base } = await host({ seedModels: true, startMs: CLOSE - 61_500 });
    await publishMarketData(h);
    await waitFor(
      async () => {
        const r = await getJson(`${base}/api/strike-table/btc`);
        return r.status === 200 && r.body.ttc_seconds <= 60 ? r.body : undefined;
      },
      10_000,
      'a table inside the last minute',
    );
    // The hour settles at 118 237.50: strikes up to 118 000 YES, from 118 250 NO.
    await h.bus.publish(
      'index.btc',
      indexMessage({
        value: PRICE,
        at: h.clock.now(),
        windowCloseTimeMs: CLOSE + 3_600_000,
        lastSettlement: settlementOf(CLOSE, 118_237.5),
      }),
    );
    const report = await waitFor(
      async () => {
        const r = await getJson(`${base}/api/model/calibration/btc`);
        return r.body.symbols?.[0]?.observations > 0 ? r.body.symbols[0] : undefined; // all at once: one statement
      },
      10_000,
      'scored observations',
    );
    expect(report).toMatchObject({ symbol: 'BTC', observations: 21, events: 1, withoutMid: 0 });
    expect(report.byOffset.map((o: any) => o.offsetMinutes)).toEqual([1]);
    expect(report.verdict).toBe('insufficient_data');
    expect(report.model.buckets.reduce((n: number, b: any) => n + b.yesCount, 0)).toBe(10);
  });
});
