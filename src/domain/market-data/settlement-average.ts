/**
 * The running settlement average for btc_price_watchdog: from 1-s index prints, the mean of
 * the prints inside each hour's last minute — the value Kalshi settles on.
 *
 * RULES
 * - A print belongs to the whole UTC second of its time (floored). Its hour's close is the
 *   next hourly instant strictly after that second (hh:59:59 → hh+1:00; hh+1:00:00 belongs to
 *   the next hour). The window is [close − 60 s, close), as in src/domain/kalshi/settlement.ts.
 * - Inside the window the tracker keeps one print per second; a second print for the same
 *   second replaces the first (a correction) and is counted in `replaced`.
 * - The running average and the final value are computed by `settlementValue` itself, on the
 *   same prints — so the value published at close IS the settlement computation, to the cent.
 * - A window is finalized by the first print at or after its close, or by `finalizeDue(now)`
 *   once `now ≥ close + finalizeDelayMs` (default 2 s: late prints of the last seconds still
 *   count). Each window is finalized once; prints for a finalized window are `late`.
 * - A window that received no print at all produces no result.
 */
import {
  priceToCents,
  SETTLEMENT_PRINTS,
  SETTLEMENT_WINDOW_MS,
  settlementValue,
  type IndexPrint,
  type SettlementValue,
} from '../kalshi/settlement.ts';
import { nextCloseTime } from '../kalshi/tickers.ts';
import type { EpochMs } from '../units.ts';
import { floorSecond } from './per-second-price.ts';

export const DEFAULT_FINALIZE_DELAY_MS = 2_000;

export interface SettlementAverageOptions {
  /** Prints required for an 'ok' final value (default 60, as settlementValue). */
  minPrints?: number;
  finalizeDelayMs?: number;
}

export interface SettlementWindowState {
  /** The hourly close this window ends at. */
  closeTimeMs: EpochMs;
  /** Whether the newest print lies inside [close − 60 s, close). */
  inWindow: boolean;
  /** Distinct seconds with a print in the window so far (0–60). */
  secondsCovered: number;
  /** Σ integer cents of those prints (decide strikes with settlesYes(sumCents, secondsCovered, K)). */
  sumCents: number;
  /** sumCents / secondsCovered / 100 in dollars; null before the first print of the window. */
  runningAverage: number | null;
  /** The mean rounded half up to the cent, as settlementValue displays it; null likewise. */
  runningAverageDisplay: string | null;
}

export interface IndexState {
  /** The newest print (dollars) and its second. */
  value: number;
  valueAtMs: EpochMs;
  window: SettlementWindowState;
}

export interface SettlementResult {
  closeTimeMs: EpochMs;
  /** Exactly settlementValue(prints, closeTimeMs, { minPrints }). */
  value: SettlementValue;
  /** Mean in dollars when value.status is 'ok' (sumCents / printCount / 100), else null. */
  averageDollars: number | null;
}

export type PrintOutcome =
  | { kind: 'outside_window'; finalized: SettlementResult[] }
  | { kind: 'in_window'; replaced: boolean; finalized: SettlementResult[] }
  | { kind: 'late' };

export class SettlementAverageTracker {
  readonly minPrints: number;
  readonly finalizeDelayMs: number;
  /** Close of the window being filled (or about to be). */
  #closeTimeMs: EpochMs | undefined;
  /** Prints of the current window, by second. */
  readonly #prints = new Map<EpochMs, IndexPrint>();
  /** Every window closing at or before this is finalized. */
  #finalizedThrough: EpochMs = -Infinity;
  #latest: IndexPrint | undefined;
  #lastResult: SettlementResult | undefined;
  #replaced = 0;
  #late = 0;

  constructor(options: SettlementAverageOptions = {}) {
    this.minPrints = options.minPrints ?? SETTLEMENT_PRINTS;
    this.finalizeDelayMs = options.finalizeDelayMs ?? DEFAULT_FINALIZE_DELAY_MS;
    if (!Number.isSafeInteger(this.minPrints) || this.minPrints < 1 || this.minPrints > SETTLEMENT_PRINTS) {
      throw new RangeError(`minPrints must be 1–${SETTLEMENT_PRINTS}, got ${this.minPrints}`);
    }
    if (!Number.isSafeInteger(this.finalizeDelayMs) || this.finalizeDelayMs < 0) {
      throw new RangeError(`finalizeDelayMs must be a non-negative integer, got ${this.finalizeDelayMs}`);
    }
  }

