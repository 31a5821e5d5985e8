/**
 * Kalshi's hourly crypto tickers and schedule.
 *
 * Event:  `KXBTCD-25AUG0316`  = series, then YY MON DD HH of the **closing** time in
 *         America/New_York (24 h clock, month upper case).
 * Market: `KXBTCD-25AUG0316-T114749.99` = event, then `T` + floor_strike (strike − 0.01).
 *
 * Pure: New York wall time comes from Intl with an explicit time zone, never from the host
 * clock or the host time zone.
 */
import type { EpochMs, StrikeDollars, SymbolId } from '../units.ts';

export const HOUR_MS = 3_600_000;
export const NEW_YORK_TIME_ZONE = 'America/New_York';

export const SERIES_BY_SYMBOL: Readonly<Record<SymbolId, string>> = {
  BTC: 'KXBTCD',
  ETH: 'KXETHD',
};

const MONTHS = ['JAN', 'FEB', 'MAR', 'APR', 'MAY', 'JUN', 'JUL', 'AUG', 'SEP', 'OCT', 'NOV', 'DEC'] as const;

export interface NewYorkWallTime {
  year: number;
  /** 1–12 */
  month: number;
  day: number;
  /** 0–23 */
  hour: number;
  minute: number;
  second: number;
}

// One formatter, built once: Intl formatters are expensive to construct.
const NEW_YORK_PARTS = new Intl.DateTimeFormat('en-US', {
  timeZone: NEW_YORK_TIME_ZONE,
  hourCycle: 'h23',
  year: 'numeric',
  month: 'numeric',
  day: 'numeric',
  hour: 'numeric',
  minute: 'numeric',
  second: 'numeric',
});

/** The New York wall-clock time of an instant. */
export function newYorkWallTime(timeMs: EpochMs): NewYorkWallTime {
  const parts: Record<string, number> = {};
  for (const part of NEW_YORK_PARTS.formatToParts(new Date(timeMs))) {
    if (part.type !== 'literal') parts[part.type] = Number(part.value);
  }
  return {
    year: parts.year ?? NaN,
    month: parts.month ?? NaN,
    day: parts.day ?? NaN,
    hour: parts.hour ?? NaN,
    minute: parts.minute ?? NaN,
    second: parts.second ?? NaN,
  };
}

export function symbolOfSeries(seriesTicker: string): SymbolId | undefined {
  for (const [symbol, series] of Object.entries(SERIES_BY_SYMBOL)) {
    if (series === seriesTicker) return symbol as SymbolId;
  }
  return undefined;
}

function assertOnTheHour(closeTimeMs: EpochMs): void {
  // Every New York offset is a whole number of hours, so "on the hour" in UTC = in New York.
  if (!Number.isInteger(closeTimeMs) || closeTimeMs % HOUR_MS !== 0) {
    throw new Error(`close time ${closeTimeMs} is not on the hour`);
  }
}

/** `KXBTCD-25AUG0316` for the event of `symbol` closing at `closeTimeMs` (on the hour). */
export function eventTicker(symbol: SymbolId, closeTimeMs: EpochMs): string {
  assertOnTheHour(closeTimeMs);
  const ny = newYorkWallTime(closeTimeMs);
  const yy = String(ny.year % 100).padStart(2, '0');
  const mon = MONTHS[ny.month - 1];
  const dd = String(ny.day).padStart(2, '0');
  const hh = String(ny.hour).padStart(2, '0');
  return `${SERIES_BY_SYMBOL[symbol]}-${yy}${mon}${dd}${hh}`;
}

/** floor_strike as Kalshi writes it in tickers and JSON: strike − 0.01, e.g. `114749.99`. */
export function floorStrikeText(strike: StrikeDollars): string {
  assertStrike(strike);
  return `${strike - 1}.99`;
}

/** floor_strike as the number Kalshi's JSON carries (display only: never compare floats). */
export function floorStrikeFromStrike(strike: StrikeDollars): number {
  return Number(floorStrikeText(strike));
}

/** Integer strike from Kalshi's floor_strike: `round(floor_strike + 0.01)`. */
export function strikeFromFloorStrike(floorStrike: number): StrikeDollars {
  if (!Number.isFinite(floorStrike) || floorStrike <= 0) {
    throw new Error(`invalid floor_strike ${floorStrike}`);
  }
  return Math.round(floorStrike + 0.01);
}

function assertStrike(strike: StrikeDollars): void {
  if (!Number.isSafeInteger(strike) || strike < 1) {
    throw new Error(`strike must be a positive integer number of dollars, got ${strike}`);
  }
}

/** `KXBTCD-25AUG0316-T114749.99` for strike 114 750. */
export function marketTicker(event: string, strike: StrikeDollars): string {
  return `${event}-T${floorStrikeText(strike)}`;
}

export interface ParsedEventTicker {
  eventTicker: string;
  seriesTicker: string;
  symbol: SymbolId;
  /** New York wall time of the close (minute and second are 0). */
  close: NewYorkWallTime;
  /**
   * The instants whose New York wall time is the ticker's hour: usually one; two in the hour
   * repeated when daylight saving ends (01:00 EDT and 01:00 EST); none for the hour skipped
   * when it starts (02:00 on the second Sunday of March).
   */
  closeTimeCandidates: EpochMs[];
}

