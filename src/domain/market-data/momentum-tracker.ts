/**
 * Live momentum over the 1-s price history (model.md: the weights over the prices 1, 2, 3, 4,
 * 15 and 30 minutes ago, as a percent; missing horizons dropped and the weights renormalised).
 * The arithmetic is src/domain/model/momentum.ts — this file only finds the prices.
 *
 * RULES
 * - P0 is the newest price held (its second is the reading's `atMs`).
 * - Pk is the price at second `atMs − k·60 s`; if that second has no price, the newest price
 *   before it, but not older than `maxStalenessMs` (default 60 s). Otherwise horizon k is
 *   missing.
 * - Seeding: a stored 1-minute candle's close is the price of its minute's LAST second
 *   (start + 59 s). With contiguous candles every target finds a close at most 59 s older, so
 *   all horizons are available right after a start; the first minutes of live seconds then
 *   replace the seeds. A seed never overwrites a live price of the same second.
 * - Memory is a fixed ring of 30 min + staleness + 1 s slots (1 861 by default), indexed by
 *   second; a slot remembers which second it holds, so jumps and gaps need no clean-up.
 */
import { MINUTE_MS } from '../model/candle-series.ts';
import {
  liveMomentumPercent,
  MOMENTUM_HORIZONS,
  momentumBucketFromPercent,
  momentumDisplay,
  type MomentumArrows,
  type MomentumHorizon,
} from '../model/momentum.ts';
import type { EpochMs } from '../units.ts';
import { SECOND_MS } from './per-second-price.ts';

const LONGEST_HORIZON_MS = Math.max(...MOMENTUM_HORIZONS) * MINUTE_MS;
export const DEFAULT_MOMENTUM_STALENESS_MS = 60_000;
/** Offset of a candle's close inside its minute: the last second. */
export const CANDLE_CLOSE_OFFSET_MS = MINUTE_MS - SECOND_MS;

export interface MomentumDelta {
  minutes: MomentumHorizon;
  /** Second of the reference price actually used (≤ atMs − minutes). */
  referenceAtMs: EpochMs;
  referenceCents: number;
  /** (P0 − Pk) / Pk · 100. */
  changePercent: number;
}

export interface MomentumReading {
  /** Second of P0. */
  atMs: EpochMs;
  priceCents: number;
  /** Available horizons, shortest first. */
  deltas: MomentumDelta[];
  /** Horizons without a usable reference price, shortest first. */
  missingHorizons: MomentumHorizon[];
  /** Live momentum in percent (0.043 = 4.3 bps); null when every horizon is missing. */
  percent: number | null;
  /** clamp(round(bps), −30, 30) — momentumBucket's rounding; null without momentum. */
  bucket: number | null;
  /** Display score: percent × 100 as an integer (whole bps). */
  score: number | null;
  arrows: MomentumArrows | null;
  direction: 'up' | 'down' | 'flat' | null;
}

export interface MomentumTrackerOptions {
  /** Oldest a reference price may be relative to its target second (default 60 s). */
  maxStalenessMs?: number;
}

export interface PricedSecond {
  secondMs: EpochMs;
  priceCents: number;
}

export interface CandleClose {
  startMs: EpochMs;
  closeCents: number;
}

export class MomentumTracker {
  readonly maxStalenessMs: number;
  /** Number of ring slots (seconds). */
  readonly capacity: number;
  readonly #seconds: Float64Array;
  readonly #cents: Float64Array;
  readonly #seeded: Uint8Array;
  #latest: EpochMs | undefined;

  constructor(options: MomentumTrackerOptions = {}) {
    this.maxStalenessMs = options.maxStalenessMs ?? DEFAULT_MOMENTUM_STALENESS_MS;
    if (
      !Number.isSafeInteger(this.maxStalenessMs) ||
      this.maxStalenessMs < 0 ||
      this.maxStalenessMs % SECOND_MS !== 0
    ) {
      throw new RangeError(`maxStalenessMs must be whole seconds ≥ 0, got ${this.maxStalenessMs}`);
    }
    this.capacity = (LONGEST_HORIZON_MS + this.maxStalenessMs) / SECOND_MS + 1;
    this.#seconds = new Float64Array(this.capacity).fill(NaN);
    this.#cents = new Float64Array(this.capacity);
    this.#seeded = new Uint8Array(this.capacity);
  }

