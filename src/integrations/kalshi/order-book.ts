/**
 * A local Kalshi order book for one market, kept from a snapshot plus deltas. Kalshi's book
 * holds BIDS ONLY, on both legs: a YES ask is the best NO bid seen from the other side
 * (YES ask = 1 − best NO bid, with that NO bid's size), and vice versa.
 * Prices are integer centi-cents, sizes whole contracts.
 */
import type { CentiCents, Contracts } from '../../domain/units.ts';
import type { OutcomeSide, PriceLevel } from './types.ts';

const ONE_DOLLAR: CentiCents = 10_000;

export class OrderBookError extends Error {
  override readonly name = 'OrderBookError';
}

export interface BookTop {
  yesBid?: PriceLevel;
  /** 1 − best NO bid, sized by that NO bid. */
  yesAsk?: PriceLevel;
  noBid?: PriceLevel;
  /** 1 − best YES bid, sized by that YES bid. */
  noAsk?: PriceLevel;
}

export class OrderBook {
  readonly marketTicker: string;
  readonly #levels: Record<OutcomeSide, Map<CentiCents, Contracts>> = { yes: new Map(), no: new Map() };
  /** Cached best bid per side; null = unknown (recompute), undefined = empty side. */
  readonly #best: Record<OutcomeSide, CentiCents | undefined | null> = { yes: undefined, no: undefined };

  constructor(marketTicker: string) {
    this.marketTicker = marketTicker;
  }

  static fromSnapshot(snapshot: {
    marketTicker: string;
    yesBids: PriceLevel[];
    noBids: PriceLevel[];
  }): OrderBook {
    const book = new OrderBook(snapshot.marketTicker);
    book.applySnapshot(snapshot.yesBids, snapshot.noBids);
    return book;
  }

  /** Replaces the whole book. */
  applySnapshot(yesBids: readonly PriceLevel[], noBids: readonly PriceLevel[]): void {
    for (const side of ['yes', 'no'] as const) {
      const levels = this.#levels[side];
      levels.clear();
      for (const { price, count } of side === 'yes' ? yesBids : noBids) {
        checkPrice(price);
        if (!Number.isSafeInteger(count) || count <= 0)
          throw new OrderBookError(`${this.marketTicker}: bad size ${count} at ${price}`);
        if (levels.has(price))
          throw new OrderBookError(`${this.marketTicker}: ${side} level ${price} listed twice`);
        levels.set(price, count);
      }
      this.#best[side] = null;
    }
  }

  /**
   * Adds a signed change of resting contracts at one level. A level that would go negative
   * means the local book has diverged from Kalshi's: it throws, and the caller must resync.
   */
  applyDelta(side: OutcomeSide, price: CentiCents, delta: Contracts): void {
    checkPrice(price);
    if (!Number.isSafeInteger(delta)) throw new OrderBookError(`${this.marketTicker}: bad delta ${delta}`);
    const levels = this.#levels[side];
    const next = (levels.get(price) ?? 0) + delta;
    if (next < 0) {
      throw new OrderBookError(`${this.marketTicker}: ${side} level ${price} would hold ${next} contracts`);
    }
    if (next === 0) {
      levels.delete(price);
      if (this.#best[side] === price) this.#best[side] = null;
    } else {
      levels.set(price, next);
      const best = this.#best[side];
      if (best !== null && (best === undefined || price > best)) this.#best[side] = price;
    }
  }

  /** Best bid of a leg. */
  bestBid(side: OutcomeSide): PriceLevel | undefined {
    let best = this.#best[side];
    if (best === null) {
      best = undefined;
      for (const price of this.#levels[side].keys()) if (best === undefined || price > best) best = price;
      this.#best[side] = best;
    }
    return best === undefined ? undefined : { price: best, count: this.#levels[side].get(best) ?? 0 };
  }

  /** Best ask of a leg: the complement of the other leg's best bid. */
  bestAsk(side: OutcomeSide): PriceLevel | undefined {
    const opposite = this.bestBid(side === 'yes' ? 'no' : 'yes');
    return opposite === undefined ? undefined : { price: ONE_DOLLAR - opposite.price, count: opposite.count };
  }

  top(): BookTop {
    return {
      yesBid: this.bestBid('yes'),
      yesAsk: this.bestAsk('yes'),
      noBid: this.bestBid('no'),
      noAsk: this.bestAsk('no'),
    };
  }

  /** Bid levels of a leg, best first, at most `levels` of them. */
  depth(side: OutcomeSide, levels = Infinity): PriceLevel[] {
    return [...this.#levels[side]]
      .sort((a, b) => b[0] - a[0])
      .slice(0, levels)
      .map(([price, count]) => ({ price, count }));
  }

  /** Contracts resting at or better than `price` on a leg's bids (liquidity a seller could hit). */
  bidSizeAtOrAbove(side: OutcomeSide, price: CentiCents): Contracts {
    let total = 0;
    for (const [level, count] of this.#levels[side]) if (level >= price) total += count;
    return total;
  }

  levelCount(side: OutcomeSide): number {
    return this.#levels[side].size;
  }

  /** The whole book in the REST shape (best first), e.g. to compare with GET /orderbook. */
  snapshot(): { marketTicker: string; yesBids: PriceLevel[]; noBids: PriceLevel[] } {
    return { marketTicker: this.marketTicker, yesBids: this.depth('yes'), noBids: this.depth('no') };
  }
}

function checkPrice(price: CentiCents): void {
  if (!Number.isSafeInteger(price) || price <= 0 || price >= ONE_DOLLAR) {
    throw new OrderBookError(`price ${price} outside (0, 10000) centi-cents`);
  }
}
