/**
 * zod models of every Kalshi WebSocket message the platform handles (AsyncAPI spec, early
 * 2026, plus the 2025 `ticker_v2` shape), converting to ../types.ts.
 */
import { z } from 'zod';
import type {
  KalshiCfBenchmarksValue,
  KalshiEventLifecycle,
  KalshiMarketLifecycle,
  KalshiOrderGroupUpdate,
  KalshiTickerUpdate,
  KalshiWsFill,
  KalshiWsMarketPosition,
  KalshiWsMessage,
} from '../types.ts';
import { orderWire, toLevels, toOrder } from './rest.ts';
import { strikeFromFloorStrike } from '../../../domain/kalshi/tickers.ts';
import type { SymbolId } from '../../../domain/units.ts';
import {
  WireFieldError,
  centiCents,
  complement,
  convert,
  count,
  direction,
  opt,
  optCount,
  optDollars,
  optPrice,
  optSeconds,
  optText,
  price,
  seconds,
  zAction,
  zBookSide,
  zBool,
  zInt,
  zOutcome,
  zText,
} from './wire.ts';

const sid = z.number().int().positive();
const seq = z.number().int().nonnegative();
const commandId = z.number().int().nonnegative().optional();
const subscriptionInfo = z.object({ channel: z.string(), sid });

const levelWire = z.tuple([z.union([z.string(), z.number()]), z.union([z.string(), z.number()])]);

// ——— Command replies ———

const subscribed = z
  .object({ type: z.literal('subscribed'), id: commandId, msg: z.object({ channel: z.string(), sid }) })
  .transform((m) => ({ type: m.type, id: m.id, channel: m.msg.channel, sid: m.msg.sid }));

const unsubscribed = z
  .object({ type: z.literal('unsubscribed'), id: commandId, sid, seq: seq.optional() })
  .transform((m) => ({ type: m.type, id: m.id, sid: m.sid, seq: m.seq }));

const ok = z
  .object({
    type: z.literal('ok'),
    id: commandId,
    sid: sid.optional(),
    seq: seq.optional(),
    market_tickers: z.array(z.string()).optional(),
    // list_subscriptions replies come as type "ok" in Kalshi's examples
    subscriptions: z.array(subscriptionInfo).optional(),
    msg: z.object({ market_tickers: z.array(z.string()).optional() }).optional(),
  })
  .transform((m) => ({
    type: m.type,
    id: m.id,
    sid: m.sid,
    seq: m.seq,
    marketTickers: m.market_tickers ?? m.msg?.market_tickers,
    subscriptions: m.subscriptions,
  }));

const listSubscriptions = z
  .object({ type: z.literal('list_subscriptions'), id: commandId, subscriptions: z.array(subscriptionInfo) })
  .transform((m) => ({ type: m.type, id: m.id, subscriptions: m.subscriptions }));

const error = z
  .object({
    type: z.literal('error'),
    id: commandId,
    msg: z.object({ code: z.number().int(), msg: z.string(), market_ticker: zText }),
  })
  .transform((m) => ({
    type: m.type,
    id: m.id,
    code: m.msg.code,
    message: m.msg.msg,
    marketTicker: optText(m.msg.market_ticker),
  }));

// ——— Order book ———

const orderbookSnapshot = convert(
  z.object({
    type: z.literal('orderbook_snapshot'),
    sid,
    seq,
    msg: z.object({
      market_ticker: z.string().min(1),
      yes_dollars_fp: z.array(levelWire).nullish(),
      yes_dollars: z.array(levelWire).nullish(),
      yes: z.array(levelWire).nullish(),
      no_dollars_fp: z.array(levelWire).nullish(),
      no_dollars: z.array(levelWire).nullish(),
      no: z.array(levelWire).nullish(),
    }),
  }),
  (m) => ({
    type: m.type,
    sid: m.sid,
    seq: m.seq,
    snapshot: {
      marketTicker: m.msg.market_ticker,
      // The most precise form present wins: fp counts, then dollar prices, then legacy cents.
      yesBids: toLevels(m.msg.yes_dollars_fp ?? m.msg.yes_dollars ?? m.msg.yes ?? [], 'yes'),
      noBids: toLevels(m.msg.no_dollars_fp ?? m.msg.no_dollars ?? m.msg.no ?? [], 'no'),
    },
  }),
);

