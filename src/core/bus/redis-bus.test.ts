import { randomUUID } from 'node:crypto';
import { Redis } from 'ioredis';
import { afterAll, describe, expect, it } from 'vitest';
import type { Bus } from './bus.ts';
import { runBusContract } from './bus-contract.ts';
import { createBus } from './create-bus.ts';
import { RedisBus, redactUrl } from './redis-bus.ts';

const REDIS_URL = process.env.RECIO_TEST_REDIS_URL ?? 'redis://127.0.0.1:6379';

/** Each bus gets its own channel prefix and connection names, so parallel runs never meet. */
const identities = new WeakMap<Bus, { prefix: string; name: string }>();
const admin = new Redis(REDIS_URL, { lazyConnect: true });

afterAll(async () => {
  await admin.quit();
});

async function killByName(name: string): Promise<number> {
  const list = (await admin.client('LIST')) as string;
  const ids = list
    .split('\n')
    .filter((line) => line.split(' ').includes(`name=${name}`))
    .map((line) => /(?:^| )id=(\d+)/.exec(line)?.[1])
    .filter((id): id is string => id !== undefined);
  for (const id of ids) await admin.client('KILL', 'ID', id);
  return ids.length;
}

runBusContract({
  name: 'RedisBus',
  async open(logger) {
    const unique = randomUUID().slice(0, 8);
    const identity = { prefix: `recio-test-${unique}:`, name: `recio-test-${unique}` };
    const bus = await RedisBus.connect({
      url: REDIS_URL,
      logger,
      ...identity,
      connectionName: identity.name,
    });
    identities.set(bus, identity);
    return bus;
  },
  transport: {
    async injectRaw(bus, topic, text) {
      await admin.publish(identities.get(bus)!.prefix + topic, text);
    },
    async dropConnection(bus, role) {
      return killByName(`${identities.get(bus)!.name}:${role === 'publisher' ? 'pub' : 'sub'}`);
    },
  },
});

describe('RedisBus connection', () => {
  it('fails with one clear line when Redis cannot be reached, without leaking the password', async () => {
    const started = Date.now();
    const attempt = createBus({ redisUrl: 'redis://:s3cret@127.0.0.1:1', logger: { warn() {}, error() {} } });
    await expect(attempt).rejects.toThrow(/^cannot connect to Redis at redis:\/\/:\*\*\*@127\.0\.0\.1:1/);
    await expect(attempt).rejects.not.toThrow(/s3cret/);
    expect(Date.now() - started).toBeLessThan(5_000);
  });

  it('redacts only the password of a URL', () => {
    expect(redactUrl('redis://user:pw@host:6380/2')).toBe('redis://user:***@host:6380/2');
    expect(redactUrl('redis://host:6379')).toBe('redis://host:6379');
  });

  it('createBus picks Redis when given a URL, memory otherwise', async () => {
    const redis = await createBus({ redisUrl: REDIS_URL, prefix: `recio-test-${randomUUID().slice(0, 8)}:` });
    const memory = await createBus();
    try {
      expect(redis).toBeInstanceOf(RedisBus);
      expect(memory).not.toBeInstanceOf(RedisBus);
    } finally {
      await redis.close();
      await memory.close();
    }
  });
});
