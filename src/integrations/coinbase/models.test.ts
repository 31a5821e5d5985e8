import { describe, it, expect } from 'vitest';
import { CoinbaseParseError, candlesResponseSchema, parseCoinbaseMessage } from './models.ts';

const TICKER = {
  type: 'ticker',
  sequence: 93525999403,
  product_id: 'BTC-USD',
  price: '99728.83',
  open_24h: '100966.53',
  volume_24h: '9756.916611',
  low_24h: '99012.73',
  high_24h: '102104.12',
  volume_30d: '539862.627144',
  best_bid: '99718.01',
  best_bid_size: '0.024535',
  best_ask: '99728.83',
  best_ask_size: '0.062982',
  side: 'buy',
  time: '2024-12-07T18:00:00.542551Z',
  trade_id: 734680334,
  last_size: '0.000261',
};

describe('Coinbase feed messages', () => {
  it('ticker (the documented example): strings to exact cents, exchange time to ms', () => {
    expect(parseCoinbaseMessage(TICKER)).toEqual({
      type: 'ticker',
      tick: {
        productId: 'BTC-USD',
        sequence: 93525999403,
        tradeId: 734680334,
        price: 99728.83,
        priceCents: 9_972_883,
        bestBid: 99718.01,
        bestAsk: 99728.83,
        bestBidSize: 0.024535,
        bestAskSize: 0.062982,
        side: 'buy',
        lastSize: 0.000261,
        volume24h: 9756.916611,
        time: Date.UTC(2024, 11, 7, 18, 0, 0, 542),
      },
    });
  });

  it('rounds a finer price half-up to cents (ETH quotes have 2 decimals, but be safe)', () => {
    const message = parseCoinbaseMessage({ ...TICKER, product_id: 'ETH-USD', price: '3500.125' });
    expect(message).toMatchObject({ tick: { price: 3500.13, priceCents: 350_013 } });
  });

  it('heartbeat, subscriptions (both channel forms), error, unknown', () => {
    expect(
      parseCoinbaseMessage({
        type: 'heartbeat',
        sequence: 5,
        last_trade_id: 7,
        product_id: 'BTC-USD',
        time: '2024-12-07T18:00:01.000000Z',
      }),
    ).toEqual({
      type: 'heartbeat',
      heartbeat: { productId: 'BTC-USD', sequence: 5, lastTradeId: 7, time: Date.UTC(2024, 11, 7, 18, 0, 1) },
    });
    expect(
      parseCoinbaseMessage({
        type: 'subscriptions',
        channels: [{ name: 'ticker', product_ids: ['BTC-USD'] }, 'heartbeat'],
      }),
    ).toEqual({
      type: 'subscriptions',
      channels: [
        { name: 'ticker', productIds: ['BTC-USD'] },
        { name: 'heartbeat', productIds: [] },
      ],
    });
    expect(
      parseCoinbaseMessage({
        type: 'error',
        message: 'Failed to subscribe',
        reason: 'BTC-XYZ is not a valid product',
      }),
    ).toEqual({ type: 'error', message: 'Failed to subscribe', reason: 'BTC-XYZ is not a valid product' });
    expect(parseCoinbaseMessage({ type: 'l2update' })).toEqual({ type: 'unknown', rawType: 'l2update' });
  });

  it('rejects malformed messages with the reason', () => {
    expect(() => parseCoinbaseMessage({ ...TICKER, price: 99728.83 })).toThrow(CoinbaseParseError);
    expect(() => parseCoinbaseMessage({ ...TICKER, price: '9e4' })).toThrow(/decimal string/);
    expect(() => parseCoinbaseMessage({ ...TICKER, time: 'yesterday' })).toThrow(/not a timestamp/);
    expect(() => parseCoinbaseMessage({ ...TICKER, trade_id: undefined })).toThrow(/bad ticker message/);
    expect(() => parseCoinbaseMessage({ price: '1' })).toThrow(/without a "type"/);
  });
});

describe('candles response', () => {
  it('parses rows (seconds → ms) and rejects inconsistent ones', () => {
    expect(candlesResponseSchema.parse([[1722700860, 60990.1, 61010.5, 61000, 61005.25, 3.2]])).toEqual([
      { time: 1_722_700_860_000, low: 60990.1, high: 61010.5, open: 61000, close: 61005.25, volume: 3.2 },
    ]);
    expect(() => candlesResponseSchema.parse([[1722700860, 61010, 61000, 61005, 61005, 1]])).toThrow(
      /outside/,
    );
    expect(() => candlesResponseSchema.parse([[1722700860, 0, 1, 1, 1, 1]])).toThrow(/non-positive/);
    expect(() => candlesResponseSchema.parse([[1722700860.5, 1, 1, 1, 1, 1]])).toThrow();
    expect(() => candlesResponseSchema.parse({ message: 'oops' })).toThrow();
  });
});
