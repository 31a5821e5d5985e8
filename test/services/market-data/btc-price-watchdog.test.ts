import { afterEach, describe, expect, it } from 'vitest';
import { indexMessageSchema, type IndexMessage } from '../../../src/core/bus/market-data-topics.ts';
import { settlementValue } from '../../../src/domain/kalshi/settlement.ts';
import { btcPriceWatchdog } from '../../../src/services/btc_price_watchdog/index.ts';
import { IndexTracker } from '../../../src/services/btc_price_watchdog/index-tracker.ts';
import { waitFor } from '../../support/wait.ts';
import { startTestHost, type TestHost } from './support.ts';

const CLOSE = Date.parse('2026-01-05T15:00:00Z');

/** A deterministic path of cents around 100 000.00. */
const priceAt = (secondMs: number) => 100_000 + (((secondMs / 1_000) * 7_919) % 997) / 100;

describe('IndexTracker', () => {
  it('keeps the running 60-s average of the last minute and finalizes it at the close, exactly', () => {
    const t = new IndexTracker('BTC', { raiseBps: 20, clearBps: 5 });
    const prints: { timeMs: number; price: number }[] = [];
    for (let s = CLOSE - 75_000; s < CLOSE; s += 1_000) {
      const r = t.addPrint(priceAt(s), s, s + 100);
      expect(r.finalized).toEqual([]);
      if (s >= CLOSE - 60_000) prints.push({ timeMs: s, price: priceAt(s) });
    }
    const running = t.message()!;
    expect(running).toMatchObject({
      inWindow: true,
      secondsCovered: 60,
      windowCloseTimeMs: CLOSE,
      source: 'spot',
    });
    const expected = settlementValue(prints, CLOSE);
    expect(expected.status).toBe('ok');
    if (expected.status !== 'ok') return;
    expect(running.windowSumCents).toBe(expected.sumCents);
    expect(indexMessageSchema.safeParse({ ...running, seq: 1, at: CLOSE }).success).toBe(true);

    expect(t.finalizeDue(CLOSE + 1_999)).toBeUndefined(); // late prints of the last seconds still count
    const final = t.finalizeDue(CLOSE + 2_000)!;
    expect(final.value).toEqual(expected);
    expect(t.message()!.lastSettlement).toMatchObject({
      closeTimeMs: CLOSE,
      status: 'ok',
      printCount: 60,
      sumCents: expected.sumCents,
      display: expected.displayDollars,
    });
  });

  it('measures divergence from spot only for a CF Benchmarks source, and alarms with hysteresis', () => {
    const t = new IndexTracker('ETH', { raiseBps: 20, clearBps: 5 });
    t.setSpot(3_810, CLOSE);
    t.addPrint(3_800, CLOSE, CLOSE);
    expect(t.message()!.divergenceBps).toBeNull(); // spot as the index: no divergence to speak of
    t.setSource('cfbenchmarks');
    const raised = t.addPrint(3_800, CLOSE + 1_000, CLOSE + 1_000);
    expect(raised.divergence).toMatchObject({ kind: 'raised' });
    expect(t.message()!.divergenceBps).toBeCloseTo(26.315789, 5); // (3810 − 3800) / 3800 · 10 000
    t.setSpot(3_801, CLOSE + 2_000);
    expect(t.addPrint(3_800, CLOSE + 2_000, CLOSE + 2_000).divergence).toMatchObject({ kind: 'cleared' });
  });
});

let env: TestHost | undefined;
afterEach(async () => {
  await env?.stop();
  env = undefined;
});

describe('btc_price_watchdog', () => {
  it('publishes index.<sym> from spot and, at the close, the 60-s average of the prints it saw', async () => {
    const start = CLOSE - 66_000;
    env = await startTestHost(
      { btc_price_watchdog: async () => btcPriceWatchdog },
      { clock: { mode: 'simulated', start: new Date(start).toISOString(), rate: 20 } },
    );
    const { host } = env;
    const index: IndexMessage[] = [];
    await host.bus.subscribe('index.btc', ({ payload }) => void index.push(payload as IndexMessage));

    // Play symbol_price_watchdog_btc: one price.btc per second, 300 ms after the second ends.
    const prints: { timeMs: number; price: number }[] = [];
    let seq = 0;
    for (let s = start; s <= CLOSE + 1_000; s += 1_000) {
      while (host.clock.now() < s + 1_300) await new Promise((r) => setTimeout(r, 5));
      const price = priceAt(s);
      if (s >= CLOSE - 60_000 && s < CLOSE) prints.push({ timeMs: s, price });
      await host.bus.publish('price.btc', {
        symbol: 'BTC',
        price,
        priceCents: Math.round(price * 100),
        secondMs: s,
        carried: false,
        exchangeTimeMs: s + 400,
        tickAgeMs: 300,
        momentum: {
          percent: null,
          bucket: null,
          score: null,
          arrows: null,
          direction: null,
          deltas: [],
          missingHorizons: [1, 2, 3, 4, 15, 30],
        },
        seq: ++seq,
        at: host.clock.now(),
      });
    }

    const settled = await waitFor(
      () => index.find((m) => m.lastSettlement !== null),
      5_000,
      'the settlement',
    );
    const expected = settlementValue(prints, CLOSE);
    if (expected.status !== 'ok') throw new Error('test prints are incomplete');
    expect(settled.lastSettlement).toEqual({
      closeTimeMs: CLOSE,
      status: 'ok',
      printCount: 60,
      sumCents: expected.sumCents,
      average: expected.sumCents / 60 / 100,
      display: expected.displayDollars,
    });
    // During the window the running average grew one second at a time.
    const inWindow = index.filter((m) => m.inWindow && m.windowCloseTimeMs === CLOSE);
    expect(inWindow.map((m) => m.secondsCovered)).toEqual(Array.from({ length: 60 }, (_, i) => i + 1));
    expect(inWindow.at(-1)!.windowSumCents).toBe(expected.sumCents);

    const health = await env.get('btc_price_watchdog', '/health');
    const btc = health.body.checks.find((c: { name: string }) => c.name === 'index btc');
    expect(btc).toMatchObject({ ok: true, data: { source: 'spot' } });
    // No ETH prices in this test: its reference is stale, and the service says so.
    expect(health.body.status).toBe('down');
  }, 30_000);
});
