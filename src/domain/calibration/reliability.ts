/**
 * Is a forecaster calibrated — and how sure can we be, given how much data there is?
 *
 * Forecasts of one settled hour are not independent: the strikes of an hour share one price
 * path and one settlement value, and the same strike is forecast again at every offset before
 * the close. So every forecast carries a `cluster` (its hour) and the standard errors are
 * cluster-robust (the "sandwich" estimator): clusters are independent, anything may happen
 * inside one. For forecasts with residuals r_i = o_i − p_i, mean residual ḡ, C clusters:
 *
 *   SE(ḡ)² = C / (C − 1) · Σ_c (Σ_{i∈c} (r_i − ḡ))² / n²
 *
 * With 21 strikes × several offsets per hour this is up to ~3× the naive binomial SE in the
 * middle buckets — the hour, not the strike, is the unit of evidence.
 *
 * Expected calibration error ECE = Σ_b (n_b / n)·|gap_b| is positive even for a perfect
 * forecaster. With gap_b ≈ N(0, SE_b²), E|gap_b| = √(2/π)·SE_b and sd|gap_b| = √(1 − 2/π)·SE_b;
 * bounding the sd of the sum by the sum of the sds (buckets share hours, so their gaps are
 * correlated), ECE stays below (√(2/π) + 3·√(1 − 2/π))·Σ_b w_b·SE_b with ≥ 99.8 % probability.
 *
 * Units: forecasts in percent (the platform's convention); gaps, SEs and ECE in percentage
 * points; Brier score and the Murphy decomposition in fractions (Brier's usual scale).
 */
import { brierScore, logLoss, type Forecast } from './scores.ts';

export interface ClusteredForecast extends Forecast {
  /** Forecasts with the same cluster (one settled hour) may be correlated; clusters are independent. */
  cluster: number | string;
}

export interface ReliabilityBucket {
  /** Forecasts in [fromPercent, toPercent) — the last bucket includes 100. */
  fromPercent: number;
  toPercent: number;
  count: number;
  /** Distinct clusters (hours) among the bucket's forecasts. */
  clusters: number;
  meanForecastPercent: number | null;
  observedPercent: number | null;
  /** observed − mean forecast, percentage points; null when empty. */
  gapPp: number | null;
  /** Cluster-robust standard error of the gap, pp; null with fewer than 2 clusters. */
  standardErrorPp: number | null;
}

export interface ReliabilityReport {
  count: number;
  clusters: number;
  brier: number;
  logLoss: number;
  /** Brier score of always forecasting the observed YES rate (climatology, in-sample). */
  climatologyBrier: number;
  /** 1 − brier / climatologyBrier: 0 = no better than climatology, 1 = perfect. */
  brierSkill: number;
  meanForecastPercent: number;
  observedPercent: number;
  /** Cluster-robust SE of observed − mean forecast over all forecasts, pp (NaN with one cluster). */
  overallStandardErrorPp: number;
  /** Σ_b (n_b / n)·|gap_b|, pp. */
  ecePp: number;
  /** ECE a calibrated forecaster stays below (99.8 %, from the buckets' SEs), pp. */
  eceNoisePp: number;
  /** Murphy's decomposition on the buckets: brier ≈ reliability − resolution + uncertainty. */
  reliability: number;
  resolution: number;
  uncertainty: number;
  buckets: ReliabilityBucket[];
}

/** E|Z| + 3·sd|Z| for a standard normal Z, in units of SE. */
export const ECE_NOISE_FACTOR = Math.sqrt(2 / Math.PI) + 3 * Math.sqrt(1 - 2 / Math.PI);

interface Accumulator {
  count: number;
  yes: number;
  sumPercent: number;
  /** Σ r_i (fraction) and n_c per cluster: the sandwich needs Σ (r_i − ḡ) = Σ r_i − n_c·ḡ. */
  byCluster: Map<number | string, { residual: number; count: number }>;
}

function accumulator(): Accumulator {
  return { count: 0, yes: 0, sumPercent: 0, byCluster: new Map() };
}

function add(acc: Accumulator, f: ClusteredForecast): void {
  acc.count++;
  acc.sumPercent += f.percent;
  if (f.outcome) acc.yes++;
  const residual = (f.outcome ? 1 : 0) - f.percent / 100;
  const cluster = acc.byCluster.get(f.cluster);
  if (cluster) {
    cluster.residual += residual;
    cluster.count++;
  } else acc.byCluster.set(f.cluster, { residual, count: 1 });
}

/** Cluster-robust SE of the mean residual, pp; NaN with fewer than two clusters. */
function clusterStandardErrorPp(acc: Accumulator): number {
  const clusters = acc.byCluster.size;
  if (clusters < 2) return NaN;
  const meanResidual = acc.yes / acc.count - acc.sumPercent / acc.count / 100;
  let sum = 0;
  for (const c of acc.byCluster.values()) sum += (c.residual - c.count * meanResidual) ** 2;
  return (Math.sqrt((sum * clusters) / (clusters - 1)) / acc.count) * 100;
}

