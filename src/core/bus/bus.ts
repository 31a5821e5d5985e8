/**
 * The message bus: typed snapshot topics (`price.btc`, `market.eth`, …) published and
 * subscribed by pattern. Messages are snapshots with a sequence number, so a lost message is
 * healed by the next one; commands never travel on the bus (they are HTTP calls).
 *
 * Patterns: a topic name, or a name with `*` standing for exactly one dot-separated segment
 * (`price.*`), or a trailing `>` standing for one or more segments (`trades.>`).
 */
export type Unsubscribe = () => Promise<void>;

export interface BusMessage<T = unknown> {
  topic: string;
  payload: T;
}

export type BusHandler<T = unknown> = (message: BusMessage<T>) => void | Promise<void>;

export interface Bus {
  publish(topic: string, payload: unknown): Promise<void>;
  subscribe(pattern: string, handler: BusHandler): Promise<Unsubscribe>;
  close(): Promise<void>;
}
