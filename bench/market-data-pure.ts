/**
 * Cost of the pure market-data pieces per unit of work, on one core:
 * - ticks → 1-s prices → momentum reading → candles (per simulated second, 4 ticks/s),
 * - `price.<sym>` schema check of one message,
 * - 75-strike `market.<sym>` snapshot build + schema check,
 * - book drift of two 99-level books.
 * Run: node --import tsx bench/market-data-pure.ts
 */
import { parseTopicPayload } from '../src/core/bus/topics.ts';
import {
  buildMarketSnapshot,
  compareBooks,
  MinuteCandleBuilder,
  MomentumTracker,
  PerSecondPriceAggregator,
  type MarketBookTop,
} from '../src/domain/market-data/index.ts';

function time(label: string, units: number, unitName: string, run: () => void): void {
  run(); // warm-up
  const start = process.hrtime.bigint();
  run();
  const ns = Number(process.hrtime.bigint() - start);
  console.log(`${label}: ${(ns / units / 1_000).toFixed(2)} µs per ${unitName} (${units} ${unitName}s)`);
}

const T0 = Date.UTC(2025, 7, 3, 0, 0, 0);
const SECONDS = 86_400;

let lastReading: ReturnType<MomentumTracker['reading']>;
time('ticks → second → momentum → candle', SECONDS, 'second', () => {
  const agg = new PerSecondPriceAggregator();
  const tracker = new MomentumTracker();
  const candles = new MinuteCandleBuilder();
  let seq = 0;
  let cents = 11_478_026;
  for (let s = 0; s < SECONDS; s++) {
    for (let k = 0; k < 4; k++) {
      cents += ((seq * 7919) % 11) - 5;
      agg.addTick({ sequence: ++seq, timeMs: T0 + s * 1000 + k * 250, price: cents / 100 });
    }
    for (const second of agg.sealUntil(T0 + (s + 1) * 1000 + 500)) {
      tracker.add(second);
      candles.add(second);
      lastReading = tracker.reading();
    }
  }
});

const reading = lastReading!;
const priceMessage = {
  symbol: 'BTC',
  price: reading.priceCents / 100,
  priceCents: reading.priceCents,
  secondMs: reading.atMs,
  carried: false,
  exchangeTimeMs: reading.atMs + 750,
  tickAgeMs: 300,
  momentum: reading,
  seq: 1,
  at: reading.atMs + 1_000,
};
time('price.<sym> schema check', 20_000, 'message', () => {
  for (let i = 0; i < 20_000; i++) parseTopicPayload('price.btc', priceMessage);
});

const EVENT = 'KXBTCD-25AUG0316';
const markets = Array.from({ length: 75 }, (_, i) => ({
  ticker: `${EVENT}-T${105_000 + i * 250 - 1}.99`,
  status: 'active' as const,
}));
const tops = new Map<string, MarketBookTop>(
  markets.map((m, i) => [
    m.ticker,
    { yesBid: { price: 100 + i * 100, count: 10 }, noBid: { price: 9_700 - i * 100, count: 5 } },
  ]),
);
time('75-strike snapshot build + market.<sym> schema check', 2_000, 'snapshot', () => {
  for (let i = 0; i < 2_000; i++) {
    const snapshot = buildMarketSnapshot(
      'BTC',
      { eventTicker: EVENT, closeTimeMs: Date.UTC(2025, 7, 3, 20), markets },
      {
        bookTop: (t) => tops.get(t),
      },
    );
    parseTopicPayload('market.btc', { ...snapshot, seq: i, at: 0 });
  }
});

const levels = Array.from({ length: 99 }, (_, i) => ({ price: (i + 1) * 100, count: 100 + i }));
const other = levels.map((l, i) => (i % 10 === 0 ? { ...l, count: l.count + 1 } : l));
time('book drift, 2 × 99 levels per leg', 10_000, 'comparison', () => {
  for (let i = 0; i < 10_000; i++)
    compareBooks({ yesBids: levels, noBids: levels }, { yesBids: other, noBids: levels });
});
