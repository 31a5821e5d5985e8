/**
 * Random taker flow: immediate-or-cancel orders that lift the ask or hit the bid, mostly near
 * the money (the 2025 sample: a trade every 20–60 s on the strikes at the money, sizes from a
 * handful to ~1 000 contracts, median ~60), so markets show trades, volume and open interest.
 */
import type { Random } from './random.ts';

export interface FlowParams {
  /** Trades per minute on a strike at fair 50 %; scaled by 4·f·(1 − f) elsewhere. */
  tradesPerMinuteAtMoney: number;
  /** Floor of that scale, so quoted far strikes see an occasional trade. */
  minimumScale: number;
  sizeMedian: number;
  sizeSigma: number;
  maxSize: number;
  /** Extra cents a taker is willing to walk beyond the best price. */
  maxSweepCents: number;
  /** How strongly takers lean toward the side the fair value favours. */
  informedness: number;
}

export const DEFAULT_FLOW: FlowParams = {
  tradesPerMinuteAtMoney: 0.5,
  minimumScale: 0.01,
  sizeMedian: 60,
  sizeSigma: 1.2,
  maxSize: 2_000,
  maxSweepCents: 2,
  informedness: 2,
};

export interface TakerOrder {
  side: 'bid' | 'ask';
  /** Limit YES price, cents. */
  priceCents: number;
  count: number;
}

/**
 * Maybe one taker order this second, given the strike's fair value and its best quotes
 * (cents; null when a side is empty).
 */
export function takerOrder(
  fair: number,
  yesBidCents: number | null,
  yesAskCents: number | null,
  params: FlowParams,
  random: Random,
): TakerOrder | null {
  const scale = Math.max(4 * fair * (1 - fair), params.minimumScale);
  if (!random.chance((params.tradesPerMinuteAtMoney / 60) * scale)) return null;
  const mid = yesBidCents !== null && yesAskCents !== null ? (yesBidCents + yesAskCents) / 200 : fair;
  const buyYesChance = Math.min(0.9, Math.max(0.1, 0.5 + params.informedness * (fair - mid)));
  const count = Math.max(
    1,
    Math.min(params.maxSize, Math.round(random.logNormal(params.sizeMedian, params.sizeSigma))),
  );
  const sweep = random.int(0, params.maxSweepCents);
  if (random.chance(buyYesChance)) {
    if (yesAskCents === null) return null;
    return { side: 'bid', priceCents: Math.min(99, yesAskCents + sweep), count };
  }
  if (yesBidCents === null) return null;
  return { side: 'ask', priceCents: Math.max(1, yesBidCents - sweep), count };
}
