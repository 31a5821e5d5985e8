/**
 * zod models of the Kalshi REST payloads the platform reads, converting to ../types.ts.
 * Current fields (`_dollars`, `_fp`) are read first; legacy integer fields (2025 payloads) are
 * the fallback. Unknown extra fields are ignored; a missing or malformed needed field fails.
 */
import { z } from 'zod';
import { formatCount, formatDollars } from '../../../domain/kalshi/fixed-point.ts';
import { strikeFromFloorStrike } from '../../../domain/kalshi/tickers.ts';
import {
  MARKET_RESULTS,
  MARKET_STATUSES,
  type CreateOrderInput,
  type KalshiCancelOrderResult,
  type KalshiCreateOrderResult,
  type KalshiEvent,
  type KalshiMarket,
  type KalshiOrder,
  type PriceLevel,
} from '../types.ts';
import {
  WireFieldError,
  complement,
  convert,
  count,
  direction,
  isoTime,
  opt,
  optAverageDollars,
  optCount,
  optDollars,
  optIsoTime,
  optPrice,
  optSeconds,
  optText,
  present,
  price,
  zAction,
  zBookSide,
  zBool,
  zInt,
  zNum,
  zOutcome,
  zText,
} from './wire.ts';

// ——— Market and event ———

const marketWire = z.object({
  ticker: z.string().min(1),
  event_ticker: z.string().min(1),
  market_type: zText,
  title: zText,
  subtitle: zText,
  yes_sub_title: zText,
  no_sub_title: zText,
  status: z.enum(MARKET_STATUSES),
  result: z.enum(MARKET_RESULTS).nullish(),
  open_time: z.string(),
  close_time: z.string(),
  expected_expiration_time: zText,
  expiration_time: zText,
  latest_expiration_time: zText,
  settlement_timer_seconds: zInt,
  strike_type: zText,
  floor_strike: zNum,
  cap_strike: zNum,
  yes_bid_dollars: zText,
  yes_bid: zInt,
  yes_ask_dollars: zText,
  yes_ask: zInt,
  no_bid_dollars: zText,
  no_bid: zInt,
  no_ask_dollars: zText,
  no_ask: zInt,
  yes_bid_size_fp: zText,
  yes_ask_size_fp: zText,
  last_price_dollars: zText,
  last_price: zInt,
  previous_yes_bid_dollars: zText,
  previous_yes_bid: zInt,
  previous_yes_ask_dollars: zText,
  previous_yes_ask: zInt,
  previous_price_dollars: zText,
  previous_price: zInt,
  volume_fp: zText,
  volume: zInt,
  volume_24h_fp: zText,
  volume_24h: zInt,
  open_interest_fp: zText,
  open_interest: zInt,
  notional_value_dollars: zText,
  notional_value: zInt,
  settlement_value_dollars: zText,
  settlement_value: zInt,
  settlement_ts: zText,
  expiration_value: zText,
  can_close_early: zBool,
  rules_primary: zText,
});