const orderbookDelta = convert(
  z.object({
    type: z.literal('orderbook_delta'),
    sid,
    seq,
    msg: z.object({
      market_ticker: z.string().min(1),
      price_dollars: zText,
      price: zInt,
      delta_fp: zText,
      delta: zInt,
      side: z.enum(['yes', 'no']),
      client_order_id: zText,
    }),
  }),
  (m) => {
    const levelPrice = price(m.msg.price_dollars, m.msg.price, 'price');
    if (levelPrice <= 0 || levelPrice >= 10_000)
      throw new WireFieldError(`price ${levelPrice} outside (0, 1) dollars`);
    return {
      type: m.type,
      sid: m.sid,
      seq: m.seq,
      delta: {
        marketTicker: m.msg.market_ticker,
        side: m.msg.side,
        price: levelPrice,
        delta: count(m.msg.delta_fp, m.msg.delta, 'delta'),
        clientOrderId: optText(m.msg.client_order_id),
      },
    };
  },
);

// ——— Ticker (current) and ticker_v2 (2025) ———

const tickerMsg = z.object({
  market_ticker: z.string().min(1),
  market_id: zText,
  price_dollars: zText,
  price: zInt,
  yes_bid_dollars: zText,
  yes_bid: zInt,
  yes_ask_dollars: zText,
  yes_ask: zInt,
  no_bid_dollars: zText,
  no_bid: zInt,
  no_ask_dollars: zText,
  no_ask: zInt,
  volume_fp: zText,
  volume: zInt,
  open_interest_fp: zText,
  open_interest: zInt,
  volume_delta_fp: zText,
  volume_delta: zInt,
  open_interest_delta_fp: zText,
  open_interest_delta: zInt,
  ts: z.number().int(),
});

/** The `msg` of a ticker / ticker_v2 message → a quote update (complements filled in). */
export const tickerMsgSchema = convert(tickerMsg, (t): KalshiTickerUpdate => {
  const yesBid = optPrice(t.yes_bid_dollars, t.yes_bid, 'yes_bid');
  const yesAsk = optPrice(t.yes_ask_dollars, t.yes_ask, 'yes_ask');
  const noBid = optPrice(t.no_bid_dollars, t.no_bid, 'no_bid');
  const noAsk = optPrice(t.no_ask_dollars, t.no_ask, 'no_ask');
  return {
    marketTicker: t.market_ticker,
    marketId: optText(t.market_id),
    yesBid: yesBid ?? (noAsk === undefined ? undefined : complement(noAsk)),
    yesAsk: yesAsk ?? (noBid === undefined ? undefined : complement(noBid)),
    noBid: noBid ?? (yesAsk === undefined ? undefined : complement(yesAsk)),
    noAsk: noAsk ?? (yesBid === undefined ? undefined : complement(yesBid)),
    lastPrice: optPrice(t.price_dollars, t.price, 'price'),
    volume: optCount(t.volume_fp, t.volume, 'volume'),
    openInterest: optCount(t.open_interest_fp, t.open_interest, 'open_interest'),
    volumeDelta: optCount(t.volume_delta_fp, t.volume_delta, 'volume_delta'),
    openInterestDelta: optCount(t.open_interest_delta_fp, t.open_interest_delta, 'open_interest_delta'),
    ts: seconds(t.ts, 'ts'),
  };
});

const ticker = z
  .object({ type: z.enum(['ticker', 'ticker_v2']), sid, seq: seq.optional(), msg: tickerMsgSchema })
  .transform((m) => ({ type: m.type, sid: m.sid, seq: m.seq, ticker: m.msg }));

