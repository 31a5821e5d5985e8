import type { BusHandler, BusLogger, BusMessage } from './bus.ts';
import { compilePattern, type TopicPattern } from './topic-pattern.ts';

/**
 * A slow handler must not grow memory without bound. Messages are snapshots, so when its backlog
 * is full the oldest one is dropped (and logged): the next snapshot heals it.
 */
export const MAX_BACKLOG = 10_000;

/**
 * One subscriber: matches topics and feeds its handler one message at a time, in arrival order,
 * isolating the rest of the bus from whatever the handler throws.
 */
export class Subscription {
  readonly pattern: TopicPattern;
  readonly #handler: BusHandler;
  readonly #logger: BusLogger;
  readonly #backlog: BusMessage[] = [];
  #pumping = false;
  #closed = false;

  constructor(pattern: string, handler: BusHandler, logger: BusLogger) {
    this.pattern = compilePattern(pattern);
    this.#handler = handler;
    this.#logger = logger;
  }

  get closed(): boolean {
    return this.#closed;
  }

  deliver(message: BusMessage): void {
    if (this.#closed || !this.pattern.matches(message.topic)) return;
    if (this.#backlog.length >= MAX_BACKLOG) {
      const dropped = this.#backlog.shift();
      this.#logger.warn(
        { pattern: this.pattern.source, topic: dropped?.topic, backlog: MAX_BACKLOG },
        'bus subscriber too slow: dropped its oldest pending message',
      );
    }
    this.#backlog.push(message);
    if (!this.#pumping) {
      this.#pumping = true;
      queueMicrotask(() => void this.#pump()); // never run a handler inside publish()
    }
  }

  /** Stops delivery at once; pending messages are discarded. */
  close(): void {
    this.#closed = true;
    this.#backlog.length = 0;
  }

  async #pump(): Promise<void> {
    try {
      for (let message = this.#backlog.shift(); message !== undefined; message = this.#backlog.shift()) {
        if (this.#closed) return;
        try {
          await this.#handler(message);
        } catch (error) {
          this.#logger.error(
            { pattern: this.pattern.source, topic: message.topic, err: error },
            'bus handler failed; the subscription continues',
          );
        }
      }
    } finally {
      this.#pumping = false;
    }
  }
}

/** Freezes a parsed payload so subscribers sharing it cannot change it under each other. */
export function deepFreeze<T>(value: T): T {
  if (value !== null && typeof value === 'object' && !Object.isFrozen(value)) {
    Object.freeze(value);
    for (const key of Object.keys(value)) deepFreeze((value as Record<string, unknown>)[key]);
  }
  return value;
}