export const marketSchema = convert(marketWire, (m): KalshiMarket => {
  const yesBid = price(m.yes_bid_dollars, m.yes_bid, 'yes_bid');
  const yesAsk = price(m.yes_ask_dollars, m.yes_ask, 'yes_ask');
  const floorStrike = opt(m.floor_strike);
  return {
    ticker: m.ticker,
    eventTicker: m.event_ticker,
    marketType: optText(m.market_type),
    title: optText(m.title),
    subtitle: optText(m.subtitle),
    yesSubTitle: optText(m.yes_sub_title),
    noSubTitle: optText(m.no_sub_title),
    status: m.status,
    result: m.result ?? '',
    openTime: isoTime(m.open_time, 'open_time'),
    closeTime: isoTime(m.close_time, 'close_time'),
    expectedExpirationTime: optIsoTime(m.expected_expiration_time, 'expected_expiration_time'),
    expirationTime: optIsoTime(m.expiration_time, 'expiration_time'),
    latestExpirationTime: optIsoTime(m.latest_expiration_time, 'latest_expiration_time'),
    settlementTimerSeconds: opt(m.settlement_timer_seconds),
    strikeType: optText(m.strike_type),
    floorStrike,
    capStrike: opt(m.cap_strike),
    strike: floorStrike === undefined ? undefined : strike(floorStrike),
    yesBid,
    yesAsk,
    // Kalshi always sends both legs; the complement is only a fallback for sparse payloads.
    noBid: optPrice(m.no_bid_dollars, m.no_bid, 'no_bid') ?? complement(yesAsk),
    noAsk: optPrice(m.no_ask_dollars, m.no_ask, 'no_ask') ?? complement(yesBid),
    yesBidSize: optCount(m.yes_bid_size_fp, undefined, 'yes_bid_size'),
    yesAskSize: optCount(m.yes_ask_size_fp, undefined, 'yes_ask_size'),
    lastPrice: optPrice(m.last_price_dollars, m.last_price, 'last_price') ?? 0,
    previousYesBid: optPrice(m.previous_yes_bid_dollars, m.previous_yes_bid, 'previous_yes_bid'),
    previousYesAsk: optPrice(m.previous_yes_ask_dollars, m.previous_yes_ask, 'previous_yes_ask'),
    previousPrice: optPrice(m.previous_price_dollars, m.previous_price, 'previous_price'),
    volume: count(m.volume_fp, m.volume, 'volume'),
    volume24h: optCount(m.volume_24h_fp, m.volume_24h, 'volume_24h'),
    openInterest: count(m.open_interest_fp, m.open_interest, 'open_interest'),
    notionalValue: optPrice(m.notional_value_dollars, m.notional_value, 'notional_value'),
    settlementValue: optPrice(m.settlement_value_dollars, m.settlement_value, 'settlement_value'),
    settlementTime: optIsoTime(m.settlement_ts, 'settlement_ts'),
    expirationValue: optText(m.expiration_value),
    canCloseEarly: opt(m.can_close_early),
    rulesPrimary: optText(m.rules_primary),
  };
});

function strike(floorStrike: number) {
  try {
    return strikeFromFloorStrike(floorStrike);
  } catch (error) {
    throw new WireFieldError(`floor_strike: ${(error as Error).message}`);
  }
}

const eventWire = z.object({
  event_ticker: z.string().min(1),
  series_ticker: z.string().min(1),
  title: z.string(),
  sub_title: zText,
  category: zText,
  collateral_return_type: zText,
  mutually_exclusive: zBool,
  strike_date: zText,
  strike_period: zText,
  markets: z.array(marketSchema).nullish(),
});

function toEvent(e: z.output<typeof eventWire>, topLevelMarkets: KalshiMarket[] = []): KalshiEvent {
  return {
    eventTicker: e.event_ticker,
    seriesTicker: e.series_ticker,
    title: e.title,
    subTitle: optText(e.sub_title),
    category: optText(e.category),
    collateralReturnType: optText(e.collateral_return_type),
    mutuallyExclusive: opt(e.mutually_exclusive),
    strikeDate: optIsoTime(e.strike_date, 'strike_date'),
    strikePeriod: optText(e.strike_period),
    markets: e.markets && e.markets.length > 0 ? e.markets : topLevelMarkets,
  };
}

export const eventSchema = convert(eventWire, (e) => toEvent(e));

/** GET /events/{ticker}: `event` (+ nested markets) and the deprecated top-level `markets`. */
export const getEventResponseSchema = convert(
  z.object({ event: eventWire, markets: z.array(marketSchema).nullish() }),
  (r): KalshiEvent => toEvent(r.event, r.markets ?? []),
);

export const getEventsResponseSchema = z
  .object({ events: z.array(eventSchema), cursor: zText })
  .transform((r) => ({ events: r.events, cursor: optText(r.cursor) }));

export const getMarketsResponseSchema = z
  .object({ markets: z.array(marketSchema), cursor: zText })
  .transform((r) => ({ markets: r.markets, cursor: optText(r.cursor) }));

export const getMarketResponseSchema = z.object({ market: marketSchema }).transform((r) => r.market);

// ——— Order book ———

const levelWire = z.tuple([z.union([z.string(), z.number()]), z.union([z.string(), z.number()])]);

