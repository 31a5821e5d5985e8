/**
 * The snapshot builder on a real Kalshi event (GET /events/KXBTCD-25JUL2615, 2025 wire format,
 * integer cents): 75 strikes, quotes with Kalshi's own asks to check the derived ones against.
 */
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { parseTopicPayload } from '../../../src/core/bus/topics.ts';
import { strikeFromFloorStrike } from '../../../src/domain/kalshi/tickers.ts';
import { buildMarketSnapshot, type MarketBookTop } from '../../../src/domain/market-data/market-snapshot.ts';
import type { KalshiMarketStatus } from '../../../src/domain/market-data/market-status.ts';

const FILE = fileURLToPath(
  new URL('../../../../shared/data/kalshi-2025/event_KXBTCD-25JUL2615.json', import.meta.url),
);

interface WireMarket {
  ticker: string;
  status: KalshiMarketStatus;
  floor_strike: number;
  close_time: string;
  yes_bid: number;
  yes_ask: number;
  no_bid: number;
  no_ask: number;
  last_price: number;
  volume: number;
}

const { event, markets } = (
  JSON.parse(readFileSync(FILE, 'utf8')) as {
    data: { event: { event_ticker: string; strike_date: string }; markets: WireMarket[] };
  }
).data;

describe('market snapshot from a real 2025 event', () => {
  // Kalshi's quote as a book top: a 0 bid means "no bid"; sizes are not in this payload (1).
  const tops = new Map<string, MarketBookTop>(
    markets.map((m) => [
      m.ticker,
      {
        yesBid: m.yes_bid > 0 ? { price: m.yes_bid * 100, count: 1 } : undefined,
        noBid: m.no_bid > 0 ? { price: m.no_bid * 100, count: 1 } : undefined,
      },
    ]),
  );
  const byTicker = new Map(markets.map((m) => [m.ticker, m]));
  const snapshot = buildMarketSnapshot(
    'BTC',
    {
      eventTicker: event.event_ticker,
      closeTimeMs: Date.parse(event.strike_date),
      // Unsorted on purpose: the builder sorts.
      markets: [...markets].reverse().map((m) => ({
        ticker: m.ticker,
        status: m.status,
        strike: strikeFromFloorStrike(m.floor_strike),
      })),
    },
    {
      bookTop: (t) => tops.get(t),
      activity: (t) => {
        const m = byTicker.get(t)!;
        return { lastTradePrice: m.last_price > 0 ? m.last_price * 100 : null, volume: m.volume };
      },
    },
  );

  it('has one row per market, sorted by strike, $250 apart, strikes agreeing with the tickers', () => {
    expect(snapshot.rows).toHaveLength(75);
    expect(snapshot.closeTimeMs).toBe(Date.UTC(2025, 6, 26, 19, 0, 0));
    snapshot.rows.forEach((row, i) => {
      expect(row.ticker).toBe(`KXBTCD-25JUL2615-T${row.strike - 1}.99`);
      if (i > 0) expect(row.strike - snapshot.rows[i - 1]!.strike).toBe(250);
    });
  });

  it('derives the asks Kalshi itself reported (YES ask = 1 − NO bid), 100 ¢ meaning none', () => {
    for (const row of snapshot.rows) {
      const m = byTicker.get(row.ticker)!;
      expect(row.yesAsk).toBe(m.yes_ask === 100 ? null : m.yes_ask * 100);
      expect(row.noAsk).toBe(m.no_ask === 100 ? null : m.no_ask * 100);
    }
  });

  it('passes the market.<sym> schema', () => {
    expect(() =>
      parseTopicPayload('market.btc', { ...snapshot, seq: 1, at: snapshot.closeTimeMs - 60_000 }),
    ).not.toThrow();
  });
});