// ——— Trades and fills ———

const trade = z
  .object({
    type: z.literal('trade'),
    sid,
    seq: seq.optional(),
    msg: convert(
      z.object({
        trade_id: zText,
        market_ticker: z.string().min(1),
        yes_price_dollars: zText,
        yes_price: zInt,
        no_price_dollars: zText,
        no_price: zInt,
        count_fp: zText,
        count: zInt,
        taker_side: z.enum(['yes', 'no']),
        ts: z.number().int(),
      }),
      (t) => {
        const yesPrice = price(t.yes_price_dollars, t.yes_price, 'yes_price');
        return {
          tradeId: optText(t.trade_id),
          marketTicker: t.market_ticker,
          yesPrice,
          noPrice: optPrice(t.no_price_dollars, t.no_price, 'no_price') ?? complement(yesPrice),
          count: count(t.count_fp, t.count, 'count'),
          takerSide: t.taker_side,
          ts: seconds(t.ts, 'ts'),
        };
      },
    ),
  })
  .transform((m) => ({ type: m.type, sid: m.sid, seq: m.seq, trade: m.msg }));

const fill = z
  .object({
    type: z.literal('fill'),
    sid,
    seq: seq.optional(),
    msg: convert(
      z.object({
        trade_id: z.string().min(1),
        order_id: z.string().min(1),
        market_ticker: z.string().min(1),
        is_taker: z.boolean(),
        side: zOutcome,
        action: zAction,
        book_side: zBookSide,
        outcome_side: zOutcome,
        purchased_side: zOutcome,
        yes_price_dollars: zText,
        yes_price: zInt,
        no_price_dollars: zText,
        no_price: zInt,
        count_fp: zText,
        count: zInt,
        ts: z.number().int(),
        client_order_id: zText,
        post_position_fp: zText,
        post_position: zInt,
        fee_cost: zText,
      }),
      (f): KalshiWsFill => {
        const yesPrice = price(f.yes_price_dollars, f.yes_price, 'yes_price');
        return {
          tradeId: f.trade_id,
          orderId: f.order_id,
          marketTicker: f.market_ticker,
          isTaker: f.is_taker,
          ...direction({ ...f, outcome_side: f.outcome_side ?? f.purchased_side }, 'fill'),
          yesPrice,
          noPrice: optPrice(f.no_price_dollars, f.no_price, 'no_price') ?? complement(yesPrice),
          count: count(f.count_fp, f.count, 'count'),
          ts: seconds(f.ts, 'ts'),
          clientOrderId: optText(f.client_order_id),
          postPosition: optCount(f.post_position_fp, f.post_position, 'post_position'),
          fee: optDollars(f.fee_cost, 'fee_cost'),
        };
      },
    ),
  })
  .transform((m) => ({ type: m.type, sid: m.sid, seq: m.seq, fill: m.msg }));

// ——— Private account channels ———

const marketPosition = z
  .object({
    type: z.literal('market_position'),
    sid,
    seq: seq.optional(),
    msg: convert(
      z.object({
        user_id: zText,
        market_ticker: z.string().min(1),
        position_fp: zText,
        position: zInt,
        // money on this channel is integer centi-cents (spec); `_dollars` variants win if sent
        position_cost_dollars: zText,
        position_cost: zInt,
        realized_pnl_dollars: zText,
        realized_pnl: zInt,
        fees_paid_dollars: zText,
        fees_paid: zInt,
        volume_fp: zText,
        volume: zInt,
      }),
      (p): KalshiWsMarketPosition => ({
        marketTicker: p.market_ticker,
        userId: optText(p.user_id),
        position: count(p.position_fp, p.position, 'position'),
        positionCost:
          optDollars(p.position_cost_dollars, 'position_cost_dollars') ??
          centiCents(p.position_cost, 'position_cost'),
        realizedPnl:
          optDollars(p.realized_pnl_dollars, 'realized_pnl_dollars') ??
          centiCents(p.realized_pnl, 'realized_pnl'),
        feesPaid:
          optDollars(p.fees_paid_dollars, 'fees_paid_dollars') ?? centiCents(p.fees_paid, 'fees_paid'),
        volume: optCount(p.volume_fp, p.volume, 'volume'),
      }),
    ),
  })
  .transform((m) => ({ type: m.type, sid: m.sid, seq: m.seq, position: m.msg }));

