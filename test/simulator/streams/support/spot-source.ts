/**
 * A CoinbaseFeedSource for tests, backed by the simulator's real Coinbase feed generator
 * (SpotFeed: ticks, sequence and trade ids, 1-minute candles) on a seeded random walk.
 */
import type { CoinbaseFeedSource } from '../../../../src/simulator/api/coinbase/source.ts';
import {
  DEFAULT_SPOT,
  SpotFeed,
  type SpotParams,
  type SpotTick,
} from '../../../../src/simulator/market/coinbase-feed.ts';
import { Random } from '../../../../src/simulator/market/random.ts';

interface Product {
  feed: SpotFeed;
  index: number;
}

export class SpotFeedSource implements CoinbaseFeedSource {
  nowMs: number;
  readonly #products = new Map<string, Product>();
  readonly #random: Random;
  readonly #listeners = new Set<(ticks: readonly SpotTick[]) => void>();

  constructor(options: { startMs: number; seed?: string; ticksPerSecond?: number }) {
    this.nowMs = Math.floor(options.startMs / 1000) * 1000;
    this.#random = Random.seeded(options.seed ?? 'spot');
    const start: Record<string, number> = { 'BTC-USD': 115_000, 'ETH-USD': 3_800 };
    for (const params of [DEFAULT_SPOT.BTC, DEFAULT_SPOT.ETH]) {
      const tuned: SpotParams = {
        ...params,
        ticksPerSecond: options.ticksPerSecond ?? params.ticksPerSecond,
      };
      this.#products.set(params.productId, {
        feed: new SpotFeed(tuned),
        index: start[params.productId] ?? 100,
      });
    }
  }

  /** Runs `seconds` of market: a random-walk index, the feed's ticks, delivered second by second. */
  step(seconds = 1): SpotTick[] {
    const all: SpotTick[] = [];
    for (let i = 0; i < seconds; i++) {
      const batch: SpotTick[] = [];
      for (const product of this.#products.values()) {
        const next = product.index * (1 + 0.0003 * this.#random.normal());
        batch.push(...product.feed.ticksForSecond(this.nowMs, product.index, next, this.#random));
        product.index = next;
      }
      this.nowMs += 1000;
      batch.sort((a, b) => a.timeMs - b.timeMs);
      if (batch.length > 0) for (const listener of this.#listeners) listener(batch);
      all.push(...batch);
    }
    return all;
  }

  feed(productId: string): SpotFeed {
    const product = this.#products.get(productId);
    if (!product) throw new Error(`no product ${productId}`);
    return product.feed;
  }

  productIds(): string[] {
    return [...this.#products.keys()];
  }

  onTicks(listener: (ticks: readonly SpotTick[]) => void): () => void {
    this.#listeners.add(listener);
    return () => this.#listeners.delete(listener);
  }

  candles(productId: string, startMs: number, endMs: number) {
    return this.#products.get(productId)?.feed.candlesBetween(startMs, endMs) ?? [];
  }

  now(): number {
    return this.nowMs;
  }
}
