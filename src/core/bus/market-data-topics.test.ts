import { describe, expect, expectTypeOf, it } from 'vitest';
import { buildMarketSnapshot } from '../../domain/market-data/market-snapshot.ts';
import { MomentumTracker } from '../../domain/market-data/momentum-tracker.ts';
import { PerSecondPriceAggregator } from '../../domain/market-data/per-second-price.ts';
import {
  SettlementAverageTracker,
  summarizeSettlement,
} from '../../domain/market-data/settlement-average.ts';
import { MemoryBus } from './memory-bus.ts';
import {
  marketDataTopic,
  type IndexMessage,
  type MarketMessage,
  type PriceMessage,
} from './market-data-topics.ts';
import { parseTopicPayload, TopicValidationError, type PayloadFor } from './topics.ts';

const T0 = Date.UTC(2025, 7, 3, 19, 30, 0);
const CLOSE = Date.UTC(2025, 7, 3, 20, 0, 0);
const EVENT = 'KXBTCD-25AUG0316';

const noMomentum = {
  percent: null,
  bucket: null,
  score: null,
  arrows: null,
  direction: null,
  deltas: [],
  missingHorizons: [1, 2, 3, 4, 15, 30],
};

function price(overrides: Record<string, unknown> = {}): Record<string, unknown> {
  return {
    symbol: 'BTC',
    price: 114_780.26,
    priceCents: 11_478_026,
    secondMs: T0,
    carried: false,
    exchangeTimeMs: T0 + 412,
    tickAgeMs: 600,
    momentum: noMomentum,
    seq: 7,
    at: T0 + 1_000,
    ...overrides,
  };
}

function index(overrides: Record<string, unknown> = {}): Record<string, unknown> {
  return {
    symbol: 'ETH',
    value: 3_512.07,
    valueAtMs: CLOSE - 30_000,
    source: 'cfbenchmarks',
    windowCloseTimeMs: CLOSE,
    inWindow: true,
    secondsCovered: 2,
    windowSumCents: 702_415,
    runningAverage: 3_512.075,
    divergenceBps: -1.5,
    lastSettlement: null,
    seq: 1,
    at: CLOSE - 29_500,
    ...overrides,
  };
}

function row(overrides: Record<string, unknown> = {}): Record<string, unknown> {
  return {
    ticker: `${EVENT}-T114749.99`,
    strike: 114_750,
    status: 'active',
    hasBook: true,
    yesBid: 5_600,
    yesAsk: 5_800,
    noBid: 4_200,
    noAsk: 4_400,
    yesBidSize: 10,
    noBidSize: 3,
    lastTrade: 5_700,
    volume: 1_200,
    ...overrides,
  };
}

function market(rows: unknown[] = [row()]): Record<string, unknown> {
  return { symbol: 'BTC', eventTicker: EVENT, closeTimeMs: CLOSE, rows, seq: 3, at: CLOSE - 60_000 };
}

const issues = (topic: string, payload: unknown): string => {
  try {
    parseTopicPayload(topic, payload);
  } catch (error) {
    expect(error).toBeInstanceOf(TopicValidationError);
    return (error as Error).message;
  }
  throw new Error('payload was accepted');
};

