/**
 * Engine and simulation records → Kalshi's current REST shapes (`_dollars` strings, `_fp`
 * counts), typed by the official SDK's models so no required field can be forgotten.
 * Integer-only fields of the current spec stay integers (balance and revenue in cents).
 */
import type {
  EventData,
  EventPosition,
  Fill,
  Market,
  MarketPosition,
  Order,
  Series,
  Settlement,
  Trade,
} from 'kalshi-typescript';
import { formatCount, formatDollars } from '../../../domain/kalshi/fixed-point.ts';
import { floorStrikeFromStrike, hourlySchedule, symbolOfSeries } from '../../../domain/kalshi/tickers.ts';
import type { SymbolId } from '../../../domain/units.ts';
import type {
  FillRecord,
  MarketStatus,
  MarketView,
  OrderRecord,
  PositionRecord,
  SettlementRecord,
  TradeRecord,
} from '../../engine/types.ts';
import type { SimEvent } from '../../market/simulation.ts';
import { eventWording, marketWording } from '../../market/metadata.ts';

const ONE_DOLLAR_CC = 10_000;

/** RFC 3339 UTC; whole seconds without the `.000` (as Kalshi writes schedule times). */
export function iso(ms: number): string {
  return new Date(ms).toISOString().replace('.000Z', 'Z');
}

const dollars = (cc: number) => formatDollars(cc, 4);

/** Market statuses as the current API names them (a paid-out market is `finalized`). */
const WIRE_STATUS: Record<MarketStatus, Market['status']> = {
  initialized: 'initialized',
  active: 'active',
  closed: 'closed',
  determined: 'determined',
  settled: 'finalized',
};

/** The list filters' words (`status=open`) for an engine status. */
export type ListStatus = 'unopened' | 'open' | 'paused' | 'closed' | 'settled';
export const LIST_STATUS: Record<MarketStatus, ListStatus> = {
  initialized: 'unopened',
  active: 'open',
  closed: 'closed',
  determined: 'closed',
  settled: 'settled',
};

const INDEX_SOURCE: Record<SymbolId, { name: string; url: string }> = {
  BTC: { name: 'CF Benchmarks', url: 'https://www.cfbenchmarks.com/data/indices/BRTI' },
  ETH: { name: 'CF Benchmarks', url: 'https://www.cfbenchmarks.com/data/indices/ETHUSD_RTI' },
};

function symbolOf(seriesTicker: string): SymbolId {
  const symbol = symbolOfSeries(seriesTicker);
  if (!symbol) throw new Error(`no symbol for series ${seriesTicker}`);
  return symbol;
}

export function toMarket(m: MarketView): Market {
  const symbol = symbolOf(m.seriesTicker);
  const words = marketWording(symbol, m.strike, m.closeTime);
  const schedule = hourlySchedule(m.closeTime);
  const decided = m.result === 'yes' || m.result === 'no';
  return {
    ticker: m.ticker,
    event_ticker: m.eventTicker,
    market_type: 'binary',
    title: '',
    subtitle: words.subtitle,
    yes_sub_title: words.yesSubTitle,
    no_sub_title: words.noSubTitle,
    created_time: iso(m.createdTime),
    updated_time: iso(Math.max(m.createdTime, m.determinedTime ?? 0, m.settledTime ?? 0)),
    open_time: iso(m.openTime),
    close_time: iso(m.closeTime),
    expected_expiration_time: iso(schedule.expectedExpirationTime),
    expiration_time: iso(schedule.latestExpirationTime),
    latest_expiration_time: iso(schedule.latestExpirationTime),
    settlement_timer_seconds: 60,
    status: WIRE_STATUS[m.status],
    // A missing side shows as 0 (bid) / 1 (ask), as at Kalshi.
    yes_bid_dollars: dollars(m.yesBidCc ?? 0),
    yes_bid_size_fp: formatCount(m.yesBidSize),
    yes_ask_dollars: dollars(m.yesAskCc ?? ONE_DOLLAR_CC),
    yes_ask_size_fp: formatCount(m.yesAskSize),
    no_bid_dollars: dollars(m.noBidCc ?? 0),
    no_ask_dollars: dollars(m.noAskCc ?? ONE_DOLLAR_CC),
    last_price_dollars: dollars(m.lastPriceCc ?? 0),
    volume_fp: formatCount(m.volume),
    // Hourly markets live less than a day: all their volume is within 24 h.
    volume_24h_fp: formatCount(m.volume),
    result: m.result,
    can_close_early: true,
    open_interest_fp: formatCount(m.openInterest),
    notional_value_dollars: dollars(ONE_DOLLAR_CC),
    previous_yes_bid_dollars: dollars(0),
    previous_yes_ask_dollars: dollars(0),
    previous_price_dollars: dollars(0),
    liquidity_dollars: dollars(0),
    ...(decided ? { settlement_value_dollars: dollars(m.result === 'yes' ? ONE_DOLLAR_CC : 0) } : {}),
    ...(m.settledTime !== null ? { settlement_ts: iso(m.settledTime) } : {}),
    expiration_value: m.expirationValue,
    strike_type: 'greater',
    floor_strike: floorStrikeFromStrike(m.strike),
    rules_primary: words.rulesPrimary,
    rules_secondary: words.rulesSecondary,
    price_level_structure: 'linear_cent',
    price_ranges: [
      { start: dollars(m.tickCc), end: dollars(ONE_DOLLAR_CC - m.tickCc), step: dollars(m.tickCc) },
    ],
  };
}

