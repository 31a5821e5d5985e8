/**
 * Kalshi data as REC.IO uses it: camelCase, integers per src/domain/units.ts (money and prices
 * in centi-cents, counts in whole contracts, times in epoch ms). The zod models in
 * `models/` turn wire payloads (current `_dollars`/`_fp` fields or legacy integers) into these.
 */
import type { CentiCents, Contracts, EpochMs, StrikeDollars, SymbolId } from '../../domain/units.ts';

// One list of Kalshi's market status words, kept in the domain (bus schemas use it too).
import type { KalshiMarketStatus as MarketStatus } from '../../domain/market-data/market-status.ts';
export {
  KALSHI_MARKET_STATUSES as MARKET_STATUSES,
  type KalshiMarketStatus as MarketStatus,
} from '../../domain/market-data/market-status.ts';

export const MARKET_RESULTS = ['', 'yes', 'no', 'scalar', 'void'] as const;
export type MarketResult = (typeof MARKET_RESULTS)[number];

/** Side of the (YES-quoted) book: bid = buy YES, ask = sell YES ≡ buy NO at 1 − price. */
export type BookSide = 'bid' | 'ask';
/** The outcome a position or order is for. */
export type OutcomeSide = 'yes' | 'no';
export type OrderAction = 'buy' | 'sell';
export type OrderStatus = 'resting' | 'canceled' | 'executed' | 'pending';
export type TimeInForce = 'fill_or_kill' | 'immediate_or_cancel' | 'good_till_canceled';
export type SelfTradePreventionType = 'taker_at_cross' | 'maker';

/** Filter words of GET /events and GET /markets (not the market's own status words). */
export type EventListStatus = 'unopened' | 'open' | 'closed' | 'settled';
export type MarketListStatus = EventListStatus | 'paused';

export interface KalshiMarket {
  ticker: string;
  eventTicker: string;
  marketType?: string;
  title?: string;
  subtitle?: string;
  yesSubTitle?: string;
  noSubTitle?: string;
  status: MarketStatus;
  /** '' until determined. */
  result: MarketResult;
  openTime: EpochMs;
  closeTime: EpochMs;
  expectedExpirationTime?: EpochMs;
  expirationTime?: EpochMs;
  latestExpirationTime?: EpochMs;
  settlementTimerSeconds?: number;
  strikeType?: string;
  /** As Kalshi sends it (114749.99): display only, never compare it. */
  floorStrike?: number;
  capStrike?: number;
  /** Integer strike, round(floor_strike + 0.01) = 114 750; present when floor_strike is. */
  strike?: StrikeDollars;
  /** Top of book. A missing side shows as 0 (bid) / 10 000 (ask), as Kalshi sends it. */
  yesBid: CentiCents;
  yesAsk: CentiCents;
  noBid: CentiCents;
  noAsk: CentiCents;
  yesBidSize?: Contracts;
  yesAskSize?: Contracts;
  lastPrice: CentiCents;
  previousYesBid?: CentiCents;
  previousYesAsk?: CentiCents;
  previousPrice?: CentiCents;
  volume: Contracts;
  volume24h?: Contracts;
  openInterest: Contracts;
  notionalValue?: CentiCents;
  settlementValue?: CentiCents;
  settlementTime?: EpochMs;
  expirationValue?: string;
  canCloseEarly?: boolean;
  rulesPrimary?: string;
}

export interface KalshiEvent {
  eventTicker: string;
  seriesTicker: string;
  title: string;
  subTitle?: string;
  category?: string;
  collateralReturnType?: string;
  mutuallyExclusive?: boolean;
  strikeDate?: EpochMs;
  strikePeriod?: string;
  /** Nested markets (with_nested_markets=true), else those of the response's top-level list. */
  markets: KalshiMarket[];
}

export interface PriceLevel {
  price: CentiCents;
  count: Contracts;
}

/** Bids on both legs, best (highest) first. YES ask = 1 − best NO bid; NO ask = 1 − best YES bid. */
export interface KalshiOrderbook {
  ticker: string;
  yesBids: PriceLevel[];
  noBids: PriceLevel[];
}

export interface KalshiExchangeStatus {
  exchangeActive: boolean;
  tradingActive: boolean;
  estimatedResumeTime?: EpochMs;
}

export interface KalshiOrder {
  orderId: string;
  clientOrderId?: string;
  ticker: string;
  status: OrderStatus;
  bookSide: BookSide;
  outcomeSide: OutcomeSide;
  type?: string;
  yesPrice: CentiCents;
  noPrice: CentiCents;
  initialCount: Contracts;
  fillCount: Contracts;
  remainingCount: Contracts;
  takerFees?: CentiCents;
  makerFees?: CentiCents;
  takerFillCost?: CentiCents;
  makerFillCost?: CentiCents;
  createdTime?: EpochMs;
  lastUpdateTime?: EpochMs;
  expirationTime?: EpochMs;
  orderGroupId?: string;
  selfTradePreventionType?: string;
}

