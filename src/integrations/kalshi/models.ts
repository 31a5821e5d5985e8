/** The Kalshi wire models: REST payloads and WebSocket messages → ./types.ts. */
export * from './models/rest.ts';
export * from './models/ws.ts';
export { WireFieldError } from './models/wire.ts';
