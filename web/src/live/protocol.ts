/**
 * What the UI reads from main_app: the browser WebSocket's messages (server side:
 * src/services/main_app/browser-socket.ts) and the subset of the bus payloads the screens show
 * (src/core/bus/strikes-topics.ts, market-data-topics.ts), and the /health and
 * /api/system/services answers. test/services/main-app/browser-protocol.types.ts makes the type
 * check fail when the server's types drift from these.
 *
 * Units as on the server: strike table quotes and diffs in cents, probabilities percent,
 * prices and buffers dollars, times epoch ms (UTC).
 */
export type TradingMode = 'paper' | 'demo' | 'live';
export type SymbolId = 'BTC' | 'ETH';
export type Side = 'yes' | 'no';

export type ServerMessage =
  | {
      type: 'hello';
      version: string;
      mode: TradingMode;
      topics: readonly string[];
      pingIntervalMs: number;
      at: number;
    }
  | { type: 'subscriptions'; topics: string[] }
  | { type: 'message'; topic: string; payload: unknown }
  | { type: 'heartbeat'; at: number }
  | { type: 'error'; error: string };

export interface ClientMessage {
  op: 'subscribe' | 'unsubscribe';
  topics: string[];
}

export interface StrikeRow {
  strike: number;
  buffer: number;
  buffer_pct: number;
  /** The active side's win probability, percent. */
  probability: number;
  yes_bid: number | null;
  yes_ask: number | null;
  no_bid: number | null;
  no_ask: number | null;
  yes_diff: number | null;
  no_diff: number | null;
  volume: number;
  ticker: string;
  active_side: Side;
}

export interface StrikeTable {
  symbol: SymbolId;
  price: number;
  ttc_seconds: number;
  event_ticker: string;
  market_title: string;
  strike_tier: number;
  /** Whole basis points; null before there is momentum. */
  momentum_score: number | null;
  momentum_bucket: number | null;
  model_id: string;
  seq: number;
  /** Ascending by strike. */
  rows: StrikeRow[];
}

/** `strikes.<sym>` */
export interface StrikesPayload {
  symbol: SymbolId;
  seq: number;
  at: number;
  closeTimeMs: number;
  model: { id: string; source: string; synthetic: boolean };
  table: StrikeTable;
}

/** `price.<sym>` */
export interface PricePayload {
  symbol: SymbolId;
  price: number;
  secondMs: number;
  momentum: {
    score: number | null;
    arrows: 0 | 1 | 2 | 3 | null;
    direction: 'up' | 'down' | 'flat' | null;
  };
  seq: number;
  at: number;
}

export type HealthStatus = 'healthy' | 'degraded' | 'down';

/** `GET /health` of main_app (the platform's). */
export interface PlatformHealth {
  status: HealthStatus;
  version: string;
  checks: Array<{ name: string; ok: boolean; detail?: string | undefined }>;
}

/** One entry of `GET /api/system/services`. */
export interface ServiceStatus {
  name: string;
  role: string;
  built: boolean;
  expected: boolean;
  state: 'running' | 'starting' | 'stopped' | 'crashed' | 'not built yet';
  uptimeSeconds: number | null;
  restarts: number;
  lastError: string | null;
  health: { status: HealthStatus | 'unreachable' } | null;
}
