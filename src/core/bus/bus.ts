/**
 * The message bus: typed snapshot topics (`price.btc`, `market.eth`, …) published and
 * subscribed by pattern. Messages are snapshots with a sequence number, so a lost message is
 * healed by the next one; commands never travel on the bus (they are HTTP calls).
 *
 * Patterns: a topic name, or a name with `*` standing for exactly one dot-separated segment
 * (`price.*`), or a trailing `>` standing for one or more segments (`trades.>`).
 *
 * Guarantees (both implementations, checked by bus-contract.ts):
 * - `publish` validates the topic and the payload against the family's schema (topics.ts) and
 *   rejects with a clear error, publishing nothing, when either is wrong.
 * - Once `subscribe` resolves, the subscription receives every later matching message once.
 * - Per subscription, messages from one publisher arrive in publish order, one handler call at a
 *   time (an async handler is awaited before the next message).
 * - A handler that throws or rejects is logged; it keeps its subscription and nobody else is
 *   affected. Payloads are frozen: handlers must not mutate them.
 * - Delivery is asynchronous: a handler never runs inside `publish`.
 */
import type { PayloadFor, TopicInputs } from './topics.ts';

export type Unsubscribe = () => Promise<void>;

export interface BusMessage<T = unknown> {
  topic: string;
  payload: T;
}

export type BusHandler<T = unknown> = (message: BusMessage<T>) => void | Promise<void>;

export interface Bus {
  publish<T extends string>(topic: T, payload: PayloadFor<T, TopicInputs>): Promise<void>;
  subscribe<P extends string>(pattern: P, handler: BusHandler<PayloadFor<P>>): Promise<Unsubscribe>;
  /** Drops every subscription and the connections; later publish/subscribe calls reject. */
  close(): Promise<void>;
}

/** The two logging calls the bus makes; a pino logger fits as is. */
export interface BusLogger {
  warn(details: object, message: string): void;
  error(details: object, message: string): void;
}

export const consoleBusLogger: BusLogger = {
  warn: (details, message) => console.warn(`[bus] ${message}`, details),
  error: (details, message) => console.error(`[bus] ${message}`, details),
};

export class BusClosedError extends Error {
  override readonly name = 'BusClosedError';
  constructor() {
    super('the bus is closed');
  }
}
