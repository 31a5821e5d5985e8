/**
 * The simulated market around the exchange core: per symbol a GARCH index printing once a
 * second (the settlement index) and a Coinbase spot feed following it; hourly events listed
 * on Kalshi's schedule with a strike ladder; market makers quoting every strike around the
 * fair value of its 60-second-average settlement; random taker flow; and each market's
 * lifecycle (active → closed at close → determined ~70 s later from the index → settled).
 *
 * Deterministic: the same config (seed) and the same sequence of `advanceTo` calls and engine
 * commands give the same prints, ticks, quotes, trades and ids. Time passes only through
 * `advanceTo(nowMs)`; the whole state snapshots to JSON and restores.
 *
 * The service must call `advanceTo(now)` before it hands a user's command to `engine`, so the
 * engine's time and the market's agree.
 *
 * Trading halt (`setTradingHalted`, the simulator's "paused" exchange): like Kalshi's pause, no
 * trades at all and frozen books — the makers neither requote nor cancel, the taker flow stops.
 * The index, the Coinbase feed (another venue) and the hourly lifecycle run on: events are listed
 * on schedule, and a close that falls inside a halt still closes its markets on time (the
 * engine cancels their resting orders, as at any close), then determines and settles them from
 * the index. On resume every maker requotes to the fair value of that moment (its book may have
 * gone stale), and the taker flow starts again, from the next second; a user's order left
 * resting at a price the fresh quotes cross trades then, as stale orders do at a reopening.
 */
import { marketResult, settlementValue } from '../../domain/kalshi/settlement.ts';
import type { IndexPrint } from '../../domain/kalshi/settlement.ts';
import {
  eventTicker as makeEventTicker,
  hourlyClosesBetween,
  hourlySchedule,
  HOUR_MS,
  marketTicker as makeMarketTicker,
  SERIES_BY_SYMBOL,
} from '../../domain/kalshi/tickers.ts';
import type { EpochMs, StrikeDollars, SymbolId } from '../../domain/units.ts';
import { ExchangeEngine } from '../engine/engine.ts';
import type { EngineConfig, EngineEvent, EngineSnapshot } from '../engine/types.ts';
import { DEFAULT_SPOT, SpotFeed } from './coinbase-feed.ts';
import type { SpotFeedState, SpotParams, SpotTick } from './coinbase-feed.ts';
import { probabilityAbove, settlementAverageDistribution } from './fair-value.ts';
import type { AverageDistribution } from './fair-value.ts';
import { DEFAULT_LADDER, strikeLadder } from './ladder.ts';
import type { LadderParams } from './ladder.ts';
import { DEFAULT_MAKER, targetQuotes } from './market-maker.ts';
import type { MakerParams, QuoteLevel } from './market-maker.ts';
import { DEFAULT_GARCH, GarchProcess } from './price-process.ts';
import type { GarchParams, PriceProcessState } from './price-process.ts';
import { Random } from './random.ts';
import type { RandomState } from './random.ts';
import { indexCandles, minutePath } from './replay.ts';
import type { ReplayCandle } from './replay.ts';
import { DEFAULT_FLOW, takerOrder } from './taker-flow.ts';
import type { FlowParams } from './taker-flow.ts';

export interface SymbolConfig {
  startPrice: number;
  /**
   * Optional 1-minute candles to replay as the index (seconds inside a candle's minute follow
   * it; outside them the GARCH process runs on from the last level).
   */
  replay?: ReplayCandle[];
  garch: GarchParams;
  ladder: LadderParams;
  spot: SpotParams;
  takerFeeBps: number;
  makerFeeBps: number;
}

export interface SimulationConfig {
  seed: string;
  /** First simulated second (rounded down to a whole second). */
  startTimeMs: EpochMs;
  symbols: Partial<Record<SymbolId, SymbolConfig>>;
  /** The next hour's event is listed this long before the current one closes. */
  listLeadMs: number;
  /** close → determined (2025: ~70 s). */
  determinationDelayMs: number;
  /** determined → settled (2025: settlements reached portfolios 93 s–27 min after close, median 229 s). */
  settlementDelayMs: number;
  /** Index prints kept (the settlement window and the fair value need the last 60). */
  indexHistorySeconds: number;
  /** Settled events and finished orders older than this leave memory (the service has them). */
  retentionMs: number;
  maker: MakerParams | null;
  flow: FlowParams | null;
  engine: Partial<EngineConfig>;
  makerAccountId: string;
  takerAccountId: string;
}

