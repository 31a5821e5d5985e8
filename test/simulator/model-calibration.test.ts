/**
 * Acceptance (issue 5): a model built from the simulator's own process is calibrated against
 * the simulator's settlements over many hours run on the simulated clock.
 *
 * The model is the one a fresh install builds (the bootstrap's job: 365 days of synthetic
 * history, seed 'recio-bootstrap', on a worker thread). The market is the simulator's with its
 * default seed 'recio-sim' — another random stream — run for 240 settled hours on a simulated
 * clock. At 45, 30, 15, 10, 5, 2 and 1 minutes and 30 s before each close the 21 strikes of the
 * strike table get the model's P(YES) exactly as the coordinator computes it (spot pipeline
 * momentum, average60 settlement, the known part of the average in the last minute), and each
 * forecast is scored against the exchange's result.
 *
 * THE BOUNDS (src/domain/calibration/reliability.ts has the statistics):
 * - Per decile of forecast, |observed − mean forecast| ≤ max(1 pp, 3 cluster-robust SEs), the
 *   hour being the cluster (an hour's 168 forecasts share one price path). 1 pp is one cent,
 *   Kalshi's tick: an error below it cannot change a trade by more than the tick. 3 SE is
 *   where chance stops being a good excuse. The same rule holds over all forecasts.
 * - ECE ≤ 1 pp + the ECE a perfectly calibrated forecaster shows with these SEs (99.8 %).
 * - Brier skill over climatology (always forecasting the YES rate) ≥ 0.8: calibration alone
 *   is met by climatology, the model must also separate strikes.
 * - Brier score ≤ 1.10 × that of the simulator's own fair value (it knows the live GARCH
 *   variance; the model only knows the momentum bucket): within 10 % of the best possible.
 * Negative controls on the same hours must FAIL: a model built from the same history with
 * volatility doubled, and the calibrated model's P(YES) shifted by +3 pp and by −3 pp.
 */
import { beforeAll, describe, expect, it } from 'vitest';
import { checkCalibration } from '../../src/domain/calibration/index.ts';
import { settlesYes } from '../../src/domain/kalshi/settlement.ts';
import { bootstrapJob } from '../../src/storage/models/bootstrap.ts';
import { runSyntheticModelJobInWorker } from '../../src/storage/models/run-in-worker.ts';
import type { SyntheticModelResult } from '../../src/storage/models/synthetic-model-job.ts';
import {
  CALIBRATION_BOUNDS,
  forecastsOf,
  gridWithScaledVolatility,
  MAX_BRIER_RATIO_TO_ORACLE,
  OFFSETS_SECONDS,
  oracleForecastsOf,
  reportOf,
  runSimulatedHours,
  type CalibrationRun,
  type StrikeForecast,
} from './model-calibration-run.ts';

const NOW = Date.UTC(2025, 6, 1); // the install's clock: history ends here, the market starts here
const SIMULATOR_SEED = 'recio-sim'; // the simulator runtime's default
const HOURS = 240;
const STRIKE_ROWS = 21;

const clampPercent = (p: number) => Math.min(99.99, Math.max(0.01, p));

