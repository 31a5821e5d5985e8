/**
 * One market's order book: bids only, on two legs (YES bids at YES prices, NO bids at NO
 * prices), each price level a FIFO queue of order ids — price-time priority.
 *
 * A YES bid at p and a NO bid at q cross when p + q ≥ $1: the engine walks one leg from its
 * best (highest) price down. The book holds ids and counts only; orders live in the engine.
 */
import type { CentiCents, Contracts } from '../../domain/units.ts';
import type { OutcomeSide } from './types.ts';

const ONE_DOLLAR = 10_000;

interface Level {
  orderIds: string[];
  total: Contracts;
}

export class OrderBook {
  readonly tickCc: CentiCents;
  /** Number of valid price levels: prices tick … $1 − tick. */
  readonly levelCount: number;
  private readonly legs: Record<OutcomeSide, (Level | undefined)[]>;

  constructor(tickCc: CentiCents) {
    if (!Number.isSafeInteger(tickCc) || tickCc <= 0 || ONE_DOLLAR % tickCc !== 0) {
      throw new Error(`tick must divide $1 in centi-cents, got ${tickCc}`);
    }
    this.tickCc = tickCc;
    this.levelCount = ONE_DOLLAR / tickCc - 1;
    // Dense arrays from the start: writing a high index into an empty array would make it
    // sparse (dictionary mode), which made every best-price scan slow.
    this.legs = {
      yes: new Array<Level | undefined>(this.levelCount + 1).fill(undefined),
      no: new Array<Level | undefined>(this.levelCount + 1).fill(undefined),
    };
  }

  isValidPrice(priceCc: CentiCents): boolean {
    return (
      Number.isSafeInteger(priceCc) &&
      priceCc % this.tickCc === 0 &&
      priceCc >= this.tickCc &&
      priceCc <= ONE_DOLLAR - this.tickCc
    );
  }

  /** Appends an order at the back of its level's queue. */
  add(leg: OutcomeSide, priceCc: CentiCents, orderId: string, count: Contracts): void {
    const index = this.index(priceCc);
    const levels = this.legs[leg];
    let level = levels[index];
    if (!level) {
      level = { orderIds: [], total: 0 };
      levels[index] = level;
    }
    level.orderIds.push(orderId);
    level.total += count;
  }

  /** Takes `count` contracts off a level (a fill or a decrease), keeping the order queued. */
  reduce(leg: OutcomeSide, priceCc: CentiCents, count: Contracts): void {
    const level = this.level(leg, priceCc);
    level.total -= count;
    if (level.total < 0) throw new Error(`book level ${leg}@${priceCc} below zero`);
  }

  /** Removes an order from its queue, taking its remaining `count` off the level. */
  remove(leg: OutcomeSide, priceCc: CentiCents, orderId: string, count: Contracts): void {
    const level = this.level(leg, priceCc);
    const at = level.orderIds[0] === orderId ? 0 : level.orderIds.indexOf(orderId);
    if (at < 0) throw new Error(`order ${orderId} not at ${leg}@${priceCc}`);
    level.orderIds.splice(at, 1);
    level.total -= count;
    if (level.orderIds.length === 0) {
      if (level.total !== 0) throw new Error(`empty level ${leg}@${priceCc} holds ${level.total}`);
      this.legs[leg][this.index(priceCc)] = undefined;
    }
  }

  /** Best (highest) bid on a leg, or null when the leg is empty. */
  best(leg: OutcomeSide): CentiCents | null {
    const levels = this.legs[leg];
    for (let i = Math.min(levels.length - 1, this.levelCount); i >= 1; i--) {
      if (levels[i]) return i * this.tickCc;
    }
    return null;
  }

  total(leg: OutcomeSide, priceCc: CentiCents): Contracts {
    return this.legs[leg][this.index(priceCc)]?.total ?? 0;
  }

  /** Order ids at a level, front of the queue first (read-only view). */
  queue(leg: OutcomeSide, priceCc: CentiCents): readonly string[] {
    return this.legs[leg][this.index(priceCc)]?.orderIds ?? [];
  }

  /** Non-empty prices of a leg from best (highest) to worst. */
  *pricesDescending(leg: OutcomeSide): Generator<CentiCents> {
    const levels = this.legs[leg];
    for (let i = Math.min(levels.length - 1, this.levelCount); i >= 1; i--) {
      if (levels[i]) yield i * this.tickCc;
    }
  }

  /** [price, count] ascending (best last), as Kalshi's orderbook endpoint; `depth` best levels. */
  levels(leg: OutcomeSide, depth = Infinity): [CentiCents, Contracts][] {
    const out: [CentiCents, Contracts][] = [];
    for (const price of this.pricesDescending(leg)) {
      if (out.length >= depth) break;
      out.push([price, this.total(leg, price)]);
    }
    return out.reverse();
  }

  private index(priceCc: CentiCents): number {
    if (!this.isValidPrice(priceCc)) throw new Error(`invalid book price ${priceCc}`);
    return priceCc / this.tickCc;
  }

  private level(leg: OutcomeSide, priceCc: CentiCents): Level {
    const level = this.legs[leg][this.index(priceCc)];
    if (!level) throw new Error(`no level ${leg}@${priceCc}`);
    return level;
  }
}
