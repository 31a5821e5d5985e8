/**
 * Calibration of the bootstrap model against the simulator's settlements, on a longer run than
 * the acceptance test (test/simulator/model-calibration.test.ts, same harness and bounds).
 * Prints hours, forecasts, Brier score against climatology and against the simulator's own fair
 * value, log-loss, ECE, the worst bucket, the calibration table, figures per offset, and the
 * negative controls. Run: node --import tsx bench/model-calibration.ts [hours] [simulator seed]
 */
import { checkCalibration, type ReliabilityReport } from '../src/domain/calibration/index.ts';
import {
  bootstrapJob,
  DEFAULT_BOOTSTRAP_DAYS,
  DEFAULT_BOOTSTRAP_SEED,
} from '../src/storage/models/bootstrap.ts';
import { runSyntheticModelJobInWorker } from '../src/storage/models/run-in-worker.ts';
import {
  CALIBRATION_BOUNDS,
  forecastsOf,
  gridWithScaledVolatility,
  MAX_BRIER_RATIO_TO_ORACLE,
  OFFSETS_SECONDS,
  oracleForecastsOf,
  reportOf,
  runSimulatedHours,
  type StrikeForecast,
} from '../test/simulator/model-calibration-run.ts';

const HOURS = Number(process.argv[2] ?? 1_000);
const SEED = process.argv[3] ?? 'recio-sim';
const NOW = Date.UTC(2025, 6, 1);

const started = performance.now();
const building = runSyntheticModelJobInWorker(bootstrapJob('BTC', NOW));
const run = await runSimulatedHours({
  seed: SEED,
  startMs: NOW,
  hours: HOURS,
  offsetsSeconds: OFFSETS_SECONDS,
  onHour: (n) => {
    if (n % 100 === 0) process.stderr.write(`\r${n}/${HOURS} hours`);
  },
});
process.stderr.write('\n');
const simulatedSeconds = (performance.now() - started) / 1000;
const model = await building;
const forecasts = forecastsOf(run, model.grid);
const oracleForecasts = oracleForecastsOf(run, forecasts);
const scored = reportOf(forecasts);
const oracle = reportOf(oracleForecasts);
const check = checkCalibration(scored, CALIBRATION_BOUNDS);

const pct = (x: number | null, digits = 2) => (x === null ? '—' : x.toFixed(digits));
console.log(
  `model ${model.grid.meta.modelId} (${DEFAULT_BOOTSTRAP_DAYS} days, seed ${DEFAULT_BOOTSTRAP_SEED}) vs simulator seed ` +
    `${SEED}: ${scored.clusters} settled hours, ${scored.count.toLocaleString('en-US')} forecasts ` +
    `(${OFFSETS_SECONDS.length} offsets × 21 strikes); ${(run.simulatedMs / 3_600_000).toFixed(0)} simulated hours ` +
    `in ${simulatedSeconds.toFixed(1)} s (${((simulatedSeconds / (run.simulatedMs / 3_600_000)) * 1000).toFixed(0)} ms/hour)`,
);
console.log(
  `Brier ${scored.brier.toFixed(4)} vs climatology ${scored.climatologyBrier.toFixed(4)} (skill ${scored.brierSkill.toFixed(3)}) ` +
    `vs simulator fair value ${oracle.brier.toFixed(4)} (ratio ${(scored.brier / oracle.brier).toFixed(3)}, bound ${MAX_BRIER_RATIO_TO_ORACLE}); ` +
    `log-loss ${scored.logLoss.toFixed(4)} vs ${oracle.logLoss.toFixed(4)}`,
);
const worst = scored.buckets
  .map((b, i) => ({ b, bound: check.bucketBoundsPp[i] ?? null }))
  .filter((x) => x.bound !== null && x.b.gapPp !== null)
  .sort((x, y) => Math.abs(y.b.gapPp!) / y.bound! - Math.abs(x.b.gapPp!) / x.bound!)[0];
console.log(
  `ECE ${scored.ecePp.toFixed(2)} pp (bound ${check.eceBoundPp.toFixed(2)}), reliability ${scored.reliability.toExponential(2)}, ` +
    `calibration in the large ${pct(scored.observedPercent - scored.meanForecastPercent)} ± ${pct(scored.overallStandardErrorPp)} pp; ` +
    `worst bucket ${worst ? `${worst.b.fromPercent}–${worst.b.toPercent} %: gap ${pct(worst.b.gapPp)} pp of ${pct(worst.bound)} allowed` : '—'}; ` +
    (check.pass ? 'PASS' : `FAIL: ${check.failures.join('; ')}`),
);
console.log('bucket      forecasts  hours  mean %  observed %  gap pp  SE pp  bound pp');
scored.buckets.forEach((b, i) =>
  console.log(
    `${`${b.fromPercent}–${b.toPercent}`.padEnd(10)} ${String(b.count).padStart(10)} ${String(b.clusters).padStart(6)} ` +
      `${pct(b.meanForecastPercent).padStart(7)} ${pct(b.observedPercent).padStart(11)} ${pct(b.gapPp).padStart(7)} ` +
      `${pct(b.standardErrorPp).padStart(6)} ${pct(check.bucketBoundsPp[i] ?? null).padStart(9)}`,
  ),
);

const line = (name: string, r: ReliabilityReport) => {
  const c = checkCalibration(r, CALIBRATION_BOUNDS);
  const ratio = r.brier / oracle.brier;
  const verdict =
    c.pass && ratio <= MAX_BRIER_RATIO_TO_ORACLE
      ? 'pass'
      : `FAIL (${c.failures.length} bounds${ratio > MAX_BRIER_RATIO_TO_ORACLE ? ', Brier ratio' : ''})`;
  console.log(
    `  ${name.padEnd(26)} Brier ${r.brier.toFixed(4)} (×${ratio.toFixed(3)})  ECE ${r.ecePp.toFixed(2)} / ${c.eceBoundPp.toFixed(2)} pp  ${verdict}`,
  );
  for (const failure of c.failures.slice(0, 2)) console.log(`      ${failure}`);
};
console.log('per offset before close:');
for (const offset of OFFSETS_SECONDS) {
  const at = (f: StrikeForecast) => f.offsetSeconds === offset;
  const r = reportOf(forecasts.filter(at));
  const o = reportOf(oracleForecasts.filter(at));
  console.log(
    `  ${String(offset).padStart(5)} s: Brier ${r.brier.toFixed(4)} (fair value ${o.brier.toFixed(4)}), ` +
      `ECE ${r.ecePp.toFixed(2)} pp (bound ${(CALIBRATION_BOUNDS.eceAllowancePp + r.eceNoisePp).toFixed(2)})`,
  );
}
console.log('controls on the same hours:');
line('simulator fair value', oracle);
line("settle 'close' (v2)", reportOf(forecastsOf(run, model.grid, { settle: 'close' })));
for (const k of [2, 1.25, 0.8, 0.5])
  line(`volatility ×${k}`, reportOf(forecastsOf(run, gridWithScaledVolatility(model, k, NOW))));
const clamp = (p: number) => Math.min(99.99, Math.max(0.01, p));
for (const shift of [5, 3, 2, -2, -3]) {
  line(
    `P(YES) ${shift > 0 ? '+' : ''}${shift} pp`,
    reportOf(forecasts.map((f) => ({ ...f, percent: clamp(f.percent + shift) }))),
  );
}
