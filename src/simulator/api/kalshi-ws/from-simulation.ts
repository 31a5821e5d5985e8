/**
 * A KalshiStreamSource over the simulator runtime, typed structurally so the runtime plugs in
 * as it is: `kalshiStreamSourceOf(runtime)` where the runtime has `subscribe(listener)` (every
 * durable batch, in order: SimulationOutput's engineEvents and listedEvents), the `engine` for
 * reads, the `simulation` for its time, and `apiKey(keyId)` → { accountId, publicKeyPem }.
 */
import type { EpochMs } from '../../../domain/units.ts';
import type { ExchangeEngine } from '../../engine/engine.ts';
import type { EngineEvent } from '../../engine/types.ts';
import type { ApiKeyAccount, KalshiStreamSource, ListedEvent } from './source.ts';

export interface KalshiSimulationHost {
  subscribe(
    listener: (batch: { engineEvents: readonly EngineEvent[]; listedEvents: readonly ListedEvent[] }) => void,
  ): () => void;
  readonly engine: Pick<ExchangeEngine, 'getOrderbook' | 'getMarket' | 'listMarkets'>;
  readonly simulation: { readonly now: EpochMs };
  apiKey(keyId: string): ApiKeyAccount | undefined;
}

export function kalshiStreamSourceOf(host: KalshiSimulationHost): KalshiStreamSource {
  return {
    onEvents: (listener) =>
      host.subscribe((batch) => {
        if (batch.engineEvents.length > 0) listener(batch.engineEvents);
      }),
    onEventsListed: (listener) =>
      host.subscribe((batch) => {
        if (batch.listedEvents.length > 0) listener(batch.listedEvents);
      }),
    getOrderbook: (ticker) => host.engine.getOrderbook(ticker),
    getMarket: (ticker) => host.engine.getMarket(ticker),
    listMarketTickers: () => host.engine.listMarkets().map((m) => m.ticker),
    accountForApiKey: (keyId) => {
      const key = host.apiKey(keyId);
      return key === undefined ? undefined : { accountId: key.accountId, publicKeyPem: key.publicKeyPem };
    },
    now: () => host.simulation.now,
  };
}
