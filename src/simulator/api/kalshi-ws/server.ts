/**
 * The simulated Kalshi WebSocket, `/trade-api/ws/v2`, on the simulator's HTTP server:
 * - handshake: without KALSHI-ACCESS-* headers the connection is anonymous (public channels
 *   only → error 9 on private ones); with them they must verify (RSA-PSS over
 *   `ts + "GET" + path`, fresh timestamp, known key id) or the upgrade is answered 401;
 * - a ping with body `heartbeat` every 10 s of the Clock; a connection that leaves
 *   `unansweredPingsLimit` pings without a pong is cut (0: never — use it with a fast
 *   simulated clock, where 10 s pass in milliseconds);
 * - the command protocol and channels: hub.ts; message shapes: wire.ts.
 *
 * Usage (runtime):
 *   const kalshiWs = attachKalshiWebSocket({ server: app.server, source, clock, faults, log });
 *   …  await kalshiWs.close()  before app.close().
 * Attach while no event batch is in flight (see source.ts).
 */
import type { Server } from 'node:http';
import { WebSocketServer } from 'ws';
import type { Clock } from '../../../core/clock/clock.ts';
import {
  KALSHI_ACCESS_KEY,
  KALSHI_ACCESS_SIGNATURE,
  KALSHI_ACCESS_TIMESTAMP,
  verifyKalshiSignature,
} from '../../../integrations/kalshi/signer.ts';
import type { FaultController } from '../../faults/fault-controller.ts';
import { attachUpgradeRoute, type UpgradeDecision } from '../ws-upgrade.ts';
import { KalshiWsHub, type KalshiWsHubStats, type StreamLog } from './hub.ts';
import type { KalshiStreamSource } from './source.ts';

export const KALSHI_WS_PATH = '/trade-api/ws/v2';

export interface AttachKalshiWebSocketOptions {
  /** The HTTP server to take upgrades from (Fastify: `app.server`). */
  server: Server;
  /** Default `/trade-api/ws/v2`. */
  path?: string;
  source: KalshiStreamSource;
  /** Timers (pings, latency faults) and the signature freshness check. */
  clock: Clock;
  faults?: FaultController;
  log?: StreamLog;
  /** Default 10 000 (Kalshi). */
  pingIntervalMs?: number;
  /** Default 3; 0 never cuts a silent client. */
  unansweredPingsLimit?: number;
  /** Largest accepted |now − KALSHI-ACCESS-TIMESTAMP|; default 30 000. */
  maxSignatureSkewMs?: number;
  /** Serve orderbook_delta to anonymous connections (default false, as Kalshi). */
  publicOrderbook?: boolean;
  /** Cut off a client with more than this many bytes unread; default 16 MiB. */
  maxBufferedBytes?: number;
}

export interface KalshiWsServer {
  readonly path: string;
  readonly connectionCount: number;
  stats(): KalshiWsHubStats;
  /** Drops a share of the connections (1 = all), without (`terminate`) or with a close frame. */
  dropConnections(share?: number, mode?: 'terminate' | 'close'): number;
  /** Stops accepting, closes every connection, detaches from the server. */
  close(): Promise<void>;
}

const AUTH_HEADERS = [KALSHI_ACCESS_KEY, KALSHI_ACCESS_TIMESTAMP, KALSHI_ACCESS_SIGNATURE].map((h) =>
  h.toLowerCase(),
);

export function attachKalshiWebSocket(options: AttachKalshiWebSocketOptions): KalshiWsServer {
  const path = options.path ?? KALSHI_WS_PATH;
  const { source, clock } = options;
  const hub = new KalshiWsHub({
    source,
    clock,
    faults: options.faults,
    log: options.log,
    publicOrderbook: options.publicOrderbook,
    maxBufferedBytes: options.maxBufferedBytes,
  });
  const offEvents = source.onEvents((events) => hub.onEngineEvents(events));
  const offListed = source.onEventsListed?.((events) => hub.onEventsListed(events));
  const offIndex = source.onIndexPrints?.((prints) => hub.onIndexPrints(prints));
  const wss = new WebSocketServer({ noServer: true, maxPayload: 64 * 1024 });

  const authorize = (request: { headers: Record<string, string | string[] | undefined>; url?: string }) => {
    const anonymous = AUTH_HEADERS.every((h) => request.headers[h] === undefined);
    if (anonymous) return { ok: true, context: undefined } as UpgradeDecision<string | undefined>;
    const keyHeader = request.headers[AUTH_HEADERS[0] as string];
    const keyId = Array.isArray(keyHeader) ? keyHeader[0] : keyHeader;
    const account = keyId ? source.accountForApiKey(keyId) : undefined;
    if (account === undefined) return { ok: false, status: 401, message: 'unknown API key' } as const;
    const check = verifyKalshiSignature({
      publicKeyPem: account.publicKeyPem,
      headers: request.headers,
      method: 'GET',
      path: request.url ?? path,
      now: clock.now(),
      maxSkewMs: options.maxSignatureSkewMs,
    });
    if (!check.ok) return { ok: false, status: 401, message: check.message } as const;
    return { ok: true, context: account.accountId } as UpgradeDecision<string | undefined>;
  };

  const detach = attachUpgradeRoute<string | undefined>({
    server: options.server,
    path,
    wss,
    authorize,
    onConnection: (socket, _request, accountId) => hub.connect(socket, accountId),
  });

  const pingLimit = options.unansweredPingsLimit ?? 3;
  const pingTimer = clock.setInterval(() => hub.ping(pingLimit), options.pingIntervalMs ?? 10_000);
  const dropper = (pick: () => boolean, mode: 'terminate' | 'close') => hub.dropConnections(pick, mode);
  const unregister = options.faults?.registerConnections('kalshi', dropper);

  let closed = false;
  return {
    path,
    get connectionCount() {
      return hub.connectionCount;
    },
    stats: () => hub.stats(),
    dropConnections(share = 1, mode = 'terminate') {
      return hub.dropConnections(() => share >= 1 || Math.random() < share, mode);
    },
    async close() {
      if (closed) return;
      closed = true;
      clock.clear(pingTimer);
      unregister?.();
      offEvents();
      offListed?.();
      offIndex?.();
      detach();
      hub.closeAll();
      await new Promise<void>((resolve) => wss.close(() => resolve()));
    },
  };
}
