import { Redis, type RedisOptions } from 'ioredis';
import {
  BusClosedError,
  consoleBusLogger,
  type Bus,
  type BusHandler,
  type BusLogger,
  type Unsubscribe,
} from './bus.ts';
import { Subscription, deepFreeze } from './subscription.ts';
import { escapeRedisGlob, toRedisGlob } from './topic-pattern.ts';
import { assertKnownFamily, parseTopicPayload, type PayloadFor, type TopicInputs } from './topics.ts';

export interface RedisBusOptions {
  /** redis://[user:password@]host:port[/db] */
  url: string;
  /** Channel prefix, so several installations (or test runs) can share one Redis. */
  prefix?: string;
  logger?: BusLogger;
  /** CLIENT SETNAME base; the connections are named `<name>:pub` and `<name>:sub`. */
  connectionName?: string;
  /** How long `connect` waits for Redis before failing. */
  connectTimeoutMs?: number;
}

export const DEFAULT_BUS_PREFIX = 'recio:';

/** One PSUBSCRIBE glob and the subscriptions it feeds (different patterns can share a glob). */
interface GlobGroup {
  subscriptions: Set<Subscription>;
  /** Resolves once Redis acknowledged the PSUBSCRIBE. */
  ready: Promise<unknown>;
}

/** Shows where we tried to connect without leaking a password into logs. */
export function redactUrl(url: string): string {
  try {
    const parsed = new URL(url);
    if (parsed.password !== '') parsed.password = '***';
    return parsed.toString();
  } catch {
    return '(unparseable URL)';
  }
}

/**
 * The bus over Redis pub/sub, for the distributed mode. Two connections: one publishes, one is
 * in subscriber mode. ioredis reconnects on its own and re-issues every PSUBSCRIBE it holds
 * (`autoResubscribe`); messages published while the connection is down are lost, which snapshot
 * topics tolerate. Wire format: the channel is `<prefix><topic>`, the message the payload's JSON.
 */
export class RedisBus implements Bus {
  readonly #publisher: Redis;
  readonly #subscriber: Redis;
  readonly #prefix: string;
  readonly #globPrefix: string;
  readonly #logger: BusLogger;
  readonly #groups = new Map<string, GlobGroup>();
  #closed = false;

  private constructor(publisher: Redis, subscriber: Redis, prefix: string, logger: BusLogger) {
    this.#publisher = publisher;
    this.#subscriber = subscriber;
    this.#prefix = prefix;
    this.#globPrefix = escapeRedisGlob(prefix);
    this.#logger = logger;
    subscriber.on('pmessage', (glob: string, channel: string, text: string) =>
      this.#onMessage(glob, channel, text),
    );
  }

  /** Connects both connections; rejects with one clear line when Redis cannot be reached. */
  static async connect(options: RedisBusOptions): Promise<RedisBus> {
    const logger = options.logger ?? consoleBusLogger;
    const name = options.connectionName ?? 'recio-bus';
    const where = redactUrl(options.url);
    const common: RedisOptions = {
      lazyConnect: true,
      autoResubscribe: true,
      connectTimeout: options.connectTimeoutMs ?? 5_000,
    };
    const publisher = new Redis(options.url, { ...common, connectionName: `${name}:pub` });
    const subscriber = new Redis(options.url, { ...common, connectionName: `${name}:sub` });
    for (const [role, connection] of [
      ['publisher', publisher],
      ['subscriber', subscriber],
    ] as const) {
      // Without a listener ioredis prints every connection error itself; it keeps retrying.
      connection.on('error', (error: Error) =>
        logger.warn({ redis: where, role, err: error.message }, 'redis bus connection error'),
      );
    }
    try {
      await Promise.all([publisher.connect(), subscriber.connect()]);
    } catch (error) {
      publisher.disconnect();
      subscriber.disconnect();
      const reason = error instanceof Error ? error.message : String(error);
      throw new Error(`cannot connect to Redis at ${where}: ${reason}`, { cause: error });
    }
    return new RedisBus(publisher, subscriber, options.prefix ?? DEFAULT_BUS_PREFIX, logger);
  }

  async publish<T extends string>(topic: T, payload: PayloadFor<T, TopicInputs>): Promise<void> {
    if (this.#closed) throw new BusClosedError();
    const parsed = parseTopicPayload(topic, payload);
    await this.#publisher.publish(this.#prefix + topic, JSON.stringify(parsed));
  }

  async subscribe<P extends string>(pattern: P, handler: BusHandler<PayloadFor<P>>): Promise<Unsubscribe> {
    if (this.#closed) throw new BusClosedError();
    const subscription = new Subscription(pattern, handler as BusHandler, this.#logger);
    const { family } = subscription.pattern;
    if (family !== undefined) assertKnownFamily(family, `pattern "${pattern}"`);

    const glob = this.#globPrefix + toRedisGlob(pattern);
    let group = this.#groups.get(glob);
    if (group === undefined) {
      group = { subscriptions: new Set(), ready: this.#subscriber.psubscribe(glob) };
      this.#groups.set(glob, group);
    }
    group.subscriptions.add(subscription);
    try {
      await group.ready;
    } catch (error) {
      await this.#leave(glob, group, subscription).catch(() => {}); // the PSUBSCRIBE error is the news
      throw error;
    }
    return () => this.#leave(glob, group, subscription);
  }

  async close(): Promise<void> {
    if (this.#closed) return;
    this.#closed = true;
    for (const group of this.#groups.values()) {
      for (const subscription of group.subscriptions) subscription.close();
    }
    this.#groups.clear();
    this.#subscriber.disconnect();
    // QUIT lets queued publishes go out first; a connection that is down is just dropped.
    if (this.#publisher.status === 'ready') await this.#publisher.quit();
    else this.#publisher.disconnect();
  }

  async #leave(glob: string, group: GlobGroup, subscription: Subscription): Promise<void> {
    subscription.close();
    group.subscriptions.delete(subscription);
    if (group.subscriptions.size > 0 || this.#groups.get(glob) !== group || this.#closed) return;
    this.#groups.delete(glob);
    await this.#subscriber.punsubscribe(glob);
  }

  /** A malformed message (bad JSON, unknown family, invalid payload) is logged and dropped. */
  #onMessage(glob: string, channel: string, text: string): void {
    const group = this.#groups.get(glob);
    if (group === undefined || !channel.startsWith(this.#prefix)) return;
    const topic = channel.slice(this.#prefix.length);
    // The glob is wider than the patterns (Redis `*` crosses dots): check them before parsing.
    const wanted = [...group.subscriptions].filter((subscription) => subscription.pattern.matches(topic));
    if (wanted.length === 0) return;
    let payload: unknown;
    try {
      payload = deepFreeze(parseTopicPayload(topic, JSON.parse(text)));
    } catch (error) {
      this.#logger.warn(
        { channel, err: error instanceof Error ? error.message : String(error), bytes: text.length },
        'dropped a malformed bus message',
      );
      return;
    }
    const message = { topic, payload };
    for (const subscription of wanted) subscription.deliver(message);
  }
}
