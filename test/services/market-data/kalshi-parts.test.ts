import { generateKeyPairSync } from 'node:crypto';
import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { SimulatedClock } from '../../../src/core/clock/index.ts';
import { configSchema } from '../../../src/core/config/schema.ts';
import { KalshiApiError } from '../../../src/integrations/kalshi/index.ts';
import { signerFromConfig } from '../../../src/services/kalshi_api_watchdog/credentials.ts';
import { RestStats } from '../../../src/services/kalshi_api_watchdog/rest-stats.ts';

const clock = SimulatedClock.manual(Date.parse('2026-01-05T14:00:00Z'));

function pem(): string {
  return generateKeyPairSync('rsa', {
    modulusLength: 2048,
    privateKeyEncoding: { type: 'pkcs8', format: 'pem' },
    publicKeyEncoding: { type: 'spki', format: 'pem' },
  }).privateKey;
}

describe('kalshi_api_watchdog credentials', () => {
  it('demo/live: names the two settings when the key is missing, and never echoes key material', () => {
    const dir = mkdtempSync(join(tmpdir(), 'recio-cred-'));
    expect(() => signerFromConfig(configSchema.parse({ mode: 'live', dataDir: dir }), clock)).toThrow(
      /live mode needs a Kalshi API key .*kalshi\.apiKeyId and kalshi\.privateKeyPath/,
    );
    writeFileSync(join(dir, 'bad.pem'), 'not a key at all');
    const bad = configSchema.parse({
      mode: 'demo',
      dataDir: dir,
      kalshi: { apiKeyId: 'k', privateKeyPath: join(dir, 'bad.pem') },
    });
    expect(() => signerFromConfig(bad, clock)).toThrow(/does not hold an RSA private key$/);
    writeFileSync(join(dir, 'good.pem'), pem());
    const good = configSchema.parse({
      mode: 'demo',
      dataDir: dir,
      kalshi: { apiKeyId: 'key-1', privateKeyPath: join(dir, 'good.pem') },
    });
    expect(signerFromConfig(good, clock)?.keyId).toBe('key-1');
  });

  it('paper: the simulator’s paper key from the data directory, undefined until it exists', () => {
    const dir = mkdtempSync(join(tmpdir(), 'recio-cred-'));
    const config = configSchema.parse({ mode: 'paper', dataDir: dir });
    expect(signerFromConfig(config, clock)).toBeUndefined();
    mkdirSync(join(dir, 'simulator'));
    writeFileSync(join(dir, 'simulator', 'paper-api-key.pem'), pem());
    writeFileSync(
      join(dir, 'simulator', 'paper-api-key.json'),
      JSON.stringify({ keyId: 'paper-key', accountId: 'paper' }),
    );
    expect(signerFromConfig(config, clock)?.keyId).toBe('paper-key');
  });
});

describe('RestStats', () => {
  it('reports latency quantiles, the failed share and the 429 share over its window', async () => {
    const c = SimulatedClock.manual(0);
    const stats = new RestStats(() => c.now(), 60_000);
    const call = (ms: number, fail?: Error) =>
      stats.time(async () => {
        await c.advance(ms);
        if (fail) throw fail;
        return ms;
      });
    for (const ms of [10, 20, 30, 40]) await call(ms);
    await expect(
      call(100, new KalshiApiError(429, 'rate_limit_exceeded', 'slow down', undefined, 'GET /x')),
    ).rejects.toThrow();
    stats.onRetry('HTTP 429');
    stats.onRetry('HTTP 503');
    const s = stats.summary();
    expect(s).toMatchObject({ calls: 5, errors: 1, rateLimited: 2, p50Ms: 30, p99Ms: 100 });
    expect(s.errorRate).toBeCloseTo(1 / 5, 12);
    expect(s.rateLimitedRate).toBeCloseTo(2 / 7, 12); // 5 calls + 2 retried attempts
    expect(s.lastError).toMatch(/429 rate_limit_exceeded/);

    await c.advance(60_001); // everything leaves the window
    expect(stats.summary()).toMatchObject({ calls: 0, errors: 0, rateLimited: 0, errorRate: 0, p50Ms: null });
  });
});
