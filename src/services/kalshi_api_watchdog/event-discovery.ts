/**
 * Event discovery: asks Kalshi (REST) for each symbol's hourly events closing from now on,
 * follows the current and the next one (board + WebSocket subscriptions) and refreshes their
 * market listings; drops events once they have closed. Kalshi lists the next hour before the
 * current one closes, so its books are live before the rollover.
 */
import type { Logger } from 'pino';
import { SERIES_BY_SYMBOL } from '../../domain/kalshi/tickers.ts';
import { selectCurrentAndNext, type MarketActivity } from '../../domain/market-data/index.ts';
import { CENTICENTS_PER_DOLLAR, SYMBOLS, type EpochMs, type SymbolId } from '../../domain/units.ts';
import type { KalshiEvent, KalshiRestClient } from '../../integrations/kalshi/index.ts';
import type { BookSubscriptions } from './book-subscriptions.ts';
import { followedEventFrom, type FollowedEvent, type MarketBoard } from './market-board.ts';
import type { RestStats } from './rest-stats.ts';

export interface DiscoveryStatus {
  lastRunAt: EpochMs | undefined;
  lastOkAt: EpochMs | undefined;
  lastError: string | undefined;
  runs: number;
  failures: number;
}

export interface EventDiscoveryOptions {
  rest: KalshiRestClient;
  stats: RestStats;
  board: MarketBoard;
  subscriptions: BookSubscriptions;
  now: () => EpochMs;
  log: Logger;
  /** Called when a followed event's markets changed (publish again). */
  onChange: (symbol: SymbolId) => void;
}

export class EventDiscovery {
  readonly #o: EventDiscoveryOptions;
  readonly #status: DiscoveryStatus = {
    lastRunAt: undefined,
    lastOkAt: undefined,
    lastError: undefined,
    runs: 0,
    failures: 0,
  };

  constructor(options: EventDiscoveryOptions) {
    this.#o = options;
  }

  status(): DiscoveryStatus {
    return { ...this.#status };
  }

  /** One discovery round over every symbol; failures are recorded, never thrown. */
  async run(signal?: AbortSignal): Promise<void> {
    const now = this.#o.now();
    this.#status.lastRunAt = now;
    this.#status.runs += 1;
    const failures: string[] = [];
    for (const symbol of SYMBOLS) {
      try {
        const events = await this.#o.stats.time(() =>
          this.#o.rest.getEvents({ seriesTicker: SERIES_BY_SYMBOL[symbol], minCloseTime: now, signal }),
        );
        this.#follow(symbol, events, now);
      } catch (error) {
        if (signal?.aborted) return;
        failures.push(`${symbol}: ${error instanceof Error ? error.message : String(error)}`);
      }
    }
    if (failures.length === 0) {
      this.#status.lastOkAt = this.#o.now();
      this.#status.lastError = undefined;
    } else {
      this.#status.failures += 1;
      this.#status.lastError = failures.join('; ');
      this.#o.log.warn({ failures }, 'event discovery failed');
    }
  }

  /** Drops events whose close has passed (the next one is current now). */
  dropClosed(nowMs: EpochMs): string[] {
    const dropped: string[] = [];
    for (const event of this.#o.board.events()) {
      if (event.closeTimeMs > nowMs) continue;
      this.#o.board.removeEvent(event.eventTicker);
      this.#o.subscriptions.unfollow(event.eventTicker);
      dropped.push(event.eventTicker);
    }
    return dropped;
  }

  #follow(symbol: SymbolId, events: readonly KalshiEvent[], now: EpochMs): void {
    const listed = new Map<string, { followed: FollowedEvent; activity: Map<string, MarketActivity> }>();
    for (const event of events) {
      const followed = followedEventFrom(symbol, event);
      if (followed) listed.set(event.eventTicker, { followed, activity: restActivity(event) });
    }
    const { current, next } = selectCurrentAndNext(
      [...listed.values()].map((l) => l.followed),
      now,
    );
    for (const event of [current, next]) {
      if (event === undefined) continue;
      const isNew = this.#o.board.event(event.eventTicker) === undefined;
      const added = this.#o.board.upsertEvent(event, listed.get(event.eventTicker)!.activity);
      if (isNew) {
        this.#o.log.info(
          { eventTicker: event.eventTicker, markets: added.length, closeTimeMs: event.closeTimeMs },
          'following event',
        );
      }
      this.#o.subscriptions.follow(event.eventTicker, isNew ? [...event.markets.keys()] : added);
      this.#o.onChange(symbol);
    }
  }
}

function restActivity(event: KalshiEvent): Map<string, MarketActivity> {
  const activity = new Map<string, MarketActivity>();
  for (const m of event.markets) {
    const traded = m.lastPrice > 0 && m.lastPrice < CENTICENTS_PER_DOLLAR;
    activity.set(m.ticker, { lastTradePrice: traded ? m.lastPrice : null, volume: m.volume });
  }
  return activity;
}
