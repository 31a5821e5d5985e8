/**
 * Which hourly event kalshi_api_watchdog follows.
 *
 * RULES
 * - The **current** event at `now` is the one with the nearest close time strictly after
 *   `now` — an event trades during [close − 1 h, close). The **next** is the nearest one
 *   closing after the current. Ties on close time (should not happen) go to the smaller
 *   ticker, and the same ticker listed twice counts once.
 * - **Rollover at close**: at `now = close` the current event is over and the next takes its
 *   place in the same millisecond. Kalshi lists the next event before the current closes, so a
 *   watchdog that already holds the next event's books publishes without a gap.
 */
import { eventTicker, hourlyClosesBetween, HOUR_MS } from '../kalshi/tickers.ts';
import type { EpochMs, SymbolId } from '../units.ts';

export interface ScheduledEvent {
  eventTicker: string;
  closeTimeMs: EpochMs;
}

export interface EventSelection<E extends ScheduledEvent> {
  current: E | undefined;
  next: E | undefined;
}

export function selectCurrentAndNext<E extends ScheduledEvent>(
  events: readonly E[],
  nowMs: EpochMs,
): EventSelection<E> {
  const upcoming = events
    .filter((e) => e.closeTimeMs > nowMs)
    .sort((a, b) => a.closeTimeMs - b.closeTimeMs || compareText(a.eventTicker, b.eventTicker));
  const current = upcoming[0];
  const next = current === undefined ? undefined : upcoming.find((e) => e.closeTimeMs > current.closeTimeMs);
  return { current, next };
}

/** True once the followed event has closed: switch to the next one now. */
export function isRolloverDue(current: ScheduledEvent, nowMs: EpochMs): boolean {
  return nowMs >= current.closeTimeMs;
}

/**
 * The current and next events the schedule predicts for a symbol (tickers from the New York
 * close hour), e.g. to check discovery or to subscribe before the listing arrives.
 */
export function expectedEvents(
  symbol: SymbolId,
  nowMs: EpochMs,
): { current: ScheduledEvent; next: ScheduledEvent } {
  // Three hours always hold two closes, even across the skipped repeated DST hour.
  const [first, second] = hourlyClosesBetween(nowMs, nowMs + 3 * HOUR_MS);
  if (first === undefined || second === undefined) throw new Error(`no two hourly closes after ${nowMs}`);
  return {
    current: { eventTicker: eventTicker(symbol, first), closeTimeMs: first },
    next: { eventTicker: eventTicker(symbol, second), closeTimeMs: second },
  };
}

function compareText(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}
