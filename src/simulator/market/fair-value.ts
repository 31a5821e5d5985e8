/**
 * Fair value of an hourly market under the simulator's own process: P(settlement value >
 * floor_strike), where the settlement value is the mean of the 60 one-second prints in
 * [close − 60 s, close).
 *
 * Normal approximation in price space (an hour moves BTC ~0.6 %, where the lognormal and the
 * normal agree to well under a cent of probability): with S the index now and x_k the log
 * return of second k ahead (variance h_k from the process's forecast),
 *
 *   A = (known + S · Σ_{future prints} e^{X_j}) / 60 ≈ (known + m·S)/60 + S · Σ_k (c_k / 60) · x_k
 *
 * where c_k = number of future window prints at or after second k. So A ~ N(mean, S²·V) with
 * mean = (known + m·S)/60 and V = Σ_k h_k · (c_k/60)². Before the window, V ≈ σ²·(d + 19.5)
 * for constant σ (d = seconds to the window's start): the average settles on less variance
 * than the closing print. Inside the window the known prints shift the mean and only the
 * remaining seconds are uncertain.
 */
import { SETTLEMENT_PRINTS, SETTLEMENT_WINDOW_MS } from '../../domain/kalshi/settlement.ts';
import type { EpochMs } from '../../domain/units.ts';

/** Standard normal CDF. */
export function normalCdf(z: number): number {
  if (Number.isNaN(z)) return NaN;
  if (z === Infinity) return 1;
  if (z === -Infinity) return 0;
  return 0.5 * erfc(-z / Math.SQRT2);
}

function erfc(x: number): number {
  // Numerical Recipes' erfc (Chebyshev fit), relative error < 1.2e-7 everywhere — ample for
  // quoting in whole cents.
  const z = Math.abs(x);
  const t = 1 / (1 + 0.5 * z);
  const r =
    t *
    Math.exp(
      -z * z -
        1.26551223 +
        t *
          (1.00002368 +
            t *
              (0.37409196 +
                t *
                  (0.09678418 +
                    t *
                      (-0.18628806 +
                        t *
                          (0.27886807 +
                            t * (-1.13520398 + t * (1.48851587 + t * (-0.82215223 + t * 0.17087277)))))))),
    );
  return x >= 0 ? r : 2 - r;
}

export interface AverageDistribution {
  /** Expected settlement value, dollars. */
  mean: number;
  /** Its standard deviation, dollars (0 once every print is known). */
  stdev: number;
  /** Prints of the window already known. */
  knownCount: number;
}

/**
 * Distribution of the settlement average seen at `nowMs` (a whole second whose print is
 * `price`), given the window prints already published (`knownWindowSum` dollars over
 * `knownCount` prints) and the per-second variance forecast (forecast[k] for second k+1 ahead).
 */
export function settlementAverageDistribution(input: {
  nowMs: EpochMs;
  closeTimeMs: EpochMs;
  price: number;
  knownWindowSum: number;
  knownCount: number;
  varianceForecast: ArrayLike<number>;
}): AverageDistribution {
  const n = SETTLEMENT_PRINTS;
  const windowStart = input.closeTimeMs - SETTLEMENT_WINDOW_MS;
  const nowSec = Math.floor(input.nowMs / 1000);
  // Future prints: the window seconds strictly after now.
  const firstFutureSec = Math.max(nowSec + 1, Math.ceil(windowStart / 1000));
  const lastSec = Math.ceil(input.closeTimeMs / 1000) - 1;
  const future = Math.max(0, lastSec - firstFutureSec + 1);
  const mean = (input.knownWindowSum + future * input.price) / n;
  let v = 0;
  for (let k = 1; nowSec + k <= lastSec; k++) {
    // Prints at or after second nowSec + k that are in the window.
    const c = lastSec - Math.max(nowSec + k, firstFutureSec) + 1;
    if (c <= 0) break;
    const h = input.varianceForecast[k - 1] ?? input.varianceForecast[input.varianceForecast.length - 1] ?? 0;
    v += h * (c / n) * (c / n);
  }
  return { mean, stdev: input.price * Math.sqrt(v), knownCount: input.knownCount };
}

/** P(YES) = P(average > strike − 0.01) under the normal approximation. */
export function probabilityAbove(distribution: AverageDistribution, strike: number): number {
  const threshold = strike - 0.01;
  if (distribution.stdev <= 0) return distribution.mean > threshold ? 1 : 0;
  return normalCdf((distribution.mean - threshold) / distribution.stdev);
}
