import { afterEach, describe, expect, it } from 'vitest';
import type { IndexMessage, MarketMessage, PriceMessage } from '../../../src/core/bus/market-data-topics.ts';
import { MemoryBus } from '../../../src/core/bus/memory-bus.ts';
import { strikesMessageSchema, type StrikesMessage } from '../../../src/core/bus/strikes-topics.ts';
import { SimulatedClock } from '../../../src/core/clock/simulated-clock.ts';
import { strikeProbability, type FingerprintGrid } from '../../../src/domain/model/index.ts';
import type { SymbolId } from '../../../src/domain/units.ts';
import {
  StrikeCoordinator,
  type StrikeCoordinatorOptions,
} from '../../../src/services/unified_production_coordinator/strike-coordinator.ts';
import { CLOSE, indexMessage, ladderQuote, marketMessage, priceMessage, testGrid } from './fixtures.ts';

const silent = { warn: () => {}, error: () => {} };

interface Harness {
  bus: MemoryBus;
  clock: SimulatedClock;
  coordinator: StrikeCoordinator;
  received: StrikesMessage[];
  models: Map<SymbolId, FingerprintGrid>;
  /** Lets the bus deliver everything published so far. */
  settle(): Promise<void>;
}

const harnesses: Harness[] = [];
afterEach(async () => {
  for (const h of harnesses.splice(0)) {
    h.coordinator.stop();
    await h.bus.close();
  }
});

async function harness(
  options: Partial<StrikeCoordinatorOptions> = {},
  start = CLOSE - 754_000,
): Promise<Harness> {
  const bus = new MemoryBus({ logger: silent });
  const clock = SimulatedClock.manual(start);
  const models = new Map<SymbolId, FingerprintGrid>([
    ['BTC', testGrid('BTC')],
    ['ETH', testGrid('ETH')],
  ]);
  const errors: unknown[] = [];
  const coordinator = new StrikeCoordinator({
    clock,
    models: { current: (s) => models.get(s) },
    options: {
      symbols: ['BTC', 'ETH'],
      maxUpdatesPerSecond: 10,
      rows: 21,
      settle: 'average60',
      watchlist: {},
      ...options,
    },
    publish: (m) => bus.publish(`strikes.${m.symbol.toLowerCase()}`, m),
    onPublishError: (e) => errors.push(e),
    onError: (e) => errors.push(e),
  });
  await bus.subscribe('price.*', (m) => coordinator.handlePrice(m.payload as PriceMessage));
  await bus.subscribe('index.*', (m) => coordinator.handleIndex(m.payload as IndexMessage));
  await bus.subscribe('market.*', (m) => coordinator.handleMarket(m.payload as MarketMessage));
  const received: StrikesMessage[] = [];
  await bus.subscribe('strikes.*', (m) => {
    received.push(m.payload as StrikesMessage);
  });
  const h: Harness = {
    bus,
    clock,
    coordinator,
    received,
    models,
    async settle() {
      for (let i = 0; i < 5; i++) await new Promise((r) => setImmediate(r));
      expect(errors).toEqual([]);
    },
  };
  harnesses.push(h);
  return h;
}

const PRICE = 118_237.42;
const market = (at: number, extra: Partial<Parameters<typeof marketMessage>[0]> = {}) =>
  marketMessage({ first: 110_000, spacing: 250, count: 75, quote: ladderQuote(PRICE), at, ...extra });

