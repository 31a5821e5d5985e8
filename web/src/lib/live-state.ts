/**
 * Reconnect timing and freshness of live data: pure, so the rules are tested without a socket.
 */

/** Data older than this (no update received) is shown greyed as stale. */
export const STALE_AFTER_MS = 5_000;

export function isStale(receivedAtMs: number | null, nowMs: number, connected: boolean): boolean {
  return !connected || receivedAtMs === null || nowMs - receivedAtMs > STALE_AFTER_MS;
}

export const BACKOFF_FIRST_MS = 500;
export const BACKOFF_MAX_MS = 10_000;

/**
 * Delay before reconnect attempt `attempt` (0 = the first after a loss): doubling from 0.5 s to
 * at most 10 s, spread by ±20 % (`random` in [0, 1)) so many browsers do not return at once.
 */
export function reconnectDelayMs(attempt: number, random: number): number {
  const base = Math.min(BACKOFF_MAX_MS, BACKOFF_FIRST_MS * 2 ** Math.max(0, attempt));
  return Math.round(base * (0.8 + 0.4 * random));
}

/**
 * No frame for this long → the socket is dead (a sleeping laptop's half-open TCP connection can
 * look open for minutes). The server sends a heartbeat every ping interval: three missed.
 */
export function silenceLimitMs(pingIntervalMs: number): number {
  return Math.max(3 * pingIntervalMs, 1_000);
}
