/**
 * A CoinbaseFeedSource over the simulator runtime, typed structurally:
 * `coinbaseFeedSourceOf(runtime)` where the runtime has `subscribe(listener)` (every durable
 * batch, in order, with SimulationOutput's spotTicks) and `simulation` (its time and the
 * per-symbol SpotFeed with the 1-minute candles).
 */
import type { EpochMs, SymbolId } from '../../../domain/units.ts';
import type { SpotFeed } from '../../market/coinbase-feed.ts';
import type { CoinbaseFeedSource, SpotTick } from './source.ts';

export interface CoinbaseSimulationHost {
  subscribe(listener: (batch: { spotTicks: readonly SpotTick[] }) => void): () => void;
  readonly simulation: {
    readonly now: EpochMs;
    spotFeed(symbol: SymbolId): Pick<SpotFeed, 'candlesBetween'> | undefined;
  };
}

export const DEFAULT_PRODUCTS: Readonly<Record<string, SymbolId>> = { 'BTC-USD': 'BTC', 'ETH-USD': 'ETH' };

/** `products`: Coinbase product id → the simulation's symbol (default BTC-USD, ETH-USD). */
export function coinbaseFeedSourceOf(
  host: CoinbaseSimulationHost,
  products: Readonly<Record<string, SymbolId>> = DEFAULT_PRODUCTS,
): CoinbaseFeedSource {
  const served = Object.keys(products).filter((id) => host.simulation.spotFeed(products[id] as SymbolId));
  return {
    productIds: () => [...served],
    onTicks: (listener) =>
      host.subscribe((batch) => {
        if (batch.spotTicks.length > 0) listener(batch.spotTicks);
      }),
    candles: (productId, startMs, endMs) => {
      const symbol = products[productId];
      return symbol === undefined
        ? []
        : (host.simulation.spotFeed(symbol)?.candlesBetween(startMs, endMs) ?? []);
    },
    now: () => host.simulation.now,
  };
}