export function defaultSimulationConfig(overrides: Partial<SimulationConfig> = {}): SimulationConfig {
  return {
    seed: 'recio-sim',
    startTimeMs: 0,
    symbols: {
      BTC: {
        startPrice: 115_000,
        garch: DEFAULT_GARCH.BTC,
        ladder: DEFAULT_LADDER.BTC,
        spot: DEFAULT_SPOT.BTC,
        takerFeeBps: 700,
        makerFeeBps: 0,
      },
      ETH: {
        startPrice: 3_800,
        garch: DEFAULT_GARCH.ETH,
        ladder: DEFAULT_LADDER.ETH,
        spot: DEFAULT_SPOT.ETH,
        takerFeeBps: 700,
        makerFeeBps: 0,
      },
    },
    listLeadMs: 10 * 60_000,
    determinationDelayMs: 70_000,
    settlementDelayMs: 159_000,
    indexHistorySeconds: 7_200,
    retentionMs: 24 * HOUR_MS,
    maker: DEFAULT_MAKER,
    flow: DEFAULT_FLOW,
    engine: {},
    makerAccountId: 'sim-maker',
    takerAccountId: 'sim-taker',
    ...overrides,
  };
}

export interface SimEvent {
  eventTicker: string;
  seriesTicker: string;
  symbol: SymbolId;
  openTime: EpochMs;
  closeTime: EpochMs;
  createdTime: EpochMs;
  strikes: StrikeDollars[];
  marketTickers: string[];
  status: 'open' | 'determined' | 'settled';
  /** Settlement value once determined: Σ cents of the prints, their count, display dollars. */
  settlement: { sumCents: number; printCount: number; displayDollars: string } | null;
  determinedTime: EpochMs | null;
  settledTime: EpochMs | null;
}

interface SymbolRuntime {
  symbol: SymbolId;
  config: SymbolConfig;
  /** Replay candles by minute start (derived from the config, so not in the snapshot). */
  replay: Map<EpochMs, ReplayCandle> | null;
  process: GarchProcess;
  spot: SpotFeed;
  priceRandom: Random;
  spotRandom: Random;
  /** Published print (cents) of the last simulated second. */
  printCents: number;
  /** The next second's print, drawn one second ahead so spot ticks can lead into it. */
  nextPrintCents: number;
  history: { firstSecondMs: EpochMs; cents: number[] };
  /** Spot ticks of the coming second, released as time reaches them. */
  pendingTicks: SpotTick[];
}

interface MakerState {
  /** null until the first quote (JSON has no NaN). */
  quotedFairCents: number | null;
  stubPriceCents: number;
  restingCount: number;
}

export interface SimulationSnapshot {
  version: 1;
  config: SimulationConfig;
  lastSecondMs: EpochMs;
  lastPruneMs: EpochMs;
  /** Absent in snapshots written before halts existed: not halted. */
  halted?: boolean;
  symbols: Partial<
    Record<
      SymbolId,
      {
        process: PriceProcessState;
        spot: SpotFeedState;
        priceRandom: RandomState;
        spotRandom: RandomState;
        printCents: number;
        nextPrintCents: number;
        history: { firstSecondMs: EpochMs; cents: number[] };
        pendingTicks: SpotTick[];
      }
    >
  >;
  events: SimEvent[];
  makers: Record<string, MakerState>;
  makerRandom: RandomState;
  flowRandom: RandomState;
  engine: EngineSnapshot;
}

export interface SimulationOutput {
  indexPrints: { symbol: SymbolId; timeMs: EpochMs; price: number }[];
  spotTicks: SpotTick[];
  engineEvents: EngineEvent[];
  /** Events listed during this advance (for event_lifecycle messages). */
  listedEvents: SimEvent[];
}

const HUGE_BALANCE_CC = 1_000_000_000_000; // $100 M

