import { describe, expect, it } from 'vitest';
import { parseCoinbaseMessage } from '../../../integrations/coinbase/models.ts';
import type { Candle } from './source.ts';
import { candleRows, dayStats, heartbeatMessage, isoMicros, size, tickerMessage } from './wire.ts';

const T0 = Date.UTC(2024, 11, 7, 18, 0, 0);

const candle = (minute: number, open: number, close: number, volume = 1): Candle => ({
  startMs: T0 + minute * 60_000,
  open,
  close,
  high: Math.max(open, close) + 1,
  low: Math.min(open, close) - 1,
  volume,
});

describe('Coinbase wire', () => {
  it('writes a ticker with strings for numbers and microsecond time, readable by our client model', () => {
    const tick = {
      productId: 'BTC-USD',
      timeMs: T0 + 542,
      price: 99_728.83,
      side: 'buy' as const,
      size: 0.000261,
      bestBid: 99_718.01,
      bestAsk: 99_728.83,
      sequence: 93_525_999_403,
      tradeId: 734_680_334,
    };
    const stats = {
      open24h: 100_966.53,
      high24h: 102_104.12,
      low24h: 99_012.73,
      volume24h: 9_756.916611,
      volume30d: 539_862.627144,
    };
    const message = tickerMessage(tick, stats);
    expect(message).toMatchObject({
      price: '99728.83',
      open_24h: '100966.53',
      volume_24h: '9756.916611',
      last_size: '0.000261',
      trade_id: 734_680_334,
      sequence: 93_525_999_403,
    });
    expect(message.time).toMatch(/^2024-12-07T18:00:00\.542\d{3}Z$/);
    const parsed = parseCoinbaseMessage(JSON.parse(JSON.stringify(message)));
    expect(parsed).toEqual({
      type: 'ticker',
      tick: expect.objectContaining({
        price: 99_728.83,
        priceCents: 9_972_883,
        tradeId: 734_680_334,
        time: T0 + 542,
      }),
    });
    const heartbeat = parseCoinbaseMessage(heartbeatMessage('BTC-USD', 7, 734_680_334, T0));
    expect(heartbeat).toEqual({
      type: 'heartbeat',
      heartbeat: { productId: 'BTC-USD', sequence: 7, lastTradeId: 734_680_334, time: T0 },
    });
  });

  it('formats sizes without trailing zeros and keeps microseconds stable per trade', () => {
    expect(size(0.5)).toBe('0.5');
    expect(size(12)).toBe('12.0');
    expect(size(0.000000019)).toBe('0.00000002');
    expect(isoMicros(T0, 5)).toBe(isoMicros(T0, 5));
    expect(isoMicros(T0, 5)).toMatch(/^2024-12-07T18:00:00\.000\d{3}Z$/);
  });

  it('rolls minutes up into buckets, newest first, without buckets still running', () => {
    const minutes = [
      candle(0, 10, 11, 1),
      candle(1, 11, 9, 2),
      candle(4, 9, 12, 0.5),
      candle(5, 12, 13),
      candle(6, 13, 14),
    ];
    // now = 6.5 minutes in: the 5-minute bucket starting at minute 5 is still running
    const rows = candleRows(minutes, 300, T0, T0 + 10 * 60_000, T0 + 390_000);
    expect(rows).toEqual([[T0 / 1000, 8, 13, 10, 12, 3.5]]);
    const ones = candleRows(minutes, 60, T0 + 60_000, T0 + 5 * 60_000, T0 + 390_000);
    expect(ones.map((r) => r[0])).toEqual([T0 / 1000 + 300, T0 / 1000 + 240, T0 / 1000 + 60]);
  });

  it('computes the 24-hour and 30-day figures from minutes', () => {
    const now = T0 + 86_400_000 + 30_000; // the day starts 30 s after the first minute began
    const minutes = [candle(0, 5, 6, 10), candle(1, 6, 7, 2), candle(1_440 + 1, 7, 8, 3)];
    expect(dayStats(minutes, now, 8.5)).toEqual({
      open24h: 6,
      high24h: 9,
      low24h: 5,
      volume24h: 5,
      volume30d: 15,
    });
    expect(dayStats([], now, 8.5)).toEqual({
      open24h: 8.5,
      high24h: 8.5,
      low24h: 8.5,
      volume24h: 0,
      volume30d: 0,
    });
  });
});
