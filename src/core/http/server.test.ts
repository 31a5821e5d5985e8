import { pino } from 'pino';
import { afterEach, describe, expect, it } from 'vitest';
import { HttpProblem } from './problem.ts';
import { createServiceHttp, INTERNAL_TOKEN_HEADER, type ServiceHttp } from './server.ts';

const TOKEN = 'internal-token-for-tests-0123456789';
let service: ServiceHttp | undefined;
afterEach(async () => service?.app.close());

function make(internalToken?: string, publicPrefixes?: string[]): ServiceHttp {
  service = createServiceHttp({
    service: 'trade_manager',
    version: '9.9.9',
    logger: pino({ level: 'silent' }),
    startedAt: () => 1_000,
    now: () => 61_000,
    ...(internalToken ? { internalToken } : {}),
    ...(publicPrefixes ? { publicPrefixes } : {}),
  });
  return service;
}

describe('service HTTP kit', () => {
  it('answers errors as problem+json with the real status', async () => {
    const { app } = make();
    app.get('/conflict', async () => {
      throw new HttpProblem(409, 'trade 7 is already closing', { tradeId: 7 });
    });
    app.get('/boom', async () => {
      throw new Error('database password is hunter2');
    });
    app.post('/echo', async (request) => request.body);

    const conflict = await app.inject({ url: '/conflict' });
    expect(conflict.statusCode).toBe(409);
    expect(conflict.headers['content-type']).toContain('application/problem+json');
    expect(conflict.json()).toEqual({
      type: 'about:blank',
      title: 'Conflict',
      status: 409,
      detail: 'trade 7 is already closing',
      instance: '/conflict',
      tradeId: 7,
    });

    const boom = await app.inject({ url: '/boom' });
    expect(boom.statusCode).toBe(500);
    expect(boom.body).not.toContain('hunter2'); // internal details stay in the log

    const missing = await app.inject({ url: '/nowhere' });
    expect(missing.statusCode).toBe(404);
    expect(missing.json()).toMatchObject({ status: 404, detail: 'no route GET /nowhere' });

    const badJson = await app.inject({
      method: 'POST',
      url: '/echo',
      headers: { 'content-type': 'application/json' },
      payload: '{"a":',
    });
    expect(badJson.statusCode).toBe(400);
    expect(badJson.headers['content-type']).toContain('application/problem+json');
  });

  it('reports health from registered checks: healthy, degraded, down (503)', async () => {
    const { app, health } = make();
    let tickAgeMs = 2_000;
    let bookLive = true;
    health.add({
      name: 'tick fresh',
      critical: true,
      check: () => ({ ok: tickAgeMs < 10_000, data: { tickAgeMs } }),
    });
    health.add({ name: 'book live', check: () => ({ ok: bookLive }) });

    const ok = await app.inject({ url: '/health' });
    expect(ok.statusCode).toBe(200);
    expect(ok.json()).toMatchObject({
      service: 'trade_manager',
      version: '9.9.9',
      status: 'healthy',
      uptimeSeconds: 60,
      pid: process.pid,
    });
    expect(ok.json().checks).toEqual([
      { name: 'tick fresh', critical: true, ok: true, data: { tickAgeMs: 2000 } },
      { name: 'book live', critical: false, ok: true },
    ]);

    bookLive = false;
    expect((await app.inject({ url: '/health' })).json().status).toBe('degraded');

    tickAgeMs = 30_000;
    const down = await app.inject({ url: '/health' });
    expect(down.statusCode).toBe(503);
    expect(down.json().status).toBe('down');
  });

  it('counts a throwing check as failed', async () => {
    const { app, health } = make();
    health.add({ name: 'db', critical: true, check: () => Promise.reject(new Error('connection refused')) });
    const res = await app.inject({ url: '/health' });
    expect(res.statusCode).toBe(503);
    expect(res.json().checks[0]).toMatchObject({ ok: false, detail: 'connection refused' });
  });

  it('serves Prometheus metrics with HTTP latency and process metrics', async () => {
    const { app } = make();
    app.get('/api/thing', async () => ({ ok: true }));
    await app.inject({ url: '/api/thing' });
    const res = await app.inject({ url: '/metrics' });
    expect(res.statusCode).toBe(200);
    expect(res.headers['content-type']).toContain('text/plain');
    expect(res.body).toMatch(/http_request_duration_seconds_count\{[^}]*route="\/api\/thing"[^}]*\} 1/);
    expect(res.body).toContain('service="trade_manager"');
    expect(res.body).toContain('process_resident_memory_bytes');
  });

  it('requires the internal token everywhere but /health and /metrics', async () => {
    const { app } = make(TOKEN);
    app.get('/trades', async () => []);
    expect((await app.inject({ url: '/trades' })).statusCode).toBe(401);
    expect(
      (await app.inject({ url: '/trades', headers: { [INTERNAL_TOKEN_HEADER]: 'wrong' } })).statusCode,
    ).toBe(401);
    expect(
      (await app.inject({ url: '/trades', headers: { [INTERNAL_TOKEN_HEADER]: TOKEN } })).statusCode,
    ).toBe(200);
    expect((await app.inject({ url: '/health' })).statusCode).toBe(200);
    expect((await app.inject({ url: '/metrics' })).statusCode).toBe(200);
  });

  it('leaves declared public prefixes open and keeps every other route internal', async () => {
    const { app } = make(TOKEN, ['/trade-api/']);
    app.get('/trade-api/v2/markets', async () => ({ markets: [] }));
    app.get('/trade-api-admin', async () => ({}));
    app.get('/admin/status', async () => ({}));
    expect((await app.inject({ url: '/trade-api/v2/markets?limit=5' })).statusCode).toBe(200);
    // A prefix is a prefix of the path, not of a look-alike path.
    expect((await app.inject({ url: '/trade-api-admin' })).statusCode).toBe(401);
    expect((await app.inject({ url: '/admin/status' })).statusCode).toBe(401);
    expect(
      (await app.inject({ url: '/admin/status', headers: { [INTERNAL_TOKEN_HEADER]: TOKEN } })).statusCode,
    ).toBe(200);
  });
});
