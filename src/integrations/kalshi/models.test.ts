import { describe, it, expect } from 'vitest';
import {
  balanceSchema,
  cancelOrderV2ResponseSchema,
  createOrderV2ResponseSchema,
  errorBodySchema,
  eventSchema,
  exchangeStatusSchema,
  fillSchema,
  getEventResponseSchema,
  getMarketsResponseSchema,
  getPositionsResponseSchema,
  marketSchema,
  orderSchema,
  orderbookResponseSchema,
  parseKalshiWsMessage,
  settlementSchema,
  tickerMsgSchema,
  toCreateOrderV2Body,
  KalshiWsParseError,
  WireFieldError,
} from './models.ts';
import {
  currentBalance,
  currentEvent,
  currentFill,
  currentMarket,
  currentOrder,
  currentPositions,
  currentSettlement,
  readSharedData,
} from './testing/fixtures.ts';

interface LegacyMarket {
  ticker: string;
  yes_bid: number;
  yes_ask: number;
  no_bid: number;
  no_ask: number;
  floor_strike: number;
  last_price: number;
  volume: number;
  open_interest: number;
  status: string;
}

describe('2025 event payload (legacy integer cents)', () => {
  const file = readSharedData('kalshi-2025/event_KXBTCD-25JUL2615.json') as {
    data: { event: unknown; markets: LegacyMarket[] };
  };
  const raw = file.data.markets;

  it('parses all 75 markets, each exactly from its integer cents', () => {
    expect(raw).toHaveLength(75);
    for (const wire of raw) {
      const market = marketSchema.parse(wire);
      expect(market.ticker).toBe(wire.ticker);
      expect(market.yesBid).toBe(wire.yes_bid * 100);
      expect(market.yesAsk).toBe(wire.yes_ask * 100);
      expect(market.noBid).toBe(wire.no_bid * 100);
      expect(market.noAsk).toBe(wire.no_ask * 100);
      expect(market.lastPrice).toBe(wire.last_price * 100);
      expect(market.volume).toBe(wire.volume);
      expect(market.openInterest).toBe(wire.open_interest);
      // legs are complements in the real data
      expect(market.noAsk).toBe(10_000 - market.yesBid);
      expect(market.noBid).toBe(10_000 - market.yesAsk);
      // integer strike, and the ticker ends with floor_strike as text
      expect(market.strike).toBe(Math.round(wire.floor_strike + 0.01));
      expect(market.ticker.endsWith(`-T${market.strike! - 1}.99`)).toBe(true);
    }
  });

  it('parses the event response with the deprecated top-level markets', () => {
    const event = getEventResponseSchema.parse(file.data);
    expect(event.eventTicker).toBe('KXBTCD-25JUL2615');
    expect(event.seriesTicker).toBe('KXBTCD');
    expect(event.strikeDate).toBe(Date.UTC(2025, 6, 26, 19, 0, 0));
    expect(event.markets).toHaveLength(75);
    const strikes = event.markets.map((m) => m.strike!).sort((a, b) => a - b);
    expect(new Set(strikes).size).toBe(75);
    for (let i = 1; i < strikes.length; i++) expect(strikes[i]! - strikes[i - 1]!).toBe(250);
    const first = event.markets.find((m) => m.ticker === 'KXBTCD-25JUL2615-T105749.99')!;
    expect(first).toMatchObject({
      strike: 105_750,
      floorStrike: 105749.99,
      yesBid: 1_700,
      yesAsk: 10_000,
      noBid: 0,
      noAsk: 8_300,
      status: 'active',
      result: '',
      openTime: Date.UTC(2025, 6, 26, 18),
      closeTime: Date.UTC(2025, 6, 26, 19),
      expectedExpirationTime: Date.UTC(2025, 6, 26, 19, 5),
      settlementTimerSeconds: 60,
      notionalValue: 10_000,
    });
  });
});

