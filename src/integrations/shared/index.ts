export * from './backoff.ts';
export * from './token-bucket.ts';