describe('StrikeCoordinator', () => {
  it('publishes nothing until price, market and model are all there', async () => {
    const h = await harness();
    const now = h.clock.now();
    await h.bus.publish('price.btc', priceMessage({ price: PRICE, momentumPercent: 0.043, at: now }));
    await h.settle();
    expect(h.received).toEqual([]);
    expect(h.coordinator.missing('BTC')).toEqual(['market']);
    h.models.delete('BTC');
    await h.bus.publish('market.btc', market(now));
    await h.settle();
    expect(h.received).toEqual([]);
    expect(h.coordinator.missing('BTC')).toEqual(['model']);
    h.models.set('BTC', testGrid('BTC'));
    h.coordinator.refresh('BTC');
    await h.settle();
    expect(h.received).toHaveLength(1);
    expect(h.coordinator.missing('BTC')).toEqual([]);
  });

  it('computes the 21-row table around the price with every model.md column and consistent diffs', async () => {
    const h = await harness();
    const now = h.clock.now();
    await h.bus.publish('price.btc', priceMessage({ price: PRICE, momentumPercent: 0.043, at: now }));
    await h.bus.publish('market.btc', market(now, { volume: 1_234 }));
    await h.settle();
    const message = h.received.at(-1)!;
    expect(() => strikesMessageSchema.parse(message)).not.toThrow();
    const { table } = message;
    expect(table).toMatchObject({
      symbol: 'BTC',
      price: PRICE,
      ttc_seconds: 754,
      event_ticker: 'KXBTCD-25JUL2617',
      market_title: 'BTC price today at 5pm?',
      strike_tier: 250,
      momentum_score: 4,
      momentum_bucket: 4,
      model_id: 'test-btc',
      settle: 'average60',
      seq: message.seq,
    });
    expect(message.model).toEqual({ id: 'test-btc', source: 'synthetic', synthetic: true });
    expect(message.closeTimeMs).toBe(CLOSE);
    expect(message.inputs).toEqual({ priceAtMs: now, marketAtMs: now, indexAtMs: null });

    // 21 strikes nearest 118 237.42: 10 below 118 250 … 10 above, i.e. 115 750 … 120 750.
    expect(table.rows.map((r) => r.strike)).toEqual(Array.from({ length: 21 }, (_, i) => 115_750 + 250 * i));
    const quote = ladderQuote(PRICE);
    for (const row of table.rows) {
      expect(Object.keys(row).sort()).toEqual(
        [
          'strike',
          'buffer',
          'buffer_pct',
          'probability',
          'yes_bid',
          'yes_ask',
          'no_bid',
          'no_ask',
          'yes_diff',
          'no_diff',
          'volume',
          'ticker',
          'active_side',
        ].sort(),
      );
      const { yesBid, noBid } = quote(row.strike);
      expect(row.yes_bid).toBe(yesBid! / 100);
      expect(row.no_bid).toBe(noBid! / 100);
      expect(row.yes_ask).toBe(100 - noBid! / 100);
      expect(row.no_ask).toBe(100 - yesBid! / 100);
      expect(row.buffer).toBeCloseTo(Math.abs(PRICE - row.strike), 9);
      expect(row.buffer_pct).toBeCloseTo((Math.abs(PRICE - row.strike) / PRICE) * 100, 12);
      expect(row.volume).toBe(1_234);
      expect(row.ticker).toBe(`KXBTCD-25JUL2617-T${row.strike - 1}.99`);
      expect(row.active_side).toBe(row.strike < PRICE ? 'yes' : 'no');
      // The model's own number, recomputed independently: 754 s → effective horizon 714 s.
      const p = strikeProbability({
        grid: h.models.get('BTC')!,
        price: PRICE,
        strike: row.strike,
        ttcSeconds: 754,
        bucket: 4,
        settle: 'average60',
      });
      expect(row.probability).toBe(p.probability);
      // Diffs (model.md): the active side is worth p cents, the other 100 − p, minus its ask.
      const yesValue = row.active_side === 'yes' ? row.probability : 100 - row.probability;
      expect(row.yes_diff).toBeCloseTo(yesValue - row.yes_ask!, 9);
      expect(row.no_diff).toBeCloseTo(100 - yesValue - row.no_ask!, 9);
    }
    // Farther from the price, the favourite is safer.
    const below = table.rows.filter((r) => r.strike < PRICE).map((r) => r.probability);
    expect([...below].sort((a, b) => b - a)).toEqual(below);
    expect(new Set(below).size).toBe(below.length);
  });

  it('uses the known part of the 60-s average inside the last minute', async () => {
    const h = await harness({}, CLOSE - 30_000);
    const now = h.clock.now();
    // 30 prints $600 above the current price: with the price flat from here the average ends
    // at 118 537.42, above the strike 118 500 although the price now is below it.
    const prints = Array.from({ length: 30 }, () => PRICE + 600);
    await h.bus.publish('index.btc', indexMessage({ value: PRICE, at: now, windowPrints: prints }));
    await h.bus.publish('price.btc', priceMessage({ price: PRICE, at: now }));
    await h.bus.publish('market.btc', market(now));
    await h.settle();
    const message = h.received.at(-1)!;
    expect(message.table.ttc_seconds).toBe(30);
    expect(message.inputs.indexAtMs).toBe(now);
    const row = message.table.rows.find((r) => r.strike === 118_500)!;
    const expected = strikeProbability({
      grid: h.models.get('BTC')!,
      price: PRICE,
      strike: 118_500,
      ttcSeconds: 30,
      bucket: 'baseline',
      settle: 'average60',
      knownAverage: { seconds: 30, sumCents: prints.reduce((s, p) => s + Math.round(p * 100), 0) },
    });
    expect(row.probability).toBe(expected.probability);
    expect(row.active_side).toBe(expected.activeSide);
    // Without the known part the strike above the price would be a NO favourite.
    expect(row.active_side).toBe('yes');
    expect(message.table.momentum_bucket).toBeNull();

    expect(h.received).toHaveLength(1);
    // An index window of another hour is not this event's average.
    await h.clock.advance(1_000);
    await h.bus.publish(
      'index.btc',
      indexMessage({
        value: PRICE,
        at: h.clock.now(),
        windowCloseTimeMs: CLOSE + 3_600_000,
        windowPrints: prints,
      }),
    );
    await h.settle();
    expect(h.received.at(-1)!.table.rows.find((r) => r.strike === 118_500)!.active_side).toBe('no');
  });

  it('coalesces bursts to the configured rate and numbers every table', async () => {
    const h = await harness({ maxUpdatesPerSecond: 4 }); // one table per 250 ms at most
    const t0 = h.clock.now();
    await h.bus.publish('market.btc', market(t0));
    await h.bus.publish('price.btc', priceMessage({ price: PRICE, at: t0 }));
    await h.settle();
    expect(h.received.map((m) => m.seq)).toEqual([1]); // the first complete input runs at once

    // 20 ticks within 100 ms: merged into one run at t0 + 250 ms, with the newest price.
    for (let i = 0; i < 20; i++) {
      await h.bus.publish('price.btc', priceMessage({ price: PRICE + i, at: t0 + i * 5, seq: i + 2 }));
    }
    await h.settle();
    expect(h.received).toHaveLength(1);
    await h.clock.advance(249);
    await h.settle();
    expect(h.received).toHaveLength(1);
    await h.clock.advance(1);
    await h.settle();
    expect(h.received.map((m) => m.seq)).toEqual([1, 2]);
    expect(h.received[1]!.table.price).toBe(PRICE + 19);
    expect(h.received[1]!.at).toBe(t0 + 250);
    expect(h.coordinator.coalesced('BTC')).toBe(20);

    // After a quiet period a change runs at once again.
    await h.clock.advance(5_000);
    await h.bus.publish('price.btc', priceMessage({ price: PRICE - 50, at: h.clock.now() }));
    await h.settle();
    expect(h.received.map((m) => m.seq)).toEqual([1, 2, 3]);
    expect(h.received[2]!.at).toBe(t0 + 5_250);
    expect(h.received[2]!.table.ttc_seconds).toBeCloseTo(754 - 5.25, 9);
  });

  it('keeps symbols apart: own sequence, own rate, own model', async () => {
    const h = await harness({ maxUpdatesPerSecond: 1 });
    const now = h.clock.now();
    await h.bus.publish('price.btc', priceMessage({ price: PRICE, at: now }));
    await h.bus.publish('market.btc', market(now));
    await h.bus.publish('price.eth', priceMessage({ symbol: 'ETH', price: 3_751.37, at: now }));
    await h.bus.publish(
      'market.eth',
      marketMessage({
        symbol: 'ETH',
        first: 3_000,
        spacing: 20,
        count: 75,
        quote: ladderQuote(3_751.37, 2),
        at: now,
      }),
    );
    await h.settle();
    const eth = h.received.filter((m) => m.symbol === 'ETH');
    const btc = h.received.filter((m) => m.symbol === 'BTC');
    expect(btc.map((m) => m.seq)).toEqual([1]);
    expect(eth.map((m) => m.seq)).toEqual([1]);
    expect(eth[0]!.table).toMatchObject({
      strike_tier: 20,
      event_ticker: 'KXETHD-25JUL2617',
      model_id: 'test-eth',
    });
    expect(eth[0]!.table.rows).toHaveLength(21);
    expect(eth[0]!.table.rows.map((r) => r.strike)).toContain(3_760);
    expect(h.coordinator.latest('ETH')).toEqual(eth[0]);
  });

  it('builds the watchlist from the table rows with the given thresholds', async () => {
    const h = await harness({ watchlist: { minProbability: 60, minDifferential: -100, minVolume: 0 } });
    const now = h.clock.now();
    await h.bus.publish('price.btc', priceMessage({ price: PRICE, at: now }));
    await h.bus.publish('market.btc', market(now));
    await h.settle();
    const { table, watchlist } = h.received.at(-1)!;
    const expected = table.rows
      .filter((r) => r.probability > 55 && r.yes_ask! <= 98 && r.no_ask! <= 98)
      .sort((a, b) => b.probability - a.probability || a.strike - b.strike);
    expect(watchlist.length).toBeGreaterThan(3);
    expect(watchlist.map((r) => r.strike)).toEqual(expected.map((r) => r.strike));
  });
});
