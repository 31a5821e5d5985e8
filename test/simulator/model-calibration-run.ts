/**
 * Runs the simulator's market on a simulated clock for many hours and records, at fixed
 * offsets before each close, exactly what unified_production_coordinator would see then — the
 * `price.<sym>` message of the spot pipeline (price and momentum from Coinbase ticks), the
 * `index.<sym>` message of btc_price_watchdog's tracker (the known part of the settlement
 * average) and the `market.<sym>` message of the event's ladder — plus the simulator's own
 * result of every strike once the hour is determined. Model-independent: the same run scores
 * any model (forecastsOf), so a calibrated model and its negative controls see the same hours.
 *
 * What is real here: MarketSimulation (GARCH-t index, Coinbase feed, hourly listing and
 * ladder, settlement on the mean of the last 60 index prints, determination by the exchange
 * engine), SpotPipeline and IndexTracker (the services' pure pipelines), tableInputOf and
 * computeStrikeTable (the coordinator's path). Not here: makers and takers (no quotes are
 * needed for a probability, and they do not move the index), the bus and the database.
 *
 * Time: a SimulatedClock in manual mode; a one-minute interval steps the simulation (it steps
 * every second inside) and evaluation timeouts fire at close − offset. A 1-s interval would
 * give the same prints and cost a timer firing per simulated second.
 */
import { SimulatedClock } from '../../src/core/clock/simulated-clock.ts';
import type { IndexMessage, MarketMessage, PriceMessage } from '../../src/core/bus/market-data-topics.ts';
import {
  reliabilityReport,
  type CalibrationBounds,
  type Forecast,
  type ReliabilityReport,
} from '../../src/domain/calibration/index.ts';
import {
  buildFingerprintGrid,
  computeStrikeTable,
  type FingerprintGrid,
  type Settlement,
} from '../../src/domain/model/index.ts';
import type { SettlementResult } from '../../src/domain/market-data/index.ts';
import type { EpochMs, SymbolId } from '../../src/domain/units.ts';
import { IndexTracker } from '../../src/services/btc_price_watchdog/index-tracker.ts';
import { SpotPipeline } from '../../src/services/symbol_price_watchdog/spot-pipeline.ts';
import {
  tableInputOf,
  type SymbolInputs,
} from '../../src/services/unified_production_coordinator/table-inputs.ts';
import type { SyntheticModelResult } from '../../src/storage/models/synthetic-model-job.ts';
import {
  defaultSimulationConfig,
  MarketSimulation,
  type SimEvent,
  type SimulationOutput,
} from '../../src/simulator/market/simulation.ts';

/** Snapshot offsets before each close: 45, 30, 15, 10, 5, 2, 1 minutes and 30 s (inside the window). */
export const OFFSETS_SECONDS: readonly number[] = [2_700, 1_800, 900, 600, 300, 120, 60, 30];

/** The bounds of the acceptance test (model-calibration.test.ts explains each). */
export const CALIBRATION_BOUNDS: CalibrationBounds = {
  bucketFloorPp: 1,
  sigmas: 3,
  minBucketClusters: 30,
  eceAllowancePp: 1,
  minBrierSkill: 0.8,
};
/** The model's Brier score may exceed the simulator's own fair value's by at most 10 %. */
export const MAX_BRIER_RATIO_TO_ORACLE = 1.1;

const MINUTE_MS = 60_000;
/** Momentum looks 30 minutes back: an hour is scored only if its first snapshot has that much history. */
const WARM_UP_MS = 31 * MINUTE_MS;

export interface CalibrationRunOptions {
  /** The simulation's seed (its index path). */
  seed: string;
  /** Simulated clock start (epoch ms, a whole minute). */
  startMs: EpochMs;
  /** Settled hours to collect. */
  hours: number;
  /** Seconds before each close at which the coordinator's inputs are recorded. */
  offsetsSeconds: readonly number[];
  symbol?: SymbolId;
  /** Called after each settled hour (progress in the bench). */
  onHour?: (settled: number) => void;
}

export interface Snapshot {
  offsetSeconds: number;
  /** Clock time of the snapshot (= close − offset). */
  atMs: EpochMs;
  inputs: SymbolInputs;
  /** The simulator's own fair value P(YES) (0–1) per ticker: the process with its live variance. */
  oracle: Map<string, number>;
}

