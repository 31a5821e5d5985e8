/**
 * What the simulated Coinbase Exchange needs from the simulator runtime (CoinbaseFeedSource).
 *
 * - `onTicks` delivers every spot trade of every product once, in time order per product
 *   (the simulation's `SimulationOutput.spotTicks`); `sequence` and `tradeId` rise by one per
 *   trade of a product (SpotFeed does this).
 * - `candles` answers from the feed's 1-minute candles (SpotFeed.candlesBetween); the server
 *   rolls them up to larger granularities and never serves a bucket that has not ended by
 *   `now()` (the simulation draws a second of ticks ahead, and their candles must not leak).
 *
 * Units: spot prices dollars (2 decimals), sizes in base currency, times epoch ms.
 */
import type { EpochMs } from '../../../domain/units.ts';
import type { Candle, SpotTick } from '../../market/coinbase-feed.ts';

export type { Candle, SpotTick };

export interface CoinbaseFeedSource {
  /** Product ids served, e.g. ['BTC-USD', 'ETH-USD']. */
  productIds(): string[];
  /** Every tick, in order; returns the unsubscribe function. */
  onTicks(listener: (ticks: readonly SpotTick[]) => void): () => void;
  /** 1-minute candles whose start is in [startMs, endMs], oldest first. */
  candles(productId: string, startMs: EpochMs, endMs: EpochMs): Candle[];
  /** Simulated market time, epoch ms. */
  now(): EpochMs;
}