/**
 * Levels `[price, count]` as Kalshi sends them (ascending, best last): dollar strings with
 * fp counts (`orderbook_fp`, `*_dollars_fp`), dollar strings with integer counts (`*_dollars`),
 * or legacy integer cents with integer counts. Returned best first.
 */
export function toLevels(
  levels: ReadonlyArray<readonly [string | number, string | number]>,
  field: string,
): PriceLevel[] {
  const out = levels.map(([p, c], i): PriceLevel => {
    const where = `${field}[${i}]`;
    return {
      price: typeof p === 'string' ? price(p, undefined, where) : price(undefined, p, where),
      count: typeof c === 'string' ? count(c, undefined, where) : count(undefined, c, where),
    };
  });
  out.sort((a, b) => b.price - a.price);
  for (let i = 1; i < out.length; i++) {
    if (out[i]?.price === out[i - 1]?.price) throw new WireFieldError(`${field}: price level listed twice`);
  }
  for (const level of out) {
    if (level.price <= 0 || level.price >= 10_000)
      throw new WireFieldError(`${field}: price ${level.price} outside (0, 1) dollars`);
    if (level.count <= 0)
      throw new WireFieldError(`${field}: non-positive count ${level.count} at ${level.price}`);
  }
  return out;
}

const bookSidesWire = z.object({
  yes_dollars: z.array(levelWire).nullish(),
  no_dollars: z.array(levelWire).nullish(),
  yes: z.array(levelWire).nullish(),
  no: z.array(levelWire).nullish(),
});

function bookSides(b: z.output<typeof bookSidesWire>, field: string) {
  return {
    yesBids: toLevels(b.yes_dollars ?? b.yes ?? [], `${field}.yes`),
    noBids: toLevels(b.no_dollars ?? b.no ?? [], `${field}.no`),
  };
}

/** GET /markets/{ticker}/orderbook: `orderbook_fp` (current) or legacy `orderbook`. */
export function orderbookResponseSchema(ticker: string) {
  return convert(
    z.object({ orderbook_fp: bookSidesWire.nullish(), orderbook: bookSidesWire.nullish() }),
    (r) => {
      if (r.orderbook_fp) return { ticker, ...bookSides(r.orderbook_fp, 'orderbook_fp') };
      if (r.orderbook) return { ticker, ...bookSides(r.orderbook, 'orderbook') };
      throw new WireFieldError('orderbook_fp is missing');
    },
  );
}

// ——— Exchange ———

export const exchangeStatusSchema = convert(
  z.object({
    exchange_active: z.boolean(),
    trading_active: z.boolean(),
    exchange_estimated_resume_time: zText,
  }),
  (s) => ({
    exchangeActive: s.exchange_active,
    tradingActive: s.trading_active,
    estimatedResumeTime: optIsoTime(s.exchange_estimated_resume_time, 'exchange_estimated_resume_time'),
  }),
);

// ——— Orders ———

export const orderWire = z.object({
  order_id: z.string().min(1),
  client_order_id: zText,
  ticker: zText,
  market_ticker: zText,
  status: z.enum(['resting', 'canceled', 'executed', 'pending']),
  book_side: zBookSide,
  outcome_side: zOutcome,
  side: zOutcome,
  action: zAction,
  type: zText,
  yes_price_dollars: zText,
  yes_price: zInt,
  no_price_dollars: zText,
  no_price: zInt,
  initial_count_fp: zText,
  initial_count: zInt,
  fill_count_fp: zText,
  fill_count: zInt,
  remaining_count_fp: zText,
  remaining_count: zInt,
  taker_fees_dollars: zText,
  taker_fees: zInt,
  maker_fees_dollars: zText,
  maker_fees: zInt,
  taker_fill_cost_dollars: zText,
  taker_fill_cost: zInt,
  maker_fill_cost_dollars: zText,
  maker_fill_cost: zInt,
  created_time: zText,
  last_update_time: zText,
  expiration_time: zText,
  order_group_id: zText,
  self_trade_prevention_type: zText,
});

