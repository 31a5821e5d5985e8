/**
 * The settlement reference of one symbol, wired from the pure pieces: index prints →
 * SettlementAverageTracker (the running 60-s average of each hour's last minute, finalized at
 * close by settlementValue itself), spot from `price.<sym>` → divergence (bps) and its
 * DivergenceAlarm. Produces the `index.<sym>` message; no I/O.
 */
import type { IndexMessage } from '../../core/bus/market-data-topics.ts';
import {
  DivergenceAlarm,
  SettlementAverageTracker,
  divergenceBps,
  summarizeSettlement,
  type DivergenceEvent,
  type SettlementResult,
} from '../../domain/market-data/index.ts';
import type { EpochMs, SymbolId } from '../../domain/units.ts';

export type IndexSource = 'cfbenchmarks' | 'spot';

export interface IndexTrackerOptions {
  raiseBps: number;
  clearBps: number;
}

export interface PrintResult {
  /** Windows this print finalized (the first print after a close does). */
  finalized: SettlementResult[];
  divergence: DivergenceEvent | undefined;
  late: boolean;
}

export class IndexTracker {
  readonly symbol: SymbolId;
  readonly #settlement = new SettlementAverageTracker();
  readonly #alarm: DivergenceAlarm;
  #source: IndexSource = 'spot';
  #spot: { price: number; secondMs: EpochMs } | undefined;
  #lastPrintAt: EpochMs | undefined;
  #divergence: number | null = null;

  constructor(symbol: SymbolId, options: IndexTrackerOptions) {
    this.symbol = symbol;
    this.#alarm = new DivergenceAlarm({ raiseBps: options.raiseBps, clearBps: options.clearBps });
  }

  get source(): IndexSource {
    return this.#source;
  }

  /** Switches the index source; the running window continues (prints are prints). */
  setSource(source: IndexSource): void {
    this.#source = source;
    if (source === 'spot') this.#divergence = null;
  }

  /** Latest spot price (from `price.<sym>`). */
  setSpot(price: number, secondMs: EpochMs): void {
    this.#spot = { price, secondMs };
  }

  get spot(): { price: number; secondMs: EpochMs } | undefined {
    return this.#spot;
  }

  /** A 1-s index print (dollars, ≤ 2 decimals) at exchange time `timeMs`, received at `nowMs`. */
  addPrint(price: number, timeMs: EpochMs, nowMs: EpochMs): PrintResult {
    const outcome = this.#settlement.addPrint({ timeMs, price });
    if (outcome.kind === 'late') return { finalized: [], divergence: undefined, late: true };
    this.#lastPrintAt = nowMs;
    let divergence: DivergenceEvent | undefined;
    if (this.#source === 'cfbenchmarks' && this.#spot !== undefined) {
      this.#divergence = divergenceBps(price, this.#spot.price);
      divergence = this.#alarm.update(this.#divergence, timeMs);
    } else {
      this.#divergence = null;
    }
    return { finalized: outcome.finalized, divergence, late: false };
  }

  /** Finalizes the window once its close (plus the grace for late prints) has passed. */
  finalizeDue(nowMs: EpochMs): SettlementResult | undefined {
    return this.#settlement.finalizeDue(nowMs);
  }

  /** Local time of the newest accepted print. */
  get lastPrintAt(): EpochMs | undefined {
    return this.#lastPrintAt;
  }

  get alarmState() {
    return this.#alarm.state;
  }

  /** The `index.<sym>` message (seq and at set by the caller); undefined before the first print. */
  message(): Omit<IndexMessage, 'seq' | 'at'> | undefined {
    const state = this.#settlement.state();
    if (state === undefined) return undefined;
    const last = this.#settlement.lastSettlement;
    return {
      symbol: this.symbol,
      value: state.value,
      valueAtMs: state.valueAtMs,
      source: this.#source,
      windowCloseTimeMs: state.window.closeTimeMs,
      inWindow: state.window.inWindow,
      secondsCovered: state.window.secondsCovered,
      windowSumCents: state.window.sumCents,
      runningAverage: state.window.runningAverage,
      divergenceBps: this.#divergence,
      lastSettlement: last === undefined ? null : summarizeSettlement(last),
    };
  }
}