export function toEvent(e: SimEvent, markets: Market[] | undefined): EventData {
  const words = eventWording(e.symbol, e.closeTime);
  return {
    event_ticker: e.eventTicker,
    series_ticker: e.seriesTicker,
    sub_title: words.subTitle,
    title: words.title,
    collateral_return_type: 'DIRECNET',
    mutually_exclusive: false,
    category: 'Crypto',
    strike_date: iso(e.closeTime),
    ...(markets ? { markets } : {}),
    settlement_sources: [INDEX_SOURCE[e.symbol]],
    last_updated_ts: iso(Math.max(e.createdTime, e.determinedTime ?? 0, e.settledTime ?? 0)),
  };
}

export function toSeries(seriesTicker: string): Series | undefined {
  const symbol = symbolOfSeries(seriesTicker);
  if (!symbol) return undefined;
  const name = symbol === 'BTC' ? 'Bitcoin' : 'Ethereum';
  return {
    ticker: seriesTicker,
    frequency: 'hourly',
    title: `${name} price Above/below`,
    category: 'Crypto',
    categories: ['Crypto'],
    tags: [symbol],
    settlement_sources: [INDEX_SOURCE[symbol]],
    contract_url: 'https://kalshi.com/regulatory/rulebook',
    contract_terms_url: 'https://kalshi.com/regulatory/rulebook',
    fee_type: 'quadratic',
    fee_multiplier: 1,
    additional_prohibitions: [],
  };
}

export function toOrder(o: OrderRecord): Order {
  return {
    order_id: o.orderId,
    user_id: o.accountId,
    client_order_id: o.clientOrderId,
    ticker: o.ticker,
    // Deprecated pair, kept for older readers: a bid buys YES, an ask buys NO.
    side: o.outcomeSide,
    action: 'buy',
    outcome_side: o.outcomeSide,
    book_side: o.side,
    type: 'limit',
    status: o.status,
    yes_price_dollars: dollars(o.yesPriceCc),
    no_price_dollars: dollars(o.noPriceCc),
    fill_count_fp: formatCount(o.fillCount),
    remaining_count_fp: formatCount(o.remainingCount),
    initial_count_fp: formatCount(o.initialCount),
    taker_fill_cost_dollars: dollars(o.takerFillCostCc),
    maker_fill_cost_dollars: dollars(o.makerFillCostCc),
    taker_fees_dollars: dollars(o.takerFeesCc),
    maker_fees_dollars: dollars(o.makerFeesCc),
    ...(o.expirationTime !== null ? { expiration_time: iso(o.expirationTime) } : {}),
    created_time: iso(o.createdTime),
    last_update_time: iso(o.lastUpdateTime),
    self_trade_prevention_type: o.selfTradePrevention,
    cancel_order_on_pause: false,
    subaccount_number: 0,
  };
}