export function toOrder(o: z.output<typeof orderWire>): KalshiOrder {
  const yesPrice = optPrice(o.yes_price_dollars, o.yes_price, 'yes_price');
  const noPrice = optPrice(o.no_price_dollars, o.no_price, 'no_price');
  const fillCount = count(o.fill_count_fp, o.fill_count, 'fill_count');
  const remainingCount = count(o.remaining_count_fp, o.remaining_count, 'remaining_count');
  return {
    orderId: o.order_id,
    clientOrderId: optText(o.client_order_id),
    ticker: present(optText(o.ticker) ?? optText(o.market_ticker), 'ticker'),
    status: o.status,
    ...direction(o, 'order'),
    type: optText(o.type),
    yesPrice: yesPrice ?? complement(present(noPrice, 'yes_price_dollars')),
    noPrice: noPrice ?? complement(present(yesPrice, 'no_price_dollars')),
    initialCount:
      optCount(o.initial_count_fp, o.initial_count, 'initial_count') ?? fillCount + remainingCount,
    fillCount,
    remainingCount,
    takerFees: optPrice(o.taker_fees_dollars, o.taker_fees, 'taker_fees'),
    makerFees: optPrice(o.maker_fees_dollars, o.maker_fees, 'maker_fees'),
    takerFillCost: optPrice(o.taker_fill_cost_dollars, o.taker_fill_cost, 'taker_fill_cost'),
    makerFillCost: optPrice(o.maker_fill_cost_dollars, o.maker_fill_cost, 'maker_fill_cost'),
    createdTime: optIsoTime(o.created_time, 'created_time'),
    lastUpdateTime: optIsoTime(o.last_update_time, 'last_update_time'),
    expirationTime: optIsoTime(o.expiration_time, 'expiration_time'),
    orderGroupId: optText(o.order_group_id),
    selfTradePreventionType: optText(o.self_trade_prevention_type),
  };
}

export const orderSchema = convert(orderWire, toOrder);

export const getOrdersResponseSchema = z
  .object({ orders: z.array(orderSchema), cursor: zText })
  .transform((r) => ({ orders: r.orders, cursor: optText(r.cursor) }));

export const getOrderResponseSchema = z.object({ order: orderSchema }).transform((r) => r.order);

/** Our order → Kalshi's V2 body (POST /portfolio/events/orders). Throws on an impossible order. */
export function toCreateOrderV2Body(input: CreateOrderInput) {
  const problems: string[] = [];
  if (input.ticker.length === 0) problems.push('ticker is empty');
  if (input.clientOrderId.length === 0) problems.push('clientOrderId is empty');
  if (!Number.isSafeInteger(input.count) || input.count < 1)
    problems.push(`count must be a whole number ≥ 1, got ${input.count}`);
  if (!Number.isSafeInteger(input.price) || input.price <= 0 || input.price >= 10_000) {
    problems.push(`price must be integer centi-cents in (0, 10000), got ${input.price}`);
  }
  if (input.expirationTime !== undefined && input.timeInForce !== 'good_till_canceled') {
    problems.push('expirationTime is only valid with good_till_canceled');
  }
  if (problems.length > 0) throw new WireFieldError(`invalid order: ${problems.join('; ')}`);
  return {
    ticker: input.ticker,
    client_order_id: input.clientOrderId,
    side: input.side,
    count: formatCount(input.count),
    price: formatDollars(input.price, 4),
    time_in_force: input.timeInForce,
    self_trade_prevention_type: input.selfTradePreventionType ?? 'taker_at_cross',
    ...(input.postOnly === undefined ? {} : { post_only: input.postOnly }),
    ...(input.reduceOnly === undefined ? {} : { reduce_only: input.reduceOnly }),
    ...(input.orderGroupId === undefined ? {} : { order_group_id: input.orderGroupId }),
    ...(input.cancelOrderOnPause === undefined ? {} : { cancel_order_on_pause: input.cancelOrderOnPause }),
    ...(input.expirationTime === undefined
      ? {}
      : { expiration_time: Math.floor(input.expirationTime / 1000) }),
  };
}

