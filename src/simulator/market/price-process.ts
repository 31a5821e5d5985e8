/**
 * The simulated settlement index (BRTI-like): one print per second from a GARCH(1,1) process
 * with Student-t innovations on log returns —
 *
 *   r_t = σ_t · z_t,   z_t ~ t(ν) scaled to unit variance
 *   σ²_{t+1} = ω + α · r_t² + β · σ²_t,   ω = σ̄² · (1 − α − β)
 *
 * stepping once per second. Fat tails come from t(ν) and from the slowly mean-reverting
 * variance (volatility clustering); the unconditional variance σ̄² sets the annualised
 * volatility.
 *
 * Calibration targets (documented here, checked in price-process.test.ts on simulated days):
 * - BTC: annualised vol ≈ 50 % → 1-minute return stdev ≈ 0.069 % (realised 2024–25 BTC:
 *   0.05–0.08 %); 1-minute excess kurtosis clearly > 0; |r| autocorrelated over minutes.
 * - ETH: annualised vol ≈ 70 % → 1-minute stdev ≈ 0.097 %.
 * - Persistence α + β from a variance half-life of 1 hour (a volatile hour stays volatile);
 *   α = 0.004 per second with ν = 5 keeps the 4th moment finite —
 *   (α+β)² + (κ_z − 1)·α² = 1 − 2.6e-4 < 1, κ_z = 3(ν−2)/(ν−4) = 9 — for a theoretical
 *   1-minute kurtosis ≈ 3·(1−φ²)/(1−φ²−8α²) ≈ 4.5 (excess ≈ 1.5).
 * - The variance is clamped to [σ̄²/10, 9·σ̄²]: volatility between 0.3× and 3× its average, so
 *   no seed wanders into a regime where every strike is decided within minutes (α = 0.006
 *   reached 16–21× the average variance on some seeds).
 * Measured on 5-day samples (6 seeds): BTC 1-minute stdev 0.066–0.075 %, excess kurtosis
 * 1.0–3.0, autocorrelation of |1-minute return| > 0.08 at lag 1 (≈ 0 for i.i.d. returns),
 * 99th percentile of |1-hour return| 1.3–1.6 %.
 */
import type { SymbolId } from '../../domain/units.ts';
import type { Random } from './random.ts';

export const SECONDS_PER_YEAR = 365 * 24 * 3600;

export interface GarchParams {
  /** Unconditional annualised volatility, e.g. 0.5 for 50 %. */
  annualVol: number;
  /** Shock coefficient α (per second). */
  alpha: number;
  /** Half-life of a variance shock, seconds: sets the persistence α + β. */
  varianceHalfLifeSec: number;
  /** Student-t degrees of freedom of the innovations (> 4 keeps kurtosis finite). */
  nu: number;
  /** Variance is clamped to [σ̄²/floor, σ̄²·ceiling] so a freak draw cannot run away. */
  varianceFloorRatio: number;
  varianceCeilingRatio: number;
}

export const DEFAULT_GARCH: Readonly<Record<SymbolId, GarchParams>> = {
  BTC: {
    annualVol: 0.5,
    alpha: 0.004,
    varianceHalfLifeSec: 3_600,
    nu: 5,
    varianceFloorRatio: 10,
    varianceCeilingRatio: 9,
  },
  ETH: {
    annualVol: 0.7,
    alpha: 0.004,
    varianceHalfLifeSec: 3_600,
    nu: 5,
    varianceFloorRatio: 10,
    varianceCeilingRatio: 9,
  },
};

export interface GarchCoefficients {
  omega: number;
  alpha: number;
  beta: number;
  /** σ̄², per second. */
  unconditionalVariance: number;
  persistence: number;
}

export function garchCoefficients(params: GarchParams): GarchCoefficients {
  const unconditionalVariance = (params.annualVol * params.annualVol) / SECONDS_PER_YEAR;
  const persistence = Math.pow(0.5, 1 / params.varianceHalfLifeSec);
  const beta = persistence - params.alpha;
  if (!(params.alpha > 0 && beta > 0 && persistence < 1)) {
    throw new Error('GARCH needs α > 0, β > 0 and α + β < 1');
  }
  const kurtosisZ = params.nu > 4 ? (3 * (params.nu - 2)) / (params.nu - 4) : Infinity;
  if (persistence * persistence + (kurtosisZ - 1) * params.alpha * params.alpha >= 1) {
    throw new Error('GARCH parameters give an infinite fourth moment');
  }
  return {
    omega: unconditionalVariance * (1 - persistence),
    alpha: params.alpha,
    beta,
    unconditionalVariance,
    persistence,
  };
}

export interface PriceProcessState {
  /** Full-precision index level, dollars. */
  price: number;
  /** Conditional variance of the next one-second log return. */
  variance: number;
}

/** A source of one-second index levels with a variance forecast, for the fair value. */
export interface IndexSource {
  /** Advances one second and returns the new level (full precision, dollars). */
  step(random: Random): number;
  readonly price: number;
  /**
   * Expected variance of each of the next `seconds` one-second log returns:
   * out[k] = E[σ²_{t+k+1}].
   */
  varianceForecast(seconds: number): Float64Array;
}

export class GarchProcess implements IndexSource {
  private readonly coefficients: GarchCoefficients;
  private state: PriceProcessState;

  constructor(
    private readonly params: GarchParams,
    state: PriceProcessState,
  ) {
    this.coefficients = garchCoefficients(params);
    if (!(state.price > 0) || !(state.variance > 0)) throw new Error('price and variance must be positive');
    this.state = { ...state };
  }

  /** A process at `price` with the variance at its long-run level. */
  static start(params: GarchParams, price: number): GarchProcess {
    return new GarchProcess(params, { price, variance: garchCoefficients(params).unconditionalVariance });
  }

  get price(): number {
    return this.state.price;
  }

  get variance(): number {
    return this.state.variance;
  }

  snapshot(): PriceProcessState {
    return { ...this.state };
  }

  step(random: Random): number {
    const { omega, alpha, beta, unconditionalVariance } = this.coefficients;
    const r = Math.sqrt(this.state.variance) * random.studentT(this.params.nu);
    const next = omega + alpha * r * r + beta * this.state.variance;
    this.state = {
      price: this.state.price * Math.exp(r),
      variance: Math.min(
        Math.max(next, unconditionalVariance / this.params.varianceFloorRatio),
        unconditionalVariance * this.params.varianceCeilingRatio,
      ),
    };
    return this.state.price;
  }

  /**
   * Moves to an externally given level (a replayed series), updating the variance with the
   * realised return as if the process had drawn it — so fair values keep a live volatility.
   */
  observe(price: number): number {
    if (!(price > 0)) throw new Error(`observed price must be positive, got ${price}`);
    const { omega, alpha, beta, unconditionalVariance } = this.coefficients;
    const r = Math.log(price / this.state.price);
    const next = omega + alpha * r * r + beta * this.state.variance;
    this.state = {
      price,
      variance: Math.min(
        Math.max(next, unconditionalVariance / this.params.varianceFloorRatio),
        unconditionalVariance * this.params.varianceCeilingRatio,
      ),
    };
    return price;
  }

  varianceForecast(seconds: number): Float64Array {
    const { unconditionalVariance, persistence } = this.coefficients;
    const out = new Float64Array(Math.max(0, seconds));
    let excess = this.state.variance - unconditionalVariance;
    for (let k = 0; k < out.length; k++) {
      out[k] = unconditionalVariance + excess;
      excess *= persistence;
    }
    return out;
  }
}
