/**
 * The active model of each symbol, in memory. At start it loads what is active and, for a
 * symbol without one (a fresh install), runs the model bootstrap (synthetic history → build →
 * activate) in the background: the service is up at once, /health says "building model 37%"
 * until the model is there, and strike tables start as soon as it is.
 *
 * Afterwards it polls the active model id: a model the user activates (an import, a rebuild)
 * replaces the one in memory without a restart. A failed bootstrap is not retried on its own
 * (it would fail the same way); the poll still picks up any model activated later.
 */
import type { CheckResult } from '../../core/http/health.ts';
import type { FingerprintGrid } from '../../domain/model/index.ts';
import type { SymbolId } from '../../domain/units.ts';
import type { ModelView } from './strike-coordinator.ts';

export interface BootstrapProgressEvent {
  symbol: SymbolId;
  /** That symbol's progress, 0…1. */
  fraction: number;
  message: string;
  /** That symbol's model is stored and activated: it can be used before the others are built. */
  done?: boolean;
}

export interface BootstrapResult {
  symbol: SymbolId;
  status: 'existing' | 'built' | 'failed' | 'aborted';
  error?: string;
}

/** What the keeper needs from model storage (src/storage/models in the service). */
export interface ModelStore {
  activeModelId(symbol: SymbolId): Promise<string | undefined>;
  load(modelId: string): Promise<FingerprintGrid>;
  bootstrap(
    symbols: readonly SymbolId[],
    onProgress: (event: BootstrapProgressEvent) => void,
    signal: AbortSignal,
  ): Promise<BootstrapResult[]>;
}

export type ModelState =
  | { state: 'loading' }
  | { state: 'missing' }
  | { state: 'building'; fraction: number; message: string }
  | { state: 'ready'; modelId: string; synthetic: boolean; source: string }
  | { state: 'failed'; message: string };

export interface ModelKeeperOptions {
  symbols: readonly SymbolId[];
  /** Called when a symbol's model appears or changes (recompute its table). */
  onChange(symbol: SymbolId): void;
  /** A load or bootstrap problem worth a log line. */
  onProblem(symbol: SymbolId, message: string): void;
}

export class ModelKeeper implements ModelView {
  readonly #store: ModelStore;
  readonly #options: ModelKeeperOptions;
  readonly #grids = new Map<SymbolId, FingerprintGrid>();
  readonly #states = new Map<SymbolId, ModelState>();
  #bootstrapping = false;

  constructor(store: ModelStore, options: ModelKeeperOptions) {
    this.#store = store;
    this.#options = options;
    for (const symbol of options.symbols) this.#states.set(symbol, { state: 'loading' });
  }

  current(symbol: SymbolId): FingerprintGrid | undefined {
    return this.#grids.get(symbol);
  }

  state(symbol: SymbolId): ModelState {
    return this.#states.get(symbol) ?? { state: 'missing' };
  }

  /** Loads the active models, then bootstraps the missing ones; resolves when all is done. */
  async start(signal: AbortSignal): Promise<void> {
    for (const symbol of this.#options.symbols) await this.#reload(symbol);
    const missing = this.#options.symbols.filter((s) => this.state(s).state === 'missing');
    if (missing.length === 0 || signal.aborted) return;
    this.#bootstrapping = true;
    try {
      for (const symbol of missing) {
        this.#states.set(symbol, { state: 'building', fraction: 0, message: 'waiting for its turn' });
      }
      const results = await this.#store.bootstrap(
        missing,
        (event) => {
          if (this.state(event.symbol).state !== 'building') return;
          this.#states.set(event.symbol, {
            state: 'building',
            fraction: event.fraction,
            message: event.message,
          });
          // Serve each symbol the moment its model is active, not when every history is stored.
          if (event.done) void this.#reload(event.symbol);
        },
        signal,
      );
      for (const result of results) {
        if (result.status === 'failed') {
          const message = `model bootstrap failed: ${result.error ?? 'unknown error'}`;
          this.#states.set(result.symbol, { state: 'failed', message });
          this.#options.onProblem(result.symbol, message);
        }
      }
    } finally {
      this.#bootstrapping = false;
    }
    for (const symbol of missing) {
      if (this.state(symbol).state === 'building') await this.#reload(symbol);
    }
  }

  /** Picks up a newly activated model (cheap when nothing changed: one id per symbol). */
  async poll(): Promise<void> {
    if (this.#bootstrapping) return;
    for (const symbol of this.#options.symbols) await this.#reload(symbol);
  }

  /** ok when every symbol has its model; the detail says what is missing or how far the build is. */
  health(): CheckResult {
    const parts: string[] = [];
    const building: number[] = [];
    let ok = true;
    for (const symbol of this.#options.symbols) {
      const s = this.state(symbol);
      if (s.state !== 'ready') ok = false;
      if (s.state === 'ready') parts.push(`${symbol} ${s.modelId}${s.synthetic ? ' (synthetic)' : ''}`);
      else if (s.state === 'building') {
        building.push(s.fraction);
        parts.push(s.message.startsWith(`${symbol}:`) ? s.message : `${symbol}: ${s.message}`);
      } else if (s.state === 'failed') parts.push(`${symbol}: ${s.message}`);
      else parts.push(`${symbol}: ${s.state === 'loading' ? 'loading model' : 'no active model'}`);
    }
    const overall =
      building.length > 0
        ? `building model ${Math.round((building.reduce((a, b) => a + b, 0) / building.length) * 100)}% — `
        : '';
    return {
      ok,
      detail: overall + parts.join('; '),
      data: Object.fromEntries(this.#options.symbols.map((s) => [s, this.state(s)])),
    };
  }

  async #reload(symbol: SymbolId): Promise<void> {
    let id: string | undefined;
    try {
      id = await this.#store.activeModelId(symbol);
      if (id === undefined) {
        if (!this.#grids.has(symbol) && this.state(symbol).state !== 'failed') {
          this.#states.set(symbol, { state: 'missing' });
        }
        return; // a model in memory stays in use even if it was deactivated without a successor
      }
      if (this.#grids.get(symbol)?.meta.modelId === id) return;
      const grid = await this.#store.load(id);
      if (grid.meta.symbol !== symbol) throw new Error(`model ${id} is a ${grid.meta.symbol} model`);
      this.#grids.set(symbol, grid);
      this.#states.set(symbol, {
        state: 'ready',
        modelId: id,
        synthetic: grid.meta.synthetic,
        source: grid.meta.source,
      });
      this.#options.onChange(symbol);
    } catch (error) {
      const message = `cannot load model${id ? ` ${id}` : ''}: ${error instanceof Error ? error.message : String(error)}`;
      this.#options.onProblem(symbol, message);
      // Keep serving a model already in memory; without one the symbol is failed.
      if (!this.#grids.has(symbol)) this.#states.set(symbol, { state: 'failed', message });
    }
  }
}
