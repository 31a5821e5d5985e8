/**
 * A trading halt (the simulator's "paused" exchange) at the level of the market simulation:
 * no trades and frozen books while the index, the spot feed and the hourly lifecycle run on;
 * fresh quotes at the fair value on resume; deterministic through a snapshot taken mid-halt.
 */
import { describe, expect, it } from 'vitest';
import type { EngineEvent } from '../engine/types.ts';
import { defaultSimulationConfig, MarketSimulation } from './simulation.ts';
import type { SimulationOutput } from './simulation.ts';
import { parseSimulationSnapshot } from './simulation-snapshot.ts';

const START = Date.parse('2025-08-03T19:52:00Z'); // 8 minutes before the 16:00 ET close
const CLOSE = Date.parse('2025-08-03T20:00:00Z');
const EVENT = 'KXBTCD-25AUG0316';
const NEXT_EVENT = 'KXBTCD-25AUG0317';

const btcOnly = (seed: string) =>
  defaultSimulationConfig({
    seed,
    startTimeMs: START,
    symbols: { BTC: defaultSimulationConfig().symbols.BTC! },
  });

function run(sim: MarketSimulation, untilMs: number, stepMs = 1000): SimulationOutput[] {
  const outputs: SimulationOutput[] = [];
  for (let t = sim.now + stepMs; t <= untilMs; t += stepMs) outputs.push(sim.advanceTo(t));
  return outputs;
}

const engineEvents = (outputs: SimulationOutput[]) => outputs.flatMap((o) => o.engineEvents);
const ofType = (events: EngineEvent[], type: EngineEvent['type']) => events.filter((e) => e.type === type);

function books(sim: MarketSimulation, eventTicker: string) {
  return sim.engine.listMarkets({ eventTicker }).map((m) => sim.engine.getOrderbook(m.ticker));
}

/** Markets of an event whose best bid and ask (both present) do not bracket the fair value now. */
function staleQuotes(sim: MarketSimulation, eventTicker: string): string[] {
  const stale: string[] = [];
  for (const [ticker, fair] of sim.fairValues(eventTicker)) {
    const top = sim.engine.topOfBook(ticker);
    if (!top || top.yesBidCc === null || top.yesAskCc === null) continue;
    if (top.yesBidCc > fair * 10_000 || top.yesAskCc < fair * 10_000) stale.push(ticker);
  }
  return stale;
}

