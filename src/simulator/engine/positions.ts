/**
 * Position accounting for one account in one market, in integers.
 *
 * A position is signed (+ YES, − NO). Buying the opposite leg nets against it: each netted
 * pair (one YES + one NO) is worth exactly $1, paid back at once, and realises
 * 1 − yes_cost − no_cost (Kalshi's 2025 behaviour). The cost basis of the part closed is taken
 * pro rata (floor), and all of what is left when the position reaches zero, so no centi-cent
 * drifts.
 */
import type { CentiCents, Contracts, EpochMs } from '../../domain/units.ts';
import type { BookSide, PositionRecord } from './types.ts';

export const ONE_DOLLAR_CC = 10_000;

export function emptyPosition(
  accountId: string,
  ticker: string,
  eventTicker: string,
  nowMs: EpochMs,
): PositionRecord {
  return {
    accountId,
    ticker,
    eventTicker,
    position: 0,
    costBasisCc: 0,
    realizedPnlCc: 0,
    feesPaidCc: 0,
    totalTradedCc: 0,
    volume: 0,
    lastUpdatedTime: nowMs,
  };
}

/** Contracts an order on `side` can close: YES held for an ask, NO held for a bid. */
export function closableBy(position: number, side: BookSide): Contracts {
  return side === 'ask' ? Math.max(position, 0) : Math.max(-position, 0);
}

export interface FillEffect {
  /** Change of the account's cash: − cost − fee + $1 per netted pair. */
  cashDeltaCc: CentiCents;
  /** Change of Σ max(position, 0) — the market's open interest — due to this account. */
  openInterestDelta: number;
  nettedCount: Contracts;
}

/** Applies one fill (own price = YES price for a bid, NO price for an ask); mutates `pos`. */
export function applyFill(
  pos: PositionRecord,
  side: BookSide,
  count: Contracts,
  ownPriceCc: CentiCents,
  feeCc: CentiCents,
  nowMs: EpochMs,
): FillEffect {
  const before = pos.position;
  const direction = side === 'bid' ? 1 : -1;
  const netted = Math.min(count, closableBy(before, side));
  let cashDeltaCc = -count * ownPriceCc - feeCc;
  if (netted > 0) {
    const held = Math.abs(before);
    const removed = netted === held ? pos.costBasisCc : Math.floor((pos.costBasisCc * netted) / held);
    pos.costBasisCc -= removed;
    pos.realizedPnlCc += netted * ONE_DOLLAR_CC - removed - netted * ownPriceCc;
    cashDeltaCc += netted * ONE_DOLLAR_CC;
  }
  pos.costBasisCc += (count - netted) * ownPriceCc;
  pos.position = before + direction * count;
  pos.feesPaidCc += feeCc;
  pos.totalTradedCc += count * ownPriceCc;
  pos.volume += count;
  pos.lastUpdatedTime = nowMs;
  return {
    cashDeltaCc,
    openInterestDelta: Math.max(pos.position, 0) - Math.max(before, 0),
    nettedCount: netted,
  };
}

export interface SettleEffect {
  yesCount: Contracts;
  noCount: Contracts;
  yesTotalCostCc: CentiCents;
  noTotalCostCc: CentiCents;
  revenueCc: CentiCents;
  openInterestDelta: number;
}

/** Pays $1 per net winning contract and closes the position; mutates `pos`. */
export function settlePosition(pos: PositionRecord, result: 'yes' | 'no', nowMs: EpochMs): SettleEffect {
  const yesCount = Math.max(pos.position, 0);
  const noCount = Math.max(-pos.position, 0);
  const won = result === 'yes' ? yesCount : noCount;
  const revenueCc = won * ONE_DOLLAR_CC;
  const effect: SettleEffect = {
    yesCount,
    noCount,
    yesTotalCostCc: yesCount > 0 ? pos.costBasisCc : 0,
    noTotalCostCc: noCount > 0 ? pos.costBasisCc : 0,
    revenueCc,
    openInterestDelta: -yesCount,
  };
  pos.realizedPnlCc += revenueCc - pos.costBasisCc;
  pos.costBasisCc = 0;
  pos.position = 0;
  pos.lastUpdatedTime = nowMs;
  return effect;
}
