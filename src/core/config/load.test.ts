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
  ])('names the bad value %o in one line', (env, message) => {
    expect(() => loadConfig(env, emptyDir())).toThrow(message);
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
