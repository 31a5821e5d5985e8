/**
 * The simulated Coinbase Exchange feed (`ws-feed.exchange.coinbase.com` stand-in), on the
 * simulator's HTTP server at `/coinbase/ws` by default:
 * - a client must subscribe within 5 s (Clock) or gets an error and is disconnected;
 * - `subscribe` / `unsubscribe` with `product_ids` + channel names or channel objects, answered
 *   by `subscriptions` (the full current set) or by an `error` (bad JSON, unknown type,
 *   channel or product — nothing is changed then);
 * - channel `ticker`: one message per trade (the latest trade is replayed on subscribe, as
 *   Coinbase does); channel `heartbeat`: one per product per second with `last_trade_id`;
 * - faults: ticker messages may be dropped (→ trade-id gap) or duplicated (→ repeated
 *   `sequence`), everything may be delayed (WsOutbox); connections can be dropped.
 */
import type { Server } from 'node:http';
import type WebSocket from 'ws';
import { WebSocketServer } from 'ws';
import { z } from 'zod';
import type { Clock, TimerHandle } from '../../../core/clock/clock.ts';
import type { FaultController } from '../../faults/fault-controller.ts';
import { WsOutbox } from '../../faults/ws-outbox.ts';
import type { StreamLog } from '../kalshi-ws/hub.ts';
import { attachUpgradeRoute } from '../ws-upgrade.ts';
import type { CoinbaseFeedSource, SpotTick } from './source.ts';
import { dayStats, errorMessage, heartbeatMessage, tickerMessage, type DayStats } from './wire.ts';

export const COINBASE_WS_PATH = '/coinbase/ws';
const CHANNELS = ['ticker', 'heartbeat'] as const;
type Channel = (typeof CHANNELS)[number];

export interface AttachCoinbaseWebSocketOptions {
  server: Server;
  /** Default `/coinbase/ws`. */
  path?: string;
  source: CoinbaseFeedSource;
  clock: Clock;
  faults?: FaultController;
  log?: StreamLog;
  /** Default 5 000 (Coinbase). */
  subscribeTimeoutMs?: number;
  /** Default 1 000 (Coinbase). */
  heartbeatIntervalMs?: number;
  maxBufferedBytes?: number;
}

export interface CoinbaseWsStats {
  connections: number;
  ticks: number;
  tickerMessages: number;
  heartbeats: number;
  errors: number;
  subscribeTimeouts: number;
}

export interface CoinbaseWsServer {
  readonly path: string;
  readonly connectionCount: number;
  stats(): CoinbaseWsStats;
  dropConnections(share?: number, mode?: 'terminate' | 'close'): number;
  close(): Promise<void>;
}

interface Connection {
  socket: WebSocket;
  outbox: WsOutbox;
  channels: Map<Channel, Set<string>>;
  deadline: TimerHandle | undefined;
}

interface ProductState {
  lastTickerText: string | undefined;
  lastTradeId: number;
  sequence: number;
  /** Day statistics, recomputed once per simulated minute. */
  stats: DayStats | undefined;
  statsMinute: number;
}

const channelSpec = z.union([
  z.string().min(1),
  z.object({ name: z.string().min(1), product_ids: z.array(z.string()).optional() }),
]);
const requestSchema = z.object({
  type: z.string(),
  product_ids: z.array(z.string()).optional(),
  channels: z.array(channelSpec).optional(),
});