export interface KalshiFill {
  /** = trade_id. Fills are idempotent on this id. */
  fillId: string;
  orderId: string;
  ticker: string;
  bookSide: BookSide;
  outcomeSide: OutcomeSide;
  count: Contracts;
  yesPrice: CentiCents;
  noPrice: CentiCents;
  isTaker: boolean;
  fee?: CentiCents;
  createdTime: EpochMs;
  clientOrderId?: string;
}

export interface KalshiMarketPosition {
  ticker: string;
  /** Signed: + YES contracts, − NO contracts. */
  position: Contracts;
  marketExposure: CentiCents;
  totalTraded: CentiCents;
  realizedPnl: CentiCents;
  feesPaid: CentiCents;
  lastUpdated?: EpochMs;
}

export interface KalshiEventPosition {
  eventTicker: string;
  totalCost: CentiCents;
  totalCostShares?: Contracts;
  eventExposure: CentiCents;
  realizedPnl: CentiCents;
  feesPaid: CentiCents;
}

export interface KalshiPositions {
  marketPositions: KalshiMarketPosition[];
  eventPositions: KalshiEventPosition[];
}

export interface KalshiBalance {
  /** Available balance. */
  balance: CentiCents;
  portfolioValue?: CentiCents;
  updatedTime?: EpochMs;
}

export interface KalshiSettlement {
  ticker: string;
  eventTicker: string;
  marketResult: MarketResult;
  yesCount: Contracts;
  noCount: Contracts;
  yesTotalCost: CentiCents;
  noTotalCost: CentiCents;
  /** Payout: 10 000 per winning contract of the net position. */
  revenue: CentiCents;
  fee?: CentiCents;
  /** Payout of one YES contract. */
  value?: CentiCents;
  settledTime: EpochMs;
}

/** What the platform asks for; the client writes Kalshi's V2 body from it. */
export interface CreateOrderInput {
  ticker: string;
  /** Required: REC.IO resolves unknown outcomes by this id, so it is written before sending. */
  clientOrderId: string;
  side: BookSide;
  count: Contracts;
  /** YES price of the limit, whatever the side. */
  price: CentiCents;
  timeInForce: TimeInForce;
  postOnly?: boolean;
  reduceOnly?: boolean;
  /** Default 'taker_at_cross' (the V2 API requires a value). */
  selfTradePreventionType?: SelfTradePreventionType;
  orderGroupId?: string;
  cancelOrderOnPause?: boolean;
  /** GTC orders only: when the order expires, epoch ms (sent as seconds). */
  expirationTime?: EpochMs;
}

export interface KalshiCreateOrderResult {
  orderId: string;
  clientOrderId?: string;
  fillCount: Contracts;
  remainingCount: Contracts;
  /** ROUNDED half-up to centi-cents (an average); the exact text is in `averageFillPriceDollars`. */
  averageFillPrice?: CentiCents;
  averageFillPriceDollars?: string;
  /** ROUNDED half-up per contract (an average); use fills for the exact fee ledger. */
  averageFeePaid?: CentiCents;
  averageFeePaidDollars?: string;
  /** Matching-engine time. */
  tsMs: EpochMs;
}

export interface KalshiCancelOrderResult {
  orderId: string;
  clientOrderId?: string;
  /** Contracts removed from the book (0 when nothing was resting any more). */
  reducedBy: Contracts;
  tsMs: EpochMs;
}

// ——— WebSocket ———

export interface KalshiOrderbookSnapshot {
  marketTicker: string;
  /** Best first. */
  yesBids: PriceLevel[];
  noBids: PriceLevel[];
}

export interface KalshiOrderbookDelta {
  marketTicker: string;
  side: OutcomeSide;
  price: CentiCents;
  /** Signed change of resting contracts at the level. */
  delta: Contracts;
  /** Present when our own order caused the change. */
  clientOrderId?: string;
}

/**
 * A quote update. `ticker` messages carry absolute volume/open interest; the 2025 `ticker_v2`
 * messages carry changes (`volumeDelta`, `openInterestDelta`) and often only the quote.
 * Complements are filled in: noAsk = 1 − yesBid, yesAsk = 1 − noBid.
 */
export interface KalshiTickerUpdate {
  marketTicker: string;
  marketId?: string;
  yesBid?: CentiCents;
  yesAsk?: CentiCents;
  noBid?: CentiCents;
  noAsk?: CentiCents;
  lastPrice?: CentiCents;
  volume?: Contracts;
  openInterest?: Contracts;
  volumeDelta?: Contracts;
  openInterestDelta?: Contracts;
  /** Exchange time (Kalshi sends seconds). */
  ts: EpochMs;
}

