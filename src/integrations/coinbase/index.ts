/** Coinbase integration: ticker feed client, candle history, models. */
export * from './models.ts';
export * from './ticker-client.ts';
export * from './candles.ts';
