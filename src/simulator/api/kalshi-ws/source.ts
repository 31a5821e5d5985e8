/**
 * What the simulated Kalshi WebSocket needs from the simulator runtime (KalshiStreamSource).
 *
 * The contract that matters — ORDER AND CONSISTENCY:
 * - `onEvents` delivers every engine event exactly once, in the order the engine produced
 *   them (batches in order; a batch may be delivered later than it happened, e.g. after it is
 *   durable — that is fine).
 * - The server keeps its own order books built from the delivered `orderbook_delta` events,
 *   so snapshots always agree with the deltas that follow them, even while the engine is ahead
 *   of what was delivered. It seeds those books from `getOrderbook` once, at attach: attach
 *   when no batch is in flight (right after the runtime opened, before it ticks or takes
 *   commands), so that `getOrderbook` then equals "every event delivered so far".
 * - Markets created later start empty (their `created` lifecycle event precedes any order).
 *
 * Units are the engine's (src/simulator/engine/types.ts): centi-cents, contracts, epoch ms.
 */
import type { EngineEvent, MarketView, OrderbookView } from '../../engine/types.ts';
import type { EpochMs, SymbolId } from '../../../domain/units.ts';

/** An hourly event as listed (the simulation's SimEvent satisfies it): for `event_lifecycle`. */
export interface ListedEvent {
  eventTicker: string;
  seriesTicker: string;
  symbol: SymbolId;
  closeTime: EpochMs;
}

/** One 1-s index print, the same the simulation settles on (dollars, 2 decimals). */
export interface IndexPrint {
  symbol: SymbolId;
  timeMs: EpochMs;
  price: number;
}

export interface ApiKeyAccount {
  accountId: string;
  /** The RSA public key registered for the key id (PEM). */
  publicKeyPem: string;
}

export interface KalshiStreamSource {
  /** Every engine event batch, in order (see the header); returns the unsubscribe function. */
  onEvents(listener: (events: readonly EngineEvent[]) => void): () => void;
  /** Hourly events as they are listed (→ `event_lifecycle` on market_lifecycle_v2). Optional. */
  onEventsListed?(listener: (events: readonly ListedEvent[]) => void): () => void;
  /** The settlement index's 1-s prints, in order (→ `cfbenchmarks_value`). Optional. */
  onIndexPrints?(listener: (prints: readonly IndexPrint[]) => void): () => void;
  /** The engine's book (used once per market at attach, and to repair a book that went wrong). */
  getOrderbook(ticker: string): OrderbookView | undefined;
  /** A market: existence checks (error 16) and the `ticker` initial snapshot. */
  getMarket(ticker: string): MarketView | undefined;
  /** Every market the engine knows (books to seed at attach; "all markets" ticker snapshots). */
  listMarketTickers(): string[];
  /** The account and public key of an API key id (the signed handshake), or undefined. */
  accountForApiKey(keyId: string): ApiKeyAccount | undefined;
  /** Simulated market time, epoch ms (the `ts` of snapshots the server makes up itself). */
  now(): EpochMs;
}
