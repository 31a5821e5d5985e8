import { describe, expect, it } from 'vitest';
import type { ServiceStatus } from '../live/protocol.ts';
import { healthLevel, serviceLevel, serviceSummary, sortServices } from './health.ts';

const NOW = 1_000_000;
const health = (status: 'healthy' | 'degraded' | 'down') => ({ status, version: '3', checks: [] });

describe('healthLevel', () => {
  it('is healthy or degraded from a fresh /health answer, offline without one', () => {
    expect(healthLevel({ health: health('healthy'), receivedAtMs: NOW - 1_000 }, NOW)).toBe('healthy');
    expect(healthLevel({ health: health('degraded'), receivedAtMs: NOW }, NOW)).toBe('degraded');
    expect(healthLevel({ health: health('down'), receivedAtMs: NOW }, NOW)).toBe('degraded');
    expect(healthLevel({ health: null, receivedAtMs: NOW }, NOW)).toBe('offline');
    expect(healthLevel({ health: null, receivedAtMs: null }, NOW)).toBe('offline');
    expect(healthLevel({ health: health('healthy'), receivedAtMs: NOW - 16_000 }, NOW)).toBe('offline');
  });
});

function service(over: Partial<ServiceStatus>): ServiceStatus {
  return {
    name: 'x',
    role: 'r',
    built: true,
    expected: true,
    state: 'running',
    uptimeSeconds: 10,
    restarts: 0,
    lastError: null,
    health: { status: 'healthy' },
    ...over,
  };
}

describe('service list', () => {
  it('gives each service a level and a summary', () => {
    expect(serviceLevel(service({}))).toBe('healthy');
    expect(serviceLevel(service({ health: { status: 'degraded' } }))).toBe('degraded');
    expect(serviceLevel(service({ health: { status: 'unreachable' } }))).toBe('degraded');
    expect(serviceLevel(service({ state: 'starting', health: null }))).toBe('degraded');
    expect(serviceLevel(service({ state: 'crashed' }))).toBe('offline');
    expect(serviceLevel(service({ built: false, expected: false, state: 'not built yet' }))).toBe(
      'not-built',
    );
    expect(serviceSummary(service({}))).toBe('running');
    expect(serviceSummary(service({ health: { status: 'down' } }))).toBe('running, down');
    expect(serviceSummary(service({ state: 'crashed' }))).toBe('crashed');
    expect(serviceSummary(service({ built: false, state: 'not built yet' }))).toBe('not built yet');
  });

  it('lists the expected services first, by name', () => {
    const sorted = sortServices([
      service({ name: 'trade_manager', expected: false }),
      service({ name: 'main_app' }),
      service({ name: 'btc_price_watchdog' }),
      service({ name: 'auto_entry_supervisor', expected: false }),
    ]);
    expect(sorted.map((s) => s.name)).toEqual([
      'btc_price_watchdog',
      'main_app',
      'auto_entry_supervisor',
      'trade_manager',
    ]);
  });
});
