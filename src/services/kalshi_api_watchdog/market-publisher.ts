/**
 * Publishes `market.<sym>` — the current event's strikes — throttled to at most `perSecond`
 * messages per symbol, and at least one a second (a message is a snapshot: a lost one is healed
 * by the next). A book or ticker change marks the symbol dirty; it goes out at once when the
 * throttle allows, else when it next does. Each published snapshot also goes, throttled, to
 * `<dataDir>/snapshots/market-<sym>.json` (atomic, once a second) and to
 * market.market_snapshots (every `storeIntervalMs`); those writes never hold up publishing.
 */
import type { Logger } from 'pino';
import type { Bus } from '../../core/bus/bus.ts';
import { marketDataTopic, type MarketMessage } from '../../core/bus/market-data-topics.ts';
import type { Clock, TimerHandle } from '../../core/clock/clock.ts';
import type { Kysely } from 'kysely';
import type { Database, TradingModeValue } from '../../core/db/schema.ts';
import type { MarketBookTop } from '../../domain/market-data/index.ts';
import { SYMBOLS, type EpochMs, type SymbolId } from '../../domain/units.ts';
import { marketSnapshotFile, writeJsonAtomic } from '../../storage/market-snapshots/json-file.ts';
import { insertMarketSnapshot } from '../../storage/market-snapshots/market-snapshot-repository.ts';
import type { MarketBoard } from './market-board.ts';

const HEARTBEAT_MS = 1_000;
const FILE_EVERY_MS = 1_000;

export interface MarketPublisherOptions {
  bus: Bus;
  board: MarketBoard;
  bookTop: (ticker: string) => MarketBookTop | undefined;
  clock: Clock;
  db: Kysely<Database>;
  mode: TradingModeValue;
  dataDir: string;
  perSecond: number;
  storeIntervalMs: number;
  log: Logger;
  /** A publish that throws is a bug (the message failed its schema): the service crashes. */
  onError: (error: Error) => void;
}

interface SymbolState {
  seq: number;
  lastPublishedAt: EpochMs | undefined;
  lastEventTicker: string | undefined;
  last: MarketMessage | undefined;
  timer: TimerHandle | undefined;
  publishing: boolean;
  dirty: boolean;
  lastFileAt: EpochMs;
  fileWriting: boolean;
  lastStoredAt: EpochMs;
  storing: boolean;
}

export interface PublisherStats {
  published: number;
  filesWritten: number;
  snapshotsStored: number;
  storeFailures: number;
  fileFailures: number;
  lastStoreError: string | undefined;
  lastStoreErrorAt: EpochMs | undefined;
  lastStoredAt: EpochMs | undefined;
}

