/**
 * The probability of a strike from the fingerprint grid (model.md, "Probability of a strike").
 *
 * Terms: P price now, K strike, d = |P − K| / P · 100 the distance in percent. `up` is
 * P(move ≥ +d), `down` is P(move ≤ −d), both percent. The active side is the favourite:
 * YES when K < P (the price must stay above: win = 100 − down), NO when K ≥ P (win = 100 − up).
 *
 * Lookup: bilinear interpolation on (minutes, d) inside one table; the bucket is clamped to
 * −30…30; 'baseline' (no momentum yet) uses the baseline table.
 *
 * Tails beyond 2 %: each row is extended from its 2.00 % value with the log-linear decay it
 * shows between 1.50 % and 2.00 % (real BTC rows roughly halve every 0.5 %), never decaying
 * slower than half per 1 % (a flat, rounded row would otherwise give a tail that never ends).
 * Results are kept in [0.01, 99.99]: 0.01 is the resolution of the v2 tables, and a model
 * never claims certainty.
 *
 * Settlement ('average60'): Kalshi settles on the average of the last 60 seconds before the
 * close, not the closing print. For a random walk with variance σ² per second, with T = TTC:
 *   T ≥ 60 s: A = W(T−60) + mean of a fresh walk over 60 s, so
 *     Var(A) = σ²(T − 60) + σ²·60/3 = σ²(T − 40)        → horizon T − 40 s, strike K.
 *     (60 discrete one-second prints give T − 39.5 s; the difference is negligible.)
 *   T < 60 s, r = T seconds left, μ the mean of the prints so far (it stands for all
 *     60 − r elapsed seconds; the current price when unknown):
 *     A = ((60 − r)·μ + r·F) / 60 with F the mean of the remaining path, Var(F − P) = σ²·r/3.
 *     A ≥ K ⇔ F ≥ K* = (60K − (60 − r)·μ) / r          → horizon r/3 s, strike K*.
 *   Both agree at T = 60 (horizon 20 s, K* = K). The active side follows K* (K* < P ⇔ the
 *   expected average is above K). Horizons under a minute use the 1-minute row with the
 *   distance scaled by √(60 s / horizon) — random-walk scaling below the table's resolution.
 *   T ≤ 0: the average is known; the side it favours gets 99.99.
 * 'close' is v2's terminal model: minutes = clamp(TTC/60, 1, 60), strike K.
 */
import {
  CELLS_PER_TABLE,
  HORIZON_MINUTES,
  MAX_THRESHOLD_INDEX,
  THRESHOLD_COUNT,
  tableIndexOfBucket,
  type FingerprintGrid,
} from './fingerprint-grid.ts';

export type Settlement = 'close' | 'average60';
export type Side = 'yes' | 'no';

export const PROBABILITY_FLOOR = 0.01;
export const PROBABILITY_CEILING = 100 - PROBABILITY_FLOOR;
/** Seconds of the settlement average. */
export const AVERAGE_WINDOW_SECONDS = 60;

/** Threshold units per percent: 1 unit = 0.05 %. */
const UNITS_PER_PERCENT = 20;
/** The tail's decay rate is fitted between 1.50 % (unit 30) and 2.00 % (unit 40). */
const TAIL_FIT_FROM = 30;
/** At least halving per 1 % (20 units). */
const MAX_TAIL_LOG_SLOPE = -Math.LN2 / 20;

/** The known part of the settlement average: give the sum in cents or the mean in dollars. */
export interface KnownAverage {
  seconds: number;
  sumCents?: number;
  mean?: number;
}

export interface StrikeProbabilityInput {
  grid: FingerprintGrid;
  /** Spot price now, dollars. */
  price: number;
  /** Strike, dollars. */
  strike: number;
  ttcSeconds: number;
  /** Momentum bucket (clamped to −30…30), or 'baseline' when there is no momentum yet. */
  bucket: number | 'baseline';
  settle: Settlement;
  /** Only read inside the last minute with settle 'average60'. */
  knownAverage?: KnownAverage;
}

export interface StrikeProbability {
  /** P(move ≥ +distance), percent. */
  up: number;
  /** P(move ≤ −distance), percent. */
  down: number;
  activeSide: Side;
  /** The active side's win probability, percent. */
  probability: number;
  /** P(YES wins), percent — the same number seen from the YES side. */
  yesProbability: number;
}

function clampProbability(p: number): number {
  return p < PROBABILITY_FLOOR ? PROBABILITY_FLOOR : p > PROBABILITY_CEILING ? PROBABILITY_CEILING : p;
}