describe('2025 ticker_v2 WebSocket messages', () => {
  const sample = readSharedData('kalshi-2025/ws_ticker_v2_sample.json') as {
    tickers: { data: Record<string, number | string> }[];
  };

  it('parses all 1,000 messages, quotes exact and complements filled in', () => {
    expect(sample.tickers).toHaveLength(1_000);
    let withTrades = 0;
    sample.tickers.forEach(({ data }, i) => {
      const message = parseKalshiWsMessage({ type: 'ticker_v2', sid: 7, seq: i + 1, msg: data });
      if (message.type !== 'ticker_v2') throw new Error(`unexpected ${message.type}`);
      const t = message.ticker;
      expect(t.marketTicker).toBe(data.market_ticker);
      expect(t.yesBid).toBe((data.yes_bid as number) * 100);
      expect(t.yesAsk).toBe((data.yes_ask as number) * 100);
      expect(t.noAsk).toBe(10_000 - t.yesBid!);
      expect(t.noBid).toBe(10_000 - t.yesAsk!);
      expect(t.ts).toBe((data.ts as number) * 1000);
      if (data.volume_delta !== undefined) {
        withTrades++;
        expect(t.volumeDelta).toBe(data.volume_delta);
        expect(t.openInterestDelta).toBe(data.open_interest_delta);
        expect(t.lastPrice).toBe((data.price as number) * 100);
      } else {
        expect(t.volumeDelta).toBeUndefined();
        expect(t.lastPrice).toBeUndefined();
      }
    });
    expect(withTrades).toBe(31);
  });

  it('exposes the msg schema for bare messages', () => {
    const first = sample.tickers[0]!.data;
    expect(tickerMsgSchema.parse(first)).toMatchObject({
      marketTicker: first.market_ticker,
      yesAsk: 300,
      noBid: 9_700,
    });
  });
});

