import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { loadConfig, redactConfig } from './load.ts';

const emptyDir = () => mkdtempSync(join(tmpdir(), 'recio-config-'));

describe('config', () => {
  it('defaults to paper trading, embedded database, real clock, live trading off', () => {
    const { config, sources } = loadConfig({}, emptyDir());
    expect(config).toMatchObject({
      mode: 'paper',
      liveTradingEnabled: false,
      dataDir: './data',
      clock: { mode: 'real' },
      log: { level: 'info', files: true },
    });
    expect(config.databaseUrl).toBeUndefined();
    expect(sources.mode).toBe('default');
  });

  it('layers the file under the environment', () => {
    const dir = emptyDir();
    writeFileSync(
      join(dir, 'recio.config.json'),
      JSON.stringify({ mode: 'demo', dataDir: '/srv/recio', log: { level: 'debug' } }),
    );
    const { config, sources, file } = loadConfig({ RECIO_DATA_DIR: '/var/recio' }, dir);
    expect(file).toBe(join(dir, 'recio.config.json'));
    expect(config.mode).toBe('demo');
    expect(config.dataDir).toBe('/var/recio');
    expect(config.log.level).toBe('debug');
    expect(sources).toMatchObject({ mode: 'file', dataDir: 'env' });
  });

  it('reads a simulated clock from the environment', () => {
    const { config } = loadConfig(
      { RECIO_CLOCK: 'simulated', RECIO_CLOCK_RATE: '60', RECIO_CLOCK_START: '2026-01-05T14:00:00Z' },
      emptyDir(),
    );
    expect(config.clock).toEqual({ mode: 'simulated', rate: 60, start: '2026-01-05T14:00:00Z' });
  });

  it('reads a simulated clock anchor, and refuses one that is not a time', () => {
    const env = { RECIO_CLOCK: 'simulated', RECIO_CLOCK_ANCHOR: '2026-11-24T14:00:00.000Z' };
    expect(loadConfig(env, emptyDir()).config.clock).toMatchObject({ anchor: '2026-11-24T14:00:00.000Z' });
    expect(() => loadConfig({ ...env, RECIO_CLOCK_ANCHOR: 'yesterday' }, emptyDir())).toThrow(
      /^config: clock\.anchor \(RECIO_CLOCK_ANCHOR\): /,
    );
  });

  it.each([
    [{ RECIO_MODE: 'production' }, /^config: mode \(RECIO_MODE\): /],
    [{ RECIO_CLOCK: 'simulated', RECIO_CLOCK_RATE: 'fast' }, /^config: clock\.rate \(RECIO_CLOCK_RATE\): /],
    [{ RECIO_CLOCK: 'simulated', RECIO_CLOCK_RATE: '-2' }, /^config: clock\.rate \(RECIO_CLOCK_RATE\): /],
    [{ DATABASE_URL: 'mysql://localhost/db' }, /^config: databaseUrl \(DATABASE_URL\): /],
    [
      { RECIO_LIVE_TRADING_ENABLED: 'perhaps' },
      /^config: liveTradingEnabled \(RECIO_LIVE_TRADING_ENABLED\): /,
    ],
    [
      { RECIO_INTERNAL_TOKEN: 'short' },
      /^config: internalToken \(RECIO_INTERNAL_TOKEN\): at least 16 characters/,
    ],
    [{ RECIO_SERVICES: 'main_app,flux_capacitor' }, /^config: services\.1 \(RECIO_SERVICES\): /],
    [{ RECIO_BUS_PREFIX: 'site a:' }, /^config: busPrefix \(RECIO_BUS_PREFIX\): 1-64 letters/],
    [{ RECIO_BUS_PREFIX: 'x*' }, /^config: busPrefix \(RECIO_BUS_PREFIX\): /],
  ])('names the bad value %o in one line', (env, message) => {
    expect(() => loadConfig(env, emptyDir())).toThrow(message);
  });

  it('takes the Redis bus prefix from the file or RECIO_BUS_PREFIX (default recio:)', () => {
    expect(loadConfig({}, emptyDir()).config.busPrefix).toBe('recio:');
    const dir = emptyDir();
    writeFileSync(join(dir, 'recio.config.json'), JSON.stringify({ busPrefix: 'site-a:' }));
    expect(loadConfig({}, dir).config.busPrefix).toBe('site-a:');
    expect(loadConfig({ RECIO_BUS_PREFIX: 'test-1f2e:' }, dir).config.busPrefix).toBe('test-1f2e:');
  });

  it('rejects unknown keys and unreadable files naming the file', () => {
    const dir = emptyDir();
    writeFileSync(join(dir, 'recio.config.json'), JSON.stringify({ mode: 'paper', modde: 'live' }));
    expect(() => loadConfig({}, dir)).toThrow(
      `config: (root) (${join(dir, 'recio.config.json')}): Unrecognized key: "modde"`,
    );
    writeFileSync(join(dir, 'broken.json'), '{ mode: ');
    expect(() => loadConfig({ RECIO_CONFIG: 'broken.json' }, dir)).toThrow(
      `config: cannot read ${join(dir, 'broken.json')}`,
    );
  });

  it('redacts secrets and URL passwords', () => {
    const { config } = loadConfig(
      {
        RECIO_INTERNAL_TOKEN: 'a-very-secret-internal-token',
        DATABASE_URL: 'postgres://recio:hunter2@db.local:5432/recio',
        REDIS_URL: 'redis://:s3cret@127.0.0.1:6379',
      },
      emptyDir(),
    );
    const shown = JSON.stringify(redactConfig(config));
    expect(shown).not.toContain('a-very-secret-internal-token');
    expect(shown).not.toContain('hunter2');
    expect(shown).not.toContain('s3cret');
    expect(shown).toContain('postgres://recio:redacted@db.local:5432/recio');
    expect(shown).toContain('[redacted]');
  });
});