describe("the bootstrap model against the simulator's settlements", () => {
  let run: CalibrationRun;
  let model: SyntheticModelResult;
  let forecasts: StrikeForecast[];

  beforeAll(async () => {
    // The bootstrap's job (bootstrap.ts) on its worker, while this thread runs the market.
    const building = runSyntheticModelJobInWorker(bootstrapJob('BTC', NOW));
    building.catch(() => {}); // awaited below; keep an early failure from going unhandled
    run = await runSimulatedHours({
      seed: SIMULATOR_SEED,
      startMs: NOW,
      hours: HOURS,
      offsetsSeconds: OFFSETS_SECONDS,
    });
    model = await building;
    forecasts = forecastsOf(run, model.grid, { settle: 'average60', rows: STRIKE_ROWS });
  }, 180_000);

  it("settles every hour by the simulator's rule: the mean of the last 60 index prints, YES iff above", () => {
    expect(run.hours).toHaveLength(HOURS);
    const mismatches: string[] = [];
    for (const hour of run.hours) {
      expect(hour.snapshots.map((s) => s.offsetSeconds)).toEqual(OFFSETS_SECONDS);
      for (const snap of hour.snapshots) {
        // Every horizon of momentum is there (no renormalised partial momentum) …
        if (snap.inputs.price?.momentum.missingHorizons.length !== 0) {
          mismatches.push(`${hour.eventTicker} −${snap.offsetSeconds}s: momentum incomplete`);
        }
        // … and from the window's first print on (TTC ≤ 60 s) the index reports this hour's window.
        const index = snap.inputs.index;
        const inWindow = index?.windowCloseTimeMs === hour.closeTimeMs && index.secondsCovered > 0;
        if (inWindow !== snap.offsetSeconds <= 60) {
          mismatches.push(`${hour.eventTicker} −${snap.offsetSeconds}s: window ${JSON.stringify(index)}`);
        }
      }
      // The exchange's results equal the settlement btc_price_watchdog computed from the prints.
      const watchdog = hour.watchdog?.value;
      if (watchdog?.status !== 'ok' || watchdog.printCount !== 60) {
        mismatches.push(`${hour.eventTicker}: watchdog window ${JSON.stringify(watchdog)}`);
        continue;
      }
      if (watchdog.displayDollars !== hour.settlementDollars) {
        mismatches.push(`${hour.eventTicker}: ${watchdog.displayDollars} vs ${hour.settlementDollars}`);
      }
      for (const row of hour.snapshots[0]!.inputs.market!.rows) {
        const expected = settlesYes(watchdog.sumCents, watchdog.printCount, row.strike) ? 'yes' : 'no';
        if (hour.results.get(row.ticker) !== expected) mismatches.push(`${row.ticker}: not ${expected}`);
      }
    }
    expect(mismatches).toEqual([]);
    expect(forecasts).toHaveLength(HOURS * OFFSETS_SECONDS.length * STRIKE_ROWS);
    // Both outcomes are common: the strikes straddle the price.
    const yesShare = forecasts.filter((f) => f.outcome).length / forecasts.length;
    expect(yesShare).toBeGreaterThan(0.3);
    expect(yesShare).toBeLessThan(0.7);
  });

  it('is calibrated within the stated bounds and close to the best possible Brier score', () => {
    const scored = reportOf(forecasts);
    const oracle = reportOf(oracleForecastsOf(run, forecasts));
    const check = checkCalibration(scored, CALIBRATION_BOUNDS);
    const summary = {
      hours: scored.clusters,
      forecasts: scored.count,
      brier: scored.brier,
      climatology: scored.climatologyBrier,
      oracleBrier: oracle.brier,
      ecePp: scored.ecePp,
      eceBoundPp: check.eceBoundPp,
      buckets: scored.buckets.map((b, i) => ({
        from: b.fromPercent,
        n: b.count,
        hours: b.clusters,
        forecast: b.meanForecastPercent,
        observed: b.observedPercent,
        boundPp: check.bucketBoundsPp[i],
      })),
    };
    expect(check.failures, JSON.stringify(summary, null, 1)).toEqual([]);
    // Every bucket was judged: 240 hours fill all deciles with ≥ 30 hours.
    expect(check.bucketBoundsPp.every((b) => b !== null)).toBe(true);
    expect(scored.brier).toBeLessThanOrEqual(MAX_BRIER_RATIO_TO_ORACLE * oracle.brier);
  });

  it('fails a model built from the same history with the volatility doubled', () => {
    const wide = reportOf(forecastsOf(run, gridWithScaledVolatility(model, 2, NOW)));
    const oracle = reportOf(oracleForecastsOf(run, forecasts));
    const check = checkCalibration(wide, CALIBRATION_BOUNDS);
    expect(check.pass).toBe(false);
    // Too wide: strikes near the money are forecast too close to 50 % on both sides.
    expect(check.failures.some((f) => /^bucket [1-3]0–/.test(f))).toBe(true);
    expect(check.failures.some((f) => /^bucket [6-8]0–/.test(f))).toBe(true);
    expect(wide.brier).toBeGreaterThan(MAX_BRIER_RATIO_TO_ORACLE * oracle.brier);
  });

  it('fails the calibrated model with its probabilities shifted by 3 pp either way', () => {
    for (const shift of [3, -3]) {
      const shifted = forecasts.map((f) => ({ ...f, percent: clampPercent(f.percent + shift) }));
      const check = checkCalibration(reportOf(shifted), CALIBRATION_BOUNDS);
      expect(check.pass, `shift ${shift} pp`).toBe(false);
    }
  });
});
