import { createServer, type Server } from 'node:net';
import { readFileSync } from 'node:fs';
import { afterEach, describe, expect, it } from 'vitest';
import { loadManifest, MANIFEST_PATH, parseManifest } from './manifest.ts';
import { assertPortFree } from './port-check.ts';
import { SERVICE_NAMES } from './service-names.ts';

const file = () => JSON.parse(readFileSync(MANIFEST_PATH, 'utf8')) as { services: Record<string, unknown> };

describe('port manifest', () => {
  it('lists the 13 seed services and the simulator on the seed ports', () => {
    const manifest = loadManifest();
    expect(Object.keys(manifest).sort()).toEqual([...SERVICE_NAMES].sort());
    const ports = Object.fromEntries(Object.values(manifest).map((e) => [e.name, e.port]));
    expect(ports).toEqual({
      main_app: 3000,
      trade_manager: 4000,
      trade_executor: 8001,
      btc_price_watchdog: 8002,
      kalshi_account_sync: 8004,
      kalshi_api_watchdog: 8005,
      symbol_price_watchdog_btc: 8006,
      active_trade_supervisor: 8007,
      symbol_price_watchdog_eth: 8008,
      auto_entry_supervisor: 8009,
      unified_production_coordinator: 8010,
      cascading_failure_detector: 8011,
      system_monitor: 8012,
      exchange_simulator: 8090,
    });
    for (const entry of Object.values(manifest)) {
      if (entry.name !== 'main_app') expect(entry.host, entry.name).toBe('127.0.0.1');
    }
  });

  it('rejects an unknown service by name', () => {
    const json = file();
    json.services.price_oracle = { port: 9999, host: '127.0.0.1' };
    expect(() => parseManifest(json)).toThrow('manifest: unknown service "price_oracle"');
  });

  it('rejects a missing service', () => {
    const json = file();
    delete json.services.trade_manager;
    expect(() => parseManifest(json)).toThrow('manifest: service "trade_manager" is missing');
  });

  it('rejects a duplicate port naming both services', () => {
    const json = file();
    json.services.trade_manager = { port: 3000, host: '127.0.0.1' };
    expect(() => parseManifest(json)).toThrow(
      /duplicate port 3000 \((main_app and trade_manager|trade_manager and main_app)\)/,
    );
  });

  it.each([0, 65_536, -1, 80.5])('rejects port %s as out of range', (port) => {
    const json = file();
    json.services.system_monitor = { port, host: '127.0.0.1' };
    expect(() => parseManifest(json)).toThrow(
      `manifest: port ${port} for "system_monitor" (from manifest) is out of range 1-65535`,
    );
  });

  it('applies per-service environment overrides', () => {
    const manifest = parseManifest(file(), {
      env: { RECIO_PORT_MAIN_APP: '3100', RECIO_HOST_MAIN_APP: '127.0.0.1' },
    });
    expect(manifest.main_app).toMatchObject({ port: 3100, host: '127.0.0.1' });
    expect(manifest.trade_manager.port).toBe(4000);
  });

  it('names the environment variable of a bad override', () => {
    expect(() => parseManifest(file(), { env: { RECIO_PORT_MAIN_APP: 'abc' } })).toThrow(
      'manifest: port abc for "main_app" (from RECIO_PORT_MAIN_APP) is out of range 1-65535',
    );
    expect(() => parseManifest(file(), { env: { RECIO_PORT_MAIN_APP: '8001' } })).toThrow(
      'duplicate port 8001',
    );
    expect(() => parseManifest(file(), { env: { RECIO_HOST_TRADE_MANAGER: 'not an address' } })).toThrow(
      'manifest: service "trade_manager" has an invalid bind address "not an address"',
    );
  });

  it('accepts port 0 only where ephemeral ports are allowed (tests)', () => {
    expect(() => parseManifest(file(), { env: { RECIO_PORT_MAIN_APP: '0' } })).toThrow('out of range');
    expect(
      parseManifest(file(), { env: { RECIO_PORT_MAIN_APP: '0' }, allowEphemeralPorts: true }).main_app.port,
    ).toBe(0);
  });

  it('rejects a file that is not a manifest', () => {
    expect(() => parseManifest([])).toThrow('manifest: expected an object with a "services" map');
    expect(() => loadManifest('/nonexistent/manifest.json')).toThrow(
      'manifest: cannot read /nonexistent/manifest.json',
    );
  });
});

describe('port check', () => {
  let blocker: Server | undefined;
  afterEach(() => new Promise<void>((resolve) => (blocker ? blocker.close(() => resolve()) : resolve())));

  it('names the service whose port is already in use', async () => {
    blocker = createServer();
    const port = await new Promise<number>((resolve) =>
      blocker!.listen(0, '127.0.0.1', () => resolve((blocker!.address() as { port: number }).port)),
    );
    await expect(
      assertPortFree({ name: 'trade_manager', port, host: '127.0.0.1', role: '' }),
    ).rejects.toThrow(`port ${port} for "trade_manager" on 127.0.0.1 is already in use`);
  });

  it('passes a port nobody holds', async () => {
    const probe = createServer();
    const port = await new Promise<number>((resolve) =>
      probe.listen(0, '127.0.0.1', () => resolve((probe.address() as { port: number }).port)),
    );
    await new Promise<void>((resolve) => probe.close(() => resolve()));
    await expect(
      assertPortFree({ name: 'trade_manager', port, host: '127.0.0.1', role: '' }),
    ).resolves.toBeUndefined();
  });
});