export class MarketSimulation {
  readonly engine: ExchangeEngine;
  private readonly config: SimulationConfig;
  private readonly symbols = new Map<SymbolId, SymbolRuntime>();
  private readonly events = new Map<string, SimEvent>();
  private readonly makers = new Map<string, MakerState>();
  private makerRandom: Random;
  private flowRandom: Random;
  private lastSecondMs: EpochMs;
  private lastPruneMs: EpochMs;
  /** The first simulated second: events are listed then even off the minute. */
  private firstSecondMs: EpochMs;
  /** Trading halted: no maker quotes, no taker flow (see the header). */
  private halted = false;

  private constructor(
    config: SimulationConfig,
    engine: ExchangeEngine,
    lastSecondMs: EpochMs,
    makerRandom: Random,
    flowRandom: Random,
  ) {
    this.config = config;
    this.engine = engine;
    this.lastSecondMs = lastSecondMs;
    this.lastPruneMs = lastSecondMs;
    this.firstSecondMs = Math.floor(config.startTimeMs / 1000) * 1000;
    this.makerRandom = makerRandom;
    this.flowRandom = flowRandom;
  }

  /** A fresh simulation whose first second is `config.startTimeMs`. */
  static create(config: SimulationConfig): { simulation: MarketSimulation; output: SimulationOutput } {
    const start = Math.floor(config.startTimeMs / 1000) * 1000;
    if (config.listLeadMs % 60_000 !== 0) throw new Error('listLeadMs must be whole minutes');
    const root = Random.seeded(config.seed);
    const engine = new ExchangeEngine(config.engine, start);
    for (const accountId of [config.makerAccountId, config.takerAccountId]) {
      engine.createAccount({ accountId, balanceCc: HUGE_BALANCE_CC, recordHistory: false, nowMs: start });
    }
    const sim = new MarketSimulation(config, engine, start, root.fork('maker'), root.fork('flow'));
    for (const [symbol, symbolConfig] of Object.entries(config.symbols) as [SymbolId, SymbolConfig][]) {
      const process = GarchProcess.start(symbolConfig.garch, symbolConfig.startPrice);
      const runtime: SymbolRuntime = {
        symbol,
        config: symbolConfig,
        replay: symbolConfig.replay ? indexCandles(symbolConfig.replay) : null,
        process,
        spot: new SpotFeed(symbolConfig.spot),
        priceRandom: root.fork(`price:${symbol}`),
        spotRandom: root.fork(`spot:${symbol}`),
        printCents: Math.round(symbolConfig.startPrice * 100),
        nextPrintCents: 0,
        history: { firstSecondMs: start, cents: [Math.round(symbolConfig.startPrice * 100)] },
        pendingTicks: [],
      };
      sim.symbols.set(symbol, runtime);
      sim.drawNextSecond(runtime, start);
    }
    const output = emptyOutput();
    for (const [symbol, runtime] of sim.symbols) {
      output.indexPrints.push({ symbol, timeMs: start, price: runtime.printCents / 100 });
    }
    sim.afterPrints(start, output);
    return { simulation: sim, output };
  }

  /** Runs every whole second up to `nowMs` and releases the spot ticks due by then. */
  advanceTo(nowMs: EpochMs): SimulationOutput {
    const output = emptyOutput();
    while (this.lastSecondMs + 1000 <= nowMs) this.stepSecond(this.lastSecondMs + 1000, output);
    for (const runtime of this.symbols.values()) {
      while (runtime.pendingTicks.length > 0 && (runtime.pendingTicks[0] as SpotTick).timeMs <= nowMs) {
        output.spotTicks.push(runtime.pendingTicks.shift() as SpotTick);
      }
    }
    output.spotTicks.sort((a, b) => a.timeMs - b.timeMs);
    return output;
  }

  get now(): EpochMs {
    return this.lastSecondMs;
  }

  get tradingHalted(): boolean {
    return this.halted;
  }

