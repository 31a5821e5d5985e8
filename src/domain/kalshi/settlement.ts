/**
 * The settlement of an hourly crypto market, decided in integer cents.
 *
 * Settlement value = simple mean of the one-second index prints (BRTI / ETH RTI) in the minute
 * before close; YES iff the value is strictly above floor_strike (= strike − $0.01).
 *
 *   mean > strike − 0.01   ⇔   Σ cents / n > strike·100 − 1   ⇔   Σ cents > n·(strike·100 − 1)
 *
 * so no float ever decides who is paid. The window is [close − 60 s, close): the prints stamped
 * hh:59:00 … hh:59:59 for a close at hh+1:00 (uncertain whether CF Benchmarks' label of the
 * last second is :59 or :00; the simulator uses this convention on both ends).
 */
import type { EpochMs, StrikeDollars } from '../units.ts';

export const SETTLEMENT_WINDOW_MS = 60_000;
export const SETTLEMENT_PRINTS = 60;

export interface IndexPrint {
  /** Second the print belongs to, epoch ms (a whole second). */
  timeMs: EpochMs;
  /** Index value in dollars, at most 2 decimals. */
  price: number;
}

export type SettlementValue =
  | {
      status: 'ok';
      printCount: number;
      sumCents: number;
      /** The mean rounded half-up to the cent, e.g. "114780.26" — for display only. */
      displayDollars: string;
    }
  | { status: 'insufficient_prints'; printCount: number; required: number };

export interface SettlementOptions {
  /**
   * Fewest prints accepted (default 60). With fewer the result is `insufficient_prints` and
   * the caller decides (wait, or settle on what it has by lowering this explicitly).
   */
  minPrints?: number;
}

/** Integer cents of a dollar price with at most 2 decimals; throws on anything finer. */
export function priceToCents(price: number): number {
  const cents = Math.round(price * 100);
  if (!Number.isFinite(price) || price <= 0 || Math.abs(cents - price * 100) > 1e-6) {
    throw new Error(`index price must be positive dollars with at most 2 decimals, got ${price}`);
  }
  return cents;
}

/** Mean of the prints in [close − 60 s, close), one per second. */
export function settlementValue(
  prints: readonly IndexPrint[],
  closeTimeMs: EpochMs,
  options: SettlementOptions = {},
): SettlementValue {
  const required = options.minPrints ?? SETTLEMENT_PRINTS;
  const seconds = new Set<number>();
  let sumCents = 0;
  for (const print of prints) {
    if (print.timeMs < closeTimeMs - SETTLEMENT_WINDOW_MS || print.timeMs >= closeTimeMs) continue;
    const second = Math.floor(print.timeMs / 1000);
    if (seconds.has(second)) throw new Error(`two index prints for second ${second}`);
    seconds.add(second);
    sumCents += priceToCents(print.price);
  }
  const printCount = seconds.size;
  if (printCount === 0 || printCount < required) {
    return { status: 'insufficient_prints', printCount, required };
  }
  return { status: 'ok', printCount, sumCents, displayDollars: meanDisplay(sumCents, printCount) };
}

/** YES iff the mean of `printCount` prints summing to `sumCents` is strictly above strike − 0.01. */
export function settlesYes(sumCents: number, printCount: number, strike: StrikeDollars): boolean {
  if (!Number.isSafeInteger(strike) || strike < 1) throw new Error(`invalid strike ${strike}`);
  if (!Number.isSafeInteger(printCount) || printCount < 1) {
    throw new Error(`invalid print count ${printCount}`);
  }
  return sumCents > printCount * (strike * 100 - 1);
}

export function marketResult(
  value: Extract<SettlementValue, { status: 'ok' }>,
  strike: StrikeDollars,
): 'yes' | 'no' {
  return settlesYes(value.sumCents, value.printCount, strike) ? 'yes' : 'no';
}

function meanDisplay(sumCents: number, count: number): string {
  // Round half up in integers: floor((2·sum + count) / (2·count)).
  const cents = Math.floor((2 * sumCents + count) / (2 * count));
  const dollars = Math.floor(cents / 100);
  return `${dollars}.${String(cents % 100).padStart(2, '0')}`;
}
