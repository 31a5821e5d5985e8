/**
 * The runtime as the sources the stream servers read (their interfaces: kalshi-ws/source.ts).
 * Batches reach them after they are durable and in the order they happened, as the WebSocket
 * server's consistency contract requires; attach while nothing is in flight (right after
 * the runtime opened).
 */
import { SYMBOLS, type SymbolId } from '../../domain/units.ts';
import type { CoinbaseFeedSource } from '../api/coinbase/source.ts';
import type { KalshiStreamSource } from '../api/kalshi-ws/source.ts';
import { DEFAULT_SPOT } from '../market/coinbase-feed.ts';
import type { SimulatorRuntime } from './runtime.ts';

export function kalshiStreamSource(runtime: SimulatorRuntime): KalshiStreamSource {
  return {
    onEvents: (listener) =>
      runtime.subscribe((batch) => {
        if (batch.engineEvents.length > 0) listener(batch.engineEvents);
      }),
    onEventsListed: (listener) =>
      runtime.subscribe((batch) => {
        if (batch.listedEvents.length > 0) listener(batch.listedEvents);
      }),
    onIndexPrints: (listener) =>
      runtime.subscribe((batch) => {
        if (batch.indexPrints.length > 0) listener(batch.indexPrints);
      }),
    getOrderbook: (ticker) => runtime.engine.getOrderbook(ticker),
    getMarket: (ticker) => runtime.engine.getMarket(ticker),
    listMarketTickers: () => runtime.engine.listMarkets().map((m) => m.ticker),
    accountForApiKey: (keyId) => {
      const key = runtime.apiKey(keyId);
      return key ? { accountId: key.accountId, publicKeyPem: key.publicKeyPem } : undefined;
    },
    now: () => runtime.engine.now,
  };
}

/** Coinbase product ids are a fixed convention per symbol ('BTC-USD'). */
const PRODUCT: Record<SymbolId, string> = {
  BTC: DEFAULT_SPOT.BTC.productId,
  ETH: DEFAULT_SPOT.ETH.productId,
};

export function coinbaseFeedSource(runtime: SimulatorRuntime): CoinbaseFeedSource {
  const symbols = () => SYMBOLS.filter((symbol) => runtime.simulation.spotFeed(symbol) !== undefined);
  const feedOf = (productId: string) => {
    const symbol = symbols().find((s) => PRODUCT[s] === productId);
    return symbol === undefined ? undefined : runtime.simulation.spotFeed(symbol);
  };
  return {
    productIds: () => symbols().map((symbol) => PRODUCT[symbol]),
    onTicks: (listener) =>
      runtime.subscribe((batch) => {
        if (batch.spotTicks.length > 0) listener(batch.spotTicks);
      }),
    candles: (productId, startMs, endMs) => feedOf(productId)?.candlesBetween(startMs, endMs) ?? [],
    // The last simulated second: candles of the second drawn ahead must not show yet.
    now: () => runtime.simulation.now,
  };
}