  /**
   * Halts or resumes trading from the next simulated second on (see the header). On resume the
   * makers forget what they quoted, so each requotes to the fair value of that second.
   */
  setTradingHalted(halted: boolean): void {
    if (halted === this.halted) return;
    this.halted = halted;
    if (!halted) for (const state of this.makers.values()) state.quotedFairCents = null;
  }

  /** The published index of a symbol (dollars) and the second it belongs to. */
  indexPrice(symbol: SymbolId): { timeMs: EpochMs; price: number } | undefined {
    const runtime = this.symbols.get(symbol);
    return runtime ? { timeMs: this.lastSecondMs, price: runtime.printCents / 100 } : undefined;
  }

  /** Published index prints in [fromMs, toMs] (at most `indexHistorySeconds` back). */
  indexHistory(symbol: SymbolId, fromMs: EpochMs, toMs: EpochMs): IndexPrint[] {
    const runtime = this.symbols.get(symbol);
    if (!runtime) return [];
    const out: IndexPrint[] = [];
    runtime.history.cents.forEach((cents, i) => {
      const timeMs = runtime.history.firstSecondMs + i * 1000;
      if (timeMs >= fromMs && timeMs <= toMs) out.push({ timeMs, price: cents / 100 });
    });
    return out;
  }

  /** The Coinbase feed of a symbol (candles, 24-h stats, last price). */
  spotFeed(symbol: SymbolId): SpotFeed | undefined {
    return this.symbols.get(symbol)?.spot;
  }

  listEvents(): SimEvent[] {
    return [...this.events.values()].map((e) => structuredClone(e));
  }

  getEvent(eventTicker: string): SimEvent | undefined {
    const event = this.events.get(eventTicker);
    return event ? structuredClone(event) : undefined;
  }

  /** Fair value (0–1) of each market of an open event now, from the simulator's process. */
  fairValues(eventTicker: string): Map<string, number> {
    const event = this.events.get(eventTicker);
    const out = new Map<string, number>();
    if (!event) return out;
    const runtime = this.symbols.get(event.symbol);
    if (!runtime) return out;
    const dist = this.distribution(runtime, event, this.lastSecondMs);
    event.strikes.forEach((strike, i) =>
      out.set(event.marketTickers[i] as string, probabilityAbove(dist, strike)),
    );
    return out;
  }

  snapshot(): SimulationSnapshot {
    const symbols: SimulationSnapshot['symbols'] = {};
    for (const [symbol, r] of this.symbols) {
      symbols[symbol] = {
        process: r.process.snapshot(),
        spot: r.spot.snapshot(),
        priceRandom: r.priceRandom.state(),
        spotRandom: r.spotRandom.state(),
        printCents: r.printCents,
        nextPrintCents: r.nextPrintCents,
        history: { firstSecondMs: r.history.firstSecondMs, cents: [...r.history.cents] },
        pendingTicks: r.pendingTicks.map((t) => ({ ...t })),
      };
    }
    return {
      version: 1,
      config: structuredClone(this.config),
      lastSecondMs: this.lastSecondMs,
      lastPruneMs: this.lastPruneMs,
      halted: this.halted,
      symbols,
      events: [...this.events.values()].map((e) => structuredClone(e)),
      makers: Object.fromEntries([...this.makers].map(([k, v]) => [k, { ...v }])),
      makerRandom: this.makerRandom.state(),
      flowRandom: this.flowRandom.state(),
      engine: this.engine.snapshot(),
    };
  }