export function reliabilityReport(
  forecasts: readonly ClusteredForecast[],
  bucketCount = 10,
): ReliabilityReport {
  if (!Number.isInteger(bucketCount) || bucketCount < 1) {
    throw new RangeError(`bucketCount must be a positive integer, got ${bucketCount}`);
  }
  if (forecasts.length === 0) throw new RangeError('no forecasts to score');
  const all = accumulator();
  const perBucket = Array.from({ length: bucketCount }, accumulator);
  for (const f of forecasts) {
    if (!Number.isFinite(f.percent) || f.percent < 0 || f.percent > 100) {
      throw new RangeError(`a forecast must be a percent in [0, 100], got ${f.percent}`);
    }
    add(all, f);
    add(perBucket[Math.min(bucketCount - 1, Math.floor((f.percent / 100) * bucketCount))]!, f);
  }
  const n = all.count;
  const base = all.yes / n;
  const uncertainty = base * (1 - base);
  const brier = brierScore(forecasts);
  let ece = 0;
  let weightedSe = 0;
  let reliability = 0;
  let resolution = 0;
  const buckets = perBucket.map((acc, i): ReliabilityBucket => {
    const fromPercent = (i * 100) / bucketCount;
    const toPercent = ((i + 1) * 100) / bucketCount;
    if (acc.count === 0) {
      return {
        fromPercent,
        toPercent,
        count: 0,
        clusters: 0,
        meanForecastPercent: null,
        observedPercent: null,
        gapPp: null,
        standardErrorPp: null,
      };
    }
    const mean = acc.sumPercent / acc.count;
    const observed = (acc.yes / acc.count) * 100;
    const gap = observed - mean;
    const se = clusterStandardErrorPp(acc);
    const w = acc.count / n;
    ece += w * Math.abs(gap);
    // A one-cluster bucket has no SE: it counts with the largest a binary outcome can have (50 pp).
    weightedSe += w * (Number.isNaN(se) ? 50 : se);
    reliability += w * (gap / 100) ** 2;
    resolution += w * (acc.yes / acc.count - base) ** 2;
    return {
      fromPercent,
      toPercent,
      count: acc.count,
      clusters: acc.byCluster.size,
      meanForecastPercent: mean,
      observedPercent: observed,
      gapPp: gap,
      standardErrorPp: Number.isNaN(se) ? null : se,
    };
  });
  return {
    count: n,
    clusters: all.byCluster.size,
    brier,
    logLoss: logLoss(forecasts),
    climatologyBrier: uncertainty,
    brierSkill: uncertainty > 0 ? 1 - brier / uncertainty : 0,
    meanForecastPercent: all.sumPercent / n,
    observedPercent: base * 100,
    overallStandardErrorPp: clusterStandardErrorPp(all),
    ecePp: ece,
    eceNoisePp: ECE_NOISE_FACTOR * weightedSe,
    reliability,
    resolution,
    uncertainty,
    buckets,
  };
}

export interface CalibrationBounds {
  /** Allowance per bucket (and over all forecasts) for the model's systematic approximations, pp. */
  bucketFloorPp: number;
  /** Standard errors a gap may reach: a bucket's bound is max(floor, sigmas × SE), as is the overall gap's. */
  sigmas: number;
  /** Buckets with fewer clusters are not judged (too few for the normal approximation); fewer overall fails. */
  minBucketClusters: number;
  /** ECE may reach this allowance plus the noise a calibrated forecaster shows (eceNoisePp). */
  eceAllowancePp: number;
  /** Least Brier skill over climatology. */
  minBrierSkill: number;
}

export interface CalibrationCheck {
  pass: boolean;
  /** One line per violated bound. */
  failures: string[];
  /** Each bucket's bound (pp), null when not judged. */
  bucketBoundsPp: (number | null)[];
  eceBoundPp: number;
}

export function checkCalibration(report: ReliabilityReport, bounds: CalibrationBounds): CalibrationCheck {
  const failures: string[] = [];
  if (report.clusters < bounds.minBucketClusters) {
    failures.push(`${report.clusters} clusters: too few to judge (need ${bounds.minBucketClusters})`);
  }
  const bucketBoundsPp = report.buckets.map((b) => {
    if (b.gapPp === null || b.standardErrorPp === null || b.clusters < bounds.minBucketClusters) return null;
    const bound = Math.max(bounds.bucketFloorPp, bounds.sigmas * b.standardErrorPp);
    if (Math.abs(b.gapPp) > bound) {
      failures.push(
        `bucket ${b.fromPercent}–${b.toPercent} %: forecast ${b.meanForecastPercent!.toFixed(2)} %, observed ` +
          `${b.observedPercent!.toFixed(2)} % (gap ${b.gapPp.toFixed(2)} pp > ${bound.toFixed(2)} pp)`,
      );
    }
    return bound;
  });
  // Calibration in the large: the same rule as a bucket, over every forecast.
  const overallGap = report.observedPercent - report.meanForecastPercent;
  const overallBound = Math.max(bounds.bucketFloorPp, bounds.sigmas * report.overallStandardErrorPp);
  if (Math.abs(overallGap) > overallBound) {
    failures.push(
      `all forecasts: mean ${report.meanForecastPercent.toFixed(2)} %, observed ${report.observedPercent.toFixed(2)} % ` +
        `(gap ${overallGap.toFixed(2)} pp > ${overallBound.toFixed(2)} pp)`,
    );
  }
  const eceBoundPp = bounds.eceAllowancePp + report.eceNoisePp;
  if (report.ecePp > eceBoundPp) {
    failures.push(`ECE ${report.ecePp.toFixed(2)} pp > ${eceBoundPp.toFixed(2)} pp`);
  }
  if (!(report.brierSkill >= bounds.minBrierSkill)) {
    failures.push(
      `Brier skill ${report.brierSkill.toFixed(3)} < ${bounds.minBrierSkill} ` +
        `(Brier ${report.brier.toFixed(4)} vs climatology ${report.climatologyBrier.toFixed(4)})`,
    );
  }
  return { pass: failures.length === 0, failures, bucketBoundsPp, eceBoundPp };
}