  /** Files a 1-s index print (dollars, ≤ 2 decimals; throws otherwise). */
  addPrint(print: IndexPrint): PrintOutcome {
    if (!Number.isFinite(print.timeMs))
      throw new RangeError(`print time must be epoch ms, got ${print.timeMs}`);
    priceToCents(print.price);
    const second = floorSecond(print.timeMs);
    const close = nextCloseTime(second);
    if (close <= this.#finalizedThrough) {
      this.#late++;
      return { kind: 'late' };
    }
    const finalized: SettlementResult[] = [];
    if (this.#closeTimeMs !== undefined && close > this.#closeTimeMs) {
      const result = this.#finalizeCurrent();
      if (result) finalized.push(result);
    }
    if (this.#closeTimeMs === undefined || close > this.#closeTimeMs) this.#closeTimeMs = close;
    const normalized: IndexPrint = { timeMs: second, price: print.price };
    if (this.#latest === undefined || second >= this.#latest.timeMs) this.#latest = normalized;
    if (second < close - SETTLEMENT_WINDOW_MS) return { kind: 'outside_window', finalized };
    // `close` can only be the current window here: older closes were refused as late.
    const replaced = this.#prints.has(second);
    if (replaced) this.#replaced++;
    this.#prints.set(second, normalized);
    return { kind: 'in_window', replaced, finalized };
  }

  /** Finalizes the current window once `now ≥ close + finalizeDelayMs`. */
  finalizeDue(nowMs: EpochMs): SettlementResult | undefined {
    if (this.#closeTimeMs === undefined || nowMs < this.#closeTimeMs + this.finalizeDelayMs) return undefined;
    return this.#finalizeCurrent();
  }

  /** The state to publish; undefined before the first print. */
  state(): IndexState | undefined {
    if (this.#latest === undefined || this.#closeTimeMs === undefined) return undefined;
    const closeTimeMs = this.#closeTimeMs;
    const running = settlementValue([...this.#prints.values()], closeTimeMs, { minPrints: 1 });
    const ok = running.status === 'ok';
    const inWindow =
      this.#latest.timeMs >= closeTimeMs - SETTLEMENT_WINDOW_MS && this.#latest.timeMs < closeTimeMs;
    return {
      value: this.#latest.price,
      valueAtMs: this.#latest.timeMs,
      window: {
        closeTimeMs,
        inWindow,
        secondsCovered: running.printCount,
        sumCents: ok ? running.sumCents : 0,
        runningAverage: ok ? running.sumCents / running.printCount / 100 : null,
        runningAverageDisplay: ok ? running.displayDollars : null,
      },
    };
  }

  /** The most recent finalized window (what was published at its close). */
  get lastSettlement(): SettlementResult | undefined {
    return this.#lastResult;
  }

  get replacedPrints(): number {
    return this.#replaced;
  }

  get latePrints(): number {
    return this.#late;
  }

  #finalizeCurrent(): SettlementResult | undefined {
    const closeTimeMs = this.#closeTimeMs;
    if (closeTimeMs === undefined || closeTimeMs <= this.#finalizedThrough) return undefined;
    this.#finalizedThrough = closeTimeMs;
    const prints = [...this.#prints.values()];
    this.#prints.clear();
    if (prints.length === 0) return undefined;
    const value = settlementValue(prints, closeTimeMs, { minPrints: this.minPrints });
    this.#lastResult = {
      closeTimeMs,
      value,
      averageDollars: value.status === 'ok' ? value.sumCents / value.printCount / 100 : null,
    };
    return this.#lastResult;
  }
}

/** A finalized window flattened for publication (the `lastSettlement` of `index.<sym>`). */
export interface SettlementSummary {
  closeTimeMs: EpochMs;
  status: SettlementValue['status'];
  printCount: number;
  /** Σ cents of the prints; null when there were too few. */
  sumCents: number | null;
  /** Mean in dollars; null when there were too few. */
  average: number | null;
  /** Mean rounded half up to the cent ("114790.92"); null when there were too few. */
  display: string | null;
}

export function summarizeSettlement(result: SettlementResult): SettlementSummary {
  const { value } = result;
  const ok = value.status === 'ok';
  return {
    closeTimeMs: result.closeTimeMs,
    status: value.status,
    printCount: value.printCount,
    sumCents: ok ? value.sumCents : null,
    average: result.averageDollars,
    display: ok ? value.displayDollars : null,
  };
}