describe('REST models, current format', () => {
  it('market: _dollars and _fp fields', () => {
    const market = marketSchema.parse(currentMarket());
    expect(market).toMatchObject({
      yesBid: 2_100,
      yesAsk: 2_300,
      noBid: 7_700,
      noAsk: 7_900,
      yesBidSize: 150,
      yesAskSize: 40,
      lastPrice: 2_200,
      volume: 12_500,
      openInterest: 8_000,
      strike: 114_750,
      notionalValue: 10_000,
      previousYesBid: 2_000,
    });
  });

  it('market: prefers _dollars over a stale legacy integer', () => {
    expect(marketSchema.parse(currentMarket({ yes_bid: 99 })).yesBid).toBe(2_100);
  });

  it('market: sub-cent prices stay exact', () => {
    expect(marketSchema.parse(currentMarket({ yes_bid_dollars: '0.2150' })).yesBid).toBe(2_150);
  });

  it('market: rejects fractional sizes, bad prices, unknown status, missing quotes — naming the field', () => {
    expect(() => marketSchema.parse(currentMarket({ volume_fp: '12.50' }))).toThrow(/volume_fp: fractional/);
    expect(() => marketSchema.parse(currentMarket({ yes_ask_dollars: '0.23x' }))).toThrow(
      /yes_ask_dollars: malformed/,
    );
    expect(() => marketSchema.parse(currentMarket({ yes_ask_dollars: 0.23 }))).toThrow();
    expect(() => marketSchema.parse(currentMarket({ status: 'open' }))).toThrow();
    expect(() => marketSchema.parse(currentMarket({ yes_bid_dollars: undefined }))).toThrow(
      /yes_bid_dollars \(or legacy yes_bid\) is missing/,
    );
    expect(() => marketSchema.parse(currentMarket({ close_time: 'soon' }))).toThrow(
      /close_time: not a timestamp/,
    );
  });

  it('event with nested markets; markets list with cursor', () => {
    const event = eventSchema.parse(
      currentEvent([
        currentMarket(),
        currentMarket({ ticker: 'KXBTCD-25AUG0316-T114999.99', floor_strike: 114999.99 }),
      ]),
    );
    expect(event.markets.map((m) => m.strike)).toEqual([114_750, 115_000]);
    const page = getMarketsResponseSchema.parse({ markets: [currentMarket()], cursor: 'abc' });
    expect(page.cursor).toBe('abc');
    expect(getMarketsResponseSchema.parse({ markets: [], cursor: '' }).cursor).toBeUndefined();
  });

  it('orderbook_fp: bids on both legs, best first', () => {
    const book = orderbookResponseSchema('T').parse({
      orderbook_fp: {
        yes_dollars: [
          ['0.1900', '10.00'],
          ['0.2000', '5.00'],
          ['0.2100', '150.00'],
        ],
        no_dollars: [
          ['0.7600', '7.00'],
          ['0.7700', '40.00'],
        ],
      },
    });
    expect(book).toEqual({
      ticker: 'T',
      yesBids: [
        { price: 2_100, count: 150 },
        { price: 2_000, count: 5 },
        { price: 1_900, count: 10 },
      ],
      noBids: [
        { price: 7_700, count: 40 },
        { price: 7_600, count: 7 },
      ],
    });
  });

  it('orderbook: legacy cents, empty sides, and bad levels', () => {
    expect(orderbookResponseSchema('T').parse({ orderbook: { yes: [[21, 150]], no: null } })).toEqual({
      ticker: 'T',
      yesBids: [{ price: 2_100, count: 150 }],
      noBids: [],
    });
    expect(() =>
      orderbookResponseSchema('T').parse({ orderbook_fp: { yes_dollars: [['0.21', '1.50']] } }),
    ).toThrow(/fractional/);
    expect(() =>
      orderbookResponseSchema('T').parse({ orderbook_fp: { yes_dollars: [['1.0000', '1.00']] } }),
    ).toThrow(/outside/);
    expect(() =>
      orderbookResponseSchema('T').parse({
        orderbook_fp: {
          yes_dollars: [
            ['0.21', '1.00'],
            ['0.2100', '2.00'],
          ],
        },
      }),
    ).toThrow(/twice/);
    expect(() => orderbookResponseSchema('T').parse({})).toThrow(/orderbook_fp is missing/);
  });

  it('exchange status', () => {
    expect(exchangeStatusSchema.parse({ exchange_active: true, trading_active: false })).toEqual({
      exchangeActive: true,
      tradingActive: false,
      estimatedResumeTime: undefined,
    });
  });

  it('order: current fields', () => {
    expect(orderSchema.parse(currentOrder())).toMatchObject({
      orderId: 'ord-1',
      clientOrderId: 'cli-1',
      status: 'executed',
      bookSide: 'bid',
      outcomeSide: 'yes',
      yesPrice: 2_300,
      noPrice: 7_700,
      initialCount: 5,
      fillCount: 5,
      remainingCount: 0,
      takerFees: 700,
      takerFillCost: 11_500,
      createdTime: Date.parse('2025-08-03T19:50:01.123Z'),
    });
  });

  it.each([
    ['yes', 'buy', 'bid', 'yes'],
    ['yes', 'sell', 'ask', 'no'],
    ['no', 'buy', 'ask', 'no'],
    ['no', 'sell', 'bid', 'yes'],
  ])('order: legacy side=%s action=%s → %s / %s', (side, action, bookSide, outcomeSide) => {
    const legacy = {
      order_id: 'o',
      ticker: 'T',
      status: 'resting',
      side,
      action,
      yes_price: 23,
      fill_count: 0,
      remaining_count: 3,
      taker_fees: 0,
      client_order_id: '',
    };
    expect(orderSchema.parse(legacy)).toMatchObject({
      bookSide,
      outcomeSide,
      yesPrice: 2_300,
      noPrice: 7_700,
      initialCount: 3,
      clientOrderId: undefined,
    });
  });

  it('order: no direction at all is an error', () => {
    const { side: _s, action: _a, book_side: _b, outcome_side: _o, ...rest } = currentOrder();
    expect(() => orderSchema.parse(rest)).toThrow(/no direction/);
  });

  it('fill: current fields and legacy trade_id/ts', () => {
    expect(fillSchema.parse(currentFill())).toMatchObject({
      fillId: 'fill-1',
      count: 5,
      yesPrice: 2_300,
      noPrice: 7_700,
      fee: 700,
      isTaker: true,
      bookSide: 'bid',
    });
    const legacy = fillSchema.parse({
      trade_id: 't9',
      order_id: 'o',
      market_ticker: 'T',
      side: 'no',
      action: 'buy',
      count: 2,
      yes_price: 4,
      is_taker: false,
      ts: 1754250601,
    });
    expect(legacy).toMatchObject({
      fillId: 't9',
      ticker: 'T',
      outcomeSide: 'no',
      bookSide: 'ask',
      yesPrice: 400,
      noPrice: 9_600,
      createdTime: 1_754_250_601_000,
    });
  });

  it('positions: signed position and money', () => {
    const positions = getPositionsResponseSchema.parse(currentPositions);
    expect(positions.marketPositions[0]).toMatchObject({
      position: -5,
      marketExposure: 38_500,
      realizedPnl: -1_200,
      feesPaid: 700,
      totalTraded: 11_500,
    });
    expect(positions.eventPositions[0]).toMatchObject({
      eventTicker: 'KXBTCD-25AUG0316',
      totalCost: 11_500,
      totalCostShares: 5,
    });
    expect(
      getPositionsResponseSchema.parse({ market_positions: null, event_positions: null, cursor: '' }),
    ).toEqual({ marketPositions: [], eventPositions: [], cursor: undefined });
  });

  it('balance: dollars preferred, cents fallback, portfolio value in cents', () => {
    expect(balanceSchema.parse(currentBalance)).toEqual({
      balance: 10_000_000,
      portfolioValue: 115_000,
      updatedTime: 1_754_250_601_000,
    });
    expect(balanceSchema.parse({ balance: 12_345 }).balance).toBe(1_234_500);
  });

  it('settlement: revenue in cents, costs in dollars', () => {
    expect(settlementSchema.parse(currentSettlement())).toMatchObject({
      marketResult: 'no',
      noCount: 5,
      noTotalCost: 38_500,
      revenue: 50_000,
      fee: 700,
      value: 0,
      settledTime: Date.UTC(2025, 7, 3, 20, 3, 49),
    });
  });

  it('create-order V2 response: exact counts, rounded averages (labelled)', () => {
    const result = createOrderV2ResponseSchema.parse({
      order_id: 'o',
      client_order_id: 'c',
      fill_count: '3.00',
      remaining_count: '2.00',
      average_fill_price: '0.563333',
      average_fee_paid: '0.016700',
      ts_ms: 1754250601123,
    });
    expect(result).toEqual({
      orderId: 'o',
      clientOrderId: 'c',
      fillCount: 3,
      remainingCount: 2,
      averageFillPrice: 5_633,
      averageFillPriceDollars: '0.563333',
      averageFeePaid: 167,
      averageFeePaidDollars: '0.016700',
      tsMs: 1_754_250_601_123,
    });
    expect(() =>
      createOrderV2ResponseSchema.parse({
        order_id: 'o',
        fill_count: '0.50',
        remaining_count: '0.00',
        ts_ms: 1,
      }),
    ).toThrow(/fractional/);
  });

  it('cancel V2 response', () => {
    expect(cancelOrderV2ResponseSchema.parse({ order_id: 'o', reduced_by: '4.00', ts_ms: 5 })).toEqual({
      orderId: 'o',
      clientOrderId: undefined,
      reducedBy: 4,
      tsMs: 5,
    });
  });

  it('error body: nested (Kalshi) and flat (SDK)', () => {
    expect(
      errorBodySchema.parse({
        error: { code: 'fill_or_kill_insufficient_resting_volume', message: 'no', details: 'd' },
      }),
    ).toEqual({ code: 'fill_or_kill_insufficient_resting_volume', message: 'no', details: 'd' });
    expect(errorBodySchema.parse({ code: 'market_closed', message: 'closed' })).toEqual({
      code: 'market_closed',
      message: 'closed',
      details: undefined,
    });
  });
});

