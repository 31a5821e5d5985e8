/**
 * Engine records → the `msg` bodies of Kalshi's WebSocket messages, shaped per the AsyncAPI
 * spec (../shared/reference/kalshi-websocket-asyncapi.yaml): current `_dollars` / `_fp`
 * strings, plus the legacy integer fields the spec still marks required (whole cents only).
 * Pure functions; the server adds `type`, `sid` and `seq`.
 *
 * Choices where the spec is silent:
 * - orders and fills say `side: "yes"` with `action` buy (bid) / sell (ask) — the V2 YES-leg
 *   view — and the unambiguous `book_side` / `outcome_side` next to them;
 * - `dollar_volume` / `dollar_open_interest` are half the contract counts, as in the spec's
 *   own example (Kalshi does not define them further);
 * - the engine's `closed` lifecycle step has no Kalshi event type: nothing is sent for it
 *   (clients know the close from `close_ts`).
 */
import { formatCount, formatDollars } from '../../../domain/kalshi/fixed-point.ts';
import {
  EXPECTED_EXPIRATION_DELAY_MS,
  floorStrikeText,
  symbolOfSeries,
} from '../../../domain/kalshi/tickers.ts';
import type { CentiCents, EpochMs } from '../../../domain/units.ts';
import type {
  EngineEvent,
  FillRecord,
  LifecycleEventType,
  MarketState,
  OrderRecord,
  PositionRecord,
  TickerQuote,
  TradeRecord,
} from '../../engine/types.ts';
import { eventWording, marketWording } from '../../market/metadata.ts';
import type { ListedEvent } from './source.ts';

type Msg = Record<string, unknown>;
type Level = readonly [priceCc: CentiCents, count: number];

const dollars = (cc: CentiCents): string => formatDollars(cc, 4);
const seconds = (ms: EpochMs): number => Math.floor(ms / 1000);
const iso = (ms: EpochMs): string => new Date(ms).toISOString();

/** Legacy integer cents, only when exact (the spec's `price`, `yes_price`…). */
function cents(cc: CentiCents): number | undefined {
  return cc % 100 === 0 ? cc / 100 : undefined;
}

function withCents(msg: Msg, field: string, cc: CentiCents): Msg {
  const value = cents(cc);
  if (value !== undefined) msg[field] = value;
  return msg;
}

/** `orderbook_snapshot`: levels ascending (best last); a side without levels is left out. */
export function orderbookSnapshotMsg(ticker: string, yes: readonly Level[], no: readonly Level[]): Msg {
  const msg: Msg = { market_ticker: ticker };
  const fp = (levels: readonly Level[]) => levels.map(([p, c]) => [dollars(p), formatCount(c)]);
  if (yes.length > 0) msg.yes_dollars_fp = fp(yes);
  if (no.length > 0) msg.no_dollars_fp = fp(no);
  return msg;
}

type DeltaEvent = Extract<EngineEvent, { type: 'orderbook_delta' }>;

/** `orderbook_delta`; `client_order_id` only for the account whose order caused it. */
export function orderbookDeltaMsg(event: DeltaEvent, withClientOrderId: boolean): Msg {
  const msg: Msg = { market_ticker: event.ticker };
  withCents(msg, 'price', event.priceCc);
  msg.price_dollars = dollars(event.priceCc);
  msg.delta = event.delta;
  msg.delta_fp = formatCount(event.delta);
  msg.side = event.side;
  if (withClientOrderId && event.causedByClientOrderId) msg.client_order_id = event.causedByClientOrderId;
  return msg;
}

/** `ticker`: absolute quote, last price, volume and open interest. A missing bid reads 0. */
export function tickerMsg(ticker: string, quote: TickerQuote, tsMs: EpochMs): Msg {
  const last = quote.lastPriceCc ?? 0;
  const msg: Msg = { market_ticker: ticker, price: cents(last) ?? Math.round(last / 100) };
  msg.price_dollars = dollars(last);
  msg.yes_bid_dollars = dollars(quote.yesBidCc ?? 0);
  msg.no_bid_dollars = dollars(quote.yesAskCc === null ? 0 : 10_000 - quote.yesAskCc);
  msg.volume = quote.volume;
  msg.volume_fp = formatCount(quote.volume);
  msg.open_interest = quote.openInterest;
  msg.open_interest_fp = formatCount(quote.openInterest);
  msg.dollar_volume = Math.floor(quote.volume / 2);
  msg.dollar_open_interest = Math.floor(quote.openInterest / 2);
  msg.ts = seconds(tsMs);
  return msg;
}

/** `trade`: a public trade; `taker_side` is the taker's outcome side. */
export function tradeMsg(trade: TradeRecord): Msg {
  const msg: Msg = { trade_id: trade.tradeId, market_ticker: trade.ticker };
  withCents(msg, 'yes_price', trade.yesPriceCc);
  msg.yes_price_dollars = dollars(trade.yesPriceCc);
  withCents(msg, 'no_price', trade.noPriceCc);
  msg.no_price_dollars = dollars(trade.noPriceCc);
  msg.count = trade.count;
  msg.count_fp = formatCount(trade.count);
  msg.taker_side = trade.takerOutcomeSide;
  msg.ts = seconds(trade.createdTime);
  return msg;
}

