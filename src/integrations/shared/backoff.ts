/**
 * Jittered exponential backoff. Randomness is injected so that tests (and replays) are
 * deterministic; production passes Math.random.
 */

/** Returns a number in [0, 1), like Math.random. */
export type RandomSource = () => number;

export interface BackoffPolicy {
  /** Ceiling of the first delay, ms. */
  baseMs: number;
  /** No delay exceeds this, ms. */
  maxMs: number;
  /** Growth per attempt; default 2. */
  factor?: number;
}

/**
 * Delay before retry number `attempt` (0 = the first retry): "equal jitter" — half of the
 * exponential ceiling fixed, half random — so clients that failed together spread out, yet
 * no retry comes back almost instantly (full jitter can pick ~0 ms, which hammers a server
 * that just said 429).
 */
export function backoffDelay(attempt: number, policy: BackoffPolicy, random: RandomSource): number {
  if (!Number.isInteger(attempt) || attempt < 0)
    throw new RangeError(`attempt must be an integer ≥ 0, got ${attempt}`);
  const { baseMs, maxMs, factor = 2 } = policy;
  if (!(baseMs > 0) || !(maxMs >= baseMs) || !(factor >= 1)) {
    throw new RangeError(`bad backoff policy ${JSON.stringify(policy)}`);
  }
  const ceiling = Math.min(maxMs, baseMs * factor ** attempt);
  const r = random();
  if (!(r >= 0 && r < 1)) throw new RangeError(`random source returned ${r}, expected [0, 1)`);
  return Math.round(ceiling / 2 + r * (ceiling / 2));
}

/** Stateful helper for reconnect loops: `next()` grows the delay, `reset()` after a success. */
export class Backoff {
  #attempt = 0;

  constructor(
    private readonly policy: BackoffPolicy,
    private readonly random: RandomSource,
  ) {
    backoffDelay(0, policy, () => 0); // validate the policy now, not at the first failure
  }

  /** Attempts made since the last reset. */
  get attempt(): number {
    return this.#attempt;
  }

  next(): number {
    const delay = backoffDelay(this.#attempt, this.policy, this.random);
    this.#attempt += 1;
    return delay;
  }

  reset(): void {
    this.#attempt = 0;
  }
}
