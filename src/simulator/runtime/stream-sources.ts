/**
 * The runtime as the sources the stream servers read (their interfaces: kalshi-ws/source.ts).
 * Batches reach them after they are durable and in the order they happened, as the WebSocket
 * server's consistency contract requires; attach while nothing is in flight (right after
 * the runtime opened).
 */
import type { KalshiStreamSource } from '../api/kalshi-ws/source.ts';
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
