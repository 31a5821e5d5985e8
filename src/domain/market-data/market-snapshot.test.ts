import { describe, expect, it } from 'vitest';
import { buildMarketSnapshot, type EventListing, type MarketBookTop } from './market-snapshot.ts';

const CLOSE = Date.UTC(2025, 7, 3, 20, 0, 0);
const EVENT = 'KXBTCD-25AUG0316';
const event: EventListing = {
  eventTicker: EVENT,
  closeTimeMs: CLOSE,
  // Deliberately unsorted; one strike given, the others parsed from the ticker.
  markets: [
    { ticker: `${EVENT}-T114999.99`, status: 'active' },
    { ticker: `${EVENT}-T114499.99`, status: 'active', strike: 114_500 },
    { ticker: `${EVENT}-T114749.99`, status: 'closed' },
  ],
};

describe('buildMarketSnapshot', () => {
  it('derives both asks from the opposite bids and sorts rows by strike', () => {
    const books = new Map<string, MarketBookTop>([
      [`${EVENT}-T114499.99`, { yesBid: { price: 9_100, count: 12 }, noBid: { price: 700, count: 30 } }],
      [`${EVENT}-T114749.99`, { yesBid: { price: 5_600, count: 5 } }],
    ]);
    const activity = new Map([[`${EVENT}-T114499.99`, { lastTradePrice: 9_200, volume: 1_250 }]]);
    const snapshot = buildMarketSnapshot('BTC', event, {
      bookTop: (t) => books.get(t),
      activity: (t) => activity.get(t),
    });
    expect(snapshot).toMatchObject({ symbol: 'BTC', eventTicker: EVENT, closeTimeMs: CLOSE });
    expect(snapshot.rows).toEqual([
      {
        ticker: `${EVENT}-T114499.99`,
        strike: 114_500,
        status: 'active',
        hasBook: true,
        yesBid: 9_100,
        yesAsk: 9_300, // 1 − NO bid 0.07
        noBid: 700,
        noAsk: 900, // 1 − YES bid 0.91
        yesBidSize: 12,
        noBidSize: 30,
        lastTrade: 9_200,
        volume: 1_250,
      },
      {
        ticker: `${EVENT}-T114749.99`,
        strike: 114_750,
        status: 'closed',
        hasBook: true,
        yesBid: 5_600,
        yesAsk: null, // no NO bids: nothing to buy YES from
        noBid: null,
        noAsk: 4_400,
        yesBidSize: 5,
        noBidSize: 0,
        lastTrade: null,
        volume: null,
      },
      {
        ticker: `${EVENT}-T114999.99`,
        strike: 115_000,
        status: 'active',
        hasBook: false,
        yesBid: null,
        yesAsk: null,
        noBid: null,
        noAsk: null,
        yesBidSize: 0,
        noBidSize: 0,
        lastTrade: null,
        volume: null,
      },
    ]);
  });

  it('refuses markets of another event, repeated strikes and impossible book levels', () => {
    const none = { bookTop: () => undefined };
    const foreign = {
      ...event,
      markets: [{ ticker: 'KXBTCD-25AUG0317-T114999.99', status: 'active' as const }],
    };
    expect(() => buildMarketSnapshot('BTC', foreign, none)).toThrow(/not in event KXBTCD-25AUG0316/);
    const twice = { ...event, markets: [event.markets[0]!, { ...event.markets[0]!, strike: 115_000 }] };
    expect(() => buildMarketSnapshot('BTC', twice, none)).toThrow(/strike 115000 listed twice/);
    const bad = (top: MarketBookTop) => () => buildMarketSnapshot('BTC', event, { bookTop: () => top });
    expect(bad({ yesBid: { price: 10_000, count: 1 } })).toThrow(/outside \(0, 10000\)/);
    expect(bad({ noBid: { price: 50.5, count: 1 } })).toThrow(/no bid price/);
    expect(bad({ noBid: { price: 500, count: 0 } })).toThrow(/size 0/);
  });
});

describe('strike from the ticker', () => {
  it('reads the integer strike of T<floor>.99 and refuses anything else', () => {
    const one = (ticker: string) =>
      buildMarketSnapshot(
        'BTC',
        { eventTicker: EVENT, closeTimeMs: CLOSE, markets: [{ ticker, status: 'active' }] },
        { bookTop: () => undefined },
      ).rows[0]?.strike;
    expect(one(`${EVENT}-T3499.99`)).toBe(3_500);
    expect(() => one(`${EVENT}-T3499.5`)).toThrow(/no strike/);
    expect(() => one(`${EVENT}-B3500`)).toThrow(/no strike/);
  });
});