/** user_orders channel: the order as REST describes it (the AsyncAPI copy does not list it). */
const userOrder = z
  .object({ type: z.literal('user_order'), sid, seq: seq.optional(), msg: convert(orderWire, toOrder) })
  .transform((m) => ({ type: m.type, sid: m.sid, seq: m.seq, order: m.msg }));

// ——— Lifecycle ———

const marketLifecycle = z
  .object({
    type: z.literal('market_lifecycle_v2'),
    sid,
    seq: seq.optional(),
    msg: convert(
      z.object({
        market_ticker: z.string().min(1),
        event_type: z.enum([
          'created',
          'activated',
          'deactivated',
          'close_date_updated',
          'determined',
          'settled',
        ]),
        open_ts: zInt,
        close_ts: zInt,
        result: zText,
        determination_ts: zInt,
        settled_ts: zInt,
        is_deactivated: zBool,
        additional_metadata: z
          .object({ floor_strike: z.union([z.string(), z.number()]).nullish() })
          .nullish(),
      }),
      (l): KalshiMarketLifecycle => {
        const floorText = l.additional_metadata?.floor_strike;
        const floorStrike = floorText === undefined || floorText === null ? undefined : Number(floorText);
        if (floorStrike !== undefined && !Number.isFinite(floorStrike)) {
          throw new WireFieldError(
            `additional_metadata.floor_strike: not a number: ${JSON.stringify(floorText)}`,
          );
        }
        return {
          marketTicker: l.market_ticker,
          eventType: l.event_type,
          openTime: optSeconds(l.open_ts, 'open_ts'),
          closeTime: optSeconds(l.close_ts, 'close_ts'),
          result: optText(l.result),
          determinationTime: optSeconds(l.determination_ts, 'determination_ts'),
          settledTime: optSeconds(l.settled_ts, 'settled_ts'),
          isDeactivated: opt(l.is_deactivated),
          floorStrike,
          strike:
            floorStrike === undefined || floorStrike <= 0 ? undefined : strikeFromFloorStrike(floorStrike),
        };
      },
    ),
  })
  .transform((m) => ({ type: m.type, sid: m.sid, seq: m.seq, lifecycle: m.msg }));

const eventLifecycle = z
  .object({
    type: z.literal('event_lifecycle'),
    sid,
    seq: seq.optional(),
    msg: convert(
      z.object({
        event_ticker: z.string().min(1),
        series_ticker: z.string().min(1),
        title: z.string(),
        sub_title: z.string(),
        collateral_return_type: z.string(),
        strike_date: zInt,
        strike_period: zText,
      }),
      (e): KalshiEventLifecycle => ({
        eventTicker: e.event_ticker,
        seriesTicker: e.series_ticker,
        title: e.title,
        subTitle: e.sub_title,
        collateralReturnType: e.collateral_return_type,
        strikeDate: optSeconds(e.strike_date, 'strike_date'),
        strikePeriod: optText(e.strike_period),
      }),
    ),
  })
  .transform((m) => ({ type: m.type, sid: m.sid, seq: m.seq, lifecycle: m.msg }));

