/**
 * The coordinator's core, free of the service kit so tests and the latency benchmark drive it
 * directly: newest inputs per symbol in, a strike table + watchlist per symbol out on
 * `strikes.<sym>`, at most `maxUpdatesPerSecond` per symbol.
 *
 * A table is computed synchronously in the handler of the input that changed (when the rate
 * allows), so a price tick reaches `strikes.<sym>` without waiting for a timer.
 */
import type { IndexMessage, MarketMessage, PriceMessage } from '../../core/bus/market-data-topics.ts';
import type { StrikesMessage } from '../../core/bus/strikes-topics.ts';
import type { Clock } from '../../core/clock/clock.ts';
import {
  buildWatchlist,
  computeStrikeTable,
  type FingerprintGrid,
  type Settlement,
  type WatchlistThresholds,
} from '../../domain/model/index.ts';
import type { SymbolId } from '../../domain/units.ts';
import { Coalescer } from './coalescer.ts';
import { tableInputOf, type SymbolInputs } from './table-inputs.ts';

/** Where the coordinator gets each symbol's model (the ModelKeeper in the service). */
export interface ModelView {
  current(symbol: SymbolId): FingerprintGrid | undefined;
}

export interface StrikeCoordinatorOptions {
  symbols: readonly SymbolId[];
  maxUpdatesPerSecond: number;
  rows: number;
  settle: Settlement;
  watchlist: Partial<WatchlistThresholds>;
}

export interface StrikeCoordinatorDeps {
  clock: Clock;
  models: ModelView;
  options: StrikeCoordinatorOptions;
  /** Publishes on `strikes.<sym>`; the coordinator does not wait for it. */
  publish(message: StrikesMessage): Promise<void>;
  /** A rejected publish (the service decides: a schema violation is a bug, a bus outage is not). */
  onPublishError(error: unknown, message: StrikesMessage): void;
  /** Each table, after it was handed to the bus (JSON file, calibration snapshots). */
  onTable?(message: StrikesMessage): void;
  /** A table computation failed (a bug): the service crashes and restarts. */
  onError(error: Error): void;
}

/** What a symbol still lacks before its first table (for /health). */
export type MissingInput = 'price' | 'market' | 'model';

interface SymbolState {
  inputs: SymbolInputs;
  coalescer: Coalescer;
  seq: number;
  latest?: StrikesMessage;
}

export class StrikeCoordinator {
  readonly #deps: StrikeCoordinatorDeps;
  readonly #states = new Map<SymbolId, SymbolState>();
  /** Tables published, per symbol (metrics). */
  readonly published = new Map<SymbolId, number>();

  constructor(deps: StrikeCoordinatorDeps) {
    this.#deps = deps;
    const { maxUpdatesPerSecond } = deps.options;
    if (!(maxUpdatesPerSecond > 0)) throw new RangeError('maxUpdatesPerSecond must be positive');
    for (const symbol of deps.options.symbols) {
      const coalescer = new Coalescer(deps.clock, 1000 / maxUpdatesPerSecond, () => this.#compute(symbol));
      this.#states.set(symbol, { inputs: {}, coalescer, seq: 0 });
      this.published.set(symbol, 0);
    }
  }

  handlePrice(message: PriceMessage): void {
    this.#update(message.symbol, (inputs) => (inputs.price = message));
  }

  handleIndex(message: IndexMessage): void {
    this.#update(message.symbol, (inputs) => (inputs.index = message));
  }

  handleMarket(message: MarketMessage): void {
    this.#update(message.symbol, (inputs) => (inputs.market = message));
  }

  /** Recompute without new input: time to close moved, or the model changed. */
  refresh(symbol?: SymbolId): void {
    for (const [s, state] of this.#states)
      if (symbol === undefined || s === symbol) state.coalescer.request();
  }

  latest(symbol: SymbolId): StrikesMessage | undefined {
    return this.#states.get(symbol)?.latest;
  }

  inputs(symbol: SymbolId): Readonly<SymbolInputs> | undefined {
    return this.#states.get(symbol)?.inputs;
  }

  missing(symbol: SymbolId): MissingInput[] {
    const state = this.#states.get(symbol);
    if (!state) return [];
    const missing: MissingInput[] = [];
    if (!state.inputs.price) missing.push('price');
    if (!state.inputs.market) missing.push('market');
    if (!this.#deps.models.current(symbol)) missing.push('model');
    return missing;
  }

  /** Requests merged into later runs, per symbol. */
  coalesced(symbol: SymbolId): number {
    return this.#states.get(symbol)?.coalescer.coalesced ?? 0;
  }

  stop(): void {
    for (const state of this.#states.values()) state.coalescer.stop();
  }

  #update(symbol: SymbolId, apply: (inputs: SymbolInputs) => void): void {
    const state = this.#states.get(symbol);
    if (!state) return; // a symbol this coordinator does not serve
    apply(state.inputs);
    state.coalescer.request();
  }

  /** True when a table was published. */
  #compute(symbol: SymbolId): boolean {
    try {
      return this.#computeUnsafe(symbol);
    } catch (error) {
      this.#deps.onError(error instanceof Error ? error : new Error(String(error)));
      return false;
    }
  }

  #computeUnsafe(symbol: SymbolId): boolean {
    const state = this.#states.get(symbol)!;
    const grid = this.#deps.models.current(symbol);
    if (!grid) return false;
    const now = this.#deps.clock.now();
    const { options } = this.#deps;
    const input = tableInputOf(symbol, state.inputs, {
      grid,
      settle: options.settle,
      rows: options.rows,
      now,
      seq: state.seq + 1,
    });
    if (!input) return false;
    const table = computeStrikeTable(input);
    state.seq = input.seq;
    const message: StrikesMessage = {
      symbol,
      seq: input.seq,
      at: now,
      closeTimeMs: input.closeTimeMs,
      model: { id: grid.meta.modelId, source: grid.meta.source, synthetic: grid.meta.synthetic },
      inputs: {
        priceAtMs: state.inputs.price!.at,
        marketAtMs: state.inputs.market!.at,
        indexAtMs: state.inputs.index?.at ?? null,
      },
      table,
      watchlist: buildWatchlist(table.rows, options.watchlist),
    };
    state.latest = message;
    this.published.set(symbol, (this.published.get(symbol) ?? 0) + 1);
    this.#deps.publish(message).catch((error: unknown) => this.#deps.onPublishError(error, message));
    this.#deps.onTable?.(message);
    return true;
  }
}
