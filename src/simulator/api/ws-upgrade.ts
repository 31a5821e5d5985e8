/**
 * Routes HTTP upgrade requests of one path to a `ws` server (noServer mode) on an existing
 * http.Server (Fastify's `app.server`), so several simulated WebSocket APIs share the port.
 *
 * Every attached path adds one 'upgrade' listener. A request no listener claims is answered
 * 404 (Node leaves an unclaimed upgrade hanging otherwise); `authorize` can refuse the
 * handshake with an HTTP status (Kalshi answers 401 to a bad signature).
 */
import type { IncomingMessage, Server } from 'node:http';
import type { Duplex } from 'node:stream';
import type { WebSocket, WebSocketServer } from 'ws';

const CLAIMED = Symbol.for('recio.simulator.upgrade-claimed');

type Claimable = IncomingMessage & { [CLAIMED]?: true };

export type UpgradeDecision<C> = { ok: true; context: C } | { ok: false; status: number; message: string };

export interface UpgradeRoute<C> {
  server: Server;
  /** Exact path (the query is ignored). */
  path: string;
  wss: WebSocketServer;
  /** Decides on the handshake before it completes; default accepts with `undefined`. */
  authorize?: (request: IncomingMessage) => UpgradeDecision<C>;
  onConnection: (socket: WebSocket, request: IncomingMessage, context: C) => void;
}

export function pathnameOf(url: string | undefined): string {
  const text = url ?? '/';
  const end = text.search(/[?#]/);
  return end === -1 ? text : text.slice(0, end);
}

/** Attaches the route; returns the function that detaches it. */
export function attachUpgradeRoute<C>(route: UpgradeRoute<C>): () => void {
  const listener = (request: IncomingMessage, socket: Duplex, head: Buffer) => {
    const claimable = request as Claimable;
    if (pathnameOf(request.url) !== route.path) {
      setImmediate(() => {
        if (claimable[CLAIMED] || socket.destroyed) return;
        claimable[CLAIMED] = true;
        refuse(socket, 404, `no WebSocket endpoint at ${pathnameOf(request.url)}`);
      });
      return;
    }
    claimable[CLAIMED] = true;
    const decision = route.authorize
      ? route.authorize(request)
      : ({ ok: true, context: undefined as C } as const);
    if (!decision.ok) {
      refuse(socket, decision.status, decision.message);
      return;
    }
    route.wss.handleUpgrade(request, socket, head, (ws) => route.onConnection(ws, request, decision.context));
  };
  route.server.on('upgrade', listener);
  return () => route.server.off('upgrade', listener);
}

const REASONS: Record<number, string> = { 400: 'Bad Request', 401: 'Unauthorized', 404: 'Not Found' };

function refuse(socket: Duplex, status: number, message: string): void {
  const body = JSON.stringify({ error: { code: status === 401 ? 'unauthorized' : 'bad_request', message } });
  socket.end(
    `HTTP/1.1 ${status} ${REASONS[status] ?? 'Error'}\r\n` +
      'Connection: close\r\n' +
      'Content-Type: application/json\r\n' +
      `Content-Length: ${Buffer.byteLength(body)}\r\n\r\n` +
      body,
  );
}