export class MarketPublisher {
  readonly #o: MarketPublisherOptions;
  readonly #minIntervalMs: number;
  readonly #symbols = new Map<SymbolId, SymbolState>();
  readonly #stats: PublisherStats = {
    published: 0,
    filesWritten: 0,
    snapshotsStored: 0,
    storeFailures: 0,
    fileFailures: 0,
    lastStoreError: undefined,
    lastStoreErrorAt: undefined,
    lastStoredAt: undefined,
  };
  #stopped = false;

  constructor(options: MarketPublisherOptions) {
    this.#o = options;
    this.#minIntervalMs = Math.ceil(1_000 / options.perSecond);
    for (const s of SYMBOLS) {
      this.#symbols.set(s, {
        seq: 0,
        lastPublishedAt: undefined,
        lastEventTicker: undefined,
        last: undefined,
        timer: undefined,
        publishing: false,
        dirty: false,
        lastFileAt: -Infinity,
        fileWriting: false,
        lastStoredAt: -Infinity,
        storing: false,
      });
    }
  }

  /** Something in `symbol`'s current event changed: publish as soon as the throttle allows. */
  markDirty(symbol: SymbolId): void {
    const state = this.#symbols.get(symbol)!;
    state.dirty = true;
    this.#schedule(symbol, state);
  }

  /**
   * Called often (every throttle interval): publishes symbols due for their heartbeat, and at
   * once when the current event changed (the rollover at close).
   */
  heartbeat(): void {
    const now = this.#o.clock.now();
    for (const [symbol, state] of this.#symbols) {
      const current = this.#o.board.selection(symbol, now).current;
      const rolled = current !== undefined && current.eventTicker !== state.lastEventTicker;
      const stale = state.lastPublishedAt === undefined || now - state.lastPublishedAt >= HEARTBEAT_MS;
      if (rolled || stale) this.markDirty(symbol);
    }
  }

  last(symbol: SymbolId): MarketMessage | undefined {
    return this.#symbols.get(symbol)!.last;
  }

  lastPublishedAt(symbol: SymbolId): EpochMs | undefined {
    return this.#symbols.get(symbol)!.lastPublishedAt;
  }

  stats(): PublisherStats {
    return { ...this.#stats };
  }

  stop(): void {
    this.#stopped = true;
    for (const state of this.#symbols.values()) if (state.timer) this.#o.clock.clear(state.timer);
  }

  #schedule(symbol: SymbolId, state: SymbolState): void {
    if (this.#stopped || state.timer !== undefined || state.publishing) return;
    const now = this.#o.clock.now();
    const wait = state.lastPublishedAt === undefined ? 0 : state.lastPublishedAt + this.#minIntervalMs - now;
    if (wait <= 0) {
      void this.#publish(symbol, state);
      return;
    }
    state.timer = this.#o.clock.setTimeout(() => {
      state.timer = undefined;
      void this.#publish(symbol, state);
    }, wait);
  }

  async #publish(symbol: SymbolId, state: SymbolState): Promise<void> {
    if (this.#stopped || !state.dirty) return;
    const now = this.#o.clock.now();
    const current = this.#o.board.selection(symbol, now).current;
    if (current === undefined) return; // nothing to show until discovery finds an event
    state.dirty = false;
    state.publishing = true;
    try {
      const snapshot = this.#o.board.snapshot(current, this.#o.bookTop);
      state.seq += 1;
      const message: MarketMessage = { ...snapshot, seq: state.seq, at: now };
      await this.#o.bus.publish(marketDataTopic('market', symbol), message);
      state.last = message;
      state.lastPublishedAt = now;
      state.lastEventTicker = snapshot.eventTicker;
      this.#stats.published += 1;
      this.#persist(symbol, state, message);
    } catch (error) {
      if (!this.#stopped) this.#o.onError(error instanceof Error ? error : new Error(String(error)));
      return;
    } finally {
      state.publishing = false;
    }
    if (state.dirty) this.#schedule(symbol, state);
  }

  #persist(symbol: SymbolId, state: SymbolState, message: MarketMessage): void {
    const now = message.at;
    if (!state.fileWriting && now - state.lastFileAt >= FILE_EVERY_MS) {
      state.fileWriting = true;
      state.lastFileAt = now;
      writeJsonAtomic(marketSnapshotFile(this.#o.dataDir, symbol), message)
        .then(() => (this.#stats.filesWritten += 1))
        .catch((error: unknown) => {
          this.#stats.fileFailures += 1;
          this.#o.log.warn({ err: error, symbol }, 'market snapshot file not written');
        })
        .finally(() => (state.fileWriting = false));
    }
    if (!state.storing && now - state.lastStoredAt >= this.#o.storeIntervalMs) {
      state.storing = true;
      state.lastStoredAt = now;
      insertMarketSnapshot(this.#o.db, this.#o.mode, message)
        .then(() => {
          this.#stats.snapshotsStored += 1;
          this.#stats.lastStoredAt = this.#o.clock.now();
        })
        .catch((error: unknown) => {
          this.#stats.storeFailures += 1;
          this.#stats.lastStoreError = error instanceof Error ? error.message : String(error);
          this.#stats.lastStoreErrorAt = this.#o.clock.now();
          this.#o.log.warn({ err: error, symbol }, 'market snapshot not stored');
        })
        .finally(() => (state.storing = false));
    }
  }
}
