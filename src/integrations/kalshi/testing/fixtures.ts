/**
 * Kalshi-shaped payloads in the CURRENT wire format (`_dollars` / `_fp`), written from the
 * SDK's docs/ and the AsyncAPI spec, for tests of the models and the clients. The 2025 legacy
 * format is tested on the real files in ../shared/data/kalshi-2025 instead.
 */
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { resolve } from 'node:path';

const REPO_ROOT = fileURLToPath(new URL('../../../../', import.meta.url));

/** Reads a file of the shared reference data (never copied into the repo). */
export function readSharedData(relativePath: string): unknown {
  return JSON.parse(readFileSync(resolve(REPO_ROOT, '../shared/data', relativePath), 'utf8'));
}

export function currentMarket(overrides: Record<string, unknown> = {}): Record<string, unknown> {
  return {
    ticker: 'KXBTCD-25AUG0316-T114749.99',
    event_ticker: 'KXBTCD-25AUG0316',
    market_type: 'binary',
    title: 'Bitcoin price on Aug 3, 2025 at 4pm EDT?',
    subtitle: '$114,750 or above',
    yes_sub_title: '$114,750 or above',
    no_sub_title: '$114,750 or above',
    created_time: '2025-08-03T18:55:00Z',
    updated_time: '2025-08-03T18:55:00Z',
    open_time: '2025-08-03T19:00:00Z',
    close_time: '2025-08-03T20:00:00Z',
    expected_expiration_time: '2025-08-03T20:05:00Z',
    latest_expiration_time: '2025-08-10T20:00:00Z',
    settlement_timer_seconds: 60,
    status: 'active',
    yes_bid_dollars: '0.2100',
    yes_bid_size_fp: '150.00',
    yes_ask_dollars: '0.2300',
    yes_ask_size_fp: '40.00',
    no_bid_dollars: '0.7700',
    no_ask_dollars: '0.7900',
    last_price_dollars: '0.2200',
    volume_fp: '12500.00',
    volume_24h_fp: '12500.00',
    result: '',
    can_close_early: true,
    open_interest_fp: '8000.00',
    notional_value_dollars: '1.0000',
    previous_yes_bid_dollars: '0.2000',
    previous_yes_ask_dollars: '0.2400',
    previous_price_dollars: '0.2100',
    liquidity_dollars: '0.0000',
    expiration_value: '',
    strike_type: 'greater',
    floor_strike: 114749.99,
    rules_primary: 'If the simple average of the sixty seconds of BRTI …',
    rules_secondary: '',
    price_level_structure: 'linear_cent',
    price_ranges: [{ start: '0.0100', end: '0.9900', step: '0.0100' }],
    ...overrides,
  };
}

export function currentEvent(
  markets: Record<string, unknown>[] = [currentMarket()],
): Record<string, unknown> {
  return {
    event_ticker: 'KXBTCD-25AUG0316',
    series_ticker: 'KXBTCD',
    sub_title: 'On Aug 3, 2025 at 4pm EDT',
    title: 'Bitcoin price on Aug 3, 2025 at 4pm EDT?',
    collateral_return_type: 'DIRECNET',
    mutually_exclusive: false,
    category: 'Crypto',
    strike_date: '2025-08-03T20:00:00Z',
    settlement_sources: [],
    markets,
  };
}

export function currentOrder(overrides: Record<string, unknown> = {}): Record<string, unknown> {
  return {
    order_id: 'ord-1',
    user_id: 'user-1',
    client_order_id: 'cli-1',
    ticker: 'KXBTCD-25AUG0316-T114749.99',
    side: 'yes',
    action: 'buy',
    outcome_side: 'yes',
    book_side: 'bid',
    type: 'limit',
    status: 'executed',
    yes_price_dollars: '0.2300',
    no_price_dollars: '0.7700',
    fill_count_fp: '5.00',
    remaining_count_fp: '0.00',
    initial_count_fp: '5.00',
    taker_fill_cost_dollars: '1.1500',
    maker_fill_cost_dollars: '0.0000',
    taker_fees_dollars: '0.0700',
    maker_fees_dollars: '0.0000',
    created_time: '2025-08-03T19:50:01.123Z',
    last_update_time: '2025-08-03T19:50:01.125Z',
    self_trade_prevention_type: 'taker_at_cross',
    ...overrides,
  };
}

export function currentFill(overrides: Record<string, unknown> = {}): Record<string, unknown> {
  return {
    fill_id: 'fill-1',
    trade_id: 'fill-1',
    exchange_index: 0,
    order_id: 'ord-1',
    ticker: 'KXBTCD-25AUG0316-T114749.99',
    market_ticker: 'KXBTCD-25AUG0316-T114749.99',
    side: 'yes',
    action: 'buy',
    outcome_side: 'yes',
    book_side: 'bid',
    count_fp: '5.00',
    yes_price_dollars: '0.2300',
    no_price_dollars: '0.7700',
    is_taker: true,
    created_time: '2025-08-03T19:50:01.124Z',
    fee_cost: '0.0700',
    ts: 1754250601,
    ...overrides,
  };
}

export const currentPositions = {
  market_positions: [
    {
      ticker: 'KXBTCD-25AUG0316-T114749.99',
      exchange_index: 0,
      total_traded_dollars: '1.1500',
      position_fp: '-5.00',
      market_exposure_dollars: '3.8500',
      realized_pnl_dollars: '-0.1200',
      fees_paid_dollars: '0.0700',
      last_updated_ts: '2025-08-03T19:50:01Z',
    },
  ],
  event_positions: [
    {
      event_ticker: 'KXBTCD-25AUG0316',
      total_cost_dollars: '1.1500',
      total_cost_shares_fp: '5.00',
      event_exposure_dollars: '3.8500',
      realized_pnl_dollars: '0.0000',
      fees_paid_dollars: '0.0700',
    },
  ],
  cursor: '',
};

export const currentBalance = {
  balance: 100_000,
  balance_dollars: '1000.0000',
  portfolio_value: 1_150,
  updated_ts: 1754250601,
};

export function currentSettlement(overrides: Record<string, unknown> = {}): Record<string, unknown> {
  return {
    ticker: 'KXBTCD-25AUG0316-T114749.99',
    exchange_index: 0,
    event_ticker: 'KXBTCD-25AUG0316',
    market_result: 'no',
    yes_count_fp: '0.00',
    yes_total_cost_dollars: '0.0000',
    no_count_fp: '5.00',
    no_total_cost_dollars: '3.8500',
    revenue: 500,
    settled_time: '2025-08-03T20:03:49Z',
    fee_cost: '0.0700',
    value: 0,
    ...overrides,
  };
}
