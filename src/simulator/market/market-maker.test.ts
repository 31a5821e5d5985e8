import { describe, it, expect } from 'vitest';
import { DEFAULT_MAKER, targetQuotes } from './market-maker.ts';
import type { QuoteLevel } from './market-maker.ts';
import { DEFAULT_FLOW, takerOrder } from './taker-flow.ts';
import { Random } from './random.ts';

const best = (levels: QuoteLevel[]) => ({
  bid: Math.max(0, ...levels.filter((l) => l.side === 'bid').map((l) => l.priceCents)),
  ask: Math.min(100, ...levels.filter((l) => l.side === 'ask').map((l) => l.priceCents)),
});

describe('market maker quotes (shapes of the 2025 data)', () => {
  const random = Random.seeded('mm');

  it('quotes both sides 1–4¢ wide at the money, with depth behind', () => {
    for (let i = 0; i < 200; i++) {
      const levels = targetQuotes(0.5, 0, 70, DEFAULT_MAKER, random);
      const { bid, ask } = best(levels);
      expect(ask - bid).toBeGreaterThanOrEqual(1);
      expect(ask - bid).toBeLessThanOrEqual(4);
      expect(levels.filter((l) => l.side === 'bid').length).toBeGreaterThanOrEqual(3);
      expect(levels.every((l) => l.count >= 1 && l.count <= DEFAULT_MAKER.maxSize)).toBe(true);
    }
  });

  it('shows one side only on a nearly decided strike (98/100, 0/2)', () => {
    const itm = best(targetQuotes(0.992, 2.6, 70, DEFAULT_MAKER, random));
    expect(itm.ask).toBe(100);
    expect(itm.bid).toBeGreaterThanOrEqual(97);
    const otm = best(targetQuotes(0.008, -2.6, 70, DEFAULT_MAKER, random));
    expect(otm.bid).toBe(0);
    expect(otm.ask).toBeLessThanOrEqual(3);
  });

  it('leaves far strikes to a 70/71¢ stub on the likely outcome (70/100, 0/30)', () => {
    expect(targetQuotes(1, 8, 70, DEFAULT_MAKER, random)).toEqual([
      { side: 'bid', priceCents: 70, count: expect.any(Number) },
    ]);
    expect(targetQuotes(0, -8, 71, DEFAULT_MAKER, random)).toEqual([
      { side: 'ask', priceCents: 29, count: expect.any(Number) },
    ]);
  });

  it('never crosses itself and stays within 1–99¢', () => {
    for (let i = 0; i < 2_000; i++) {
      const fair = random.next();
      const z = (fair - 0.5) * 12;
      const levels = targetQuotes(fair, z, random.pick([70, 71]), DEFAULT_MAKER, random);
      const { bid, ask } = best(levels);
      expect(bid).toBeLessThan(ask);
      expect(levels.every((l) => l.priceCents >= 1 && l.priceCents <= 99)).toBe(true);
    }
  });
});

describe('taker flow', () => {
  it('trades mostly at the money, at the quoted prices, never into an empty side', () => {
    const random = Random.seeded('flow');
    let atMoney = 0;
    let far = 0;
    for (let i = 0; i < 60_000; i++) {
      const order = takerOrder(0.5, 48, 52, DEFAULT_FLOW, random);
      if (order) {
        atMoney++;
        expect(order.side === 'bid' ? order.priceCents >= 52 : order.priceCents <= 48).toBe(true);
      }
      if (takerOrder(0.02, null, 3, DEFAULT_FLOW, random)?.side === 'ask')
        throw new Error('sold into no bid');
      if (takerOrder(0.001, 0, 1, DEFAULT_FLOW, random)) far++;
    }
    // 0.5 trades a minute at the money over 1 000 simulated minutes.
    expect(atMoney).toBeGreaterThan(400);
    expect(atMoney).toBeLessThan(600);
    expect(far).toBeLessThan(atMoney / 20);
  });

  it('leans toward the side the fair value favours', () => {
    const random = Random.seeded('lean');
    let buys = 0;
    let total = 0;
    for (let i = 0; i < 200_000; i++) {
      const order = takerOrder(0.6, 48, 52, DEFAULT_FLOW, random);
      if (!order) continue;
      total++;
      if (order.side === 'bid') buys++;
    }
    expect(buys / total).toBeGreaterThan(0.6);
  });
});
