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
};

export function channelRules(name: string): ChannelRules | undefined {
  return Object.hasOwn(CHANNEL_RULES, name) ? CHANNEL_RULES[name as KalshiChannelName] : undefined;
}