describe('exchange endpoints', () => {
  it('points paper mode at the simulator, demo and live at Kalshi, and lets explicit URLs win', async () => {
    const { exchangeEndpoints } = await import('./endpoints.ts');
    const manifest = {
      exchange_simulator: { name: 'exchange_simulator' as const, port: 8090, host: '127.0.0.1', role: '' },
    };
    const paper = exchangeEndpoints(loadConfig({}, emptyDir()).config, manifest);
    expect(paper).toEqual({
      kalshiRestUrl: 'http://127.0.0.1:8090/trade-api/v2',
      kalshiWsUrl: 'ws://127.0.0.1:8090/trade-api/ws/v2',
      coinbaseWsUrl: 'ws://127.0.0.1:8090/coinbase/ws',
      coinbaseRestUrl: 'http://127.0.0.1:8090/coinbase',
      simulated: true,
    });
    const demo = exchangeEndpoints(loadConfig({ RECIO_MODE: 'demo' }, emptyDir()).config, manifest);
    expect(demo.kalshiRestUrl).toBe('https://demo-api.kalshi.co/trade-api/v2');
    expect(demo.simulated).toBe(false);
    const live = exchangeEndpoints(loadConfig({ RECIO_MODE: 'live' }, emptyDir()).config, manifest);
    expect(live.kalshiWsUrl).toBe('wss://api.elections.kalshi.com/trade-api/ws/v2');
    const custom = exchangeEndpoints(
      loadConfig({ RECIO_KALSHI_REST_URL: 'http://127.0.0.1:9999/trade-api/v2' }, emptyDir()).config,
      manifest,
    );
    expect(custom.kalshiRestUrl).toBe('http://127.0.0.1:9999/trade-api/v2');
    expect(() => loadConfig({ RECIO_KALSHI_WS_URL: 'ftp://x' }, emptyDir())).toThrow(
      /^config: kalshi\.wsUrl \(RECIO_KALSHI_WS_URL\)/,
    );
  });
});
