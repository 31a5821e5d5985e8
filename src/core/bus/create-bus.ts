import type { Bus, BusLogger } from './bus.ts';
import { MemoryBus } from './memory-bus.ts';
import { RedisBus } from './redis-bus.ts';

export interface BusOptions {
  /** Redis URL: a RedisBus (distributed mode). Absent: an in-process MemoryBus. */
  redisUrl?: string | undefined;
  /** Redis channel prefix (default `recio:`); ignored in memory. */
  prefix?: string | undefined;
  logger?: BusLogger | undefined;
  /** Redis CLIENT SETNAME base (default `recio-bus`), handy in `CLIENT LIST`. */
  connectionName?: string | undefined;
}

/** The bus for this process; with Redis it resolves only once connected (clear error if not). */
export async function createBus(options: BusOptions = {}): Promise<Bus> {
  const logger = options.logger;
  if (options.redisUrl === undefined || options.redisUrl === '') {
    return new MemoryBus(logger ? { logger } : {});
  }
  return RedisBus.connect({
    url: options.redisUrl,
    ...(options.prefix !== undefined ? { prefix: options.prefix } : {}),
    ...(logger ? { logger } : {}),
    ...(options.connectionName !== undefined ? { connectionName: options.connectionName } : {}),
  });
}
