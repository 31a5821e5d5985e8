/** Kalshi integration: REST and WebSocket clients, order resolver, fill journal, signer/verifier, limiter, models, types. */
export * from './types.ts';
export * from './errors.ts';
export * from './models.ts';
export * from './signer.ts';
export * from './rate-limiter.ts';
export * from './order-book.ts';
export * from './rest-client.ts';
export * from './ws-client.ts';
export * from './order-resolver.ts';
export * from './fill-journal.ts';
