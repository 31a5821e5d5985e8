/**
 * Exponential backoff for restarting a crashed service: base · 2^(n−1), capped; the count
 * resets once the service has stayed up for `resetAfterMs`, so a crash a day apart is not
 * punished like a crash loop.
 */
export interface RestartPolicy {
  baseMs: number;
  maxMs: number;
  resetAfterMs: number;
}

export const DEFAULT_RESTART_POLICY: RestartPolicy = { baseMs: 1_000, maxMs: 60_000, resetAfterMs: 120_000 };

export function restartDelay(policy: RestartPolicy, consecutiveCrashes: number): number {
  const exponent = Math.max(0, consecutiveCrashes - 1);
  return Math.min(policy.maxMs, policy.baseMs * 2 ** Math.min(exponent, 30));
}