const orderGroupUpdates = z
  .object({
    type: z.literal('order_group_updates'),
    sid,
    seq: seq.optional(),
    msg: convert(
      z.object({
        event_type: z.enum(['created', 'triggered', 'reset', 'deleted', 'limit_updated']),
        order_group_id: z.string().min(1),
        contracts_limit_fp: zText,
      }),
      (g): KalshiOrderGroupUpdate => ({
        eventType: g.event_type,
        orderGroupId: g.order_group_id,
        contractsLimit: optCount(g.contracts_limit_fp, undefined, 'contracts_limit'),
      }),
    ),
  })
  .transform((m) => ({ type: m.type, sid: m.sid, seq: m.seq, update: m.msg }));

/** CF Benchmarks index → the symbol it settles (KXBTCD on BRTI, KXETHD on ETHUSD_RTI). */
const INDEX_SYMBOL: Readonly<Record<string, SymbolId>> = { BRTI: 'BTC', ETHUSD_RTI: 'ETH' };

/**
 * `cfbenchmarks_value`: SHAPE UNCONFIRMED (Kalshi does not document the messages; this is the
 * simulator's): `{index, value_dollars: "115000.12", ts: Unix seconds}`.
 */
const cfbenchmarksValue = z
  .object({
    type: z.literal('cfbenchmarks_value'),
    sid,
    seq: seq.optional(),
    msg: convert(
      z.object({
        index: z.string().min(1),
        value_dollars: z.string().regex(/^\d+(\.\d{1,2})?$/, 'a dollar string with at most 2 decimals'),
        ts: zInt,
      }),
      (v): KalshiCfBenchmarksValue => ({
        index: v.index,
        symbol: Object.hasOwn(INDEX_SYMBOL, v.index) ? INDEX_SYMBOL[v.index] : undefined,
        value: Number(v.value_dollars),
        timeMs: seconds(v.ts, 'ts'),
      }),
    ),
  })
  .transform((m) => ({ type: m.type, sid: m.sid, seq: m.seq, value: m.msg }));

const SCHEMAS = {
  subscribed,
  unsubscribed,
  ok,
  list_subscriptions: listSubscriptions,
  error,
  orderbook_snapshot: orderbookSnapshot,
  orderbook_delta: orderbookDelta,
  ticker,
  ticker_v2: ticker,
  trade,
  fill,
  market_position: marketPosition,
  user_order: userOrder,
  market_lifecycle_v2: marketLifecycle,
  event_lifecycle: eventLifecycle,
  order_group_updates: orderGroupUpdates,
  cfbenchmarks_value: cfbenchmarksValue,
} satisfies Record<string, z.ZodType>;

const envelope = z.object({
  type: z.string().min(1),
  sid: z.unknown().optional(),
  seq: z.unknown().optional(),
});

export class KalshiWsParseError extends Error {
  override readonly name = 'KalshiWsParseError';
  constructor(
    message: string,
    /** The message's `type`, when it had one. */
    readonly messageType: string | undefined,
  ) {
    super(message);
  }
}

/**
 * Parses one decoded WebSocket message. Throws KalshiWsParseError for a malformed message of a
 * known type (or no type at all); an unknown type comes back as `{type: 'unknown'}` with its sid
 * and seq, so the caller's sequence tracking stays correct.
 */
export function parseKalshiWsMessage(data: unknown): KalshiWsMessage {
  const head = envelope.safeParse(data);
  if (!head.success) throw new KalshiWsParseError('message without a "type"', undefined);
  const type = head.data.type;
  const schema = (SCHEMAS as Record<string, z.ZodType<KalshiWsMessage> | undefined>)[type];
  if (schema === undefined) {
    const { sid: rawSid, seq: rawSeq } = head.data;
    return {
      type: 'unknown',
      rawType: type,
      sid: typeof rawSid === 'number' ? rawSid : undefined,
      seq: typeof rawSeq === 'number' ? rawSeq : undefined,
    };
  }
  const parsed = schema.safeParse(data);
  if (!parsed.success) {
    throw new KalshiWsParseError(`bad ${type} message: ${z.prettifyError(parsed.error)}`, type);
  }
  return parsed.data;
}
