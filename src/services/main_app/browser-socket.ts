/**
 * The browser's one WebSocket (`GET /ws`): multiplexes the public bus topics a browser may see.
 *
 * Protocol (JSON text frames; the types below are the contract web/src/live/protocol.ts mirrors):
 *   client → server  {"op":"subscribe","topics":["strikes.btc","price.btc"]}
 *                    {"op":"unsubscribe","topics":["price.btc"]}
 *   server → client  hello (mode, version, the topics on offer), subscriptions (the client's set
 *                    after each change), message (topic + payload: the latest value at once on
 *                    subscribe, then every update), heartbeat, error (bad input: nothing changed).
 *
 * Only whitelisted families (`price`, `index`, `market`, `strikes`) of known symbols are on offer;
 * anything else is refused. Each bus message is serialised once and the same frame goes to every
 * subscriber. A browser whose send buffer passes `maxBufferedBytes` (a slow or stalled reader) is
 * dropped rather than let the server's memory grow; so is one that stops answering pings.
 */
import websocketPlugin from '@fastify/websocket';
import { Counter, Gauge } from 'prom-client';
import type { RawData, WebSocket } from 'ws';
import { z } from 'zod';
import { HttpProblem } from '../../core/http/problem.ts';
import type { ServiceContext } from '../../core/service/service.ts';
import { SYMBOLS } from '../../domain/units.ts';
import { isAllowedOrigin } from './browser-origin.ts';

/** Bus families a browser may subscribe to (public market data; nothing per user). */
export const PUBLIC_TOPIC_FAMILIES = ['price', 'index', 'market', 'strikes'] as const;

/** Every topic on offer: `price.btc`, `strikes.eth`, … */
export const PUBLIC_TOPICS: readonly string[] = PUBLIC_TOPIC_FAMILIES.flatMap((family) =>
  SYMBOLS.map((symbol) => `${family}.${symbol.toLowerCase()}`),
);

const MAX_TOPICS_PER_REQUEST = 32;

const topicList = z
  .array(z.string().min(1).max(64))
  .min(1, 'name at least one topic')
  .max(MAX_TOPICS_PER_REQUEST, `at most ${MAX_TOPICS_PER_REQUEST} topics at once`);

export const browserClientMessageSchema = z.discriminatedUnion('op', [
  z.strictObject({ op: z.literal('subscribe'), topics: topicList }),
  z.strictObject({ op: z.literal('unsubscribe'), topics: topicList }),
]);
export type BrowserClientMessage = z.infer<typeof browserClientMessageSchema>;

export type BrowserServerMessage =
  | {
      type: 'hello';
      version: string;
      mode: 'paper' | 'demo' | 'live';
      topics: readonly string[];
      pingIntervalMs: number;
      /** The platform's clock (epoch ms). */
      at: number;
    }
  | { type: 'subscriptions'; topics: string[] }
  | { type: 'message'; topic: string; payload: unknown }
  | { type: 'heartbeat'; at: number }
  | { type: 'error'; error: string };

export interface BrowserSocketOptions {
  path?: string;
  /**
   * Real time between pings (and heartbeats); a browser that has not answered the previous ping
   * by the next one is dropped. Real time on purpose: network round trips do not speed up with a
   * simulated clock.
   */
  pingIntervalMs?: number;
  /** Bytes queued for one browser beyond which it is dropped. */
  maxBufferedBytes?: number;
  /** Largest frame a browser may send. */
  maxMessageBytes?: number;
  maxClients?: number;
  /** Page origins besides the UI's own that may connect (e.g. `https://desk.example`). */
  allowedOrigins?: readonly string[];
}

const DEFAULTS: Required<BrowserSocketOptions> = {
  path: '/ws',
  pingIntervalMs: 15_000,
  maxBufferedBytes: 4 * 1024 * 1024,
  maxMessageBytes: 4 * 1024,
  maxClients: 500,
  allowedOrigins: [],
};

/** WebSocket close code 1013: try again later. */
const CLOSE_TRY_AGAIN_LATER = 1013;

interface Client {
  socket: WebSocket;
  topics: Set<string>;
  answeredPing: boolean;
}

export type BrowserSocketContext = Pick<
  ServiceContext,
  'http' | 'subscribe' | 'config' | 'version' | 'clock' | 'log' | 'metrics' | 'signal'
>;