export function toFill(f: FillRecord): Fill {
  return {
    fill_id: f.fillId,
    exchange_index: 0,
    trade_id: f.tradeId,
    order_id: f.orderId,
    ticker: f.ticker,
    market_ticker: f.ticker,
    side: f.outcomeSide,
    action: 'buy',
    outcome_side: f.outcomeSide,
    book_side: f.side,
    count_fp: formatCount(f.count),
    yes_price_dollars: dollars(f.yesPriceCc),
    no_price_dollars: dollars(f.noPriceCc),
    is_taker: f.isTaker,
    created_time: iso(f.createdTime),
    fee_cost: dollars(f.feeCc),
    subaccount_number: 0,
    ts: Math.floor(f.createdTime / 1000),
  };
}

export function toMarketPosition(p: PositionRecord): MarketPosition {
  return {
    ticker: p.ticker,
    exchange_index: 0,
    total_traded_dollars: dollars(p.totalTradedCc),
    position_fp: formatCount(p.position),
    market_exposure_dollars: dollars(p.costBasisCc),
    realized_pnl_dollars: dollars(p.realizedPnlCc),
    fees_paid_dollars: dollars(p.feesPaidCc),
    last_updated_ts: iso(p.lastUpdatedTime),
  };
}

/** Per event: sums over its markets' positions. */
export function toEventPositions(positions: PositionRecord[]): EventPosition[] {
  const byEvent = new Map<string, PositionRecord[]>();
  for (const p of positions) byEvent.set(p.eventTicker, [...(byEvent.get(p.eventTicker) ?? []), p]);
  return [...byEvent].map(([eventTicker, list]) => {
    const sum = (fn: (p: PositionRecord) => number) => list.reduce((total, p) => total + fn(p), 0);
    return {
      event_ticker: eventTicker,
      total_cost_dollars: dollars(sum((p) => p.costBasisCc)),
      total_cost_shares_fp: formatCount(sum((p) => Math.abs(p.position))),
      event_exposure_dollars: dollars(sum((p) => p.costBasisCc)),
      realized_pnl_dollars: dollars(sum((p) => p.realizedPnlCc)),
      fees_paid_dollars: dollars(sum((p) => p.feesPaidCc)),
    };
  });
}

export function toSettlement(s: SettlementRecord): Settlement {
  return {
    ticker: s.ticker,
    exchange_index: 0,
    event_ticker: s.eventTicker,
    market_result: s.marketResult,
    yes_count_fp: formatCount(s.yesCount),
    yes_total_cost_dollars: dollars(s.yesTotalCostCc),
    no_count_fp: formatCount(s.noCount),
    no_total_cost_dollars: dollars(s.noTotalCostCc),
    // Integer cents in the current spec: 100 per net winning contract.
    revenue: centsOf(s.revenueCc),
    settled_time: iso(s.settledTime),
    fee_cost: dollars(s.feeCostCc),
    value: centsOf(s.valueCc),
  };
}

export function toTrade(t: TradeRecord): Trade {
  return {
    trade_id: t.tradeId,
    ticker: t.ticker,
    count_fp: formatCount(t.count),
    yes_price_dollars: dollars(t.yesPriceCc),
    no_price_dollars: dollars(t.noPriceCc),
    taker_side: t.takerOutcomeSide,
    taker_outcome_side: t.takerOutcomeSide,
    taker_book_side: t.takerSide,
    created_time: iso(t.createdTime),
    is_block_trade: false,
  };
}

/** Centi-cents → whole cents, for the spec's integer-cent fields (money there is whole cents). */
export function centsOf(cc: number): number {
  return Math.floor(cc / 100);
}

/** A dollar string with up to 6 decimals (exchange-computed averages). */
export function averageDollars(totalCc: number, count: number): string {
  // totalCc / count in micro-dollars (6 decimals), rounded half-up: exact integer arithmetic.
  const micro = Math.floor((totalCc * 100 * 2 + count) / (2 * count));
  const whole = Math.floor(micro / 1_000_000);
  return `${whole}.${String(micro % 1_000_000).padStart(6, '0')}`;
}