export interface KalshiPublicTrade {
  tradeId?: string;
  marketTicker: string;
  yesPrice: CentiCents;
  noPrice: CentiCents;
  count: Contracts;
  takerSide: OutcomeSide;
  ts: EpochMs;
}

export interface KalshiWsFill {
  tradeId: string;
  orderId: string;
  marketTicker: string;
  isTaker: boolean;
  bookSide: BookSide;
  outcomeSide: OutcomeSide;
  yesPrice: CentiCents;
  noPrice: CentiCents;
  count: Contracts;
  ts: EpochMs;
  clientOrderId?: string;
  postPosition?: Contracts;
  fee?: CentiCents;
}

/** market_positions channel: money is already centi-cents on this channel (unlike REST). */
export interface KalshiWsMarketPosition {
  marketTicker: string;
  userId?: string;
  position: Contracts;
  positionCost: CentiCents;
  realizedPnl: CentiCents;
  feesPaid: CentiCents;
  volume?: Contracts;
}

export type MarketLifecycleEventType =
  'created' | 'activated' | 'deactivated' | 'close_date_updated' | 'determined' | 'settled';

export interface KalshiMarketLifecycle {
  marketTicker: string;
  eventType: MarketLifecycleEventType;
  openTime?: EpochMs;
  closeTime?: EpochMs;
  result?: string;
  determinationTime?: EpochMs;
  settledTime?: EpochMs;
  /** Trading paused on an open market. */
  isDeactivated?: boolean;
  floorStrike?: number;
  strike?: StrikeDollars;
}

export interface KalshiEventLifecycle {
  eventTicker: string;
  seriesTicker: string;
  title: string;
  subTitle: string;
  collateralReturnType: string;
  strikeDate?: EpochMs;
  strikePeriod?: string;
}

export interface KalshiOrderGroupUpdate {
  eventType: 'created' | 'triggered' | 'reset' | 'deleted' | 'limit_updated';
  orderGroupId: string;
  contractsLimit?: Contracts;
}

/** One print of a CF Benchmarks index (`cfbenchmarks_value`; message shape unconfirmed). */
export interface KalshiCfBenchmarksValue {
  /** CF Benchmarks ticker, e.g. 'BRTI'. */
  index: string;
  /** The symbol the index settles (undefined for an index REC.IO does not trade). */
  symbol: SymbolId | undefined;
  /** Dollars, 2 decimals (a spot price per src/domain/units.ts). */
  value: number;
  /** The print's second, epoch ms. */
  timeMs: EpochMs;
}

export interface KalshiSubscriptionInfo {
  channel: string;
  sid: number;
}

/** Every message the Kalshi WebSocket sends, parsed. */
export type KalshiWsMessage =
  | { type: 'subscribed'; id?: number; channel: string; sid: number }
  | { type: 'unsubscribed'; id?: number; sid: number; seq?: number }
  | {
      type: 'ok';
      id?: number;
      sid?: number;
      seq?: number;
      marketTickers?: string[];
      subscriptions?: KalshiSubscriptionInfo[];
    }
  | { type: 'list_subscriptions'; id?: number; subscriptions: KalshiSubscriptionInfo[] }
  | { type: 'error'; id?: number; code: number; message: string; marketTicker?: string }
  | { type: 'orderbook_snapshot'; sid: number; seq: number; snapshot: KalshiOrderbookSnapshot }
  | { type: 'orderbook_delta'; sid: number; seq: number; delta: KalshiOrderbookDelta }
  | { type: 'ticker' | 'ticker_v2'; sid: number; seq?: number; ticker: KalshiTickerUpdate }
  | { type: 'trade'; sid: number; seq?: number; trade: KalshiPublicTrade }
  | { type: 'fill'; sid: number; seq?: number; fill: KalshiWsFill }
  | { type: 'market_position'; sid: number; seq?: number; position: KalshiWsMarketPosition }
  | { type: 'user_order'; sid: number; seq?: number; order: KalshiOrder }
  | { type: 'market_lifecycle_v2'; sid: number; seq?: number; lifecycle: KalshiMarketLifecycle }
  | { type: 'event_lifecycle'; sid: number; seq?: number; lifecycle: KalshiEventLifecycle }
  | { type: 'order_group_updates'; sid: number; seq?: number; update: KalshiOrderGroupUpdate }
  | { type: 'cfbenchmarks_value'; sid: number; seq?: number; value: KalshiCfBenchmarksValue }
  /** A message type this client does not know; kept so sequence tracking stays correct. */
  | { type: 'unknown'; rawType: string; sid?: number; seq?: number };