  /** Rebuilds a simulation (validate untrusted input with simulationSnapshotSchema first). */
  static restore(snapshot: SimulationSnapshot): MarketSimulation {
    if (snapshot.version !== 1)
      throw new Error(`unknown simulation snapshot version ${String(snapshot.version)}`);
    const config = structuredClone(snapshot.config);
    const sim = new MarketSimulation(
      config,
      ExchangeEngine.restore(snapshot.engine),
      snapshot.lastSecondMs,
      Random.fromState(snapshot.makerRandom),
      Random.fromState(snapshot.flowRandom),
    );
    sim.lastPruneMs = snapshot.lastPruneMs;
    sim.halted = snapshot.halted ?? false;
    for (const [symbol, s] of Object.entries(snapshot.symbols) as [
      SymbolId,
      NonNullable<SimulationSnapshot['symbols'][SymbolId]>,
    ][]) {
      const symbolConfig = config.symbols[symbol];
      if (!symbolConfig) throw new Error(`snapshot has ${symbol} but the config does not`);
      sim.symbols.set(symbol, {
        symbol,
        config: symbolConfig,
        replay: symbolConfig.replay ? indexCandles(symbolConfig.replay) : null,
        process: new GarchProcess(symbolConfig.garch, s.process),
        spot: new SpotFeed(symbolConfig.spot, s.spot),
        priceRandom: Random.fromState(s.priceRandom),
        spotRandom: Random.fromState(s.spotRandom),
        printCents: s.printCents,
        nextPrintCents: s.nextPrintCents,
        history: { firstSecondMs: s.history.firstSecondMs, cents: [...s.history.cents] },
        pendingTicks: s.pendingTicks.map((t) => ({ ...t })),
      });
    }
    for (const event of snapshot.events) sim.events.set(event.eventTicker, structuredClone(event));
    for (const [ticker, state] of Object.entries(snapshot.makers)) sim.makers.set(ticker, { ...state });
    return sim;
  }

  // ── One second ──────────────────────────────────────────────────────────────────────────

  private stepSecond(ms: EpochMs, output: SimulationOutput): void {
    for (const [symbol, runtime] of this.symbols) {
      output.spotTicks.push(...runtime.pendingTicks);
      runtime.pendingTicks = [];
      runtime.printCents = runtime.nextPrintCents;
      runtime.history.cents.push(runtime.printCents);
      const excess = runtime.history.cents.length - this.config.indexHistorySeconds;
      if (excess > 0) {
        runtime.history.cents.splice(0, excess);
        runtime.history.firstSecondMs += excess * 1000;
      }
      output.indexPrints.push({ symbol, timeMs: ms, price: runtime.printCents / 100 });
      this.drawNextSecond(runtime, ms);
    }
    this.lastSecondMs = ms;
    this.afterPrints(ms, output);
  }

  /** Draws the print of second ms + 1 and the spot ticks leading into it. */
  private drawNextSecond(runtime: SymbolRuntime, ms: EpochMs): void {
    const next = ms + 1000;
    const candle = runtime.replay?.get(Math.floor(next / 60_000) * 60_000);
    if (candle) {
      const path = minutePath(candle, `${this.config.seed}:replay:${runtime.symbol}`);
      runtime.process.observe(path[Math.floor((next - candle.startMs) / 1000)] as number);
    } else {
      runtime.process.step(runtime.priceRandom);
    }
    runtime.nextPrintCents = Math.max(1, Math.round(runtime.process.price * 100));
    runtime.pendingTicks = runtime.spot.ticksForSecond(
      ms,
      runtime.printCents / 100,
      runtime.nextPrintCents / 100,
      runtime.spotRandom,
    );
  }

  private afterPrints(ms: EpochMs, output: SimulationOutput): void {
    output.engineEvents.push(...this.engine.advanceTime(ms));
    // Listing times fall on whole minutes: checking once a minute (and at start) is enough.
    if (ms % 60_000 === 0 || ms === this.firstSecondMs) {
      for (const symbol of this.symbols.keys()) this.listDueEvents(symbol, ms, output);
    }
    for (const event of this.events.values()) this.advanceLifecycle(event, ms, output);
    // Without makers or takers nobody trades: skip the per-second fair values (most of the cost).
    // Halted, nobody trades either: the books stay as they are.
    if (!this.halted && (this.config.maker || this.config.flow)) {
      for (const event of this.events.values()) {
        if (event.status === 'open' && ms >= event.openTime && ms < event.closeTime)
          this.trade(event, ms, output);
      }
    }
    if (ms - this.lastPruneMs >= HOUR_MS) this.prune(ms);
  }