/** `fill`: one of the account's own fills. */
export function fillMsg(fill: FillRecord): Msg {
  const msg: Msg = {
    trade_id: fill.tradeId,
    order_id: fill.orderId,
    market_ticker: fill.ticker,
    is_taker: fill.isTaker,
    side: 'yes',
    action: fill.side === 'bid' ? 'buy' : 'sell',
    book_side: fill.side,
    outcome_side: fill.outcomeSide,
    purchased_side: fill.outcomeSide,
  };
  withCents(msg, 'yes_price', fill.yesPriceCc);
  msg.yes_price_dollars = dollars(fill.yesPriceCc);
  msg.no_price_dollars = dollars(fill.noPriceCc);
  msg.count = fill.count;
  msg.count_fp = formatCount(fill.count);
  msg.fee_cost = dollars(fill.feeCc);
  msg.post_position = fill.postPosition;
  msg.post_position_fp = formatCount(fill.postPosition);
  msg.ts = seconds(fill.createdTime);
  if (fill.clientOrderId) msg.client_order_id = fill.clientOrderId;
  return msg;
}

/** `market_position`: money in integer centi-cents on this channel (spec), unlike REST. */
export function marketPositionMsg(position: PositionRecord): Msg {
  return {
    user_id: position.accountId,
    market_ticker: position.ticker,
    position: position.position,
    position_fp: formatCount(position.position),
    position_cost: position.costBasisCc,
    realized_pnl: position.realizedPnlCc,
    fees_paid: position.feesPaidCc,
    volume: position.volume,
    volume_fp: formatCount(position.volume),
  };
}

/** `user_order`: the order as REST's Order describes it. */
export function userOrderMsg(order: OrderRecord): Msg {
  const msg: Msg = {
    order_id: order.orderId,
    user_id: order.accountId,
    client_order_id: order.clientOrderId,
    ticker: order.ticker,
    status: order.status,
    book_side: order.side,
    outcome_side: order.outcomeSide,
    side: 'yes',
    action: order.side === 'bid' ? 'buy' : 'sell',
    type: 'limit',
    yes_price_dollars: dollars(order.yesPriceCc),
    no_price_dollars: dollars(order.noPriceCc),
    initial_count_fp: formatCount(order.initialCount),
    fill_count_fp: formatCount(order.fillCount),
    remaining_count_fp: formatCount(order.remainingCount),
    taker_fill_cost_dollars: dollars(order.takerFillCostCc),
    maker_fill_cost_dollars: dollars(order.makerFillCostCc),
    taker_fees_dollars: dollars(order.takerFeesCc),
    maker_fees_dollars: dollars(order.makerFeesCc),
    self_trade_prevention_type: order.selfTradePrevention,
    created_time: iso(order.createdTime),
    last_update_time: iso(order.lastUpdateTime),
  };
  if (order.expirationTime !== null) msg.expiration_time = iso(order.expirationTime);
  return msg;
}

/** `market_lifecycle_v2`; undefined for an engine step Kalshi has no event type for (`closed`). */
export function marketLifecycleMsg(
  eventType: LifecycleEventType,
  market: MarketState,
  tsMs: EpochMs,
): Msg | undefined {
  const msg: Msg = { market_ticker: market.ticker };
  switch (eventType) {
    case 'created':
      msg.event_type = 'created';
      msg.open_ts = seconds(market.openTime);
      msg.close_ts = seconds(market.closeTime);
      msg.additional_metadata = creationMetadata(market);
      return msg;
    case 'activated':
      msg.event_type = 'activated';
      return msg;
    case 'deactivated':
      msg.event_type = 'deactivated';
      msg.is_deactivated = true;
      return msg;
    case 'determined':
      msg.event_type = 'determined';
      msg.result = market.result;
      msg.determination_ts = seconds(market.determinedTime ?? tsMs);
      return msg;
    case 'settled':
      msg.event_type = 'settled';
      msg.settled_ts = seconds(market.settledTime ?? tsMs);
      return msg;
    case 'closed':
      return undefined;
  }
}

function creationMetadata(market: MarketState): Msg {
  const metadata: Msg = {
    can_close_early: false,
    expected_expiration_ts: seconds(market.closeTime + EXPECTED_EXPIRATION_DELAY_MS),
    strike_type: 'greater',
    floor_strike: floorStrikeText(market.strike),
  };
  const symbol = symbolOfSeries(market.seriesTicker);
  if (symbol === undefined) return metadata;
  const event = eventWording(symbol, market.closeTime);
  const words = marketWording(symbol, market.strike, market.closeTime);
  return {
    name: words.subtitle,
    title: event.title,
    yes_sub_title: words.yesSubTitle,
    no_sub_title: words.noSubTitle,
    rules_primary: words.rulesPrimary,
    rules_secondary: words.rulesSecondary,
    ...metadata,
  };
}

/** `event_lifecycle`: an hourly event was listed. */
export function eventLifecycleMsg(event: ListedEvent): Msg {
  const words = eventWording(event.symbol, event.closeTime);
  return {
    event_ticker: event.eventTicker,
    title: words.title,
    sub_title: words.subTitle,
    collateral_return_type: '',
    series_ticker: event.seriesTicker,
    strike_date: seconds(event.closeTime),
  };
}

/**
 * `cfbenchmarks_value`: one 1-s print of the settlement index. SHAPE UNCONFIRMED — Kalshi
 * documents the channel (entitlement-gated, ~1 Hz) but not its messages, and the AsyncAPI spec
 * omits it; this is our guess, kept in line with the other channels: `index` is the CF
 * Benchmarks ticker, `value_dollars` a 2-decimal dollar string, `ts` epoch seconds of the print.
 */
export function cfbenchmarksValueMsg(index: string, price: number, timeMs: EpochMs): Msg {
  return { index, value_dollars: price.toFixed(2), ts: seconds(timeMs) };
}
