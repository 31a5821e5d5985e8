/** Kalshi integration: REST and WebSocket clients, signer/verifier, limiter, models, types. */
export * from './types.ts';
export * from './errors.ts';
export * from './models.ts';
export * from './signer.ts';
export * from './rate-limiter.ts';
export * from './order-book.ts';
export * from './rest-client.ts';
export * from './ws-client.ts';