describe('toCreateOrderV2Body', () => {
  const base = {
    ticker: 'T',
    clientOrderId: 'c-1',
    side: 'bid' as const,
    count: 5,
    price: 2_300,
    timeInForce: 'fill_or_kill' as const,
  };

  it('writes Kalshi V2 fixed-point strings', () => {
    expect(toCreateOrderV2Body(base)).toEqual({
      ticker: 'T',
      client_order_id: 'c-1',
      side: 'bid',
      count: '5.00',
      price: '0.2300',
      time_in_force: 'fill_or_kill',
      self_trade_prevention_type: 'taker_at_cross',
    });
    expect(
      toCreateOrderV2Body({
        ...base,
        side: 'ask',
        reduceOnly: true,
        postOnly: false,
        timeInForce: 'good_till_canceled',
        expirationTime: 1_754_251_200_999,
      }),
    ).toMatchObject({ side: 'ask', reduce_only: true, post_only: false, expiration_time: 1_754_251_200 });
  });

  it('refuses impossible orders before anything is sent', () => {
    expect(() => toCreateOrderV2Body({ ...base, count: 0 })).toThrow(WireFieldError);
    expect(() => toCreateOrderV2Body({ ...base, count: 1.5 })).toThrow(/count/);
    expect(() => toCreateOrderV2Body({ ...base, price: 10_000 })).toThrow(/price/);
    expect(() => toCreateOrderV2Body({ ...base, price: 22.5 })).toThrow(/price/);
    expect(() => toCreateOrderV2Body({ ...base, clientOrderId: '' })).toThrow(/clientOrderId/);
    expect(() => toCreateOrderV2Body({ ...base, expirationTime: 1 })).toThrow(/good_till_canceled/);
  });
});