  /** Adds a live 1-s price. Returns false when it is too old to matter (outside the ring). */
  add(price: PricedSecond): boolean {
    return this.#store(price.secondMs, price.priceCents, false);
  }

  /** Seeds from stored 1-minute candles (any order); returns how many closes were kept. */
  seedFromCandles(candles: readonly CandleClose[]): number {
    let kept = 0;
    for (const candle of candles) {
      if (candle.startMs % MINUTE_MS !== 0)
        throw new RangeError(`candle start ${candle.startMs} is not a minute`);
      if (this.#store(candle.startMs + CANDLE_CLOSE_OFFSET_MS, candle.closeCents, true)) kept++;
    }
    return kept;
  }

  /** Second of the newest price held. */
  get latestMs(): EpochMs | undefined {
    return this.#latest;
  }

  /** The price held for exactly this second, if any. */
  priceAt(secondMs: EpochMs): number | undefined {
    const slot = this.#slot(secondMs);
    return this.#seconds[slot] === secondMs ? this.#cents[slot] : undefined;
  }

  /** Momentum as of the newest price; undefined before any price. */
  reading(): MomentumReading | undefined {
    const atMs = this.#latest;
    if (atMs === undefined) return undefined;
    const priceCents = this.priceAt(atMs)!;
    const deltas: MomentumDelta[] = [];
    const missingHorizons: MomentumHorizon[] = [];
    const past: Partial<Record<MomentumHorizon, number>> = {};
    for (const minutes of MOMENTUM_HORIZONS) {
      const reference = this.#referenceFor(atMs - minutes * MINUTE_MS);
      if (reference === undefined) {
        missingHorizons.push(minutes);
        continue;
      }
      past[minutes] = reference.cents;
      deltas.push({
        minutes,
        referenceAtMs: reference.secondMs,
        referenceCents: reference.cents,
        changePercent: ((priceCents - reference.cents) / reference.cents) * 100,
      });
    }
    // Momentum is a ratio of prices, so cents give the same value as dollars.
    const percent = liveMomentumPercent(priceCents, past);
    if (percent === undefined) {
      return {
        atMs,
        priceCents,
        deltas,
        missingHorizons,
        percent: null,
        bucket: null,
        score: null,
        arrows: null,
        direction: null,
      };
    }
    const display = momentumDisplay(percent);
    return {
      atMs,
      priceCents,
      deltas,
      missingHorizons,
      percent,
      bucket: momentumBucketFromPercent(percent) ?? null,
      score: display.score,
      arrows: display.arrows,
      direction: display.direction,
    };
  }

  #referenceFor(targetMs: EpochMs): { secondMs: EpochMs; cents: number } | undefined {
    for (let s = targetMs; s >= targetMs - this.maxStalenessMs; s -= SECOND_MS) {
      const cents = this.priceAt(s);
      if (cents !== undefined) return { secondMs: s, cents };
    }
    return undefined;
  }

  #store(secondMs: EpochMs, cents: number, seeded: boolean): boolean {
    if (!Number.isSafeInteger(secondMs) || secondMs % SECOND_MS !== 0) {
      throw new RangeError(`not a whole second: ${secondMs}`);
    }
    if (!Number.isSafeInteger(cents) || cents <= 0)
      throw new RangeError(`price must be positive integer cents, got ${cents}`);
    if (this.#latest !== undefined && secondMs <= this.#latest - this.capacity * SECOND_MS) return false;
    const slot = this.#slot(secondMs);
    const held = this.#seconds[slot]!;
    // A slot holding a newer second, or a live price of the same second, wins over this one.
    if (held > secondMs || (held === secondMs && seeded && this.#seeded[slot] === 0)) return false;
    this.#seconds[slot] = secondMs;
    this.#cents[slot] = cents;
    this.#seeded[slot] = seeded ? 1 : 0;
    if (this.#latest === undefined || secondMs > this.#latest) this.#latest = secondMs;
    return true;
  }

  #slot(secondMs: EpochMs): number {
    const index = (secondMs / SECOND_MS) % this.capacity;
    return index < 0 ? index + this.capacity : index;
  }
}
