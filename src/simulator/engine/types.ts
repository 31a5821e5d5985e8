/**
 * The exchange core's vocabulary: commands in, results and events out, plain JSON-able records.
 *
 * Units (src/domain/units.ts): money and prices integer centi-cents (1/10 000 USD), counts whole
 * contracts, times epoch ms. Prices are always the **YES** price unless a name says `no`.
 * The service layer turns these into Kalshi's `_dollars` / `_fp` strings.
 */
import type { CentiCents, Contracts, EpochMs, StrikeDollars } from '../../domain/units.ts';

/** V2 order side on the YES leg: bid = buy YES; ask = sell YES ≡ buy NO at 1 − price. */
export type BookSide = 'bid' | 'ask';
/** The outcome an order or fill is positioned for: bid → yes, ask → no. */
export type OutcomeSide = 'yes' | 'no';
export type TimeInForce = 'fill_or_kill' | 'immediate_or_cancel' | 'good_till_canceled';
export type SelfTradePrevention = 'taker_at_cross' | 'maker';
export type OrderStatus = 'resting' | 'canceled' | 'executed';
export type MarketStatus = 'initialized' | 'active' | 'closed' | 'determined' | 'settled';
export type MarketResult = '' | 'yes' | 'no';

export type CancelReason =
  | 'user' // cancel or decrease to zero by the owner
  | 'immediate_or_cancel' // IOC remainder
  | 'self_trade' // self-trade prevention
  | 'expired' // good-till-time reached expiration_time
  | 'market_closed' // the market closed with the order resting
  | 'reduce_only'; // a reduce-only order capped to zero by a position change

export interface EngineConfig {
  /** 8 hex digits put in every generated id, so ids of two simulator instances never collide. */
  idNamespace: string;
  /** Recent public trades kept per market (GET /markets/trades); older ones live in events only. */
  recentTradesPerMarket: number;
}

export interface MarketSpec {
  ticker: string;
  eventTicker: string;
  seriesTicker: string;
  strike: StrikeDollars;
  openTime: EpochMs;
  closeTime: EpochMs;
  /** Price tick in centi-cents (Kalshi's hourly crypto: 1¢ = 100). */
  tickCc?: number;
  /** Taker fee coefficient, basis points (0.07 = 700). */
  takerFeeBps?: number;
  /** Maker fee coefficient, basis points (0 = no maker fee; 0.0175 = 175). */
  makerFeeBps?: number;
}

export interface MarketState {
  ticker: string;
  eventTicker: string;
  seriesTicker: string;
  strike: StrikeDollars;
  openTime: EpochMs;
  closeTime: EpochMs;
  tickCc: number;
  takerFeeBps: number;
  makerFeeBps: number;
  status: MarketStatus;
  result: MarketResult;
  /** The settlement value as Kalshi shows it (`expiration_value`), e.g. "114780.26". */
  expirationValue: string;
  createdTime: EpochMs;
  determinedTime: EpochMs | null;
  settledTime: EpochMs | null;
  lastPriceCc: CentiCents | null;
  /** Contracts traded (each trade counted once). */
  volume: Contracts;
  /** Contracts outstanding: Σ over accounts of max(position, 0). */
  openInterest: Contracts;
  /** The quote last published as a `ticker` event, so unchanged quotes are not re-sent. */
  lastTicker: TickerQuote | null;
}

export interface TickerQuote {
  yesBidCc: CentiCents | null;
  yesAskCc: CentiCents | null;
  lastPriceCc: CentiCents | null;
  volume: Contracts;
  openInterest: Contracts;
}

export interface AccountState {
  accountId: string;
  /** Cash, including what resting orders hold. */
  balanceCc: CentiCents;
  /** Held for resting orders (Σ of their `reservedCc`). Available = balance − reserved. */
  reservedCc: CentiCents;
  /**
   * Keep finished orders, fills and settlements, and emit private events (order, fill,
   * position, balance, settlement). False for the simulator's own makers and takers.
   */
  recordHistory: boolean;
  updatedTime: EpochMs;
}