export function attachCoinbaseWebSocket(options: AttachCoinbaseWebSocketOptions): CoinbaseWsServer {
  const path = options.path ?? COINBASE_WS_PATH;
  const { source, clock, faults, log } = options;
  const connections = new Set<Connection>();
  const products = new Map<string, ProductState>();
  const stats = { ticks: 0, tickerMessages: 0, heartbeats: 0, errors: 0, subscribeTimeouts: 0 };
  for (const id of source.productIds()) {
    products.set(id, {
      lastTickerText: undefined,
      lastTradeId: 0,
      sequence: 0,
      stats: undefined,
      statsMinute: -1,
    });
  }

  const productStats = (state: ProductState, tick: SpotTick): DayStats => {
    const minute = Math.floor(tick.timeMs / 60_000);
    if (state.stats === undefined || minute !== state.statsMinute) {
      const candles = source.candles(tick.productId, tick.timeMs - 30 * 86_400_000, tick.timeMs);
      state.stats = dayStats(candles, tick.timeMs, tick.price);
      state.statsMinute = minute;
    }
    const s = state.stats;
    return { ...s, high24h: Math.max(s.high24h, tick.price), low24h: Math.min(s.low24h, tick.price) };
  };

  const onTicks = (ticks: readonly SpotTick[]) => {
    for (const tick of ticks) {
      const state = products.get(tick.productId);
      if (state === undefined) continue;
      stats.ticks += 1;
      const text = JSON.stringify(tickerMessage(tick, productStats(state, tick)));
      state.lastTickerText = text;
      state.lastTradeId = tick.tradeId;
      state.sequence = tick.sequence;
      for (const c of connections) {
        if (!c.channels.get('ticker')?.has(tick.productId)) continue;
        stats.tickerMessages += 1;
        c.outbox.data(text, 'ticker');
      }
    }
  };
  const offTicks = source.onTicks(onTicks);

  const send = (c: Connection, payload: Record<string, unknown>) => c.outbox.control(JSON.stringify(payload));
  const fail = (c: Connection, message: string, reason: string) => {
    stats.errors += 1;
    send(c, errorMessage(message, reason));
  };

  const onMessage = (c: Connection, text: string | undefined) => {
    let raw: unknown;
    try {
      if (text === undefined) throw new Error('binary frame');
      raw = JSON.parse(text);
    } catch {
      return fail(c, 'Malformed JSON', 'messages must be JSON text');
    }
    const parsed = requestSchema.safeParse(raw);
    if (!parsed.success) return fail(c, 'Failed to subscribe', z.prettifyError(parsed.error));
    const request = parsed.data;
    if (request.type !== 'subscribe' && request.type !== 'unsubscribe') {
      return fail(
        c,
        'Failed to subscribe',
        `Type has to be either subscribe or unsubscribe, got ${request.type}`,
      );
    }
    if (!request.channels || request.channels.length === 0) {
      return fail(c, 'Failed to subscribe', 'channels must be a non-empty list');
    }
    const wanted: Array<{ channel: Channel; productIds: string[] }> = [];
    for (const spec of request.channels) {
      const name = typeof spec === 'string' ? spec : spec.name;
      const ids = (typeof spec === 'string' ? undefined : spec.product_ids) ?? request.product_ids ?? [];
      if (!(CHANNELS as readonly string[]).includes(name)) {
        return fail(c, 'Failed to subscribe', `${name} is not a valid channel`);
      }
      if (ids.length === 0) return fail(c, 'Failed to subscribe', `no product ids for channel ${name}`);
      const unknown = ids.find((id) => !products.has(id));
      if (unknown !== undefined) return fail(c, 'Failed to subscribe', `${unknown} is not a valid product`);
      wanted.push({ channel: name as Channel, productIds: ids });
    }
    const newlyTicker: string[] = [];
    for (const { channel, productIds } of wanted) {
      let set = c.channels.get(channel);
      if (set === undefined) {
        set = new Set();
        c.channels.set(channel, set);
      }
      for (const id of productIds) {
        if (request.type === 'subscribe') {
          if (channel === 'ticker' && !set.has(id)) newlyTicker.push(id);
          set.add(id);
        } else {
          set.delete(id);
        }
      }
      if (set.size === 0) c.channels.delete(channel);
    }
    if (c.deadline !== undefined && request.type === 'subscribe') {
      clock.clear(c.deadline);
      c.deadline = undefined;
    }
    send(c, {
      type: 'subscriptions',
      channels: [...c.channels].map(([name, ids]) => ({ name, product_ids: [...ids] })),
    });
    // Coinbase sends the latest trade of each newly subscribed product right away.
    for (const id of newlyTicker) {
      const last = products.get(id)?.lastTickerText;
      if (last !== undefined) c.outbox.control(last);
    }
  };

  const wss = new WebSocketServer({ noServer: true, maxPayload: 64 * 1024 });
  const subscribeTimeoutMs = options.subscribeTimeoutMs ?? 5_000;
  const detach = attachUpgradeRoute<undefined>({
    server: options.server,
    path,
    wss,
    onConnection: (socket) => {
      const c: Connection = {
        socket,
        channels: new Map(),
        deadline: undefined,
        outbox: new WsOutbox({
          socket,
          clock,
          target: 'coinbase',
          faults,
          maxBufferedBytes: options.maxBufferedBytes,
          onOverflow: (bytes) => log?.warn({ bytes }, 'coinbase ws: client too slow, disconnected'),
        }),
      };
      connections.add(c);
      c.deadline = clock.setTimeout(() => {
        c.deadline = undefined;
        stats.subscribeTimeouts += 1;
        fail(c, 'Failed to subscribe', `no subscribe message within ${subscribeTimeoutMs / 1000} seconds`);
        c.outbox.close(); // the error goes first; then the connection
        socket.close(1008, 'subscribe timeout');
      }, subscribeTimeoutMs);
      socket.on('message', (data, isBinary) => onMessage(c, isBinary ? undefined : String(data)));
      socket.on('close', () => {
        connections.delete(c);
        c.outbox.close();
        if (c.deadline !== undefined) clock.clear(c.deadline);
      });
      socket.on('error', (error) => log?.debug({ err: error }, 'coinbase ws: socket error'));
    },
  });

  const heartbeatTimer = clock.setInterval(() => {
    const now = source.now();
    for (const c of connections) {
      const ids = c.channels.get('heartbeat');
      if (ids === undefined) continue;
      for (const id of ids) {
        const state = products.get(id);
        if (state === undefined) continue;
        stats.heartbeats += 1;
        c.outbox.data(
          JSON.stringify(heartbeatMessage(id, state.sequence, state.lastTradeId, now)),
          'heartbeat',
        );
      }
    }
  }, options.heartbeatIntervalMs ?? 1_000);

  const drop = (pick: () => boolean, mode: 'terminate' | 'close') => {
    let dropped = 0;
    for (const c of [...connections]) {
      if (!pick()) continue;
      dropped += 1;
      c.outbox.close();
      if (mode === 'terminate') c.socket.terminate();
      else c.socket.close(1001, 'dropped by the simulator');
    }
    return dropped;
  };
  const unregister = faults?.registerConnections('coinbase', drop);

  let closed = false;
  return {
    path,
    get connectionCount() {
      return connections.size;
    },
    stats: () => ({ connections: connections.size, ...stats }),
    dropConnections: (share = 1, mode = 'terminate') => drop(() => share >= 1 || Math.random() < share, mode),
    async close() {
      if (closed) return;
      closed = true;
      clock.clear(heartbeatTimer);
      unregister?.();
      offTicks();
      detach();
      for (const c of [...connections]) {
        c.outbox.close();
        if (c.deadline !== undefined) clock.clear(c.deadline);
        c.socket.close(1001, 'server shutting down');
      }
      await new Promise<void>((resolve) => wss.close(() => resolve()));
    },
  };
}
