import { describe, expect, it } from 'vitest';
import { parseSimulatorConfig, toSimulationConfig } from './config.ts';

describe('simulator config', () => {
  it('has defaults for everything, matching Kalshi’s hourly crypto ladder', () => {
    const config = parseSimulatorConfig(undefined);
    expect(config).toMatchObject({
      seed: 'recio-sim',
      symbols: ['BTC', 'ETH'],
      determinationDelaySeconds: 70,
      paper: { accountId: 'paper', startingBalanceDollars: 10_000, tier: 'premier' },
    });
    const sim = toSimulationConfig(config, 1_000);
    expect(sim.symbols.BTC).toMatchObject({ startPrice: 115_000, ladder: { spacing: 250, count: 75 } });
    expect(sim).toMatchObject({ startTimeMs: 1_000, determinationDelayMs: 70_000, listLeadMs: 600_000 });
  });

  it('applies overrides and drops unlisted symbols', () => {
    const config = parseSimulatorConfig({
      symbols: ['ETH'],
      startPrices: { ETH: 4_000 },
      strikesPerEvent: 11,
      makers: false,
      paper: { startingBalanceDollars: 50 },
    });
    const sim = toSimulationConfig(config, 0);
    expect(Object.keys(sim.symbols)).toEqual(['ETH']);
    expect(sim.symbols.ETH).toMatchObject({ startPrice: 4_000, ladder: { count: 11 } });
    expect(sim.maker).toBeNull();
    expect(config.paper).toEqual({ accountId: 'paper', startingBalanceDollars: 50, tier: 'premier' });
  });

  it('refuses bad values with one line naming the field', () => {
    expect(() => parseSimulatorConfig({ symbols: ['DOGE'] })).toThrow(/^config: simulator\.symbols\.0: /);
    expect(() => parseSimulatorConfig({ listLeadSeconds: 90 })).toThrow(/simulator\.listLeadSeconds/);
    expect(() => parseSimulatorConfig({ seeed: 'typo' })).toThrow(/simulator/);
  });
});
