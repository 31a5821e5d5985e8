/**
 * Persistence shared by the CLI and the services: 1-minute candles (market.candles_1m) and
 * versioned fingerprint models (model.models + model.model_grids). Every function takes the
 * Kysely handle (or a transaction) first; times are epoch ms, prices dollars outside and
 * integer cents inside the table, symbols checked against the whitelist before any SQL.
 */
export * from './candles/candle.ts';
export * from './candles/candle-repository.ts';
export * from './candles/candle-csv.ts';
export * from './candles/synthetic-history.ts';
export * from './models/model-repository.ts';
export * from './models/model-id.ts';
export * from './models/build-from-store.ts';
export * from './models/bootstrap.ts';