const EVENT_RE = /^([A-Z0-9]+)-(\d{2})([A-Z]{3})(\d{2})(\d{2})$/;

/** Parses an event ticker; throws with a clear message on anything else. */
export function parseEventTicker(text: string): ParsedEventTicker {
  const match = EVENT_RE.exec(text);
  if (!match) throw new Error(`not an hourly event ticker: ${JSON.stringify(text)}`);
  const [, series = '', yy = '', mon = '', dd = '', hh = ''] = match;
  const symbol = symbolOfSeries(series);
  if (!symbol) throw new Error(`unknown series ${series} in ${text}`);
  const monthIndex = (MONTHS as readonly string[]).indexOf(mon);
  if (monthIndex < 0) throw new Error(`unknown month ${mon} in ${text}`);
  const close: NewYorkWallTime = {
    year: 2000 + Number(yy),
    month: monthIndex + 1,
    day: Number(dd),
    hour: Number(hh),
    minute: 0,
    second: 0,
  };
  if (close.hour > 23 || close.day < 1 || close.day > 31) {
    throw new Error(`invalid date or hour in ${text}`);
  }
  return {
    eventTicker: text,
    seriesTicker: series,
    symbol,
    close,
    closeTimeCandidates: instantsAtNewYorkHour(close),
  };
}

/** Instants (on the hour) whose New York wall time has this date and hour. */
export function instantsAtNewYorkHour(wall: NewYorkWallTime): EpochMs[] {
  // New York is UTC−4 or UTC−5: the instant lies 4 or 5 hours after the same wall time in UTC.
  const asUtc = Date.UTC(wall.year, wall.month - 1, wall.day, wall.hour);
  const result: EpochMs[] = [];
  for (const offsetHours of [4, 5]) {
    const candidate = asUtc + offsetHours * HOUR_MS;
    const ny = newYorkWallTime(candidate);
    if (ny.year === wall.year && ny.month === wall.month && ny.day === wall.day && ny.hour === wall.hour) {
      result.push(candidate);
    }
  }
  return result;
}

export interface ParsedMarketTicker {
  marketTicker: string;
  event: ParsedEventTicker;
  strike: StrikeDollars;
  /** Exactly as in the ticker, e.g. `114749.99`. */
  floorStrikeText: string;
}

const MARKET_RE = /^(.+)-T(\d+)\.99$/;

/** Parses `KXBTCD-25AUG0316-T114749.99`; strikes are read as integers, never floats. */
export function parseMarketTicker(text: string): ParsedMarketTicker {
  const match = MARKET_RE.exec(text);
  if (!match) throw new Error(`not an hourly market ticker: ${JSON.stringify(text)}`);
  const [, event = '', whole = ''] = match;
  const strike = Number(whole) + 1;
  assertStrike(strike);
  return {
    marketTicker: text,
    event: parseEventTicker(event),
    strike,
    floorStrikeText: `${whole}.99`,
  };
}

export interface HourlySchedule {
  openTime: EpochMs;
  closeTime: EpochMs;
  /** close + 5 min, as Kalshi's `expected_expiration_time`. */
  expectedExpirationTime: EpochMs;
  /** close + 7 days, as Kalshi's `expiration_time` / `latest_expiration_time` (2025 data). */
  latestExpirationTime: EpochMs;
}

export const EXPECTED_EXPIRATION_DELAY_MS = 5 * 60_000;
export const LATEST_EXPIRATION_DELAY_MS = 7 * 24 * HOUR_MS;

/** The hourly market's times for a close on the hour: open = close − 1 h. */
export function hourlySchedule(closeTimeMs: EpochMs): HourlySchedule {
  assertOnTheHour(closeTimeMs);
  return {
    openTime: closeTimeMs - HOUR_MS,
    closeTime: closeTimeMs,
    expectedExpirationTime: closeTimeMs + EXPECTED_EXPIRATION_DELAY_MS,
    latestExpirationTime: closeTimeMs + LATEST_EXPIRATION_DELAY_MS,
  };
}

/** The first hourly close strictly after `timeMs` (the event trading at `timeMs`). */
export function nextCloseTime(timeMs: EpochMs): EpochMs {
  return Math.floor(timeMs / HOUR_MS) * HOUR_MS + HOUR_MS;
}

/**
 * Whether an hourly event closes at `closeTimeMs`. Every UTC hour has one, except the second
 * of the two instants that share a New York hour when daylight saving ends: both would get the
 * same ticker, and a ticker names one event. (Uncertain what Kalshi does that night; skipping
 * the repeat keeps tickers unique; that hour then has no event trading.)
 */
export function isHourlyClose(closeTimeMs: EpochMs): boolean {
  if (!Number.isInteger(closeTimeMs) || closeTimeMs % HOUR_MS !== 0) return false;
  const ny = newYorkWallTime(closeTimeMs);
  const earlier = newYorkWallTime(closeTimeMs - HOUR_MS);
  return !(earlier.hour === ny.hour && earlier.day === ny.day);
}

/** Hourly closes in (fromMs, toMs], skipping the repeated DST hour (see isHourlyClose). */
export function hourlyClosesBetween(fromMs: EpochMs, toMs: EpochMs): EpochMs[] {
  const closes: EpochMs[] = [];
  for (let close = nextCloseTime(fromMs); close <= toMs; close += HOUR_MS) {
    if (isHourlyClose(close)) closes.push(close);
  }
  return closes;
}