describe('WebSocket messages (AsyncAPI examples)', () => {
  it('command replies', () => {
    expect(
      parseKalshiWsMessage({ id: 1, type: 'subscribed', msg: { channel: 'orderbook_delta', sid: 1 } }),
    ).toEqual({ type: 'subscribed', id: 1, channel: 'orderbook_delta', sid: 1 });
    expect(parseKalshiWsMessage({ sid: 2, type: 'unsubscribed' })).toEqual({
      type: 'unsubscribed',
      id: undefined,
      sid: 2,
      seq: undefined,
    });
    expect(
      parseKalshiWsMessage({ id: 123, sid: 456, seq: 222, type: 'ok', market_tickers: ['A', 'B'] }),
    ).toMatchObject({ type: 'ok', id: 123, sid: 456, seq: 222, marketTickers: ['A', 'B'] });
    expect(
      parseKalshiWsMessage({ id: 3, type: 'ok', subscriptions: [{ channel: 'ticker', sid: 2 }] }),
    ).toMatchObject({ type: 'ok', subscriptions: [{ channel: 'ticker', sid: 2 }] });
    expect(
      parseKalshiWsMessage({
        id: 3,
        type: 'list_subscriptions',
        subscriptions: [{ channel: 'fill', sid: 3 }],
      }),
    ).toEqual({ type: 'list_subscriptions', id: 3, subscriptions: [{ channel: 'fill', sid: 3 }] });
    expect(
      parseKalshiWsMessage({
        id: 127,
        type: 'error',
        msg: { code: 16, msg: 'Market not found', market_ticker: 'X' },
      }),
    ).toEqual({ type: 'error', id: 127, code: 16, message: 'Market not found', marketTicker: 'X' });
  });

  it('orderbook snapshot: fp form preferred over dollars and legacy', () => {
    const message = parseKalshiWsMessage({
      type: 'orderbook_snapshot',
      sid: 2,
      seq: 2,
      msg: {
        market_ticker: 'FED-23DEC-T3.00',
        yes: [
          [8, 300],
          [22, 333],
        ],
        yes_dollars: [
          ['0.080', 300],
          ['0.220', 333],
        ],
        yes_dollars_fp: [
          ['0.0800', '300.00'],
          ['0.2200', '333.00'],
        ],
        no: [
          [54, 20],
          [56, 146],
        ],
        no_dollars: [
          ['0.540', 20],
          ['0.560', 146],
        ],
        no_dollars_fp: [
          ['0.5400', '20.00'],
          ['0.5600', '146.00'],
        ],
      },
    });
    expect(message).toEqual({
      type: 'orderbook_snapshot',
      sid: 2,
      seq: 2,
      snapshot: {
        marketTicker: 'FED-23DEC-T3.00',
        yesBids: [
          { price: 2_200, count: 333 },
          { price: 800, count: 300 },
        ],
        noBids: [
          { price: 5_600, count: 146 },
          { price: 5_400, count: 20 },
        ],
      },
    });
    const legacyOnly = parseKalshiWsMessage({
      type: 'orderbook_snapshot',
      sid: 1,
      seq: 1,
      msg: { market_ticker: 'M', no: [[54, 20]] },
    });
    expect(legacyOnly).toMatchObject({ snapshot: { yesBids: [], noBids: [{ price: 5_400, count: 20 }] } });
  });

  it('orderbook delta', () => {
    expect(
      parseKalshiWsMessage({
        type: 'orderbook_delta',
        sid: 2,
        seq: 3,
        msg: {
          market_ticker: 'M',
          price: 96,
          price_dollars: '0.960',
          delta: -54,
          delta_fp: '-54.00',
          side: 'yes',
          client_order_id: 'c',
        },
      }),
    ).toEqual({
      type: 'orderbook_delta',
      sid: 2,
      seq: 3,
      delta: { marketTicker: 'M', side: 'yes', price: 9_600, delta: -54, clientOrderId: 'c' },
    });
    expect(() =>
      parseKalshiWsMessage({
        type: 'orderbook_delta',
        sid: 2,
        seq: 3,
        msg: { market_ticker: 'M', price_dollars: '0.96', delta_fp: '-0.50', side: 'yes' },
      }),
    ).toThrow(KalshiWsParseError);
    expect(() =>
      parseKalshiWsMessage({
        type: 'orderbook_delta',
        sid: 2,
        seq: 3,
        msg: { market_ticker: 'M', price_dollars: '0.96', delta_fp: '1.00', side: 'maybe' },
      }),
    ).toThrow(/orderbook_delta/);
  });

  it('ticker: absolute totals, YES ask from the NO bid', () => {
    const message = parseKalshiWsMessage({
      type: 'ticker',
      sid: 11,
      msg: {
        market_ticker: 'M',
        price: 48,
        price_dollars: '0.480',
        yes_bid_dollars: '0.345',
        no_bid_dollars: '0.655',
        volume: 33896,
        volume_fp: '33896.00',
        open_interest: 20422,
        open_interest_fp: '20422.00',
        dollar_volume: 16948,
        dollar_open_interest: 10211,
        ts: 1669149841,
      },
    });
    expect(message).toMatchObject({
      type: 'ticker',
      sid: 11,
      ticker: {
        yesBid: 3_450,
        yesAsk: 3_450,
        noBid: 6_550,
        noAsk: 6_550,
        lastPrice: 4_800,
        volume: 33_896,
        openInterest: 20_422,
        ts: 1_669_149_841_000,
      },
    });
  });

  it('trade and fill', () => {
    expect(
      parseKalshiWsMessage({
        type: 'trade',
        sid: 11,
        msg: {
          market_ticker: 'M',
          yes_price: 36,
          yes_price_dollars: '0.360',
          no_price: 64,
          no_price_dollars: '0.640',
          count: 136,
          count_fp: '136.00',
          taker_side: 'no',
          ts: 1669149841,
        },
      }),
    ).toMatchObject({ trade: { yesPrice: 3_600, noPrice: 6_400, count: 136, takerSide: 'no' } });
    const fill = parseKalshiWsMessage({
      type: 'fill',
      sid: 13,
      msg: {
        trade_id: 'd91b',
        order_id: 'ee58',
        market_ticker: 'M',
        is_taker: true,
        side: 'yes',
        yes_price: 75,
        yes_price_dollars: '0.750',
        count: 278,
        count_fp: '278.00',
        action: 'buy',
        ts: 1671899397,
        post_position: 500,
        post_position_fp: '500.00',
      },
    });
    expect(fill).toEqual({
      type: 'fill',
      sid: 13,
      seq: undefined,
      fill: {
        tradeId: 'd91b',
        orderId: 'ee58',
        marketTicker: 'M',
        isTaker: true,
        bookSide: 'bid',
        outcomeSide: 'yes',
        yesPrice: 7_500,
        noPrice: 2_500,
        count: 278,
        ts: 1_671_899_397_000,
        clientOrderId: undefined,
        postPosition: 500,
        fee: undefined,
      },
    });
    const sellNo = parseKalshiWsMessage({
      type: 'fill',
      sid: 13,
      msg: {
        trade_id: 't',
        order_id: 'o',
        market_ticker: 'M',
        is_taker: false,
        side: 'no',
        action: 'sell',
        purchased_side: 'yes',
        yes_price_dollars: '0.7500',
        count_fp: '1.00',
        ts: 1,
      },
    });
    expect(sellNo).toMatchObject({ fill: { bookSide: 'bid', outcomeSide: 'yes' } });
  });

  it('market_position: centi-cents as sent', () => {
    expect(
      parseKalshiWsMessage({
        type: 'market_position',
        sid: 14,
        msg: {
          user_id: 'u',
          market_ticker: 'M',
          position: 100,
          position_fp: '100.00',
          position_cost: 500000,
          realized_pnl: 100000,
          fees_paid: 10000,
          volume: 15,
          volume_fp: '15.00',
        },
      }),
    ).toMatchObject({
      position: { position: 100, positionCost: 500_000, realizedPnl: 100_000, feesPaid: 10_000, volume: 15 },
    });
    expect(() =>
      parseKalshiWsMessage({
        type: 'market_position',
        sid: 14,
        msg: { market_ticker: 'M', position: 1, position_cost: 1.5, realized_pnl: 0, fees_paid: 0 },
      }),
    ).toThrow();
  });

  it('user_order: the REST order shape', () => {
    expect(
      parseKalshiWsMessage({ type: 'user_order', sid: 4, seq: 9, msg: currentOrder({ status: 'resting' }) }),
    ).toMatchObject({
      type: 'user_order',
      seq: 9,
      order: { orderId: 'ord-1', status: 'resting', yesPrice: 2_300 },
    });
  });

  it('lifecycle messages', () => {
    expect(
      parseKalshiWsMessage({
        type: 'market_lifecycle_v2',
        sid: 13,
        msg: {
          market_ticker: 'KXBTCD-25AUG0316-T114749.99',
          event_type: 'created',
          open_ts: 1694635200,
          close_ts: 1694721600,
          additional_metadata: { floor_strike: '114749.99', strike_type: 'greater' },
        },
      }),
    ).toMatchObject({
      lifecycle: {
        eventType: 'created',
        openTime: 1_694_635_200_000,
        closeTime: 1_694_721_600_000,
        strike: 114_750,
      },
    });
    expect(
      parseKalshiWsMessage({
        type: 'market_lifecycle_v2',
        sid: 13,
        msg: { market_ticker: 'M', event_type: 'determined', result: 'yes', determination_ts: 1694721670 },
      }),
    ).toMatchObject({ lifecycle: { result: 'yes', determinationTime: 1_694_721_670_000 } });
    expect(
      parseKalshiWsMessage({
        type: 'event_lifecycle',
        sid: 5,
        msg: {
          event_ticker: 'INXD-23SEP14',
          title: 't',
          sub_title: 's',
          collateral_return_type: 'DIRECNET',
          series_ticker: 'INXD',
          strike_date: 1694721600,
        },
      }),
    ).toMatchObject({ lifecycle: { eventTicker: 'INXD-23SEP14', strikeDate: 1_694_721_600_000 } });
    expect(
      parseKalshiWsMessage({
        type: 'order_group_updates',
        sid: 21,
        seq: 7,
        msg: { event_type: 'limit_updated', order_group_id: 'og_123', contracts_limit_fp: '150.00' },
      }),
    ).toMatchObject({ seq: 7, update: { contractsLimit: 150 } });
  });

  it('parses cfbenchmarks_value (the simulator’s shape; Kalshi’s is unconfirmed) and refuses bad values', () => {
    const print = (msg: Record<string, unknown>) => ({ type: 'cfbenchmarks_value', sid: 3, msg });
    expect(
      parseKalshiWsMessage(print({ index: 'BRTI', value_dollars: '115000.12', ts: 1_767_625_140 })),
    ).toEqual({
      type: 'cfbenchmarks_value',
      sid: 3,
      seq: undefined,
      value: { index: 'BRTI', symbol: 'BTC', value: 115_000.12, timeMs: 1_767_625_140_000 },
    });
    expect(parseKalshiWsMessage(print({ index: 'ETHUSD_RTI', value_dollars: '3800', ts: 1 }))).toMatchObject({
      value: { symbol: 'ETH', value: 3_800 },
    });
    expect(parseKalshiWsMessage(print({ index: 'SPX', value_dollars: '1.5', ts: 1 }))).toMatchObject({
      value: { symbol: undefined },
    });
    for (const bad of ['115000.123', '-1.00', '1e5', '']) {
      expect(() => parseKalshiWsMessage(print({ index: 'BRTI', value_dollars: bad, ts: 1 }))).toThrow(
        KalshiWsParseError,
      );
    }
    expect(() => parseKalshiWsMessage(print({ index: 'BRTI', value_dollars: '1.00' }))).toThrow(/ts/);
  });

  it('unknown types keep sid/seq; typeless and malformed messages throw', () => {
    expect(parseKalshiWsMessage({ type: 'multivariate_lookup', sid: 3, seq: 4, msg: {} })).toEqual({
      type: 'unknown',
      rawType: 'multivariate_lookup',
      sid: 3,
      seq: 4,
    });
    expect(() => parseKalshiWsMessage({ sid: 1 })).toThrow(/without a "type"/);
    expect(() => parseKalshiWsMessage('heartbeat')).toThrow(KalshiWsParseError);
    expect(() => parseKalshiWsMessage({ type: 'subscribed', msg: { channel: 'x' } })).toThrow(
      /bad subscribed message/,
    );
  });
});
