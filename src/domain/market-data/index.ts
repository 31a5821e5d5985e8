/** Market data, pure: spot seconds, candles, momentum, settlement average, Kalshi snapshots. */
export * from './book-drift.ts';
export * from './event-selection.ts';
export * from './index-divergence.ts';
export * from './market-snapshot.ts';
export * from './market-status.ts';
export * from './minute-candles.ts';
export * from './momentum-tracker.ts';
export * from './per-second-price.ts';
export * from './settlement-average.ts';
