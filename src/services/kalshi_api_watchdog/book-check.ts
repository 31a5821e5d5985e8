/**
 * The periodic cross-check of WebSocket books against REST books (compareBooks). Each round
 * takes a few markets of each symbol's current event, round-robin, so every book is checked
 * in turn without a burst of REST calls.
 *
 * Books move while a REST call is in flight, so a difference alone is not drift: the WebSocket
 * book is read before the call and after its answer, and the REST book must match neither; the
 * check is then repeated once after a pause. Confirmed drift is counted, reported, and healed by
 * a fresh snapshot of that market.
 */
import type { Logger } from 'pino';
import type { Clock } from '../../core/clock/clock.ts';
import { compareBooks, type LevelDifference } from '../../domain/market-data/index.ts';
import { SYMBOLS, type EpochMs } from '../../domain/units.ts';
import type { KalshiRestClient, KalshiWsClient } from '../../integrations/kalshi/index.ts';
import type { BookSubscriptions } from './book-subscriptions.ts';
import type { MarketBoard } from './market-board.ts';
import type { RestStats } from './rest-stats.ts';

const RECHECK_AFTER_MS = 500;

export interface DriftRecord {
  ticker: string;
  at: EpochMs;
  /** The first differing levels (at most 5). */
  differences: LevelDifference[];
}

export interface BookCheckStatus {
  rounds: number;
  marketsChecked: number;
  /** Markets found different once (in flight or real). */
  transientDifferences: number;
  drifted: number;
  lastRoundAt: EpochMs | undefined;
  lastRoundDrifted: number;
  lastDrift: DriftRecord | undefined;
  lastError: string | undefined;
}

export interface BookCheckOptions {
  rest: KalshiRestClient;
  ws: KalshiWsClient;
  stats: RestStats;
  board: MarketBoard;
  subscriptions: BookSubscriptions;
  clock: Clock;
  log: Logger;
  marketsPerSymbol?: number;
}

export class BookCrossCheck {
  readonly #o: BookCheckOptions;
  readonly #cursor = new Map<string, number>();
  readonly #status: BookCheckStatus = {
    rounds: 0,
    marketsChecked: 0,
    transientDifferences: 0,
    drifted: 0,
    lastRoundAt: undefined,
    lastRoundDrifted: 0,
    lastDrift: undefined,
    lastError: undefined,
  };

  constructor(options: BookCheckOptions) {
    this.#o = options;
  }

  status(): BookCheckStatus {
    return { ...this.#status };
  }

  async run(signal?: AbortSignal): Promise<void> {
    const now = this.#o.clock.now();
    let drifted = 0;
    for (const symbol of SYMBOLS) {
      const event = this.#o.board.selection(symbol, now).current;
      if (!event) continue;
      const tickers = [...event.markets.keys()].filter((t) => this.#o.ws.book(t) !== undefined).sort();
      if (tickers.length === 0) continue;
      const count = Math.min(tickers.length, this.#o.marketsPerSymbol ?? 3);
      const start = (this.#cursor.get(event.eventTicker) ?? 0) % tickers.length;
      this.#cursor.set(event.eventTicker, start + count);
      for (let i = 0; i < count; i++) {
        const ticker = tickers[(start + i) % tickers.length]!;
        try {
          if (await this.#drifted(ticker, signal)) {
            drifted += 1;
            await this.#o.subscriptions.resnapshot(event.eventTicker, [ticker]);
          }
        } catch (error) {
          if (signal?.aborted) return;
          this.#status.lastError = error instanceof Error ? error.message : String(error);
        }
      }
    }
    this.#status.rounds += 1;
    this.#status.lastRoundAt = this.#o.clock.now();
    this.#status.lastRoundDrifted = drifted;
  }

  /** Checks one market: true when its WebSocket book differs from REST twice in a row. */
  async #drifted(ticker: string, signal?: AbortSignal): Promise<boolean> {
    for (let attempt = 0; attempt < 2; attempt++) {
      if (attempt > 0) await this.#o.clock.sleep(RECHECK_AFTER_MS, signal);
      const before = this.#o.ws.book(ticker)?.snapshot();
      if (!before) return false; // resyncing: nothing to compare
      const rest = await this.#o.stats.time(() => this.#o.rest.getOrderbook(ticker, { signal }));
      const after = this.#o.ws.book(ticker)?.snapshot() ?? before;
      const differences = compareBooks(after, rest);
      if (differences.length === 0 || compareBooks(before, rest).length === 0) {
        if (attempt === 0) this.#status.marketsChecked += 1;
        return false;
      }
      if (attempt === 0) {
        this.#status.marketsChecked += 1;
        this.#status.transientDifferences += 1;
        continue;
      }
      this.#status.drifted += 1;
      this.#status.lastDrift = { ticker, at: this.#o.clock.now(), differences: differences.slice(0, 5) };
      this.#o.log.warn(
        { ticker, differences: differences.slice(0, 5) },
        'WebSocket book drifted from REST; resnapshot',
      );
    }
    return true;
  }
}
