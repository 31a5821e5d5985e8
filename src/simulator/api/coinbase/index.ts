/** The simulated Coinbase Exchange: ticker/heartbeat WebSocket (ws-server.ts) and candles REST (routes.ts). */
export { attachCoinbaseWebSocket, COINBASE_WS_PATH } from './ws-server.ts';
export type { AttachCoinbaseWebSocketOptions, CoinbaseWsServer, CoinbaseWsStats } from './ws-server.ts';
export { registerCoinbaseRoutes, COINBASE_REST_PREFIX, MAX_CANDLES } from './routes.ts';
export type { CoinbaseRoutesOptions } from './routes.ts';
export type { CoinbaseFeedSource } from './source.ts';
