import { describe, it, expect } from 'vitest';
import { DEFAULT_GARCH, GarchProcess, garchCoefficients } from './price-process.ts';
import { Random } from './random.ts';

interface MinuteStats {
  stdev: number;
  excessKurtosis: number;
  absAutocorrelationLag1: number;
}

function minuteStats(symbol: 'BTC' | 'ETH', seed: number, days: number): MinuteStats {
  const process = GarchProcess.start(DEFAULT_GARCH[symbol], 100_000);
  const random = Random.seeded(seed);
  const returns: number[] = [];
  let last = process.price;
  for (let second = 1; second <= days * 86_400; second++) {
    process.step(random);
    if (second % 60 === 0) {
      returns.push(Math.log(process.price / last));
      last = process.price;
    }
  }
  const n = returns.length;
  const mean = returns.reduce((s, r) => s + r, 0) / n;
  const variance = returns.reduce((s, r) => s + (r - mean) ** 2, 0) / n;
  const fourth = returns.reduce((s, r) => s + (r - mean) ** 4, 0) / n;
  const abs = returns.map((r) => Math.abs(r - mean));
  const absMean = abs.reduce((s, r) => s + r, 0) / n;
  let num = 0;
  let den = 0;
  for (let i = 0; i < n; i++) {
    den += ((abs[i] as number) - absMean) ** 2;
    if (i > 0) num += ((abs[i] as number) - absMean) * ((abs[i - 1] as number) - absMean);
  }
  return {
    stdev: Math.sqrt(variance),
    excessKurtosis: fourth / variance ** 2 - 3,
    absAutocorrelationLag1: num / den,
  };
}

describe('GARCH(1,1)-t index process', () => {
  it('is calibrated to realistic 1-minute BTC and ETH statistics', () => {
    for (const seed of [11, 12]) {
      const btc = minuteStats('BTC', seed, 4);
      const eth = minuteStats('ETH', seed, 4);
      // BTC 1-minute stdev 0.05–0.08 % (≈ 50 % a year); ETH higher.
      expect(btc.stdev).toBeGreaterThan(0.0005);
      expect(btc.stdev).toBeLessThan(0.0008);
      expect(eth.stdev / btc.stdev).toBeGreaterThan(1.25);
      expect(eth.stdev).toBeLessThan(0.0012);
      // Fat tails and volatility clustering, which i.i.d. normal returns would not show.
      expect(btc.excessKurtosis).toBeGreaterThan(0.7);
      expect(btc.absAutocorrelationLag1).toBeGreaterThan(0.08);
    }
  });

  it('has the documented long-run variance and persistence', () => {
    const c = garchCoefficients(DEFAULT_GARCH.BTC);
    expect(Math.sqrt(c.unconditionalVariance * 365 * 86_400)).toBeCloseTo(0.5, 10);
    expect(Math.pow(c.persistence, 3_600)).toBeCloseTo(0.5, 10);
    expect(c.alpha + c.beta).toBeCloseTo(c.persistence, 12);
    expect(() => garchCoefficients({ ...DEFAULT_GARCH.BTC, alpha: 0.01 })).toThrow(/fourth moment/);
  });

  it('forecasts variance decaying to its long-run level', () => {
    const c = garchCoefficients(DEFAULT_GARCH.BTC);
    const process = new GarchProcess(DEFAULT_GARCH.BTC, {
      price: 100_000,
      variance: 4 * c.unconditionalVariance,
    });
    const forecast = process.varianceForecast(7_200);
    expect(forecast[0]).toBeCloseTo(4 * c.unconditionalVariance, 20);
    expect((forecast[3_600] as number) / c.unconditionalVariance).toBeCloseTo(1 + 3 * 0.5, 6);
    expect(forecast[7_199] as number).toBeLessThan(forecast[3_600] as number);
  });

  it('is deterministic and resumes exactly from a snapshot', () => {
    const a = GarchProcess.start(DEFAULT_GARCH.ETH, 3_800);
    const ra = Random.seeded('eth');
    for (let i = 0; i < 1000; i++) a.step(ra);
    const b = new GarchProcess(DEFAULT_GARCH.ETH, JSON.parse(JSON.stringify(a.snapshot())));
    const rb = Random.fromState(ra.state());
    for (let i = 0; i < 1000; i++) expect(b.step(rb)).toBe(a.step(ra));
  });
});
