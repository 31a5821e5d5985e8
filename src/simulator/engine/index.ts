/** The exchange core: see engine.ts for the rules, types.ts for the vocabulary. */
export { ExchangeEngine, DEFAULT_ENGINE_CONFIG } from './engine.ts';
export { engineSnapshotSchema, parseEngineSnapshot } from './snapshot.ts';
export { OrderBook } from './book.ts';
export type * from './types.ts';