export const createOrderV2ResponseSchema = convert(
  z.object({
    order_id: z.string().min(1),
    client_order_id: zText,
    fill_count: z.string(),
    remaining_count: z.string(),
    average_fill_price: zText,
    average_fee_paid: zText,
    ts_ms: z.number().int(),
  }),
  (r): KalshiCreateOrderResult => ({
    orderId: r.order_id,
    clientOrderId: optText(r.client_order_id),
    fillCount: count(r.fill_count, undefined, 'fill_count'),
    remainingCount: count(r.remaining_count, undefined, 'remaining_count'),
    averageFillPrice: optAverageDollars(r.average_fill_price, 'average_fill_price'),
    averageFillPriceDollars: optText(r.average_fill_price),
    averageFeePaid: optAverageDollars(r.average_fee_paid, 'average_fee_paid'),
    averageFeePaidDollars: optText(r.average_fee_paid),
    tsMs: r.ts_ms,
  }),
);

export const cancelOrderV2ResponseSchema = convert(
  z.object({
    order_id: z.string().min(1),
    client_order_id: zText,
    reduced_by: z.string(),
    ts_ms: z.number().int(),
  }),
  (r): KalshiCancelOrderResult => ({
    orderId: r.order_id,
    clientOrderId: optText(r.client_order_id),
    reducedBy: count(r.reduced_by, undefined, 'reduced_by'),
    tsMs: r.ts_ms,
  }),
);

// ——— Fills ———

export const fillSchema = convert(
  z.object({
    fill_id: zText,
    trade_id: zText,
    order_id: z.string().min(1),
    ticker: zText,
    market_ticker: zText,
    client_order_id: zText,
    book_side: zBookSide,
    outcome_side: zOutcome,
    side: zOutcome,
    action: zAction,
    count_fp: zText,
    count: zInt,
    yes_price_dollars: zText,
    yes_price: zInt,
    no_price_dollars: zText,
    no_price: zInt,
    is_taker: z.boolean(),
    fee_cost: zText,
    created_time: zText,
    ts: zInt,
  }),
  (f) => {
    const yesPrice = optPrice(f.yes_price_dollars, f.yes_price, 'yes_price');
    const noPrice = optPrice(f.no_price_dollars, f.no_price, 'no_price');
    return {
      fillId: present(optText(f.fill_id) ?? optText(f.trade_id), 'fill_id'),
      orderId: f.order_id,
      ticker: present(optText(f.ticker) ?? optText(f.market_ticker), 'ticker'),
      ...direction(f, 'fill'),
      count: count(f.count_fp, f.count, 'count'),
      yesPrice: yesPrice ?? complement(present(noPrice, 'yes_price_dollars')),
      noPrice: noPrice ?? complement(present(yesPrice, 'no_price_dollars')),
      isTaker: f.is_taker,
      fee: optDollars(f.fee_cost, 'fee_cost'),
      createdTime:
        optIsoTime(f.created_time, 'created_time') ?? present(optSeconds(f.ts, 'ts'), 'created_time'),
      clientOrderId: optText(f.client_order_id),
    };
  },
);

export const getFillsResponseSchema = z
  .object({ fills: z.array(fillSchema), cursor: zText })
  .transform((r) => ({ fills: r.fills, cursor: optText(r.cursor) }));

// ——— Positions, balance, settlements ———

export const marketPositionSchema = convert(
  z.object({
    ticker: z.string().min(1),
    position_fp: zText,
    position: zInt,
    market_exposure_dollars: zText,
    market_exposure: zInt,
    total_traded_dollars: zText,
    total_traded: zInt,
    realized_pnl_dollars: zText,
    realized_pnl: zInt,
    fees_paid_dollars: zText,
    fees_paid: zInt,
    last_updated_ts: zText,
  }),
  (p) => ({
    ticker: p.ticker,
    position: count(p.position_fp, p.position, 'position'),
    marketExposure: price(p.market_exposure_dollars, p.market_exposure, 'market_exposure'),
    totalTraded: price(p.total_traded_dollars, p.total_traded, 'total_traded'),
    realizedPnl: price(p.realized_pnl_dollars, p.realized_pnl, 'realized_pnl'),
    feesPaid: price(p.fees_paid_dollars, p.fees_paid, 'fees_paid'),
    lastUpdated: optIsoTime(p.last_updated_ts, 'last_updated_ts'),
  }),
);

