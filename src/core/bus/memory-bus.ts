import {
  BusClosedError,
  consoleBusLogger,
  type Bus,
  type BusHandler,
  type BusLogger,
  type Unsubscribe,
} from './bus.ts';
import { Subscription, deepFreeze } from './subscription.ts';
import { assertKnownFamily, parseTopicPayload, type PayloadFor, type TopicInputs } from './topics.ts';

/** The in-process bus of the all-in-one mode: same guarantees as RedisBus, no network. */
export class MemoryBus implements Bus {
  readonly #subscriptions = new Set<Subscription>();
  readonly #logger: BusLogger;
  #closed = false;

  constructor(options: { logger?: BusLogger } = {}) {
    this.#logger = options.logger ?? consoleBusLogger;
  }

  async publish<T extends string>(topic: T, payload: PayloadFor<T, TopicInputs>): Promise<void> {
    if (this.#closed) throw new BusClosedError();
    const message = { topic, payload: deepFreeze(parseTopicPayload(topic, payload)) };
    for (const subscription of this.#subscriptions) subscription.deliver(message);
  }

  async subscribe<P extends string>(pattern: P, handler: BusHandler<PayloadFor<P>>): Promise<Unsubscribe> {
    if (this.#closed) throw new BusClosedError();
    const subscription = new Subscription(pattern, handler as BusHandler, this.#logger);
    const { family } = subscription.pattern;
    if (family !== undefined) assertKnownFamily(family, `pattern "${pattern}"`);
    this.#subscriptions.add(subscription);
    return async () => {
      subscription.close();
      this.#subscriptions.delete(subscription);
    };
  }

  async close(): Promise<void> {
    this.#closed = true;
    for (const subscription of this.#subscriptions) subscription.close();
    this.#subscriptions.clear();
  }
}
