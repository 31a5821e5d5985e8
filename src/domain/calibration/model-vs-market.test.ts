import { describe, expect, it } from 'vitest';
import { scoreModelVsMarket, yesMidPercent, type CalibrationObservation } from './model-vs-market.ts';

const HOUR = 3_600_000;

function obs(
  event: number,
  offsetMinutes: number,
  modelPercent: number,
  marketPercent: number | null,
  outcome: boolean,
): CalibrationObservation {
  return { closeTimeMs: event * HOUR, offsetMinutes, modelPercent, marketPercent, outcome };
}

describe('yesMidPercent', () => {
  it('is the mean of YES bid and ask, centi-cents → percent', () => {
    expect(yesMidPercent(5_600, 5_800)).toBe(57);
    expect(yesMidPercent(50, 150)).toBe(1);
    expect(yesMidPercent(null, 5_800)).toBeNull();
    expect(yesMidPercent(5_600, null)).toBeNull();
  });
});

describe('scoreModelVsMarket', () => {
  it('scores both forecasters on the rows with a mid, per offset too, and says who wins', () => {
    const rows = [
      obs(1, 5, 90, 70, true),
      obs(1, 5, 20, 40, false),
      obs(2, 1, 60, 50, true),
      obs(2, 1, 99, null, true), // no mid: left out of both
    ];
    const report = scoreModelVsMarket(rows, { minObservations: 3, minEvents: 2 });
    expect(report.observations).toBe(3);
    expect(report.withoutMid).toBe(1);
    expect(report.events).toBe(2);
    const modelBrier = (0.01 + 0.04 + 0.16) / 3;
    const marketBrier = (0.09 + 0.16 + 0.25) / 3;
    expect(report.model!.brier).toBeCloseTo(modelBrier, 15);
    expect(report.market!.brier).toBeCloseTo(marketBrier, 15);
    expect(report.model!.logLoss).toBeCloseTo(-(Math.log(0.9) + Math.log(0.8) + Math.log(0.6)) / 3, 15);
    expect(report.market!.logLoss).toBeCloseTo(-(Math.log(0.7) + Math.log(0.6) + Math.log(0.5)) / 3, 15);
    expect(report.brierSkill).toBeCloseTo(1 - modelBrier / marketBrier, 15);
    expect(report.verdict).toBe('model_better');
    expect(report.summary).toMatch(/^The model beats the market mid: Brier 0\.0700 vs 0\.1667/);
    expect(report.byOffset).toEqual([
      {
        offsetMinutes: 1,
        observations: 1,
        modelBrier: expect.closeTo(0.16, 15),
        marketBrier: expect.closeTo(0.25, 15),
        modelLogLoss: expect.closeTo(-Math.log(0.6), 15),
        marketLogLoss: expect.closeTo(-Math.log(0.5), 15),
      },
      {
        offsetMinutes: 5,
        observations: 2,
        modelBrier: expect.closeTo(0.025, 15),
        marketBrier: expect.closeTo(0.125, 15),
        modelLogLoss: expect.any(Number),
        marketLogLoss: expect.any(Number),
      },
    ]);
    expect(report.model!.buckets[9]).toMatchObject({ count: 1, yesCount: 1 });
    expect(report.market!.buckets[9]).toMatchObject({ count: 0 });
  });

  it('says plainly when the model does not beat the mid', () => {
    const rows = [obs(1, 5, 90, 99, true), obs(2, 5, 30, 5, false), obs(3, 5, 50, 45, false)];
    const report = scoreModelVsMarket(rows, { minObservations: 3, minEvents: 3 });
    expect(report.verdict).toBe('market_better');
    expect(report.brierSkill!).toBeLessThan(0);
    expect(report.summary).toMatch(/^The model does NOT beat the market mid/);
  });

  it('withholds a verdict with too few observations or hours, but still shows the figures', () => {
    const rows = [obs(1, 5, 90, 70, true), obs(1, 5, 10, 30, false), obs(1, 2, 95, 80, true)];
    const fewEvents = scoreModelVsMarket(rows, { minObservations: 3, minEvents: 2 });
    expect(fewEvents.verdict).toBe('insufficient_data');
    expect(fewEvents.summary).toMatch(/^Too little data to judge .*Brier/);
    expect(fewEvents.model).not.toBeNull();
    expect(scoreModelVsMarket(rows).verdict).toBe('insufficient_data'); // defaults: 100 rows, 5 hours
  });

  it('calls equal Brier scores a tie and handles no data at all', () => {
    const tie = scoreModelVsMarket([obs(1, 5, 80, 80, true)], { minObservations: 1, minEvents: 1 });
    expect(tie.verdict).toBe('tie');
    const none = scoreModelVsMarket([obs(1, 5, 80, null, true)]);
    expect(none).toMatchObject({
      observations: 0,
      withoutMid: 1,
      model: null,
      market: null,
      verdict: 'insufficient_data',
    });
  });
});