  private listDueEvents(symbol: SymbolId, ms: EpochMs, output: SimulationOutput): void {
    const runtime = this.symbols.get(symbol);
    if (!runtime) return;
    for (const close of hourlyClosesBetween(ms, ms + HOUR_MS + this.config.listLeadMs)) {
      const ticker = makeEventTicker(symbol, close);
      if (this.events.has(ticker) || ms < close - HOUR_MS - this.config.listLeadMs) continue;
      const schedule = hourlySchedule(close);
      const strikes = strikeLadder(runtime.printCents / 100, runtime.config.ladder);
      const event: SimEvent = {
        eventTicker: ticker,
        seriesTicker: SERIES_BY_SYMBOL[symbol],
        symbol,
        openTime: schedule.openTime,
        closeTime: close,
        createdTime: ms,
        strikes,
        marketTickers: strikes.map((strike) => makeMarketTicker(ticker, strike)),
        status: 'open',
        settlement: null,
        determinedTime: null,
        settledTime: null,
      };
      this.events.set(ticker, event);
      strikes.forEach((strike, i) => {
        const created = this.engine.createMarket(
          {
            ticker: event.marketTickers[i] as string,
            eventTicker: ticker,
            seriesTicker: event.seriesTicker,
            strike,
            openTime: schedule.openTime,
            closeTime: close,
            takerFeeBps: runtime.config.takerFeeBps,
            makerFeeBps: runtime.config.makerFeeBps,
          },
          ms,
        );
        output.engineEvents.push(...created.events);
        if (this.config.maker) {
          this.makers.set(event.marketTickers[i] as string, {
            quotedFairCents: null,
            stubPriceCents: this.makerRandom.pick(this.config.maker.stubPricesCents),
            restingCount: 0,
          });
        }
      });
      output.listedEvents.push(structuredClone(event));
    }
  }

  private advanceLifecycle(event: SimEvent, ms: EpochMs, output: SimulationOutput): void {
    if (event.status === 'open' && ms >= event.closeTime + this.config.determinationDelayMs) {
      const prints = this.indexHistory(event.symbol, event.closeTime - 60_000, event.closeTime - 1);
      let value = settlementValue(prints, event.closeTime, { minPrints: 1 });
      if (value.status !== 'ok') {
        // Only when the simulation started after the window: settle on the latest print.
        const latest = this.indexPrice(event.symbol)?.price ?? 0;
        value = settlementValue([{ timeMs: event.closeTime - 1000, price: latest }], event.closeTime, {
          minPrints: 1,
        });
      }
      if (value.status !== 'ok') throw new Error(`no settlement value for ${event.eventTicker}`);
      event.settlement = {
        sumCents: value.sumCents,
        printCount: value.printCount,
        displayDollars: value.displayDollars,
      };
      event.status = 'determined';
      event.determinedTime = ms;
      event.strikes.forEach((strike, i) => {
        const result = this.engine.determineMarket({
          ticker: event.marketTickers[i] as string,
          result: marketResult(value, strike),
          expirationValue: value.displayDollars,
          nowMs: ms,
        });
        output.engineEvents.push(...result.events);
      });
    }
    if (
      event.status === 'determined' &&
      event.determinedTime !== null &&
      ms >= event.determinedTime + this.config.settlementDelayMs
    ) {
      event.status = 'settled';
      event.settledTime = ms;
      for (const ticker of event.marketTickers) {
        output.engineEvents.push(...this.engine.settleMarket({ ticker, nowMs: ms }).events);
        this.makers.delete(ticker);
      }
    }
  }

  private distribution(runtime: SymbolRuntime, event: SimEvent, ms: EpochMs): AverageDistribution {
    const windowStart = event.closeTime - 60_000;
    let knownSum = 0;
    let knownCount = 0;
    if (ms >= windowStart) {
      for (const print of this.indexHistory(event.symbol, windowStart, Math.min(ms, event.closeTime - 1))) {
        knownSum += print.price;
        knownCount++;
      }
    }
    const seconds = Math.max(0, Math.ceil((event.closeTime - ms) / 1000));
    return settlementAverageDistribution({
      nowMs: ms,
      closeTimeMs: event.closeTime,
      price: runtime.printCents / 100,
      knownWindowSum: knownSum,
      knownCount,
      varianceForecast: runtime.process.varianceForecast(seconds),
    });
  }