export interface SettledHour {
  eventTicker: string;
  closeTimeMs: EpochMs;
  snapshots: Snapshot[];
  /** The exchange's result per ticker. */
  results: Map<string, 'yes' | 'no'>;
  /** The simulator's settlement value (mean of the last 60 index prints), dollars. */
  settlementDollars: string;
  /** The same window as btc_price_watchdog's tracker computed it from the prints it received. */
  watchdog: SettlementResult | undefined;
}

export interface CalibrationRun {
  hours: SettledHour[];
  /** Simulated time covered, ms. */
  simulatedMs: number;
}

interface PendingHour {
  event: SimEvent;
  snapshots: Snapshot[];
}

/** A `market.<sym>` message for an event with no book yet: strikes and tickers, no quotes. */
function marketMessageOf(event: SimEvent, at: EpochMs): MarketMessage {
  return {
    symbol: event.symbol,
    eventTicker: event.eventTicker,
    closeTimeMs: event.closeTime,
    rows: event.strikes.map((strike, i) => ({
      ticker: event.marketTickers[i]!,
      strike,
      status: 'active',
      hasBook: false,
      yesBid: null,
      yesAsk: null,
      noBid: null,
      noAsk: null,
      yesBidSize: 0,
      noBidSize: 0,
      lastTrade: null,
      volume: null,
    })),
    seq: 1,
    at,
  };
}

export async function runSimulatedHours(options: CalibrationRunOptions): Promise<CalibrationRun> {
  const symbol = options.symbol ?? 'BTC';
  const base = defaultSimulationConfig();
  const symbolConfig = base.symbols[symbol];
  if (!symbolConfig) throw new Error(`the simulator has no ${symbol}`);
  const { simulation, output: first } = MarketSimulation.create(
    defaultSimulationConfig({
      seed: options.seed,
      startTimeMs: options.startMs,
      symbols: { [symbol]: symbolConfig },
      maker: null,
      flow: null,
    }),
  );
  const clock = SimulatedClock.manual(options.startMs);
  const spot = new SpotPipeline(symbol);
  const index = new IndexTracker(symbol, { raiseBps: 50, clearBps: 25 });
  index.setSource('cfbenchmarks'); // paper mode: the simulator serves its settlement prints
  let price: PriceMessage | undefined;
  const watchdogSettlements = new Map<EpochMs, SettlementResult>();
  const pending = new Map<string, PendingHour>();
  const settled: SettledHour[] = [];
  const maxOffsetMs = Math.max(...options.offsetsSeconds) * 1000;

  const feed = (output: SimulationOutput, nowMs: EpochMs) => {
    for (const tick of output.spotTicks) {
      spot.addTick({
        sequence: tick.sequence,
        timeMs: tick.timeMs,
        price: tick.price,
        size: tick.size,
        receivedAt: tick.timeMs,
      });
    }
    for (const print of output.indexPrints) {
      for (const result of index.addPrint(print.price, print.timeMs, print.timeMs).finalized) {
        watchdogSettlements.set(result.closeTimeMs, result);
      }
    }
    const sealed = spot.seal(nowMs).seconds;
    const newest = sealed[sealed.length - 1];
    if (newest) price = { ...newest.message, seq: 1 };
    for (const listed of output.listedEvents) {
      if (listed.closeTime - maxOffsetMs < options.startMs + WARM_UP_MS) continue;
      pending.set(listed.eventTicker, { event: listed, snapshots: [] });
      for (const offsetSeconds of options.offsetsSeconds) {
        const atMs = listed.closeTime - offsetSeconds * 1000;
        clock.setTimeout(() => snapshot(listed.eventTicker, offsetSeconds), atMs - clock.now());
      }
    }
  };

  // The simulation lives up to the clock before anything reads it (as the runtime's sync()).
  const sync = () => {
    const now = clock.now();
    feed(simulation.advanceTo(now), now);
  };

  const snapshot = (eventTicker: string, offsetSeconds: number) => {
    sync();
    const hour = pending.get(eventTicker);
    if (!hour) return;
    const atMs = clock.now();
    const indexMessage = index.message();
    const inputs: SymbolInputs = {
      ...(price ? { price } : {}),
      ...(indexMessage ? { index: { ...indexMessage, seq: 1, at: atMs } satisfies IndexMessage } : {}),
      market: marketMessageOf(hour.event, atMs),
    };
    hour.snapshots.push({ offsetSeconds, atMs, inputs, oracle: simulation.fairValues(eventTicker) });
  };

  const collectResults = () => {
    for (const [ticker, hour] of pending) {
      const event = simulation.getEvent(ticker);
      if (!event || event.status === 'open' || !event.settlement) continue;
      const results = new Map<string, 'yes' | 'no'>();
      for (const market of event.marketTickers) {
        const result = simulation.engine.getMarket(market)?.result;
        if (result !== 'yes' && result !== 'no') throw new Error(`${market} determined without a result`);
        results.set(market, result);
      }
      pending.delete(ticker);
      settled.push({
        eventTicker: ticker,
        closeTimeMs: event.closeTime,
        snapshots: hour.snapshots,
        results,
        settlementDollars: event.settlement.displayDollars,
        watchdog: watchdogSettlements.get(event.closeTime),
      });
      watchdogSettlements.delete(event.closeTime);
      options.onHour?.(settled.length);
    }
  };

  feed(first, options.startMs);
  clock.setInterval(() => {
    sync();
    collectResults();
  }, MINUTE_MS);
  while (settled.length < options.hours) await clock.advance(60 * MINUTE_MS);
  clock.clearAll();
  settled.sort((a, b) => a.closeTimeMs - b.closeTimeMs);
  return { hours: settled.slice(0, options.hours), simulatedMs: clock.now() - options.startMs };
}