describe('trading halt', () => {
  it('stops every trade and freezes the books; the index and spot feed go on; resume requotes at fair', () => {
    const halted = MarketSimulation.create(btcOnly('halt')).simulation;
    const running = MarketSimulation.create(btcOnly('halt')).simulation;
    run(halted, START + 60_000);
    run(running, START + 60_000);
    const frozen = books(halted, EVENT);
    expect(frozen.some((b) => (b?.yes.length ?? 0) > 0)).toBe(true);

    halted.setTradingHalted(true);
    expect(halted.tradingHalted).toBe(true);
    const during = run(halted, START + 5 * 60_000);
    const meanwhile = engineEvents(run(running, START + 5 * 60_000));
    // Without the halt the same four minutes trade and requote.
    expect(ofType(meanwhile, 'trade').length).toBeGreaterThan(5);
    expect(ofType(meanwhile, 'orderbook_delta').length).toBeGreaterThan(50);

    const events = engineEvents(during);
    for (const type of ['trade', 'fill', 'order', 'orderbook_delta'] as const) {
      expect(ofType(events, type), type).toEqual([]);
    }
    expect(books(halted, EVENT)).toEqual(frozen);
    expect(during.flatMap((o) => o.indexPrints)).toHaveLength(4 * 60);
    expect(during.flatMap((o) => o.spotTicks).length).toBeGreaterThan(100);
    expect(halted.indexPrice('BTC')).toEqual(running.indexPrice('BTC')); // the process is the same
    // Four minutes on, the frozen quotes no longer fit the fair value everywhere.
    expect(staleQuotes(halted, EVENT).length).toBeGreaterThan(0);

    halted.setTradingHalted(false);
    const resumed = engineEvents(run(halted, halted.now + 1000));
    expect(ofType(resumed, 'orderbook_delta').length).toBeGreaterThan(0);
    expect(staleQuotes(halted, EVENT)).toEqual([]);
    const after = engineEvents(run(halted, halted.now + 120_000));
    expect(ofType(after, 'trade').length).toBeGreaterThan(0); // the taker flow is back
  });

  it('closes, determines and settles on schedule inside a halt; the next hour is quoted on resume', () => {
    const sim = MarketSimulation.create(btcOnly('halt-close')).simulation;
    run(sim, CLOSE - 120_000);
    const now = sim.now;
    sim.engine.createAccount({ accountId: 'user', balanceCc: 1_000_000, nowMs: now });
    const ticker = sim.getEvent(EVENT)?.marketTickers[37] as string;
    const placed = sim.engine.placeOrder({
      accountId: 'user',
      ticker,
      side: 'bid',
      count: 3,
      priceCc: 100,
      timeInForce: 'good_till_canceled',
      nowMs: now,
    });
    expect(placed.ok && placed.value.order.status).toBe('resting');

    sim.setTradingHalted(true);
    const events = engineEvents(run(sim, CLOSE + 240_000));
    expect(ofType(events, 'trade')).toEqual([]);
    const lifecycle = events.filter(
      (e): e is Extract<EngineEvent, { type: 'market_lifecycle' }> =>
        e.type === 'market_lifecycle' && e.ticker === ticker,
    );
    expect(lifecycle.map((e) => [e.eventType, e.tsMs])).toEqual([
      ['closed', CLOSE],
      ['determined', CLOSE + 70_000],
      ['settled', CLOSE + 229_000],
    ]);
    expect(sim.getEvent(EVENT)?.status).toBe('settled');
    expect(sim.engine.listOrders('user')[0]?.status).toBe('canceled'); // at the close, as always
    expect(sim.engine.getBalance('user')).toMatchObject({ balanceCc: 1_000_000, reservedCc: 0 });
    // The next hour opened at the close, but nobody quotes it while halted.
    expect(sim.engine.listMarkets({ eventTicker: NEXT_EVENT }).every((m) => m.status === 'active')).toBe(
      true,
    );
    expect(books(sim, NEXT_EVENT).every((b) => b?.yes.length === 0 && b.no.length === 0)).toBe(true);

    sim.setTradingHalted(false);
    run(sim, sim.now + 1000);
    expect(books(sim, NEXT_EVENT).filter((b) => (b?.yes.length ?? 0) > 0).length).toBeGreaterThan(10);
    expect(staleQuotes(sim, NEXT_EVENT)).toEqual([]);
  });

  it('is deterministic through a halt, and a snapshot taken mid-halt continues identically', () => {
    const a = MarketSimulation.create(btcOnly('halt-twin')).simulation;
    const b = MarketSimulation.create(btcOnly('halt-twin')).simulation;
    for (const sim of [a, b]) {
      run(sim, START + 30_000);
      sim.setTradingHalted(true);
      run(sim, START + 90_000);
    }
    expect(b.snapshot()).toEqual(a.snapshot());
    const json = JSON.parse(JSON.stringify(a.snapshot())) as Record<string, unknown>;
    expect(json.halted).toBe(true);
    const restored = MarketSimulation.restore(parseSimulationSnapshot(json));
    expect(restored.tradingHalted).toBe(true);

    const continued = (sim: MarketSimulation) => [
      ...run(sim, START + 150_000),
      (sim.setTradingHalted(false), sim.advanceTo(sim.now)),
      ...run(sim, START + 240_000),
    ];
    const fromA = continued(a);
    expect(continued(restored)).toEqual(fromA);
    expect(restored.snapshot()).toEqual(a.snapshot());
    expect(ofType(engineEvents(fromA), 'trade').length).toBeGreaterThan(0);

    // A snapshot written before halts existed restores as trading.
    delete json.halted;
    expect(MarketSimulation.restore(parseSimulationSnapshot(json)).tradingHalted).toBe(false);
  });
});
