/**
 * unified_production_coordinator (8010): the probability model at work. Consumes `price.*`,
 * `index.*` and `market.*`; on every change (coalesced to `coordinator.maxUpdatesPerSecond`)
 * and at least once a second computes each symbol's strike table and watchlist and publishes
 * `strikes.<sym>`; keeps `<dataDir>/snapshots/strikes-<sym>.json` equal to the newest table
 * (atomic writes); stores the table at fixed offsets before each close and settles those rows
 * when the hour's settlement value arrives (calibration, scored by main_app).
 *
 * Models: the active model per symbol from the database; a fresh install bootstraps one
 * (synthetic history → build → activate) in the background — the service starts at once and
 * /health is degraded with "building model 37%" until the model is there.
 *
 * Wiring only: the table is computeStrikeTable / buildWatchlist (src/domain/model); the parts
 * here are StrikeCoordinator, ModelKeeper, CalibrationRecorder and LatestFileWriter.
 */
import { join, resolve } from 'node:path';
import { Counter, Gauge } from 'prom-client';
import type { IndexMessage, MarketMessage, PriceMessage } from '../../core/bus/market-data-topics.ts';
import { strikesTopic } from '../../core/bus/strikes-topics.ts';
import { TopicValidationError } from '../../core/bus/topics.ts';
import type { ServiceContext, ServiceDefinition, ServiceHandle } from '../../core/service/service.ts';
import { SYMBOLS, type SymbolId } from '../../domain/units.ts';
import { writeJsonAtomic } from '../../storage/market-snapshots/json-file.ts';
import {
  insertStrikeSnapshots,
  settleStrikeSnapshots,
} from '../../storage/strike-snapshots/strike-snapshot-repository.ts';
import { CalibrationRecorder } from './calibration-recorder.ts';
import { LatestFileWriter, type JsonWriter } from './latest-file-writer.ts';
import { ModelKeeper, type ModelStore } from './model-keeper.ts';
import { storageModelStore } from './storage-model-store.ts';
import { StrikeCoordinator } from './strike-coordinator.ts';

/** Tables are recomputed at least this often (clock time): time to close moves on. */
const REFRESH_MS = 1_000;
/** How often the active model ids are checked for a newly activated model. */
const MODEL_POLL_MS = 30_000;
/** A snapshot is taken up to this many seconds after its offset. */
const SNAPSHOT_TOLERANCE_SECONDS = 15;
/** A symbol whose newest table is older than this is reported on /health. */
const MAX_TABLE_AGE_MS = 5_000;
/** The price feed publishes every second: a price older than this makes the tables stale. */
const MAX_PRICE_AGE_MS = 10_000;

/** `<dataDir>/snapshots/strikes-btc.json` */
export function strikesSnapshotFile(dataDir: string, symbol: SymbolId): string {
  return join(resolve(dataDir), 'snapshots', `strikes-${symbol.toLowerCase()}.json`);
}

export interface CoordinatorServiceOptions {
  /** The model store (default: the platform database, src/storage/models). */
  models?: (ctx: ServiceContext) => ModelStore;
  /** Days of synthetic history when a model has to be bootstrapped (default: a year). */
  bootstrapDays?: number;
  /** JSON file writer (default: atomic temp + rename). */
  writeJson?: JsonWriter;
}

export function createCoordinatorService(options: CoordinatorServiceOptions = {}): ServiceDefinition {
  return {
    name: 'unified_production_coordinator',
    dependsOn: [
      'symbol_price_watchdog_btc',
      'symbol_price_watchdog_eth',
      'btc_price_watchdog',
      'kalshi_api_watchdog',
    ],
    start: (ctx) => startCoordinator(ctx, options),
  };
}

export const unifiedProductionCoordinator = createCoordinatorService();

