/** The probability model: one import for services, the CLI and backtests. */
export * from './build-fingerprints.ts';
export * from './candle-series.ts';
export * from './fingerprint-grid.ts';
export * from './momentum.ts';
export * from './probability.ts';
export * from './row-weights.ts';
export * from './strike-table.ts';
export * from './v2-csv.ts';
export * from './watchlist.ts';
