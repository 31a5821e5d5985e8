/**
 * Kalshi trading fees, per fill, in exact integers.
 *
 *   fee = ceil( coefficient × C × P × (1 − P) )  dollars, rounded UP to the next cent
 *
 * C contracts, P the fill price in dollars (the price this party paid: YES price for a YES
 * buyer, NO price for a NO buyer — P(1 − P) is the same either way). Taker coefficient 0.07;
 * maker 0.0175 where the series charges makers. Per-fill rounding matched all 1 425 orders of
 * the 2025 data (per-order rounding did not).
 *
 * Everything is integers: the coefficient in basis points (0.07 = 700), prices in centi-cents.
 * In cents the fee is coefBps·C·p·(10 000 − p) / 10¹⁰, so ceil is an integer division.
 */
import { CENTICENTS_PER_CENT, CENTICENTS_PER_DOLLAR } from '../units.ts';
import type { CentiCents, Contracts } from '../units.ts';

/** 0.07 in basis points. */
export const TAKER_FEE_BPS = 700;
/** 0.0175 in basis points. */
export const MAKER_FEE_BPS = 175;

const CENTS_DENOMINATOR = 10_000_000_000; // 10⁴ (bps) × 10⁸ (p·(1−p) in cc²) / 10² (cents)

export interface FeeOptions {
  /** Fee coefficient in basis points; default the taker's 700 (= 0.07). */
  coefficientBps?: number;
}

/** Fee for one fill of `count` contracts at `priceCc` (centi-cents, 0–10 000), in centi-cents. */
export function fillFee(count: Contracts, priceCc: CentiCents, options: FeeOptions = {}): CentiCents {
  const coefficientBps = options.coefficientBps ?? TAKER_FEE_BPS;
  if (!Number.isSafeInteger(count) || count < 0) {
    throw new Error(`fee: count must be a non-negative integer, got ${count}`);
  }
  if (!Number.isSafeInteger(priceCc) || priceCc < 0 || priceCc > CENTICENTS_PER_DOLLAR) {
    throw new Error(`fee: price must be integer centi-cents in [0, 10000], got ${priceCc}`);
  }
  if (!Number.isSafeInteger(coefficientBps) || coefficientBps < 0) {
    throw new Error(`fee: coefficient must be integer basis points, got ${coefficientBps}`);
  }
  const spread = priceCc * (CENTICENTS_PER_DOLLAR - priceCc);
  const numerator = coefficientBps * count * spread;
  const cents = Number.isSafeInteger(numerator)
    ? ceilDiv(numerator, CENTS_DENOMINATOR)
    : Number(ceilDivBig(BigInt(coefficientBps) * BigInt(count) * BigInt(spread), BigInt(CENTS_DENOMINATOR)));
  return cents * CENTICENTS_PER_CENT;
}

/** Taker fee of one fill (coefficient 0.07). */
export function takerFee(count: Contracts, priceCc: CentiCents): CentiCents {
  return fillFee(count, priceCc, { coefficientBps: TAKER_FEE_BPS });
}

/** Maker fee of one fill (coefficient 0.0175), for series that charge makers. */
export function makerFee(count: Contracts, priceCc: CentiCents): CentiCents {
  return fillFee(count, priceCc, { coefficientBps: MAKER_FEE_BPS });
}

function ceilDiv(numerator: number, denominator: number): number {
  // Exact for safe integers: (n − n mod d) / d is an exact integer quotient.
  const remainder = numerator % denominator;
  return (numerator - remainder) / denominator + (remainder === 0 ? 0 : 1);
}

function ceilDivBig(numerator: bigint, denominator: bigint): bigint {
  return (numerator + denominator - 1n) / denominator;
}
