/**
 * What the simulated market makers want resting on one strike, given its fair value.
 *
 * Shaped on the 2025 ticker sample (../shared/data/kalshi-2025): near the money the spread is
 * 1–4¢ (half-spread drawn in [0.5, 2]¢ per requote) with a few levels of depth behind; a
 * strike that is nearly decided shows one side only (0/2¢, 98/100¢ — the side that would price
 * at 0 or 100 is simply absent); far strikes are left to a "stub" bid at 70–71¢ on the likely
 * outcome (70/100 deep in the money, 0/30 deep out of it), as seen in the data.
 */
import type { Random } from './random.ts';

export interface MakerParams {
  /** Half-spread drawn uniformly in this range, cents. */
  halfSpreadCents: [number, number];
  /** Levels behind the best on each side. */
  extraLevels: [number, number];
  /** Gap between levels, cents. */
  levelStepCents: [number, number];
  /** Size per level: log-normal with this median and log-sigma, capped. */
  sizeMedian: number;
  sizeSigma: number;
  maxSize: number;
  /** Beyond |z| = this the core maker withdraws (the strike is practically decided). */
  withdrawZ: number;
  /** The stub's price on the likely outcome, cents (one of these per strike). */
  stubPricesCents: number[];
  stubSizeMedian: number;
  /** Stubs rest only where |z| exceeds this (so they never cross the core quotes). */
  stubMinZ: number;
  /** Requote when the fair value moved this many cents since the last quote. */
  requoteThresholdCents: number;
  /** Chance per second of a fresh quote anyway (new spread and sizes). */
  refreshPerSecond: number;
}

export const DEFAULT_MAKER: MakerParams = {
  halfSpreadCents: [0.5, 2],
  extraLevels: [2, 5],
  levelStepCents: [1, 2],
  sizeMedian: 150,
  sizeSigma: 1,
  maxSize: 5_000,
  withdrawZ: 3.5,
  stubPricesCents: [70, 71],
  stubSizeMedian: 300,
  stubMinZ: 2,
  requoteThresholdCents: 1.5,
  refreshPerSecond: 0.005,
};

/** One resting order the maker wants: `side` on the YES leg at a YES price (cents). */
export interface QuoteLevel {
  side: 'bid' | 'ask';
  priceCents: number;
  count: number;
}

function size(random: Random, median: number, sigma: number, max: number): number {
  return Math.max(1, Math.min(max, Math.round(random.logNormal(median, sigma))));
}

/**
 * Target quotes for a strike with fair value `fair` (0–1) whose settlement sits `z` standard
 * deviations from the strike (positive = in the money).
 */
export function targetQuotes(
  fair: number,
  z: number,
  stubPriceCents: number,
  params: MakerParams,
  random: Random,
): QuoteLevel[] {
  const levels: QuoteLevel[] = [];
  const p = fair * 100;
  let bestBid = 0;
  let bestAsk = 100;
  if (Math.abs(z) <= params.withdrawZ) {
    const half =
      params.halfSpreadCents[0] + random.next() * (params.halfSpreadCents[1] - params.halfSpreadCents[0]);
    bestBid = Math.floor(p - half);
    bestAsk = Math.max(Math.ceil(p + half), bestBid + 1);
    const depth = random.int(params.extraLevels[0], params.extraLevels[1]);
    const step = random.int(params.levelStepCents[0], params.levelStepCents[1]);
    // Levels behind the best sit on a fixed grid (multiples of `step`), so when the best moves
    // by a cent only the levels near the top change: less churn, as real books show.
    const bids = [bestBid];
    const asks = [bestAsk];
    for (let i = 0; i < depth; i++) {
      const lastBid = bids[bids.length - 1] as number;
      const lastAsk = asks[asks.length - 1] as number;
      bids.push(Math.ceil(lastBid / step) * step - step);
      asks.push(Math.floor(lastAsk / step) * step + step);
    }
    for (const bid of bids) {
      if (bid >= 1 && bid <= 99)
        levels.push({
          side: 'bid',
          priceCents: bid,
          count: size(random, params.sizeMedian, params.sizeSigma, params.maxSize),
        });
    }
    for (const ask of asks) {
      if (ask >= 1 && ask <= 99)
        levels.push({
          side: 'ask',
          priceCents: ask,
          count: size(random, params.sizeMedian, params.sizeSigma, params.maxSize),
        });
    }
  }
  if (Math.abs(z) > params.stubMinZ) {
    const stubSize = size(random, params.stubSizeMedian, params.sizeSigma, params.maxSize);
    // In the money: a YES bid at the stub price; out of it: a NO bid there (YES ask at 100 − stub).
    const stub: QuoteLevel =
      z > 0
        ? { side: 'bid', priceCents: stubPriceCents, count: stubSize }
        : { side: 'ask', priceCents: 100 - stubPriceCents, count: stubSize };
    const crosses = stub.side === 'bid' ? stub.priceCents >= bestAsk : stub.priceCents <= bestBid;
    const duplicate = levels.some((l) => l.side === stub.side && l.priceCents === stub.priceCents);
    if (!crosses && !duplicate) levels.push(stub);
  }
  return levels;
}