/** One row's value at `units` thresholds (≥ 0), interpolated, or extrapolated past 2 %. */
function rowValue(cells: Float64Array, row: number, units: number): number {
  if (units < MAX_THRESHOLD_INDEX) {
    const j = Math.floor(units);
    const f = units - j;
    const a = cells[row + j]!;
    return a + (cells[row + j + 1]! - a) * f;
  }
  const last = cells[row + MAX_THRESHOLD_INDEX]!;
  if (units === MAX_THRESHOLD_INDEX || last <= 0) return last;
  const anchor = cells[row + TAIL_FIT_FROM]!;
  let slope = anchor > last ? Math.log(last / anchor) / (MAX_THRESHOLD_INDEX - TAIL_FIT_FROM) : 0;
  if (slope > MAX_TAIL_LOG_SLOPE) slope = MAX_TAIL_LOG_SLOPE;
  return last * Math.exp(slope * (units - MAX_THRESHOLD_INDEX));
}

/**
 * up / down (percent, unclamped) in `table` at a horizon in minutes (clamped to 1…60; below
 * 1 the distance is scaled by √(1/minutes)) and a distance in percent (≥ 0).
 */
export function interpolateTails(
  grid: FingerprintGrid,
  table: number,
  minutes: number,
  distancePercent: number,
): { up: number; down: number } {
  let units = distancePercent * UNITS_PER_PERCENT;
  let m = minutes;
  if (!(m >= 1)) {
    // Below the table's first row: a random walk's move over m minutes is √m of a minute's.
    units = m > 0 ? units / Math.sqrt(m) : units > 0 ? Infinity : 0;
    m = 1;
  } else if (m > HORIZON_MINUTES) m = HORIZON_MINUTES;
  if (units === Infinity) return { up: 0, down: 0 };
  const m0 = Math.floor(m);
  const fm = m - m0;
  const row0 = table * CELLS_PER_TABLE + (m0 - 1) * THRESHOLD_COUNT;
  const row1 = m0 < HORIZON_MINUTES ? row0 + THRESHOLD_COUNT : row0;
  const { up: upCells, down: downCells } = grid;
  const up0 = rowValue(upCells, row0, units);
  const down0 = rowValue(downCells, row0, units);
  if (fm === 0) return { up: up0, down: down0 };
  return {
    up: up0 + (rowValue(upCells, row1, units) - up0) * fm,
    down: down0 + (rowValue(downCells, row1, units) - down0) * fm,
  };
}

function result(up: number, down: number, activeSide: Side): StrikeProbability {
  const u = clampProbability(up);
  const d = clampProbability(down);
  const probability = activeSide === 'yes' ? 100 - d : 100 - u;
  return {
    up: u,
    down: d,
    activeSide,
    probability,
    yesProbability: activeSide === 'yes' ? probability : 100 - probability,
  };
}

function knownMean(known: KnownAverage | undefined, price: number): number {
  if (!known || !(known.seconds > 0)) return price;
  if (known.mean !== undefined && Number.isFinite(known.mean)) return known.mean;
  if (known.sumCents !== undefined && Number.isFinite(known.sumCents)) {
    return known.sumCents / known.seconds / 100;
  }
  return price;
}

/** The win probability of a strike's favourite side; pure and allocation-light. */
export function strikeProbability(input: StrikeProbabilityInput): StrikeProbability {
  const { grid, price, strike, ttcSeconds, settle } = input;
  // A NaN here would become a confident-looking number downstream: refuse it loudly.
  if (!(price > 0) || !Number.isFinite(price) || !Number.isFinite(strike) || !Number.isFinite(ttcSeconds)) {
    throw new RangeError(`strikeProbability: bad input price=${price} strike=${strike} ttc=${ttcSeconds}`);
  }
  const table = tableIndexOfBucket(input.bucket);

  if (settle === 'close') {
    const minutes = Math.min(Math.max(ttcSeconds / 60, 1), HORIZON_MINUTES);
    const tails = interpolateTails(grid, table, minutes, (Math.abs(price - strike) / price) * 100);
    return result(tails.up, tails.down, strike < price ? 'yes' : 'no');
  }

  if (ttcSeconds >= AVERAGE_WINDOW_SECONDS) {
    const minutes = (ttcSeconds - 40) / 60;
    const tails = interpolateTails(grid, table, minutes, (Math.abs(price - strike) / price) * 100);
    return result(tails.up, tails.down, strike < price ? 'yes' : 'no');
  }

  const mean = knownMean(input.knownAverage, price);
  if (!(ttcSeconds > 0)) {
    // Settled in all but name: the average is what has been seen.
    return result(0, 0, mean >= strike ? 'yes' : 'no');
  }
  const remaining = ttcSeconds;
  const effectiveStrike =
    (AVERAGE_WINDOW_SECONDS * strike - (AVERAGE_WINDOW_SECONDS - remaining) * mean) / remaining;
  const minutes = remaining / 3 / 60;
  const tails = interpolateTails(grid, table, minutes, (Math.abs(price - effectiveStrike) / price) * 100);
  return result(tails.up, tails.down, effectiveStrike < price ? 'yes' : 'no');
}
