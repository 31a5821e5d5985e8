/** Scoring forecasts against outcomes: Brier score, log-loss, calibration buckets, model vs market. */
export * from './model-vs-market.ts';
export * from './reliability.ts';
export * from './scores.ts';