  private trade(event: SimEvent, ms: EpochMs, output: SimulationOutput): void {
    const runtime = this.symbols.get(event.symbol);
    if (!runtime) return;
    const dist = this.distribution(runtime, event, ms);
    event.strikes.forEach((strike, i) => {
      const ticker = event.marketTickers[i] as string;
      const fair = probabilityAbove(dist, strike);
      const z =
        dist.stdev > 0
          ? (dist.mean - (strike - 0.01)) / dist.stdev
          : dist.mean > strike - 0.01
            ? Infinity
            : -Infinity;
      if (this.config.maker) this.quote(ticker, fair, z, this.config.maker, ms, output);
      if (this.config.flow) this.take(ticker, fair, this.config.flow, ms, output);
    });
  }

  private quote(
    ticker: string,
    fair: number,
    z: number,
    params: MakerParams,
    ms: EpochMs,
    output: SimulationOutput,
  ): void {
    const state = this.makers.get(ticker);
    if (!state) return;
    const resting = this.engine.restingOrderIds(this.config.makerAccountId, ticker);
    const moved =
      state.quotedFairCents === null ||
      !(Math.abs(fair * 100 - state.quotedFairCents) < params.requoteThresholdCents);
    const hit = resting.length !== state.restingCount;
    if (!moved && !hit && !this.makerRandom.chance(params.refreshPerSecond)) return;
    const targets = targetQuotes(fair, z, state.stubPriceCents, params, this.makerRandom);
    this.sync(ticker, resting, targets, ms, output);
    state.quotedFairCents = fair * 100;
    state.restingCount = this.engine.restingOrderIds(this.config.makerAccountId, ticker).length;
  }

  /** Cancels what no longer fits, then places what is missing — only the levels that changed. */
  private sync(
    ticker: string,
    restingIds: string[],
    targets: QuoteLevel[],
    ms: EpochMs,
    output: SimulationOutput,
  ): void {
    const accountId = this.config.makerAccountId;
    const wanted = new Map(targets.map((t) => [`${t.side}:${t.priceCents * 100}`, t]));
    const kept = new Set<string>();
    for (const orderId of restingIds) {
      const order = this.engine.getOrder(accountId, orderId);
      if (!order) continue;
      const key = `${order.side}:${order.yesPriceCc}`;
      const target = wanted.get(key);
      if (target && !kept.has(key) && order.remainingCount * 3 >= target.count) {
        kept.add(key);
        continue;
      }
      output.engineEvents.push(...this.engine.cancelOrder({ accountId, orderId, nowMs: ms }).events);
    }
    for (const [key, target] of wanted) {
      if (kept.has(key)) continue;
      const result = this.engine.placeOrder({
        accountId,
        ticker,
        side: target.side,
        priceCc: target.priceCents * 100,
        count: target.count,
        timeInForce: 'good_till_canceled',
        nowMs: ms,
      });
      output.engineEvents.push(...result.events);
    }
  }

  private take(
    ticker: string,
    fair: number,
    params: FlowParams,
    ms: EpochMs,
    output: SimulationOutput,
  ): void {
    const market = this.engine.topOfBook(ticker);
    if (!market || market.status !== 'active') return;
    const toCents = (cc: number | null): number | null => (cc === null ? null : cc / 100);
    const order = takerOrder(
      fair,
      toCents(market.yesBidCc),
      toCents(market.yesAskCc),
      params,
      this.flowRandom,
    );
    if (!order) return;
    const result = this.engine.placeOrder({
      accountId: this.config.takerAccountId,
      ticker,
      side: order.side,
      priceCc: order.priceCents * 100,
      count: order.count,
      timeInForce: 'immediate_or_cancel',
      nowMs: ms,
    });
    output.engineEvents.push(...result.events);
  }

  private prune(ms: EpochMs): void {
    this.lastPruneMs = ms;
    const before = ms - this.config.retentionMs;
    this.engine.pruneHistory(before);
    for (const [ticker, event] of this.events) {
      if (event.status === 'settled' && (event.settledTime ?? 0) < before) this.events.delete(ticker);
    }
  }
}

function emptyOutput(): SimulationOutput {
  return { indexPrints: [], spotTicks: [], engineEvents: [], listedEvents: [] };
}
