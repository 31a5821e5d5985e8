/**
 * The WebSocket subscriptions of kalshi_api_watchdog: per followed event one `orderbook_delta`
 * (its books: snapshot, then seq-checked deltas; a gap makes the client resubscribe for a fresh
 * snapshot) and one `ticker` (last trade, volume) subscription over its markets; once per
 * connection `market_lifecycle_v2` (every market). Subscriptions are desired state kept by the
 * client across reconnects; this class only decides which markets each one covers.
 */
import type { Logger } from 'pino';
import {
  KalshiWsCommandError,
  type KalshiSubscription,
  type KalshiWsClient,
} from '../../integrations/kalshi/index.ts';

interface EventSubscriptions {
  books: Promise<KalshiSubscription | undefined>;
  ticker: Promise<KalshiSubscription | undefined>;
}

export class BookSubscriptions {
  readonly #ws: KalshiWsClient;
  readonly #log: Logger;
  readonly #byEvent = new Map<string, EventSubscriptions>();
  #lifecycle = false;
  #refused = 0;

  constructor(ws: KalshiWsClient, log: Logger) {
    this.#ws = ws;
    this.#log = log;
  }

  /** Subscriptions Kalshi refused (an error reply: bad ticker, no auth …). */
  get refused(): number {
    return this.#refused;
  }

  /** Once per client: the client keeps it across reconnects. */
  followLifecycle(): void {
    if (this.#lifecycle) return;
    this.#lifecycle = true;
    void this.#subscribe({ channel: 'market_lifecycle_v2' }, 'lifecycle');
  }

  /**
   * Subscribes an event's markets; later calls add markets that are new. Never waits for the
   * exchange (an acknowledgement can take a reconnect): changes are chained on the pending
   * subscription.
   */
  follow(eventTicker: string, tickers: readonly string[]): void {
    const held = this.#byEvent.get(eventTicker);
    if (!held) {
      this.#byEvent.set(eventTicker, {
        books: this.#subscribe({ channel: 'orderbook_delta', marketTickers: [...tickers] }, eventTicker),
        ticker: this.#subscribe(
          { channel: 'ticker', marketTickers: [...tickers], sendInitialSnapshot: true },
          eventTicker,
        ),
      });
      return;
    }
    if (tickers.length === 0) return;
    for (const pending of [held.books, held.ticker]) void this.#add(pending, tickers);
  }

  /** Drops an event's subscriptions (after its close); does not wait for the exchange. */
  unfollow(eventTicker: string): void {
    const held = this.#byEvent.get(eventTicker);
    if (!held) return;
    this.#byEvent.delete(eventTicker);
    for (const pending of [held.books, held.ticker]) {
      void pending
        .then((sub) => (sub ? this.#ws.unsubscribe(sub) : undefined))
        .catch((error: unknown) => this.#warn(error, 'unsubscribe failed'));
    }
  }

  /** Asks for a fresh snapshot of some markets of an event (after a confirmed drift). */
  async resnapshot(eventTicker: string, tickers: readonly string[]): Promise<void> {
    const held = this.#byEvent.get(eventTicker);
    const sub = held && (await held.books);
    if (!sub) return;
    await this.#ws.updateSubscription(sub, 'delete_markets', [...tickers]);
    await this.#ws.updateSubscription(sub, 'add_markets', [...tickers]);
  }

  followed(): string[] {
    return [...this.#byEvent.keys()];
  }

  #subscribe(
    params: Parameters<KalshiWsClient['subscribe']>[0],
    what: string,
  ): Promise<KalshiSubscription | undefined> {
    return this.#ws.subscribe(params).catch((error: unknown) => {
      if (error instanceof KalshiWsCommandError) this.#refused += 1;
      this.#warn(error, `${params.channel} subscription for ${what} refused`);
      return undefined;
    });
  }

  async #add(pending: Promise<KalshiSubscription | undefined>, tickers: readonly string[]): Promise<void> {
    const sub = await pending;
    if (!sub) return;
    await this.#ws
      .updateSubscription(sub, 'add_markets', [...tickers])
      .catch((error: unknown) => this.#warn(error, 'adding markets failed'));
  }

  #warn(error: unknown, message: string): void {
    this.#log.warn({ err: error }, message);
  }
}
