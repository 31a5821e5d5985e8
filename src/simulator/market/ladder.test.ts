import { describe, it, expect } from 'vitest';
import { readFileSync } from 'node:fs';
import { strikeLadder, DEFAULT_LADDER } from './ladder.ts';
import { eventWording, marketWording } from './metadata.ts';
import { floorStrikeText } from '../../domain/kalshi/tickers.ts';

const real = JSON.parse(
  readFileSync(
    new URL('../../../../shared/data/kalshi-2025/event_KXBTCD-25JUL2615.json', import.meta.url),
    'utf8',
  ),
) as {
  data: {
    event: { title: string; sub_title: string; strike_date: string };
    markets: {
      floor_strike: number;
      subtitle: string;
      yes_sub_title: string;
      rules_primary: string;
      rules_secondary: string;
    }[];
  };
};

describe('strike ladder', () => {
  it('spans 75 BTC strikes $250 apart around the price, like the real event', () => {
    const strikes = strikeLadder(115_020, DEFAULT_LADDER.BTC);
    expect(strikes).toHaveLength(75);
    expect(strikes[0]).toBe(105_750);
    expect(strikes[74]).toBe(124_250);
    expect(strikes.map(floorStrikeText)).toEqual(real.data.markets.map((m) => m.floor_strike.toFixed(2)));
  });

  it('uses $20 for ETH and never goes below zero', () => {
    const eth = strikeLadder(3_861.4, DEFAULT_LADDER.ETH);
    expect(eth[37]).toBe(3_860);
    expect(eth[1]! - eth[0]!).toBe(20);
    expect(Math.min(...strikeLadder(30, DEFAULT_LADDER.ETH))).toBeGreaterThan(0);
  });
});

describe('wording', () => {
  it('matches the real 2025 event text', () => {
    const close = Date.parse(real.data.event.strike_date);
    expect(eventWording('BTC', close)).toEqual({
      title: real.data.event.title,
      subTitle: real.data.event.sub_title,
    });
    const market = real.data.markets[30]!;
    const strike = Math.round(market.floor_strike + 0.01);
    const words = marketWording('BTC', strike, close);
    expect(words.subtitle).toBe(market.subtitle);
    expect(words.yesSubTitle).toBe(market.yes_sub_title);
    expect(words.rulesPrimary).toBe(market.rules_primary);
    expect(words.rulesSecondary).toBe(market.rules_secondary);
  });

  it('says EST in winter', () => {
    expect(eventWording('ETH', Date.parse('2026-01-15T17:00:00Z')).subTitle).toBe(
      'On Jan 15, 2026 at 12pm EST',
    );
  });
});