/** One forecast of one strike: P(YES) in percent, the hour it belongs to and its offset. */
export interface StrikeForecast extends Forecast {
  closeTimeMs: EpochMs;
  offsetSeconds: number;
  strike: number;
}

export interface ForecastOptions {
  settle?: Settlement;
  /** Strike-table rows (the coordinator's default is 21). */
  rows?: number;
}

/**
 * The model's P(YES) for the strike table's rows at every snapshot, computed as the
 * coordinator does (tableInputOf → computeStrikeTable → the active side's probability seen
 * from YES, as the calibration recorder stores it), with the hour's result.
 */
export function forecastsOf(
  run: CalibrationRun,
  grid: FingerprintGrid,
  options: ForecastOptions = {},
): StrikeForecast[] {
  const out: StrikeForecast[] = [];
  for (const hour of run.hours) {
    for (const snap of hour.snapshots) {
      const input = tableInputOf(snap.inputs.market!.symbol, snap.inputs, {
        grid,
        settle: options.settle ?? 'average60',
        rows: options.rows ?? 21,
        now: snap.atMs,
        seq: 1,
      });
      if (!input) throw new Error(`no table input at ${hour.eventTicker} −${snap.offsetSeconds}s`);
      for (const row of computeStrikeTable(input).rows) {
        const result = hour.results.get(row.ticker);
        if (result === undefined) throw new Error(`no result for ${row.ticker}`);
        out.push({
          closeTimeMs: hour.closeTimeMs,
          offsetSeconds: snap.offsetSeconds,
          strike: row.strike,
          percent: row.active_side === 'yes' ? row.probability : 100 - row.probability,
          outcome: result === 'yes',
        });
      }
    }
  }
  return out;
}

/** The simulator's own fair values for the same rows (the oracle that knows the live variance). */
export function oracleForecastsOf(
  run: CalibrationRun,
  reference: readonly StrikeForecast[],
): StrikeForecast[] {
  const byHour = new Map(run.hours.map((h) => [h.closeTimeMs, h]));
  return reference.map((f) => {
    const hour = byHour.get(f.closeTimeMs)!;
    const snap = hour.snapshots.find((s) => s.offsetSeconds === f.offsetSeconds)!;
    const ticker = snap.inputs.market!.rows.find((r) => r.strike === f.strike)!.ticker;
    return { ...f, percent: snap.oracle.get(ticker)! * 100 };
  });
}

/** The reliability report of strike forecasts, an hour being a cluster. */
export function reportOf(forecasts: readonly StrikeForecast[]): ReliabilityReport {
  return reliabilityReport(forecasts.map((f) => ({ ...f, cluster: f.closeTimeMs })));
}

/**
 * A negative control: the model's own history with every log move multiplied by k — the same
 * process at k times the volatility — counted by the same builder.
 */
export function gridWithScaledVolatility(
  model: SyntheticModelResult,
  k: number,
  builtAt: EpochMs,
): FingerprintGrid {
  const { candles } = model;
  const first = candles.closeCents[0]!;
  const closes = new Float64Array(candles.length);
  for (let i = 0; i < closes.length; i++) closes[i] = (first * (candles.closeCents[i]! / first) ** k) / 100;
  return buildFingerprintGrid({
    closes,
    timestamps: candles.ts,
    symbol: model.grid.meta.symbol,
    modelId: `${model.grid.meta.modelId}-vol-x${k}`,
    source: 'synthetic',
    synthetic: true,
    builtAt,
    weighting: { kind: 'none' },
  });
}
