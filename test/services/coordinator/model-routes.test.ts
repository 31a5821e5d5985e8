import pino from 'pino';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { MemoryBus } from '../../../src/core/bus/memory-bus.ts';
import type { StrikesMessage } from '../../../src/core/bus/strikes-topics.ts';
import { SimulatedClock } from '../../../src/core/clock/simulated-clock.ts';
import { configSchema } from '../../../src/core/config/schema.ts';
import type { DatabaseHandle } from '../../../src/core/db/index.ts';
import { createServiceHttp, type ServiceHttp } from '../../../src/core/http/server.ts';
import { buildWatchlist, computeStrikeTable } from '../../../src/domain/model/index.ts';
import { registerModelRoutes } from '../../../src/services/main_app/model-routes.ts';
import { saveModel } from '../../../src/storage/models/model-repository.ts';
import {
  insertStrikeSnapshots,
  settleStrikeSnapshots,
  type StrikeSnapshot,
} from '../../../src/storage/strike-snapshots/strike-snapshot-repository.ts';
import { CLOSE, ladderQuote, marketMessage, testGrid } from './fixtures.ts';
import { ENGINES } from '../../storage/engines.ts';

const PRICE = 118_237.42;
const NOW = CLOSE - 754_000;

function strikesMessage(seq: number): StrikesMessage {
  const market = marketMessage({
    first: 110_000,
    spacing: 250,
    count: 75,
    quote: ladderQuote(PRICE),
    at: NOW,
  });
  const grid = testGrid('BTC');
  const table = computeStrikeTable({
    symbol: 'BTC',
    price: PRICE,
    ttcSeconds: 754,
    eventTicker: market.eventTicker,
    closeTimeMs: CLOSE,
    strikeTier: 250,
    momentumPercent: 0.043,
    grid,
    settle: 'average60',
    markets: market.rows.map((r) => ({ ...r, volume: r.volume ?? 0 })),
    seq,
  });
  return {
    symbol: 'BTC',
    seq,
    at: NOW - 500,
    closeTimeMs: CLOSE,
    model: { id: grid.meta.modelId, source: 'synthetic', synthetic: true },
    inputs: { priceAtMs: NOW - 600, marketAtMs: NOW - 900, indexAtMs: null },
    table,
    watchlist: buildWatchlist(table.rows, { minProbability: 80, minVolume: 0 }),
  };
}

