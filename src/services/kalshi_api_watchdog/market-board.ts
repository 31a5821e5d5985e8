/**
 * What kalshi_api_watchdog knows about the hourly events it follows: their markets (from REST
 * discovery, kept current by lifecycle messages) and each market's last trade and volume (from
 * the ticker channel). Books are the WebSocket client's; the board reads them through
 * `bookTop`. Which event is current is decided by the time alone (selectCurrentAndNext): at the
 * close the next event — whose books are already held — takes over in the same millisecond.
 */
import {
  buildMarketSnapshot,
  selectCurrentAndNext,
  type MarketActivity,
  type MarketBookTop,
  type MarketListing,
  type MarketSnapshot,
} from '../../domain/market-data/index.ts';
import type { KalshiMarketStatus } from '../../domain/market-data/market-status.ts';
import { CENTICENTS_PER_DOLLAR, type EpochMs, type SymbolId } from '../../domain/units.ts';
import type {
  KalshiEvent,
  KalshiMarketLifecycle,
  KalshiTickerUpdate,
} from '../../integrations/kalshi/index.ts';

export interface FollowedEvent {
  symbol: SymbolId;
  eventTicker: string;
  closeTimeMs: EpochMs;
  /** By ticker. */
  markets: Map<string, MarketListing>;
}

export interface SymbolSelection {
  current: FollowedEvent | undefined;
  next: FollowedEvent | undefined;
}

/** A Kalshi price as a last-trade value: 0 (never traded) and out-of-range values are no price. */
function tradePrice(price: number | undefined): number | null | undefined {
  if (price === undefined) return undefined;
  return price > 0 && price < CENTICENTS_PER_DOLLAR ? price : null;
}

/** An event as REST lists it, with its close time (the markets share one schedule). */
export function followedEventFrom(symbol: SymbolId, event: KalshiEvent): FollowedEvent | undefined {
  const closeTimeMs = event.strikeDate ?? event.markets[0]?.closeTime;
  if (closeTimeMs === undefined) return undefined;
  const markets = new Map<string, MarketListing>();
  for (const m of event.markets)
    markets.set(m.ticker, { ticker: m.ticker, status: m.status, strike: m.strike });
  return { symbol, eventTicker: event.eventTicker, closeTimeMs, markets };
}

export class MarketBoard {
  readonly #events = new Map<string, FollowedEvent>();
  readonly #eventOfMarket = new Map<string, FollowedEvent>();
  readonly #activity = new Map<string, MarketActivity>();

  /** Starts following an event, or refreshes its markets (statuses, new strikes). Returns new tickers. */
  upsertEvent(event: FollowedEvent, activity: ReadonlyMap<string, MarketActivity> = new Map()): string[] {
    const held = this.#events.get(event.eventTicker);
    const added: string[] = [];
    const target = held ?? { ...event, markets: new Map() };
    if (held) held.closeTimeMs = event.closeTimeMs;
    else this.#events.set(event.eventTicker, target);
    for (const [ticker, listing] of event.markets) {
      if (!target.markets.has(ticker)) added.push(ticker);
      target.markets.set(ticker, listing);
      this.#eventOfMarket.set(ticker, target);
      const a = activity.get(ticker);
      // REST activity only fills gaps: the ticker channel is newer once it has spoken.
      if (a && !this.#activity.has(ticker)) this.#activity.set(ticker, a);
    }
    return added;
  }

  /** Stops following an event; returns its tickers. */
  removeEvent(eventTicker: string): string[] {
    const event = this.#events.get(eventTicker);
    if (!event) return [];
    this.#events.delete(eventTicker);
    const tickers = [...event.markets.keys()];
    for (const t of tickers) {
      this.#eventOfMarket.delete(t);
      this.#activity.delete(t);
    }
    return tickers;
  }

  events(symbol?: SymbolId): FollowedEvent[] {
    return [...this.#events.values()].filter((e) => symbol === undefined || e.symbol === symbol);
  }

  event(eventTicker: string): FollowedEvent | undefined {
    return this.#events.get(eventTicker);
  }

  eventOfMarket(ticker: string): FollowedEvent | undefined {
    return this.#eventOfMarket.get(ticker);
  }

  selection(symbol: SymbolId, nowMs: EpochMs): SymbolSelection {
    return selectCurrentAndNext(this.events(symbol), nowMs);
  }

  /** A ticker-channel update; returns the event it belongs to (undefined: not followed). */
  applyTicker(update: KalshiTickerUpdate): FollowedEvent | undefined {
    const event = this.#eventOfMarket.get(update.marketTicker);
    if (!event) return undefined;
    const previous = this.#activity.get(update.marketTicker) ?? {};
    const last = tradePrice(update.lastPrice);
    let volume = previous.volume ?? null;
    if (update.volume !== undefined) volume = update.volume;
    else if (update.volumeDelta !== undefined && volume !== null) volume += update.volumeDelta;
    this.#activity.set(update.marketTicker, {
      lastTradePrice: last === undefined ? (previous.lastTradePrice ?? null) : last,
      volume,
    });
    return event;
  }

  /**
   * A market lifecycle message. A status change of a followed market is applied; a market
   * `created` in a followed event is added. Returns what changed for the caller to act on.
   */
  applyLifecycle(message: KalshiMarketLifecycle): { event: FollowedEvent; added: boolean } | undefined {
    const known = this.#eventOfMarket.get(message.marketTicker);
    if (known) {
      const listing = known.markets.get(message.marketTicker)!;
      const status = statusAfter(message, listing.status);
      known.markets.set(message.marketTicker, { ...listing, status });
      return { event: known, added: false };
    }
    if (message.eventType !== 'created') return undefined;
    const event = [...this.#events.values()].find((e) =>
      message.marketTicker.startsWith(`${e.eventTicker}-`),
    );
    if (!event) return undefined;
    this.upsertEvent({
      ...event,
      markets: new Map([
        [
          message.marketTicker,
          { ticker: message.marketTicker, status: 'initialized', strike: message.strike },
        ],
      ]),
    });
    return { event, added: true };
  }

  /** The `market.<sym>` content of an event. */
  snapshot(event: FollowedEvent, bookTop: (ticker: string) => MarketBookTop | undefined): MarketSnapshot {
    return buildMarketSnapshot(
      event.symbol,
      {
        eventTicker: event.eventTicker,
        closeTimeMs: event.closeTimeMs,
        markets: [...event.markets.values()],
      },
      { bookTop, activity: (t) => this.#activity.get(t) },
    );
  }
}

function statusAfter(message: KalshiMarketLifecycle, current: KalshiMarketStatus): KalshiMarketStatus {
  switch (message.eventType) {
    case 'activated':
      return 'active';
    case 'deactivated':
      return message.isDeactivated === false ? 'active' : 'inactive';
    case 'determined':
      return 'determined';
    case 'settled':
      return 'settled';
    case 'created':
    case 'close_date_updated':
      return current;
  }
}