export async function registerBrowserSocket(
  ctx: BrowserSocketContext,
  options: BrowserSocketOptions = {},
): Promise<void> {
  const settings = { ...DEFAULTS, ...options };
  const clients = new Set<Client>();
  const subscribers = new Map<string, Set<Client>>(PUBLIC_TOPICS.map((topic) => [topic, new Set()]));
  /** The newest frame of each topic, serialised once. */
  const latest = new Map<string, string>();

  const dropped = new Counter({
    name: 'recio_browser_socket_dropped_total',
    help: 'Browser WebSockets closed or refused by the server, by reason',
    labelNames: ['reason'],
    registers: [ctx.metrics],
  });
  new Gauge({
    name: 'recio_browser_sockets',
    help: 'Open browser WebSockets',
    registers: [ctx.metrics],
    collect() {
      this.set(clients.size);
    },
  });

  const drop = (client: Client, reason: 'send buffer full' | 'no pong') => {
    dropped.inc({ reason });
    ctx.log.info({ reason, topics: [...client.topics] }, 'browser socket dropped');
    client.socket.terminate();
  };

  const send = (client: Client, frame: string) => {
    const { socket } = client;
    if (socket.readyState !== socket.OPEN) return;
    if (socket.bufferedAmount + frame.length > settings.maxBufferedBytes) drop(client, 'send buffer full');
    else socket.send(frame);
  };
  const sendMessage = (client: Client, message: BrowserServerMessage) =>
    send(client, JSON.stringify(message));

  for (const family of PUBLIC_TOPIC_FAMILIES) {
    await ctx.subscribe(`${family}.*`, (topic, payload) => {
      const audience = subscribers.get(topic);
      if (!audience) return; // a symbol not on offer
      const message: BrowserServerMessage = { type: 'message', topic, payload };
      const frame = JSON.stringify(message);
      latest.set(topic, frame);
      for (const client of audience) send(client, frame);
    });
  }

  const handle = (client: Client, data: RawData, isBinary: boolean) => {
    const refuse = (error: string) => sendMessage(client, { type: 'error', error });
    if (isBinary) return refuse('binary frames are not understood: send JSON text');
    let json: unknown;
    try {
      json = JSON.parse(data.toString());
    } catch {
      return refuse('not JSON');
    }
    const parsed = browserClientMessageSchema.safeParse(json);
    if (!parsed.success) {
      const issue = parsed.error.issues[0]!;
      return refuse(`${issue.path.length > 0 ? issue.path.join('.') : 'message'}: ${issue.message}`);
    }
    const { op, topics } = parsed.data;
    const unknown = topics.filter((topic) => !subscribers.has(topic));
    if (unknown.length > 0) {
      return refuse(
        `unknown or private topic${unknown.length > 1 ? 's' : ''} ${unknown.map((t) => JSON.stringify(t.slice(0, 64))).join(', ')} (on offer: ${PUBLIC_TOPICS.join(', ')})`,
      );
    }
    if (op === 'subscribe') {
      const added = topics.filter((topic) => !client.topics.has(topic));
      for (const topic of added) {
        client.topics.add(topic);
        subscribers.get(topic)!.add(client);
      }
      sendMessage(client, { type: 'subscriptions', topics: [...client.topics] });
      for (const topic of added) {
        const frame = latest.get(topic);
        if (frame) send(client, frame);
      }
    } else {
      for (const topic of topics) {
        client.topics.delete(topic);
        subscribers.get(topic)!.delete(client);
      }
      sendMessage(client, { type: 'subscriptions', topics: [...client.topics] });
    }
  };

  await ctx.http.register(websocketPlugin, { options: { maxPayload: settings.maxMessageBytes } });
  ctx.http.route({
    method: 'GET',
    url: settings.path,
    // A plain GET (no upgrade) is a client error with a real status and a problem document.
    handler: async () => {
      throw new HttpProblem(426, `${settings.path} is a WebSocket: connect with an upgrade request`);
    },
    // Before the upgrade: a page from another site gets a 403 and no socket (browser-origin.ts).
    preValidation: async (request) => {
      const { origin, host } = request.headers;
      if (!isAllowedOrigin(origin, host, settings.allowedOrigins)) {
        dropped.inc({ reason: 'origin refused' });
        throw new HttpProblem(
          403,
          `${settings.path}: a page from ${JSON.stringify(origin)} may not connect (only the UI's own origin)`,
        );
      }
    },
    wsHandler: (socket) => {
      if (clients.size >= settings.maxClients) {
        socket.close(CLOSE_TRY_AGAIN_LATER, 'too many browser connections');
        return;
      }
      const client: Client = { socket, topics: new Set(), answeredPing: true };
      clients.add(client);
      socket.on('message', (data, isBinary) => handle(client, data, isBinary));
      socket.on('pong', () => (client.answeredPing = true));
      socket.on('error', (error) => ctx.log.debug({ err: error }, 'browser socket error'));
      socket.on('close', () => {
        clients.delete(client);
        for (const topic of client.topics) subscribers.get(topic)?.delete(client);
      });
      sendMessage(client, {
        type: 'hello',
        version: ctx.version,
        mode: ctx.config.mode,
        topics: PUBLIC_TOPICS,
        pingIntervalMs: settings.pingIntervalMs,
        at: ctx.clock.now(),
      });
    },
  });

  const heartbeat = setInterval(() => {
    const at = ctx.clock.now();
    for (const client of clients) {
      if (!client.answeredPing) {
        drop(client, 'no pong');
        continue;
      }
      client.answeredPing = false;
      if (client.socket.readyState !== client.socket.OPEN) continue;
      client.socket.ping();
      sendMessage(client, { type: 'heartbeat', at });
    }
  }, settings.pingIntervalMs);
  heartbeat.unref();
  ctx.signal.addEventListener('abort', () => clearInterval(heartbeat), { once: true });
  ctx.http.addHook('onClose', async () => clearInterval(heartbeat));
}