export const eventPositionSchema = convert(
  z.object({
    event_ticker: z.string().min(1),
    total_cost_dollars: zText,
    total_cost: zInt,
    total_cost_shares_fp: zText,
    total_cost_shares: zInt,
    event_exposure_dollars: zText,
    event_exposure: zInt,
    realized_pnl_dollars: zText,
    realized_pnl: zInt,
    fees_paid_dollars: zText,
    fees_paid: zInt,
  }),
  (p) => ({
    eventTicker: p.event_ticker,
    totalCost: price(p.total_cost_dollars, p.total_cost, 'total_cost'),
    totalCostShares: optCount(p.total_cost_shares_fp, p.total_cost_shares, 'total_cost_shares'),
    eventExposure: price(p.event_exposure_dollars, p.event_exposure, 'event_exposure'),
    realizedPnl: price(p.realized_pnl_dollars, p.realized_pnl, 'realized_pnl'),
    feesPaid: price(p.fees_paid_dollars, p.fees_paid, 'fees_paid'),
  }),
);

export const getPositionsResponseSchema = z
  .object({
    market_positions: z.array(marketPositionSchema).nullish(),
    event_positions: z.array(eventPositionSchema).nullish(),
    cursor: zText,
  })
  .transform((r) => ({
    marketPositions: r.market_positions ?? [],
    eventPositions: r.event_positions ?? [],
    cursor: optText(r.cursor),
  }));

export const balanceSchema = convert(
  z.object({ balance_dollars: zText, balance: zInt, portfolio_value: zInt, updated_ts: zInt }),
  (b) => ({
    balance: price(b.balance_dollars, b.balance, 'balance'),
    portfolioValue: optPrice(undefined, b.portfolio_value, 'portfolio_value'),
    // Kalshi documents a "Unix timestamp" without the unit: 13 digits are ms, fewer are seconds.
    updatedTime:
      b.updated_ts === undefined || b.updated_ts === null
        ? undefined
        : b.updated_ts >= 1e12
          ? b.updated_ts
          : b.updated_ts * 1000,
  }),
);

export const settlementSchema = convert(
  z.object({
    ticker: z.string().min(1),
    event_ticker: z.string().min(1),
    market_result: z.enum(MARKET_RESULTS),
    yes_count_fp: zText,
    yes_count: zInt,
    no_count_fp: zText,
    no_count: zInt,
    yes_total_cost_dollars: zText,
    yes_total_cost: zInt,
    no_total_cost_dollars: zText,
    no_total_cost: zInt,
    revenue: z.number().int(),
    fee_cost: zText,
    value: zInt,
    settled_time: z.string(),
  }),
  (s) => ({
    ticker: s.ticker,
    eventTicker: s.event_ticker,
    marketResult: s.market_result,
    yesCount: count(s.yes_count_fp, s.yes_count, 'yes_count'),
    noCount: count(s.no_count_fp, s.no_count, 'no_count'),
    yesTotalCost: price(s.yes_total_cost_dollars, s.yes_total_cost, 'yes_total_cost'),
    noTotalCost: price(s.no_total_cost_dollars, s.no_total_cost, 'no_total_cost'),
    revenue: price(undefined, s.revenue, 'revenue'),
    fee: optDollars(s.fee_cost, 'fee_cost'),
    value: optPrice(undefined, s.value, 'value'),
    settledTime: isoTime(s.settled_time, 'settled_time'),
  }),
);

export const getSettlementsResponseSchema = z
  .object({ settlements: z.array(settlementSchema), cursor: zText })
  .transform((r) => ({ settlements: r.settlements, cursor: optText(r.cursor) }));

// ——— Errors ———

const errorFields = z.object({ code: zText, message: zText, details: zText });

/** `{"error": {code, message, details}}` (Kalshi) or the same fields flat (the SDK's ErrorResponse). */
export const errorBodySchema = z
  .union([z.object({ error: errorFields }).transform((b) => b.error), errorFields])
  .transform((e) => ({ code: optText(e.code), message: optText(e.message), details: optText(e.details) }));
