/**
 * Kalshi's WebSocket channels as the simulator serves them: who may subscribe (private
 * channels need the signed handshake → error 9 without it), how a market list is taken, and
 * whether the simulator produces data for the channel at all.
 */
export const KALSHI_CHANNEL_NAMES = [
  'orderbook_delta',
  'ticker',
  'trade',
  'fill',
  'market_positions',
  'user_orders',
  'market_lifecycle_v2',
  'multivariate',
  'communications',
  'order_group_updates',
  'cfbenchmarks_value',
] as const;

export type KalshiChannelName = (typeof KALSHI_CHANNEL_NAMES)[number];

export interface ChannelRules {
  /** Needs an authenticated connection. */
  private: boolean;
  /** required: market_ticker(s) mandatory (14); optional: omit for all markets; ignored: always all. */
  markets: 'required' | 'optional' | 'ignored';
  /** Messages carry a per-subscription `seq` (+1 per message, from 1). */
  sequenced: boolean;
  /** False: accepted, but the simulator has nothing to send on it. */
  served: boolean;
}

export const CHANNEL_RULES: Readonly<Record<KalshiChannelName, ChannelRules>> = {
  orderbook_delta: { private: true, markets: 'required', sequenced: true, served: true },
  ticker: { private: false, markets: 'optional', sequenced: false, served: true },
  trade: { private: false, markets: 'optional', sequenced: false, served: true },
  fill: { private: true, markets: 'ignored', sequenced: false, served: true },
  market_positions: { private: true, markets: 'optional', sequenced: false, served: true },
  user_orders: { private: true, markets: 'optional', sequenced: false, served: true },
  market_lifecycle_v2: { private: false, markets: 'ignored', sequenced: false, served: true },
  multivariate: { private: false, markets: 'optional', sequenced: false, served: false },
  communications: { private: true, markets: 'ignored', sequenced: false, served: false },
  order_group_updates: { private: true, markets: 'ignored', sequenced: true, served: false },
  // Kalshi's CF Benchmarks feed (entitlement-gated there; public here): the simulator's own
  // 1-s index prints, filtered by `index_tickers` rather than markets.
  cfbenchmarks_value: { private: false, markets: 'ignored', sequenced: false, served: true },
};

/** CF Benchmarks real-time index of each symbol (what KXBTCD/KXETHD settle on). */
export const INDEX_TICKERS = { BTC: 'BRTI', ETH: 'ETHUSD_RTI' } as const;
export type IndexTicker = (typeof INDEX_TICKERS)[keyof typeof INDEX_TICKERS];

export function isIndexTicker(value: string): value is IndexTicker {
  return Object.values(INDEX_TICKERS).includes(value as IndexTicker);
}

export function channelRules(name: string): ChannelRules | undefined {
  return Object.hasOwn(CHANNEL_RULES, name) ? CHANNEL_RULES[name as KalshiChannelName] : undefined;
}
