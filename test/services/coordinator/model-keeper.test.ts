import { describe, expect, it } from 'vitest';
import type { FingerprintGrid } from '../../../src/domain/model/index.ts';
import type { SymbolId } from '../../../src/domain/units.ts';
import {
  ModelKeeper,
  type BootstrapProgressEvent,
  type BootstrapResult,
  type ModelStore,
} from '../../../src/services/unified_production_coordinator/model-keeper.ts';
import { testGrid } from './fixtures.ts';

/** A model store in memory whose bootstrap the test finishes by hand. */
class FakeStore implements ModelStore {
  active = new Map<SymbolId, string>();
  grids = new Map<string, FingerprintGrid>();
  loads: string[] = [];
  progress?: (event: BootstrapProgressEvent) => void;
  finish?: (results: BootstrapResult[]) => void;
  bootstrapped: SymbolId[] = [];

  add(symbol: SymbolId, id: string, activate = true) {
    this.grids.set(id, testGrid(symbol, id));
    if (activate) this.active.set(symbol, id);
  }
  async activeModelId(symbol: SymbolId) {
    return this.active.get(symbol);
  }
  async load(id: string) {
    this.loads.push(id);
    const grid = this.grids.get(id);
    if (!grid) throw new Error(`no model ${id}`);
    return grid;
  }
  bootstrap(symbols: readonly SymbolId[], onProgress: (event: BootstrapProgressEvent) => void) {
    this.bootstrapped.push(...symbols);
    this.progress = onProgress;
    return new Promise<BootstrapResult[]>((resolve) => (this.finish = resolve));
  }
}

const tick = () => new Promise((r) => setImmediate(r));

function keeper(store: FakeStore) {
  const changes: SymbolId[] = [];
  const problems: string[] = [];
  const k = new ModelKeeper(store, {
    symbols: ['BTC', 'ETH'],
    onChange: (s) => changes.push(s),
    onProblem: (s, m) => problems.push(`${s}: ${m}`),
  });
  return { k, changes, problems };
}

describe('ModelKeeper', () => {
  it('loads the active models and reports healthy', async () => {
    const store = new FakeStore();
    store.add('BTC', 'btc-1');
    store.add('ETH', 'eth-1');
    const { k, changes } = keeper(store);
    expect(k.health().ok).toBe(false);
    await k.start(new AbortController().signal);
    expect(changes).toEqual(['BTC', 'ETH']);
    expect(k.current('BTC')?.meta.modelId).toBe('btc-1');
    expect(k.health()).toMatchObject({ ok: true, detail: 'BTC btc-1 (synthetic); ETH eth-1 (synthetic)' });
    expect(store.bootstrapped).toEqual([]);
  });

  it('bootstraps the missing symbols in the background, showing the progress', async () => {
    const store = new FakeStore();
    store.add('BTC', 'btc-1');
    const { k, changes } = keeper(store);
    const started = k.start(new AbortController().signal);
    await tick();
    await tick();
    expect(store.bootstrapped).toEqual(['ETH']);
    expect(k.current('BTC')).toBeDefined();
    expect(k.current('ETH')).toBeUndefined();
    store.progress!({ symbol: 'ETH', fraction: 0.37, message: 'ETH: storing candles 40%' });
    expect(k.health()).toMatchObject({
      ok: false,
      detail: 'building model 37% — BTC btc-1 (synthetic); ETH: storing candles 40%',
    });
    expect(k.state('ETH')).toEqual({
      state: 'building',
      fraction: 0.37,
      message: 'ETH: storing candles 40%',
    });
    store.add('ETH', 'eth-synth');
    store.finish!([{ symbol: 'ETH', status: 'built' }]);
    await started;
    expect(changes).toEqual(['BTC', 'ETH']);
    expect(k.current('ETH')?.meta.modelId).toBe('eth-synth');
    expect(k.health().ok).toBe(true);
  });

  it('serves a symbol as soon as its own model is built, while the next one is still building', async () => {
    const store = new FakeStore();
    const { k, changes } = keeper(store);
    const started = k.start(new AbortController().signal);
    await tick();
    await tick();
    expect(store.bootstrapped).toEqual(['BTC', 'ETH']);
    expect(k.health().detail).toBe(
      'building model 0% — BTC: waiting for its turn; ETH: waiting for its turn',
    );
    store.progress!({ symbol: 'BTC', fraction: 0.5, message: 'storing candles' });
    expect(k.health().detail).toBe('building model 25% — BTC: storing candles; ETH: waiting for its turn');
    store.add('BTC', 'btc-synth');
    store.progress!({ symbol: 'BTC', fraction: 1, message: 'BTC: activated', done: true });
    await tick();
    expect(k.current('BTC')?.meta.modelId).toBe('btc-synth');
    expect(changes).toEqual(['BTC']);
    expect(k.health().detail).toBe(
      'building model 0% — BTC btc-synth (synthetic); ETH: waiting for its turn',
    );
    store.add('ETH', 'eth-synth');
    store.finish!([
      { symbol: 'BTC', status: 'built' },
      { symbol: 'ETH', status: 'built' },
    ]);
    await started;
    expect(changes).toEqual(['BTC', 'ETH']);
    expect(store.loads).toEqual(['btc-synth', 'eth-synth']);
  });

  it('shows a failed bootstrap and still picks up a model activated later', async () => {
    const store = new FakeStore();
    store.add('BTC', 'btc-1');
    const { k, problems } = keeper(store);
    const started = k.start(new AbortController().signal);
    await tick();
    await tick();
    store.finish!([{ symbol: 'ETH', status: 'failed', error: 'disk full' }]);
    await started;
    expect(k.health()).toMatchObject({
      ok: false,
      detail: 'BTC btc-1 (synthetic); ETH: model bootstrap failed: disk full',
    });
    expect(problems).toEqual(['ETH: model bootstrap failed: disk full']);
    await k.poll();
    expect(k.state('ETH').state).toBe('failed');
    store.add('ETH', 'eth-import');
    await k.poll();
    expect(k.current('ETH')?.meta.modelId).toBe('eth-import');
    expect(k.health().ok).toBe(true);
  });

  it('swaps in a newly activated model on poll and loads each model once', async () => {
    const store = new FakeStore();
    store.add('BTC', 'btc-1');
    store.add('ETH', 'eth-1');
    const { k, changes } = keeper(store);
    await k.start(new AbortController().signal);
    await k.poll();
    expect(store.loads).toEqual(['btc-1', 'eth-1']);
    store.add('BTC', 'btc-2');
    await k.poll();
    expect(k.current('BTC')?.meta.modelId).toBe('btc-2');
    expect(changes).toEqual(['BTC', 'ETH', 'BTC']);
    // A damaged model: the one in memory stays in use, the problem is reported.
    store.active.set('BTC', 'btc-missing');
    await k.poll();
    expect(k.current('BTC')?.meta.modelId).toBe('btc-2');
    expect(k.state('BTC').state).toBe('ready');
  });

  it('refuses a model of the wrong symbol', async () => {
    const store = new FakeStore();
    store.add('BTC', 'btc-1');
    store.grids.set('eth-as-btc', testGrid('ETH', 'eth-as-btc'));
    store.active.set('ETH', 'btc-1');
    const { k, problems } = keeper(store);
    const started = k.start(new AbortController().signal);
    await tick();
    expect(k.state('ETH')).toEqual({
      state: 'failed',
      message: 'cannot load model btc-1: model btc-1 is a BTC model',
    });
    expect(problems).toHaveLength(1);
    await started;
  });
});