describe('market-data topics', () => {
  it('names topics by lower-case symbol, typed for the bus', () => {
    const topic = marketDataTopic('price', 'BTC');
    expect(topic).toBe('price.btc');
    expect(marketDataTopic('market', 'ETH')).toBe('market.eth');
    expectTypeOf(topic).toEqualTypeOf<'price.btc'>();
    expectTypeOf<PayloadFor<'price.btc'>>().toEqualTypeOf<PriceMessage>();
    expectTypeOf<PayloadFor<'index.eth'>>().toEqualTypeOf<IndexMessage>();
    expectTypeOf<PayloadFor<'market.btc'>>().toEqualTypeOf<MarketMessage>();
  });

  describe('price', () => {
    it('accepts a valid message', () => {
      expect(parseTopicPayload('price.btc', price())).toEqual(price());
    });

    it('rejects wrong units and broken invariants, naming the field', () => {
      expect(issues('price.btc', price({ price: 100.001, priceCents: 10_000 }))).toMatch(
        /price: must be dollars/,
      );
      expect(issues('price.btc', price({ priceCents: 11_478_025 }))).toMatch(
        /priceCents: priceCents must equal/,
      );
      expect(issues('price.btc', price({ secondMs: T0 + 5 }))).toMatch(/secondMs: must be a whole second/);
      expect(issues('price.btc', price({ symbol: 'DOGE' }))).toMatch(/symbol: /);
      expect(issues('price.btc', price({ tickAgeMs: -1 }))).toMatch(/tickAgeMs: /);
      expect(
        issues('price.btc', price({ momentum: { ...noMomentum, missingHorizons: [1, 2, 3, 4, 15] } })),
      ).toMatch(/momentum.missingHorizons: deltas and missingHorizons must together list/);
      expect(issues('price.btc', price({ momentum: { ...noMomentum, bucket: 3 } }))).toMatch(/null together/);
      expect(
        issues('price.btc', price({ momentum: { ...noMomentum, missingHorizons: [1, 2, 3, 4, 15, 60] } })),
      ).toMatch(/momentum.missingHorizons.5: /);
    });

    it('accepts what the aggregator and the momentum tracker produce', () => {
      const aggregator = new PerSecondPriceAggregator({ latenessMs: 0 });
      const tracker = new MomentumTracker();
      tracker.seedFromCandles(
        Array.from({ length: 40 }, (_, m) => ({
          startMs: T0 - 40 * 60_000 + m * 60_000,
          closeCents: 11_470_000 + m * 37,
        })),
      );
      aggregator.addTick({ sequence: 1, timeMs: T0 + 412, price: 114_780.26 });
      const [second] = aggregator.sealUntil(T0 + 1_000);
      tracker.add(second!);
      const reading = tracker.reading()!;
      expect(reading.missingHorizons).toEqual([]);
      const message = {
        symbol: 'BTC',
        price: second!.price,
        priceCents: second!.priceCents,
        secondMs: second!.secondMs,
        carried: second!.carried,
        exchangeTimeMs: second!.tradeTimeMs,
        tickAgeMs: 588,
        momentum: reading, // extra fields (atMs, priceCents) are stripped
        seq: 1,
        at: T0 + 1_000,
      };
      const parsed = parseTopicPayload('price.btc', message) as PriceMessage;
      expect(parsed.momentum.bucket).toBe(reading.bucket);
      expect(parsed.momentum.deltas).toHaveLength(6);
      expect(parsed.momentum).not.toHaveProperty('atMs');
    });
  });

  describe('index', () => {
    it('accepts a valid message, with and without a last settlement', () => {
      expect(parseTopicPayload('index.eth', index())).toEqual(index());
      const settled = {
        closeTimeMs: CLOSE - 3_600_000,
        status: 'ok',
        printCount: 60,
        sumCents: 21_072_000,
        average: 3_512,
        display: '3512.00',
      };
      const outside = index({ inWindow: false, secondsCovered: 0, windowSumCents: 0, runningAverage: null });
      expect(parseTopicPayload('index.eth', { ...outside, lastSettlement: settled })).toMatchObject({
        lastSettlement: settled,
      });
      const short = {
        ...settled,
        status: 'insufficient_prints',
        printCount: 12,
        sumCents: null,
        average: null,
        display: null,
      };
      expect(parseTopicPayload('index.eth', { ...outside, lastSettlement: short })).toMatchObject({
        lastSettlement: short,
      });
    });

    it('rejects an inconsistent running average and unknown sources', () => {
      expect(issues('index.eth', index({ runningAverage: 3_500 }))).toMatch(
        /runningAverage: must equal windowSumCents/,
      );
      expect(issues('index.eth', index({ secondsCovered: 0 }))).toMatch(/runningAverage: null exactly when/);
      expect(issues('index.eth', index({ secondsCovered: 61 }))).toMatch(/secondsCovered: /);
      expect(issues('index.eth', index({ source: 'binance' }))).toMatch(/source: /);
      expect(issues('index.eth', index({ divergenceBps: Infinity }))).toMatch(/divergenceBps: /);
    });

    it('accepts what the settlement tracker produces', () => {
      const tracker = new SettlementAverageTracker();
      for (let i = 0; i < 60; i++)
        tracker.addPrint({ timeMs: CLOSE - 60_000 + i * 1_000, price: 3_512 + i / 100 });
      const state = tracker.state()!;
      const message = {
        symbol: 'ETH',
        value: state.value,
        valueAtMs: state.valueAtMs,
        source: 'spot',
        windowCloseTimeMs: state.window.closeTimeMs,
        inWindow: state.window.inWindow,
        secondsCovered: state.window.secondsCovered,
        windowSumCents: state.window.sumCents,
        runningAverage: state.window.runningAverage,
        divergenceBps: null,
        lastSettlement: null,
        seq: 60,
        at: CLOSE,
      };
      expect(parseTopicPayload('index.eth', message)).toMatchObject({
        secondsCovered: 60,
        runningAverage: 3_512.295,
      });
      // Σ (351 200 + i) cents for i = 0…59 = 21 073 770; mean 3 512.295 → "3512.30" half up.
      const settled = summarizeSettlement(tracker.finalizeDue(CLOSE + 2_000)!);
      expect(parseTopicPayload('index.eth', { ...message, lastSettlement: settled })).toMatchObject({
        lastSettlement: {
          status: 'ok',
          printCount: 60,
          sumCents: 21_073_770,
          average: 3_512.295,
          display: '3512.30',
        },
      });
    });
  });

  describe('market', () => {
    it('accepts a valid snapshot, including empty legs', () => {
      const empty = row({
        ticker: `${EVENT}-T114999.99`,
        strike: 115_000,
        hasBook: false,
        yesBid: null,
        yesAsk: null,
        noBid: null,
        noAsk: null,
        yesBidSize: 0,
        noBidSize: 0,
        lastTrade: null,
        volume: null,
      });
      expect(parseTopicPayload('market.btc', market([row(), empty]))).toEqual(market([row(), empty]));
    });

    it('rejects asks that are not the complements of the opposite bids, and sizes without bids', () => {
      expect(issues('market.btc', market([row({ yesAsk: 5_700 })]))).toMatch(
        /rows.0.yesAsk: must be 10000 − noBid/,
      );
      expect(issues('market.btc', market([row({ noAsk: null })]))).toMatch(/rows.0.noAsk: /);
      expect(issues('market.btc', market([row({ noBid: null, yesAsk: null, noBidSize: 3 })]))).toMatch(
        /rows.0.noBidSize: is 0 exactly when/,
      );
      expect(issues('market.btc', market([row({ yesBid: 10_000, noAsk: 0 })]))).toMatch(/rows.0.yesBid: /);
      expect(issues('market.btc', market([row({ yesBid: 56.5 })]))).toMatch(/rows.0.yesBid: /);
      expect(issues('market.btc', market([row({ status: 'open' })]))).toMatch(/rows.0.status: /);
    });

    it('rejects unsorted or repeated strikes and rows of another event', () => {
      const higher = row({ ticker: `${EVENT}-T114999.99`, strike: 115_000 });
      expect(issues('market.btc', market([higher, row()]))).toMatch(/rows.1.strike: rows must be sorted/);
      expect(issues('market.btc', market([row(), row()]))).toMatch(/rows.1.strike: /);
      expect(issues('market.btc', market([row({ ticker: 'KXBTCD-25AUG0317-T114749.99' })]))).toMatch(
        /rows.0.ticker: not a market of KXBTCD-25AUG0316/,
      );
    });

    it('accepts what buildMarketSnapshot produces and travels over the bus', async () => {
      const snapshot = buildMarketSnapshot(
        'BTC',
        {
          eventTicker: EVENT,
          closeTimeMs: CLOSE,
          markets: [
            { ticker: `${EVENT}-T114999.99`, status: 'active' },
            { ticker: `${EVENT}-T114749.99`, status: 'active' },
          ],
        },
        {
          bookTop: (t) =>
            t.endsWith('114749.99')
              ? { yesBid: { price: 5_600, count: 4 }, noBid: { price: 4_100, count: 9 } }
              : undefined,
        },
      );
      const bus = new MemoryBus();
      const received: unknown[] = [];
      await bus.subscribe('market.*', (message) => void received.push(message));
      await bus.publish(marketDataTopic('market', 'BTC'), { ...snapshot, seq: 1, at: CLOSE - 5_000 });
      await new Promise((resolve) => setTimeout(resolve, 10));
      expect(received).toHaveLength(1);
      expect(JSON.stringify(received[0])).toContain('"yesAsk":5900');
      await bus.close();
    });
  });
});
