/**
 * Number and time formatting for the screens. Times are shown in New York time (Kalshi's hours
 * are ET) whatever the browser's own zone; the countdown's colour follows v2's thresholds.
 */
const NEW_YORK = 'America/New_York';

const dollars0 = new Intl.NumberFormat('en-US', { maximumFractionDigits: 0 });
const dollars2 = new Intl.NumberFormat('en-US', { minimumFractionDigits: 2, maximumFractionDigits: 2 });
const integer = new Intl.NumberFormat('en-US', { maximumFractionDigits: 0 });
const MINUS = '\u2212';

export const MISSING = '—';

/** $118,250 (a strike: whole dollars). */
export function formatStrike(strike: number): string {
  return `$${dollars0.format(strike)}`;
}

/** $118,237.42 */
export function formatPrice(price: number | null | undefined): string {
  return price === null || price === undefined ? MISSING : `$${dollars2.format(price)}`;
}

/**
 * A buffer (|price − strike|, dollars): to the cent, or — compact, for a phone — whole dollars
 * from $100 (near the money the cents matter, far out they only take room).
 */
export function formatBuffer(buffer: number, compact: boolean): string {
  return compact && buffer >= 100 ? `$${dollars0.format(Math.round(buffer))}` : `$${dollars2.format(buffer)}`;
}

/** A quote in cents as the market shows it: 56, or 5.5 for a sub-cent price; — when empty. */
export function formatCents(cents: number | null): string {
  if (cents === null) return MISSING;
  return Number.isInteger(cents) ? String(cents) : String(Math.round(cents * 100) / 100);
}

/** A diff in cents, signed, 2 decimals: +0.87, −1.87, 0.00. */
export function formatDiff(diff: number | null): string {
  if (diff === null) return MISSING;
  const hundredths = Math.round(diff * 100);
  if (hundredths === 0) return '0.00';
  const text = (Math.abs(hundredths) / 100).toFixed(2);
  return hundredths > 0 ? `+${text}` : `${MINUS}${text}`;
}

/** 54.0 (percent, one decimal). */
export function formatProbability(probability: number): string {
  return probability.toFixed(1);
}

/** 1,234 */
export function formatVolume(volume: number): string {
  return integer.format(volume);
}

/** +12 / −7 / 0 — the momentum score in bps; — without one. */
export function formatScore(score: number | null): string {
  if (score === null) return MISSING;
  if (score === 0) return '0';
  return score > 0 ? `+${score}` : `${MINUS}${Math.abs(score)}`;
}

const etClock = new Intl.DateTimeFormat('en-US', {
  timeZone: NEW_YORK,
  hour: 'numeric',
  minute: '2-digit',
  second: '2-digit',
  hour12: true,
});
const etHour = new Intl.DateTimeFormat('en-US', {
  timeZone: NEW_YORK,
  hour: 'numeric',
  minute: '2-digit',
  hour12: true,
});

/** 4:47:12 PM ET */
export function formatEtTime(epochMs: number): string {
  return `${etClock.format(epochMs)} ET`;
}

/** 5:00 PM ET */
export function formatEtHour(epochMs: number): string {
  return `${etHour.format(epochMs)} ET`;
}

/** Seconds to the close as mm:ss (h:mm:ss from an hour); 00:00 once closed. */
export function formatCountdown(seconds: number): string {
  const total = Math.max(0, Math.floor(seconds));
  const h = Math.floor(total / 3600);
  const m = Math.floor((total % 3600) / 60);
  const s = total % 60;
  const mm = String(m).padStart(2, '0');
  const ss = String(s).padStart(2, '0');
  return h > 0 ? `${h}:${mm}:${ss}` : `${mm}:${ss}`;
}

export type CountdownClass = 'cd-red' | 'cd-amber' | 'cd-green' | 'cd-calm';

/** Red ≤ 3 min, amber ≤ 5, green ≤ 15, otherwise calm. */
export function countdownClass(seconds: number): CountdownClass {
  if (seconds <= 180) return 'cd-red';
  if (seconds <= 300) return 'cd-amber';
  if (seconds <= 900) return 'cd-green';
  return 'cd-calm';
}

/**
 * Seconds left at `nowMs` (the browser's clock) given a table that said `ttcSeconds` when it
 * arrived at `receivedAtMs`: counts down between updates without trusting the browser's clock
 * to agree with the platform's.
 */
export function secondsToClose(ttcSeconds: number, receivedAtMs: number, nowMs: number): number {
  return Math.max(0, ttcSeconds - Math.max(0, nowMs - receivedAtMs) / 1000);
}

/** 3 h 4 m / 12 m 5 s / 40 s */
export function formatUptime(seconds: number | null): string {
  if (seconds === null) return MISSING;
  const s = Math.max(0, Math.round(seconds));
  if (s >= 3600) return `${Math.floor(s / 3600)} h ${Math.floor((s % 3600) / 60)} m`;
  if (s >= 60) return `${Math.floor(s / 60)} m ${s % 60} s`;
  return `${s} s`;
}
