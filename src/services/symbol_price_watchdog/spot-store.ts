/**
 * Storage of one symbol's spot data: the 1-s price log (market.prices_1s) and the closed
 * 1-minute candles (market.candles_1m via the candle repository). Writes are buffered and
 * flushed in batches; a failed flush keeps the rows for the next one (bounded: beyond an hour
 * of backlog the oldest prices are dropped and counted), so a database hiccup costs neither the
 * feed nor the data. Health reads `status()`.
 */
import type { Kysely } from 'kysely';
import type { Database, TradingModeValue } from '../../core/db/schema.ts';
import type { EpochMs, SymbolId } from '../../domain/units.ts';
import { upsertCandles } from '../../storage/candles/candle-repository.ts';
import { allocateCandleColumns, type CandleSource } from '../../storage/candles/candle.ts';
import {
  deletePricesBefore,
  insertPrices,
  type LoggedPrice,
} from '../../storage/market-snapshots/price-log-repository.ts';
import type { StoredCandle } from './spot-pipeline.ts';

const MAX_PENDING_PRICES = 3_600;
const MAX_PENDING_CANDLES = 600;
const DAY_MS = 86_400_000;

export interface SpotStoreStatus {
  pendingPrices: number;
  pendingCandles: number;
  storedPrices: number;
  storedCandles: number;
  droppedPrices: number;
  failures: number;
  lastError: string | undefined;
  lastErrorAt: EpochMs | undefined;
  lastWriteAt: EpochMs | undefined;
  pruned: number;
}

export interface SpotStoreOptions {
  db: Kysely<Database>;
  mode: TradingModeValue;
  symbol: SymbolId;
  /** Source of the live candles: 'synthetic' for the simulator's feed (paper), 'live' otherwise. */
  candleSource: CandleSource;
  now: () => EpochMs;
}

export class SpotStore {
  readonly #options: SpotStoreOptions;
  #prices: LoggedPrice[] = [];
  #candles: StoredCandle[] = [];
  #flushing: Promise<void> | undefined;
  readonly #status: SpotStoreStatus = {
    pendingPrices: 0,
    pendingCandles: 0,
    storedPrices: 0,
    storedCandles: 0,
    droppedPrices: 0,
    failures: 0,
    lastError: undefined,
    lastErrorAt: undefined,
    lastWriteAt: undefined,
    pruned: 0,
  };

  constructor(options: SpotStoreOptions) {
    this.#options = options;
  }

  queuePrice(price: LoggedPrice): void {
    this.#prices.push(price);
    if (this.#prices.length > MAX_PENDING_PRICES) {
      const excess = this.#prices.length - MAX_PENDING_PRICES;
      this.#prices.splice(0, excess);
      this.#status.droppedPrices += excess;
    }
  }

  queueCandle(candle: StoredCandle): void {
    this.#candles.push(candle);
    if (this.#candles.length > MAX_PENDING_CANDLES) this.#candles.shift();
  }

  /** Writes what is pending; never throws (the error is kept in status). One flush at a time. */
  flush(): Promise<void> {
    this.#flushing ??= this.#flush().finally(() => (this.#flushing = undefined));
    return this.#flushing;
  }

  /** Deletes this symbol's prices older than the retention; never throws. */
  async prune(retentionDays: number): Promise<number> {
    try {
      const removed = await deletePricesBefore(
        this.#options.db,
        this.#options.now() - retentionDays * DAY_MS,
        this.#options.symbol,
      );
      this.#status.pruned += removed;
      return removed;
    } catch (error) {
      this.#fail(error);
      return 0;
    }
  }

  status(): SpotStoreStatus {
    return { ...this.#status, pendingPrices: this.#prices.length, pendingCandles: this.#candles.length };
  }

  async #flush(): Promise<void> {
    const { db, mode, symbol, candleSource } = this.#options;
    const prices = this.#prices;
    const candles = this.#candles;
    if (prices.length === 0 && candles.length === 0) return;
    this.#prices = [];
    this.#candles = [];
    try {
      if (prices.length > 0) await insertPrices(db, mode, symbol, prices);
      this.#status.storedPrices += prices.length;
    } catch (error) {
      this.#prices = [...prices, ...this.#prices];
      this.#candles = [...candles, ...this.#candles];
      this.#fail(error);
      return;
    }
    try {
      if (candles.length > 0) await upsertCandles(db, symbol, candleSource, toColumns(candles));
      this.#status.storedCandles += candles.length;
    } catch (error) {
      this.#candles = [...candles, ...this.#candles];
      this.#fail(error);
      return;
    }
    this.#status.lastWriteAt = this.#options.now();
  }

  #fail(error: unknown): void {
    this.#status.failures += 1;
    this.#status.lastError = error instanceof Error ? error.message : String(error);
    this.#status.lastErrorAt = this.#options.now();
  }
}

function toColumns(candles: readonly StoredCandle[]) {
  const columns = allocateCandleColumns(candles.length);
  candles.forEach((c, i) => {
    columns.ts[i] = c.startMs;
    columns.openCents[i] = c.openCents;
    columns.highCents[i] = c.highCents;
    columns.lowCents[i] = c.lowCents;
    columns.closeCents[i] = c.closeCents;
    columns.volume[i] = c.volume;
  });
  return columns;
}
