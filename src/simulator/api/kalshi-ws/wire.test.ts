import { describe, expect, it } from 'vitest';
import { parseKalshiWsMessage } from '../../../integrations/kalshi/models.ts';
import type { FillRecord, MarketState, OrderRecord, PositionRecord } from '../../engine/types.ts';
import {
  eventLifecycleMsg,
  fillMsg,
  marketLifecycleMsg,
  marketPositionMsg,
  orderbookDeltaMsg,
  orderbookSnapshotMsg,
  tickerMsg,
  tradeMsg,
  userOrderMsg,
} from './wire.ts';

const T = 'KXBTCD-25AUG0316-T114749.99';
const TS = Date.UTC(2025, 7, 3, 19, 30, 12, 345);

const parse = (type: string, msg: unknown, seq?: number) =>
  parseKalshiWsMessage({ type, sid: 3, ...(seq === undefined ? {} : { seq }), msg });

describe('Kalshi WS wire shapes parse through our client models', () => {
  it('orderbook snapshot: ascending fp levels, empty sides left out', () => {
    const msg = orderbookSnapshotMsg(
      T,
      [
        [2_000, 5],
        [2_100, 150],
      ],
      [],
    );
    expect(msg).toEqual({
      market_ticker: T,
      yes_dollars_fp: [
        ['0.2000', '5.00'],
        ['0.2100', '150.00'],
      ],
    });
    expect(parse('orderbook_snapshot', msg, 1)).toMatchObject({
      snapshot: {
        marketTicker: T,
        yesBids: [
          { price: 2_100, count: 150 },
          { price: 2_000, count: 5 },
        ],
        noBids: [],
      },
    });
  });

  it('orderbook delta: client_order_id only when asked', () => {
    const event = {
      type: 'orderbook_delta' as const,
      ticker: T,
      side: 'no' as const,
      priceCc: 9_600,
      delta: -54,
      causedByAccountId: 'a',
      causedByClientOrderId: 'c-1',
      tsMs: TS,
    };
    expect(orderbookDeltaMsg(event, false)).toEqual({
      market_ticker: T,
      price: 96,
      price_dollars: '0.9600',
      delta: -54,
      delta_fp: '-54.00',
      side: 'no',
    });
    expect(parse('orderbook_delta', orderbookDeltaMsg(event, true), 7)).toMatchObject({
      seq: 7,
      delta: { marketTicker: T, side: 'no', price: 9_600, delta: -54, clientOrderId: 'c-1' },
    });
  });

  it('ticker: absolute quote; a missing side reads 0 (so the ask is $1)', () => {
    const quote = {
      yesBidCc: 4_500,
      yesAskCc: null,
      lastPriceCc: 4_800,
      volume: 33_896,
      openInterest: 20_422,
    };
    const msg = tickerMsg(T, quote, TS);
    expect(msg).toMatchObject({
      price: 48,
      price_dollars: '0.4800',
      no_bid_dollars: '0.0000',
      ts: Math.floor(TS / 1000),
    });
    expect(parse('ticker', msg)).toMatchObject({
      ticker: {
        yesBid: 4_500,
        yesAsk: 10_000,
        noBid: 0,
        lastPrice: 4_800,
        volume: 33_896,
        openInterest: 20_422,
      },
    });
  });

  it('trade, fill, position and order', () => {
    const trade = {
      tradeId: 't-1',
      ticker: T,
      count: 136,
      yesPriceCc: 3_600,
      noPriceCc: 6_400,
      takerSide: 'ask' as const,
      takerOutcomeSide: 'no' as const,
      createdTime: TS,
    };
    expect(parse('trade', tradeMsg(trade))).toMatchObject({
      trade: {
        tradeId: 't-1',
        yesPrice: 3_600,
        noPrice: 6_400,
        count: 136,
        takerSide: 'no',
        ts: 1_754_249_412_000,
      },
    });

    const fill: FillRecord = {
      fillId: 't-1',
      tradeId: 't-1',
      orderId: 'o-1',
      accountId: 'a',
      clientOrderId: '',
      ticker: T,
      side: 'ask',
      outcomeSide: 'no',
      count: 4,
      yesPriceCc: 300,
      noPriceCc: 9_700,
      isTaker: true,
      feeCc: 300,
      postPosition: -4,
      createdTime: TS,
    };
    const fillWire = fillMsg(fill);
    expect(fillWire).not.toHaveProperty('client_order_id');
    expect(parse('fill', fillWire)).toMatchObject({
      fill: {
        bookSide: 'ask',
        outcomeSide: 'no',
        yesPrice: 300,
        noPrice: 9_700,
        count: 4,
        postPosition: -4,
        fee: 300,
      },
    });

    const position: PositionRecord = {
      accountId: 'a',
      ticker: T,
      eventTicker: 'KXBTCD-25AUG0316',
      position: -4,
      costBasisCc: 38_800,
      realizedPnlCc: -1_200,
      feesPaidCc: 300,
      totalTradedCc: 38_800,
      volume: 4,
      lastUpdatedTime: TS,
    };
    expect(marketPositionMsg(position)).toMatchObject({
      position_cost: 38_800,
      realized_pnl: -1_200,
      fees_paid: 300,
    });
    expect(parse('market_position', marketPositionMsg(position))).toMatchObject({
      position: { position: -4, positionCost: 38_800, realizedPnl: -1_200, feesPaid: 300, volume: 4 },
    });

    const order: OrderRecord = {
      orderId: 'o-1',
      accountId: 'a',
      clientOrderId: 'c-1',
      ticker: T,
      side: 'ask',
      outcomeSide: 'no',
      yesPriceCc: 300,
      noPriceCc: 9_700,
      timeInForce: 'good_till_canceled',
      postOnly: false,
      reduceOnly: false,
      selfTradePrevention: 'taker_at_cross',
      expirationTime: null,
      status: 'resting',
      initialCount: 10,
      fillCount: 4,
      remainingCount: 6,
      reducedCount: 0,
      takerFillCostCc: 38_800,
      makerFillCostCc: 0,
      takerFeesCc: 300,
      makerFeesCc: 0,
      takerFillCount: 4,
      makerFillCount: 0,
      reservedCc: 58_200,
      priority: 1,
      cancelReason: null,
      createdTime: TS,
      lastUpdateTime: TS + 5,
    };
    expect(parse('user_order', userOrderMsg(order))).toMatchObject({
      order: {
        orderId: 'o-1',
        clientOrderId: 'c-1',
        bookSide: 'ask',
        outcomeSide: 'no',
        yesPrice: 300,
        noPrice: 9_700,
        initialCount: 10,
        fillCount: 4,
        remainingCount: 6,
        takerFees: 300,
        createdTime: TS,
        lastUpdateTime: TS + 5,
      },
    });
  });

  it('lifecycle: Kalshi event types, strike metadata on created, nothing for the engine’s "closed"', () => {
    const market = {
      ticker: T,
      eventTicker: 'KXBTCD-25AUG0316',
      seriesTicker: 'KXBTCD',
      strike: 114_750,
      openTime: TS - 1_800_000,
      closeTime: Date.UTC(2025, 7, 3, 20),
      status: 'determined',
      result: 'yes',
      determinedTime: TS,
      settledTime: null,
    } as MarketState;
    const created = marketLifecycleMsg('created', market, TS)!;
    expect(created.additional_metadata).toMatchObject({ floor_strike: '114749.99', strike_type: 'greater' });
    expect(parse('market_lifecycle_v2', created)).toMatchObject({
      lifecycle: { eventType: 'created', strike: 114_750, closeTime: market.closeTime },
    });
    expect(parse('market_lifecycle_v2', marketLifecycleMsg('determined', market, TS))).toMatchObject({
      lifecycle: { eventType: 'determined', result: 'yes', determinationTime: Math.floor(TS / 1000) * 1000 },
    });
    expect(marketLifecycleMsg('closed', market, TS)).toBeUndefined();
    // a series without wording still gets the strike metadata
    const other = marketLifecycleMsg('created', { ...market, seriesTicker: 'KXOTHER' }, TS)!;
    expect(other.additional_metadata).toEqual(expect.objectContaining({ floor_strike: '114749.99' }));
    expect(other.additional_metadata).not.toHaveProperty('title');

    const listed = eventLifecycleMsg({
      eventTicker: 'KXETHD-25AUG0316',
      seriesTicker: 'KXETHD',
      symbol: 'ETH',
      closeTime: market.closeTime,
    });
    expect(parse('event_lifecycle', listed)).toMatchObject({
      lifecycle: { eventTicker: 'KXETHD-25AUG0316', title: 'Ethereum price on Aug 3, 2025 at 4pm EDT?' },
    });
  });
});