export interface OrderRecord {
  orderId: string;
  accountId: string;
  /** '' when the client gave none. */
  clientOrderId: string;
  ticker: string;
  side: BookSide;
  outcomeSide: OutcomeSide;
  yesPriceCc: CentiCents;
  noPriceCc: CentiCents;
  timeInForce: TimeInForce;
  postOnly: boolean;
  reduceOnly: boolean;
  selfTradePrevention: SelfTradePrevention;
  expirationTime: EpochMs | null;
  status: OrderStatus;
  initialCount: Contracts;
  fillCount: Contracts;
  remainingCount: Contracts;
  /** Contracts removed without filling (cancel, decrease, IOC remainder, caps). */
  reducedCount: Contracts;
  /** Cost at this order's own price (YES price for a bid, NO price for an ask). */
  takerFillCostCc: CentiCents;
  makerFillCostCc: CentiCents;
  takerFeesCc: CentiCents;
  makerFeesCc: CentiCents;
  takerFillCount: Contracts;
  makerFillCount: Contracts;
  /** Collateral held while resting. */
  reservedCc: CentiCents;
  /** Time priority within a price level: lower first. */
  priority: number;
  cancelReason: CancelReason | null;
  createdTime: EpochMs;
  lastUpdateTime: EpochMs;
}

export interface FillRecord {
  /** = tradeId: both parties' fills of one trade share it (one account is never on both sides). */
  fillId: string;
  tradeId: string;
  orderId: string;
  accountId: string;
  clientOrderId: string;
  ticker: string;
  side: BookSide;
  outcomeSide: OutcomeSide;
  count: Contracts;
  yesPriceCc: CentiCents;
  noPriceCc: CentiCents;
  isTaker: boolean;
  feeCc: CentiCents;
  /** Signed position in this market after the fill. */
  postPosition: number;
  createdTime: EpochMs;
}

export interface TradeRecord {
  tradeId: string;
  ticker: string;
  count: Contracts;
  yesPriceCc: CentiCents;
  noPriceCc: CentiCents;
  takerSide: BookSide;
  takerOutcomeSide: OutcomeSide;
  createdTime: EpochMs;
}

export interface PositionRecord {
  accountId: string;
  ticker: string;
  eventTicker: string;
  /** Signed: + YES, − NO. */
  position: number;
  /** Cost of the contracts held now (Kalshi's market_exposure / position_cost). */
  costBasisCc: CentiCents;
  /** Σ per netted pair of (1 − yes_cost − no_cost), plus settlement revenue − cost. Fees apart. */
  realizedPnlCc: CentiCents;
  feesPaidCc: CentiCents;
  /** Σ count × own price over every fill. */
  totalTradedCc: CentiCents;
  volume: Contracts;
  lastUpdatedTime: EpochMs;
}

export interface SettlementRecord {
  accountId: string;
  ticker: string;
  eventTicker: string;
  marketResult: 'yes' | 'no';
  yesCount: Contracts;
  noCount: Contracts;
  yesTotalCostCc: CentiCents;
  noTotalCostCc: CentiCents;
  /** $1 per net winning contract. */
  revenueCc: CentiCents;
  /** Fees paid on this market. */
  feeCostCc: CentiCents;
  /** Payout of one YES contract: 10 000 if YES won, else 0. */
  valueCc: CentiCents;
  settledTime: EpochMs;
}

export interface BalanceView {
  accountId: string;
  balanceCc: CentiCents;
  reservedCc: CentiCents;
  availableCc: CentiCents;
  updatedTime: EpochMs;
}

/** Best quotes and depth at the top, as Market and ticker need them. */
export interface MarketView extends MarketState {
  yesBidCc: CentiCents | null;
  yesBidSize: Contracts;
  yesAskCc: CentiCents | null;
  yesAskSize: Contracts;
  noBidCc: CentiCents | null;
  noAskCc: CentiCents | null;
}

/** Bids only on both legs, each sorted ascending by price (best last), as Kalshi serves them. */
export interface OrderbookView {
  ticker: string;
  yes: [priceCc: CentiCents, count: Contracts][];
  no: [priceCc: CentiCents, count: Contracts][];
}

