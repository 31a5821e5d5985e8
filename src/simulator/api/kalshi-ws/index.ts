/** The simulated Kalshi WebSocket: attach it to the simulator's HTTP server (server.ts). */
export { attachKalshiWebSocket, KALSHI_WS_PATH } from './server.ts';
export type { AttachKalshiWebSocketOptions, KalshiWsServer } from './server.ts';
export type { KalshiStreamSource, ListedEvent, ApiKeyAccount } from './source.ts';
export type { KalshiWsHubStats, StreamLog } from './hub.ts';
export { CHANNEL_RULES, KALSHI_CHANNEL_NAMES } from './channels.ts';
export { WS_ERROR_MESSAGES } from './commands.ts';
