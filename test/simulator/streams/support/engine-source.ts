/**
 * A KalshiStreamSource for tests, backed by the real exchange engine: orders placed here match
 * for real and their events go to the WebSocket server, either at once or held back until
 * `flush()` (as the runtime publishes a batch only once it is durable).
 */
import type { EngineEvent, Result } from '../../../../src/simulator/engine/types.ts';
import { ExchangeEngine } from '../../../../src/simulator/engine/engine.ts';
import type {
  ApiKeyAccount,
  KalshiStreamSource,
  ListedEvent,
} from '../../../../src/simulator/api/kalshi-ws/source.ts';
import { Random } from '../../../../src/simulator/market/random.ts';
import { marketTicker } from '../../../../src/domain/kalshi/tickers.ts';

export const EVENT = 'KXBTCD-25AUG0316';
/** 2025-08-03 16:00 EDT. */
export const CLOSE_MS = Date.UTC(2025, 7, 3, 20, 0, 0);
export const START_MS = CLOSE_MS - 30 * 60_000;
export const STRIKES = [114_750, 115_000, 115_250];
export const TICKERS = STRIKES.map((s) => marketTicker(EVENT, s));

export class EngineStreamSource implements KalshiStreamSource {
  readonly engine: ExchangeEngine;
  nowMs: number;
  /** When true, events wait in `held` until flush(). */
  holdEvents = false;
  readonly held: EngineEvent[][] = [];
  readonly #listeners = new Set<(events: readonly EngineEvent[]) => void>();
  readonly #listedListeners = new Set<(events: readonly ListedEvent[]) => void>();
  readonly #keys = new Map<string, ApiKeyAccount>();

  constructor(options: { startMs?: number; tickers?: string[] } = {}) {
    this.nowMs = options.startMs ?? START_MS;
    this.engine = new ExchangeEngine({}, this.nowMs);
    const tickers = options.tickers ?? TICKERS;
    tickers.forEach((ticker, i) => {
      this.engine.createMarket(
        {
          ticker,
          eventTicker: EVENT,
          seriesTicker: 'KXBTCD',
          strike: STRIKES[i] ?? 100_000 + i * 250,
          openTime: CLOSE_MS - 3_600_000,
          closeTime: CLOSE_MS,
        },
        this.nowMs,
      );
    });
  }

  addAccount(accountId: string, recordHistory = true, balanceCc = 100_000_000): void {
    this.engine.createAccount({ accountId, balanceCc, recordHistory, nowMs: this.nowMs });
  }

  addKey(keyId: string, accountId: string, publicKeyPem: string): void {
    this.#keys.set(keyId, { accountId, publicKeyPem });
  }

  /** Moves engine time by 1 ms and runs `command`; its events are published (or held). */
  run<T>(command: (nowMs: number) => Result<T>): Result<T> {
    this.nowMs += 1;
    const result = command(this.nowMs);
    this.publish(result.events);
    return result;
  }

  /** Moves engine time to `nowMs` (scheduled closes happen) and publishes what that did. */
  advanceTo(nowMs: number): void {
    this.nowMs = nowMs;
    this.publish(this.engine.advanceTime(nowMs));
  }

  publish(events: EngineEvent[]): void {
    if (events.length === 0) return;
    if (this.holdEvents) {
      this.held.push(events);
      return;
    }
    for (const listener of this.#listeners) listener(events);
  }

  flush(): void {
    for (const batch of this.held.splice(0)) for (const listener of this.#listeners) listener(batch);
  }

  listEvent(event: ListedEvent): void {
    for (const listener of this.#listedListeners) listener([event]);
  }

  // ── KalshiStreamSource ──

  onEvents(listener: (events: readonly EngineEvent[]) => void): () => void {
    this.#listeners.add(listener);
    return () => this.#listeners.delete(listener);
  }

  onEventsListed(listener: (events: readonly ListedEvent[]) => void): () => void {
    this.#listedListeners.add(listener);
    return () => this.#listedListeners.delete(listener);
  }

  getOrderbook(ticker: string) {
    return this.engine.getOrderbook(ticker);
  }

  getMarket(ticker: string) {
    return this.engine.getMarket(ticker);
  }

  listMarketTickers(): string[] {
    return this.engine.listMarkets().map((m) => m.ticker);
  }

  accountForApiKey(keyId: string): ApiKeyAccount | undefined {
    return this.#keys.get(keyId);
  }

  now(): number {
    return this.nowMs;
  }
}

/**
 * Random but reproducible order flow: GTC orders from several accounts around the middle of
 * the book, some IOC takers, some cancels. Returns how many engine commands ran.
 */
export function randomFlow(
  source: EngineStreamSource,
  options: { seed: string; steps: number; accounts: string[]; tickers?: string[] },
): number {
  const random = Random.seeded(options.seed);
  const tickers = options.tickers ?? TICKERS;
  for (let i = 0; i < options.steps; i++) {
    const ticker = random.pick(tickers);
    const accountId = random.pick(options.accounts);
    const roll = random.next();
    if (roll < 0.2) {
      const resting = source.engine.restingOrderIds(accountId, ticker);
      if (resting.length > 0) {
        const orderId = random.pick(resting);
        source.run((nowMs) => source.engine.cancelOrder({ accountId, orderId, nowMs }));
        continue;
      }
    }
    const side = random.chance(0.5) ? 'bid' : 'ask';
    // bids below 50¢ and asks above, with overlap so some cross
    const cents = side === 'bid' ? random.int(30, 55) : random.int(45, 70);
    source.run((nowMs) =>
      source.engine.placeOrder({
        accountId,
        ticker,
        side,
        priceCc: cents * 100,
        count: random.int(1, 25),
        timeInForce: roll < 0.3 ? 'immediate_or_cancel' : 'good_till_canceled',
        clientOrderId: `${accountId}-${i}`,
        nowMs,
      }),
    );
  }
  return options.steps;
}