describe('main_app model routes', () => {
  let db: { handle: DatabaseHandle; close(): Promise<void> };
  let http: ServiceHttp;
  let bus: MemoryBus;
  const clock = SimulatedClock.manual(NOW);

  beforeAll(async () => {
    db = await ENGINES[1]!.open(); // PostgreSQL: quick to create (the repository test covers PGlite)
    bus = new MemoryBus();
    const log = pino({ level: 'silent' });
    http = createServiceHttp({
      service: 'main_app',
      version: 'test',
      logger: log,
      startedAt: () => NOW,
      now: () => clock.now(),
    });
    await registerModelRoutes({
      http: http.app,
      clock,
      database: db.handle,
      config: configSchema.parse({ mode: 'paper' }),
      subscribe: async (pattern, handler) => {
        await bus.subscribe(pattern, (m) => handler(m.topic, m.payload));
      },
    });
    await http.app.ready();
  });
  afterAll(async () => {
    await http.app.close();
    await bus.close();
    await db.close();
  });

  const get = (url: string) => http.app.inject({ method: 'GET', url });

  it('answers 404 for an unknown symbol and 503 before the first table', async () => {
    const unknown = await get('/api/strike-table/doge');
    expect(unknown.statusCode).toBe(404);
    expect(unknown.headers['content-type']).toMatch(/application\/problem\+json/);
    expect(unknown.json()).toMatchObject({ status: 404, detail: 'unknown symbol "doge" (known: btc, eth)' });
    expect((await get('/api/watchlist/xrp')).statusCode).toBe(404);
    const early = await get('/api/strike-table/btc');
    expect(early.statusCode).toBe(503);
    expect(early.json().detail).toMatch(/no strike table for BTC yet/);
    expect((await get('/api/watchlist/eth')).statusCode).toBe(503);
  });

  it('serves the newest table and its watchlist from the bus', async () => {
    await bus.publish('strikes.btc', strikesMessage(1));
    await bus.publish('strikes.btc', strikesMessage(2));
    await new Promise((r) => setImmediate(r));
    const res = await get('/api/strike-table/BTC');
    expect(res.statusCode).toBe(200);
    const body = res.json();
    expect(body).toMatchObject({
      symbol: 'BTC',
      seq: 2,
      price: PRICE,
      ttc_seconds: 754,
      event_ticker: 'KXBTCD-25JUL2617',
      market_title: 'BTC price today at 5pm?',
      strike_tier: 250,
      momentum_score: 4,
      momentum_bucket: 4,
      model_id: 'test-btc',
      model_source: 'synthetic',
      model_synthetic: true,
      close_time_ms: CLOSE,
      computed_at_ms: NOW - 500,
      age_ms: 500,
      input_times_ms: { price: NOW - 600, market: NOW - 900, index: null },
    });
    expect(body.rows).toHaveLength(21);
    expect(body.rows[10]).toEqual(strikesMessage(2).table.rows[10]);
    expect((await get('/api/strike-table/eth')).statusCode).toBe(503);

    const watch = await get('/api/watchlist/btc');
    expect(watch.statusCode).toBe(200);
    const w = watch.json();
    expect(w).toMatchObject({ symbol: 'BTC', seq: 2, model_id: 'test-btc', model_synthetic: true });
    expect(w.rows.length).toBeGreaterThan(0);
    expect(w.rows).toEqual(strikesMessage(2).watchlist);
  });

  it('lists the active model per symbol with its provenance', async () => {
    const before = (await get('/api/model')).json();
    expect(before.models).toEqual([
      { symbol: 'BTC', active: null, inUse: 'test-btc' },
      { symbol: 'ETH', active: null, inUse: null },
    ]);
    await saveModel(db.handle.db, testGrid('BTC', 'btc-synth-1'), { activate: true });
    const body = (await get('/api/model')).json();
    expect(body.models[0]).toEqual({
      symbol: 'BTC',
      active: {
        modelId: 'btc-synth-1',
        symbol: 'BTC',
        source: 'synthetic',
        synthetic: true,
        from: Date.UTC(2024, 0, 1),
        to: Date.UTC(2025, 0, 1),
        rowsUsed: 1_000,
        builtAt: Date.UTC(2025, 0, 2),
        weighting: { kind: 'none' },
        active: true,
      },
      inUse: 'test-btc',
    });
  });

  it('scores the settled snapshots per symbol and says when the model does not beat the mid', async () => {
    const rows: StrikeSnapshot[] = [];
    // Six settled hours of 17 strikes (102 rows); the market is sharper than the model on each.
    const strikes = Array.from({ length: 17 }, (_, i) => 117_000 + 250 * i);
    for (let h = 0; h < 6; h++) {
      const close = CLOSE - (h + 1) * 3_600_000;
      for (const strike of strikes) {
        const below = strike < 118_250;
        const [yesBid, yesAsk] = below ? [9_400, 9_600] : [400, 600];
        rows.push({
          mode: 'paper',
          symbol: 'BTC',
          closeTimeMs: close,
          offsetMinutes: 5,
          strike,
          eventTicker: 'E',
          ticker: `E-${strike}`,
          takenAtMs: close - 300_000,
          ttcSeconds: 300,
          price: 118_250,
          modelId: 'm',
          settle: 'average60',
          momentumBucket: 0,
          modelYesPercent: below ? 80 : 30,
          activeSide: below ? 'yes' : 'no',
          yesBid,
          yesAsk,
          noBid: 10_000 - yesAsk,
          noAsk: 10_000 - yesBid,
          volume: 5_000,
        });
      }
    }
    expect(await insertStrikeSnapshots(db.handle.db, rows)).toBe(102);
    for (let h = 0; h < 6; h++) {
      // Settles at 118 200.00: strikes up to 118 000 YES, from 118 250 NO.
      await settleStrikeSnapshots(db.handle.db, {
        mode: 'paper',
        symbol: 'BTC',
        closeTimeMs: CLOSE - (h + 1) * 3_600_000,
        sumCents: 11_820_000 * 60,
        printCount: 60,
        settledAtMs: NOW,
      });
    }
    const res = await get('/api/model/calibration/btc');
    expect(res.statusCode).toBe(200);
    const [btc] = res.json().symbols;
    expect(btc).toMatchObject({ symbol: 'BTC', observations: 102, events: 6, withoutMid: 0 });
    // Model: 5 YES rows at 0.8 → 0.04 each, 12 NO rows at 0.3 → 0.09; market 0.05 off on every row.
    expect(btc.model.brier).toBeCloseTo((5 * 0.04 + 12 * 0.09) / 17, 12);
    expect(btc.market.brier).toBeCloseTo(0.0025, 12);
    expect(btc.verdict).toBe('market_better');
    expect(btc.summary).toMatch(/^The model does NOT beat the market mid: Brier 0\.0753 vs 0\.0025/);
    expect(btc.model.buckets[8]).toMatchObject({ count: 30, yesCount: 30, observedPercent: 100 });
    expect(btc.byOffset).toHaveLength(1);

    const all = (await get('/api/model/calibration?days=1')).json();
    expect(all.mode).toBe('paper');
    expect(all.symbols.map((s: any) => [s.symbol, s.observations])).toEqual([
      ['BTC', 102],
      ['ETH', 0],
    ]);
    expect((await get('/api/model/calibration?days=0.01')).json().symbols[0].observations).toBe(0);
    expect((await get('/api/model/calibration?days=abc')).statusCode).toBe(400);
    expect((await get('/api/model/calibration/doge')).statusCode).toBe(404);
  });
});
