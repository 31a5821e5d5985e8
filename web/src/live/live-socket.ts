/**
 * The browser's one connection to main_app's /ws: subscribes to the topics the screens need,
 * hands every message on, reconnects after a loss with growing delays (and resubscribes), and
 * treats a silent connection (no frame, not even the server's heartbeat) as lost.
 *
 * No DOM types here: the socket comes from `createSocket` (the browser's WebSocket in the app,
 * the `ws` package in tests), so the same code is tested over a real socket in Node.
 */
import { reconnectDelayMs, silenceLimitMs } from '../lib/live-state.ts';
import type { ClientMessage, ServerMessage } from './protocol.ts';

/** The part of the WebSocket API this client uses (browser WebSocket and `ws` both fit). */
export interface SocketLike {
  readonly readyState: number;
  send(data: string): void;
  close(code?: number, reason?: string): void;
  onopen: ((event: unknown) => void) | null;
  onmessage: ((event: { data: unknown }) => void) | null;
  onclose: ((event: { code: number; reason: string }) => void) | null;
  onerror: ((event: unknown) => void) | null;
}

const OPEN = 1;

export type ConnectionState =
  | { status: 'connecting'; attempt: number }
  | { status: 'open'; sinceMs: number }
  | { status: 'closed'; attempt: number; retryAtMs: number; reason: string };

export type HelloMessage = Extract<ServerMessage, { type: 'hello' }>;

export interface LiveSocketOptions {
  url: string;
  createSocket: (url: string) => SocketLike;
  onState: (state: ConnectionState) => void;
  onHello?: (hello: HelloMessage) => void;
  onMessage: (topic: string, payload: unknown) => void;
  /** The server refused something we sent (a bug here, never user input). */
  onServerError?: (error: string) => void;
  now?: () => number;
  random?: () => number;
}

export class LiveSocket {
  readonly #options: LiveSocketOptions;
  readonly #topics = new Set<string>();
  #socket: SocketLike | null = null;
  #attempt = 0;
  #retryTimer: ReturnType<typeof setTimeout> | undefined;
  #silenceTimer: ReturnType<typeof setTimeout> | undefined;
  #silenceLimitMs = silenceLimitMs(15_000);
  #stopped = true;

  constructor(options: LiveSocketOptions) {
    this.#options = options;
  }

  start(): void {
    if (!this.#stopped) return;
    this.#stopped = false;
    this.#connect();
  }

  stop(): void {
    this.#stopped = true;
    clearTimeout(this.#retryTimer);
    clearTimeout(this.#silenceTimer);
    this.#drop(1000, 'page closed');
  }

  /** Adds topics; they are (re)sent on every connection. */
  subscribe(topics: readonly string[]): void {
    const added = topics.filter((t) => !this.#topics.has(t));
    for (const topic of added) this.#topics.add(topic);
    if (added.length > 0) this.#send({ op: 'subscribe', topics: added });
  }

  unsubscribe(topics: readonly string[]): void {
    const removed = topics.filter((t) => this.#topics.delete(t));
    if (removed.length > 0) this.#send({ op: 'unsubscribe', topics: removed });
  }

  #now(): number {
    return (this.#options.now ?? Date.now)();
  }

  #send(message: ClientMessage): void {
    if (this.#socket?.readyState === OPEN) this.#socket.send(JSON.stringify(message));
  }

  #connect(): void {
    this.#options.onState({ status: 'connecting', attempt: this.#attempt });
    let socket: SocketLike;
    try {
      socket = this.#options.createSocket(this.#options.url);
    } catch (error) {
      this.#lost(error instanceof Error ? error.message : String(error));
      return;
    }
    this.#socket = socket;
    socket.onopen = () => {
      this.#attempt = 0;
      this.#options.onState({ status: 'open', sinceMs: this.#now() });
      if (this.#topics.size > 0) this.#send({ op: 'subscribe', topics: [...this.#topics] });
      this.#armSilence();
    };
    socket.onmessage = (event) => {
      const message = parse(event.data);
      if (message?.type === 'hello') this.#silenceLimitMs = silenceLimitMs(message.pingIntervalMs);
      this.#armSilence();
      if (!message) return;
      switch (message.type) {
        case 'hello':
          this.#options.onHello?.(message);
          break;
        case 'message':
          this.#options.onMessage(message.topic, message.payload);
          break;
        case 'error':
          this.#options.onServerError?.(message.error);
          break;
        default:
          break;
      }
    };
    socket.onclose = (event) => {
      if (this.#socket !== socket) return;
      this.#socket = null;
      this.#lost(event.reason || closeReason(event.code));
    };
    socket.onerror = () => undefined; // a close event follows
  }

  #armSilence(): void {
    clearTimeout(this.#silenceTimer);
    this.#silenceTimer = setTimeout(() => {
      this.#drop(4000, 'silent');
      this.#lost(`no message for ${Math.round(this.#silenceLimitMs / 1000)} s`);
    }, this.#silenceLimitMs);
  }

  /** Forgets the current socket (its late events are ignored) and closes it. */
  #drop(code: number, reason: string): void {
    const socket = this.#socket;
    this.#socket = null;
    if (!socket) return;
    socket.onopen = socket.onmessage = socket.onclose = null;
    try {
      socket.close(code, reason);
    } catch {
      // already closing
    }
  }

  #lost(reason: string): void {
    clearTimeout(this.#silenceTimer);
    if (this.#stopped) return;
    const delay = reconnectDelayMs(this.#attempt, (this.#options.random ?? Math.random)());
    this.#options.onState({
      status: 'closed',
      attempt: this.#attempt,
      retryAtMs: this.#now() + delay,
      reason,
    });
    this.#attempt += 1;
    clearTimeout(this.#retryTimer);
    this.#retryTimer = setTimeout(() => this.#connect(), delay);
  }
}

function closeReason(code: number): string {
  if (code === 1006) return 'the connection dropped';
  if (code === 1001) return 'the server is going away';
  if (code === 1013) return 'the server is busy';
  return `closed with code ${code}`;
}

function parse(data: unknown): ServerMessage | undefined {
  if (typeof data !== 'string') return undefined;
  try {
    const value = JSON.parse(data) as ServerMessage;
    return typeof value === 'object' && value !== null && typeof value.type === 'string' ? value : undefined;
  } catch {
    return undefined;
  }
}