async function startCoordinator(
  ctx: ServiceContext,
  options: CoordinatorServiceOptions,
): Promise<ServiceHandle> {
  const { clock, log, config } = ctx;
  const settings = config.coordinator;
  const symbols: readonly SymbolId[] = SYMBOLS;

  const store =
    options.models?.(ctx) ??
    storageModelStore({
      db: ctx.database.db,
      now: () => clock.now(),
      ...(options.bootstrapDays !== undefined ? { bootstrapDays: options.bootstrapDays } : {}),
    });

  const writers = new Map(
    symbols.map((symbol) => [
      symbol,
      new LatestFileWriter(
        strikesSnapshotFile(config.dataDir, symbol),
        options.writeJson ?? writeJsonAtomic,
        (error) => log.warn({ err: error, symbol }, 'cannot write the strike table file'),
      ),
    ]),
  );

  const recorder = new CalibrationRecorder(
    {
      insert: (rows) => insertStrikeSnapshots(ctx.database.db, rows),
      settle: (input) => settleStrikeSnapshots(ctx.database.db, input),
    },
    {
      mode: config.mode,
      offsetsMinutes: settings.snapshotOffsetsMinutes,
      toleranceSeconds: SNAPSHOT_TOLERANCE_SECONDS,
    },
    (error) => log.warn({ err: error }, 'calibration snapshot storage failed'),
  );

  const published = new Counter({
    name: 'recio_strike_tables_published_total',
    help: 'Strike tables published on strikes.<sym>',
    labelNames: ['symbol'],
    registers: [ctx.metrics],
  });

  // The coordinator reads the keeper's models and the keeper tells the coordinator about new
  // ones: the coordinator is created first and reaches the keeper when a table is computed.
  const strikes: StrikeCoordinator = new StrikeCoordinator({
    clock,
    models: { current: (symbol) => keeper.current(symbol) },
    options: {
      symbols,
      maxUpdatesPerSecond: settings.maxUpdatesPerSecond,
      rows: settings.rows,
      settle: settings.settle,
      watchlist: {},
    },
    publish: (message) => ctx.bus.publish(strikesTopic(message.symbol), message),
    onPublishError: (error, message) => {
      // A message the schema refuses is a bug here: crash and be restarted. A bus outage is not.
      if (error instanceof TopicValidationError) ctx.fail(error);
      else
        log.warn({ err: error, symbol: message.symbol, seq: message.seq }, 'cannot publish the strike table');
    },
    onTable: (message) => {
      published.inc({ symbol: message.symbol });
      writers.get(message.symbol)?.set(message);
      recorder.onTable(message);
    },
    onError: (error) => ctx.fail(error),
  });
  const keeper = new ModelKeeper(store, {
    symbols,
    onChange: (symbol) => {
      log.info({ symbol, model: keeper.state(symbol) }, 'model in use');
      strikes.refresh(symbol);
    },
    onProblem: (symbol, message) => log.warn({ symbol }, message),
  });

  await ctx.subscribe('price.*', (_topic, payload) => strikes.handlePrice(payload as PriceMessage));
  await ctx.subscribe('market.*', (_topic, payload) => strikes.handleMarket(payload as MarketMessage));
  await ctx.subscribe('index.*', (_topic, payload) => {
    strikes.handleIndex(payload as IndexMessage);
    recorder.onIndex(payload as IndexMessage);
  });
  ctx.every('refresh', REFRESH_MS, () => strikes.refresh());
  ctx.every('model poll', MODEL_POLL_MS, () => keeper.poll());
  ctx.spawn('model load and bootstrap', (signal) => keeper.start(signal));

  registerHealth(ctx, { keeper, strikes, recorder, writers });

  new Gauge({
    name: 'recio_strike_table_age_seconds',
    help: 'Age of the newest strike table per symbol',
    labelNames: ['symbol'],
    registers: [ctx.metrics],
    collect() {
      for (const symbol of symbols) {
        const latest = strikes.latest(symbol);
        if (latest) this.set({ symbol }, (clock.now() - latest.at) / 1000);
      }
    },
  });
  new Gauge({
    name: 'recio_strike_inputs_coalesced',
    help: 'Input changes merged into a later strike table (rate limit), since start',
    labelNames: ['symbol'],
    registers: [ctx.metrics],
    collect() {
      for (const symbol of symbols) this.set({ symbol }, strikes.coalesced(symbol));
    },
  });

  // Internal: what the coordinator holds right now (for operators and the failure detector).
  ctx.http.get('/status', async () => ({
    at: clock.now(),
    settings,
    symbols: Object.fromEntries(
      symbols.map((symbol) => [
        symbol,
        {
          model: keeper.state(symbol),
          missing: strikes.missing(symbol),
          seq: strikes.latest(symbol)?.seq ?? null,
          tableAt: strikes.latest(symbol)?.at ?? null,
          file: writers.get(symbol)!.path,
        },
      ]),
    ),
    calibration: recorder.stats,
  }));

  return {
    async stop() {
      strikes.stop();
      await Promise.all([...writers.values()].map((w) => w.flush()));
      await recorder.idle();
    },
  };
}

interface HealthParts {
  keeper: ModelKeeper;
  strikes: StrikeCoordinator;
  recorder: CalibrationRecorder;
  writers: Map<SymbolId, LatestFileWriter>;
}

function registerHealth(ctx: ServiceContext, parts: HealthParts): void {
  const { keeper, strikes, recorder, writers } = parts;
  ctx.health.add({ name: 'model', check: () => keeper.health() });
  ctx.health.add({
    name: 'strike tables',
    check: () => {
      const now = ctx.clock.now();
      const problems: string[] = [];
      const data: Record<string, unknown> = {};
      for (const [symbol] of writers) {
        const latest = strikes.latest(symbol);
        const missing = strikes.missing(symbol);
        const price = strikes.inputs(symbol)?.price;
        const priceAgeMs = price ? now - price.at : null;
        data[symbol] = {
          seq: latest?.seq ?? null,
          ageMs: latest ? now - latest.at : null,
          priceAgeMs,
          missing,
        };
        if (missing.length > 0) problems.push(`${symbol}: waiting for ${missing.join(', ')}`);
        else if (!latest) problems.push(`${symbol}: no table yet`);
        else if (now - latest.at > MAX_TABLE_AGE_MS) {
          problems.push(`${symbol}: newest table ${((now - latest.at) / 1000).toFixed(1)} s old`);
        } else if (priceAgeMs !== null && priceAgeMs > MAX_PRICE_AGE_MS) {
          problems.push(`${symbol}: computed from a price ${(priceAgeMs / 1000).toFixed(0)} s old`);
        }
      }
      const ok = problems.length === 0;
      return {
        ok,
        detail: ok
          ? [...writers.keys()].map((s) => `${s} seq ${strikes.latest(s)!.seq}`).join(', ')
          : problems.join('; '),
        data,
      };
    },
  });
  ctx.health.add({
    name: 'calibration store',
    check: () => ({
      ok: recorder.stats.lastError === null,
      detail:
        recorder.stats.lastError ??
        `${recorder.stats.snapshotsStored} snapshots, ${recorder.stats.hoursSettled} hours settled`,
      data: { ...recorder.stats },
    }),
  });
  ctx.health.add({
    name: 'snapshot files',
    check: () => {
      const failing = [...writers.entries()].filter(([, w]) => w.lastError !== null);
      return {
        ok: failing.length === 0,
        detail:
          failing.length === 0
            ? `${[...writers.values()].reduce((n, w) => n + w.written, 0)} writes`
            : failing.map(([s, w]) => `${s}: ${w.lastError}`).join('; '),
      };
    },
  });
}
