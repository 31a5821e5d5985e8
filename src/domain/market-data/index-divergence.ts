/**
 * Index vs spot divergence and its alert.
 *
 * divergence (bps) = (spot − index) / index · 10 000: positive when Coinbase spot trades above
 * the settlement index. A large gap means the proxy (spot) misleads the model, or one feed is
 * stale.
 *
 * ALERT RULE (hysteresis and de-duplication): the alarm is `normal` or `alerting`.
 * - normal → alerting when |divergence| ≥ raiseBps for `confirmSamples` consecutive samples:
 *   one `raised` event.
 * - alerting → normal when |divergence| ≤ clearBps (< raiseBps) for `confirmSamples`
 *   consecutive samples: one `cleared` event.
 * - Anything between the two thresholds keeps the current state (and resets the count), so a
 *   value hovering at the threshold does not flap. A non-finite sample (one feed missing) is
 *   ignored.
 */
import type { EpochMs } from '../units.ts';

export function divergenceBps(index: number, spot: number): number {
  if (!(index > 0) || !Number.isFinite(index) || !(spot > 0) || !Number.isFinite(spot)) {
    throw new RangeError(`divergence needs two positive prices, got index ${index} and spot ${spot}`);
  }
  return ((spot - index) / index) * 10_000;
}

export interface DivergenceAlarmOptions {
  raiseBps: number;
  clearBps: number;
  /** Consecutive samples needed to change state (default 1). */
  confirmSamples?: number;
}

export type DivergenceAlarmState = 'normal' | 'alerting';

export type DivergenceEvent =
  | { kind: 'raised'; bps: number; atMs: EpochMs }
  | {
      kind: 'cleared';
      bps: number;
      atMs: EpochMs;
      raisedAtMs: EpochMs;
      /** Largest |divergence| seen while alerting, with its sign. */
      peakBps: number;
    };

export class DivergenceAlarm {
  readonly raiseBps: number;
  readonly clearBps: number;
  readonly confirmSamples: number;
  #state: DivergenceAlarmState = 'normal';
  #streak = 0;
  #raisedAtMs: EpochMs = 0;
  #peakBps = 0;

  constructor(options: DivergenceAlarmOptions) {
    const { raiseBps, clearBps, confirmSamples = 1 } = options;
    if (!(raiseBps > 0) || !Number.isFinite(raiseBps))
      throw new RangeError(`raiseBps must be > 0, got ${raiseBps}`);
    if (!(clearBps >= 0) || !(clearBps < raiseBps)) {
      throw new RangeError(`clearBps must be in [0, raiseBps), got ${clearBps} (raiseBps ${raiseBps})`);
    }
    if (!Number.isSafeInteger(confirmSamples) || confirmSamples < 1) {
      throw new RangeError(`confirmSamples must be a positive integer, got ${confirmSamples}`);
    }
    this.raiseBps = raiseBps;
    this.clearBps = clearBps;
    this.confirmSamples = confirmSamples;
  }

  get state(): DivergenceAlarmState {
    return this.#state;
  }

  /** Feeds one divergence sample; returns an event only when the state changes. */
  update(bps: number, atMs: EpochMs): DivergenceEvent | undefined {
    if (!Number.isFinite(bps)) return undefined;
    const magnitude = Math.abs(bps);
    if (this.#state === 'normal') {
      this.#streak = magnitude >= this.raiseBps ? this.#streak + 1 : 0;
      if (this.#streak < this.confirmSamples) return undefined;
      this.#state = 'alerting';
      this.#streak = 0;
      this.#raisedAtMs = atMs;
      this.#peakBps = bps;
      return { kind: 'raised', bps, atMs };
    }
    if (magnitude > Math.abs(this.#peakBps)) this.#peakBps = bps;
    this.#streak = magnitude <= this.clearBps ? this.#streak + 1 : 0;
    if (this.#streak < this.confirmSamples) return undefined;
    this.#state = 'normal';
    this.#streak = 0;
    return { kind: 'cleared', bps, atMs, raisedAtMs: this.#raisedAtMs, peakBps: this.#peakBps };
  }
}