// ── Commands ──────────────────────────────────────────────────────────────────────────────

export interface PlaceOrderCommand {
  accountId: string;
  ticker: string;
  clientOrderId?: string;
  side: BookSide;
  count: Contracts;
  /** YES price, centi-cents. */
  priceCc: CentiCents;
  timeInForce: TimeInForce;
  postOnly?: boolean;
  reduceOnly?: boolean;
  selfTradePrevention?: SelfTradePrevention;
  /** Good-till-time: a good_till_canceled order canceled at this time. */
  expirationTime?: EpochMs;
  nowMs: EpochMs;
}

export interface CancelOrderCommand {
  accountId: string;
  orderId: string;
  nowMs: EpochMs;
}

export interface DecreaseOrderCommand {
  accountId: string;
  orderId: string;
  /** Exactly one of reduceBy / reduceTo. */
  reduceBy?: Contracts;
  reduceTo?: Contracts;
  nowMs: EpochMs;
}

// ── Results ───────────────────────────────────────────────────────────────────────────────

export type EngineErrorCode =
  | 'invalid_parameters'
  | 'invalid_price'
  | 'not_found'
  | 'market_closed'
  | 'order_already_exists'
  | 'fill_or_kill_insufficient_resting_volume'
  | 'insufficient_balance'
  | 'post_only_cross'
  | 'reduce_only_no_position';

export interface EngineError {
  code: EngineErrorCode;
  message: string;
  /** The HTTP status Kalshi answers with. */
  httpStatus: number;
}

export type Result<T> =
  { ok: true; value: T; events: EngineEvent[] } | { ok: false; error: EngineError; events: EngineEvent[] };

export interface PlaceOrderValue {
  order: OrderRecord;
  fills: FillRecord[];
  /** Mean fill price (YES price for bids, NO price for asks) in centi-cents, or null. */
  averageFillPriceCc: number | null;
  averageFeePaidCc: number | null;
  tsMs: EpochMs;
}

export interface CancelOrderValue {
  orderId: string;
  clientOrderId: string;
  reducedBy: Contracts;
  order: OrderRecord;
  tsMs: EpochMs;
}

// ── Events (for the WebSocket channels and persistence) ───────────────────────────────────

export type LifecycleEventType =
  'created' | 'activated' | 'closed' | 'determined' | 'settled' | 'deactivated';

export type EngineEvent =
  | {
      type: 'orderbook_delta';
      ticker: string;
      /** Leg of the book: a YES bid or a NO bid. */
      side: OutcomeSide;
      /** Price on that leg (a NO bid's price is the NO price). */
      priceCc: CentiCents;
      delta: number;
      /** The account whose order caused the change (Kalshi tells only that account). */
      causedByAccountId: string | null;
      causedByClientOrderId: string | null;
      tsMs: EpochMs;
    }
  | { type: 'trade'; trade: TradeRecord }
  | { type: 'fill'; fill: FillRecord }
  | { type: 'order'; order: OrderRecord }
  | { type: 'position'; position: PositionRecord }
  | { type: 'balance'; balance: BalanceView }
  | { type: 'ticker'; ticker: string; quote: TickerQuote; tsMs: EpochMs }
  | {
      type: 'market_lifecycle';
      ticker: string;
      eventType: LifecycleEventType;
      market: MarketState;
      tsMs: EpochMs;
    }
  | { type: 'settlement'; settlement: SettlementRecord };

// ── Snapshot ──────────────────────────────────────────────────────────────────────────────

export interface EngineSnapshot {
  version: 1;
  config: EngineConfig;
  nowMs: EpochMs;
  counters: { order: number; trade: number; priority: number };
  accounts: AccountState[];
  markets: MarketState[];
  /** Resting orders of every account, plus finished orders of accounts that record history. */
  orders: OrderRecord[];
  fills: FillRecord[];
  trades: TradeRecord[];
  positions: PositionRecord[];
  settlements: SettlementRecord[];
  /** [accountId, clientOrderId, orderId or '' when a killed FOK consumed the id]. */
  clientOrderIds: [string, string, string][];
}
