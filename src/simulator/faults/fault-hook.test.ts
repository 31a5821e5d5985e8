import Fastify, { type FastifyInstance } from 'fastify';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { SimulatedClock } from '../../core/clock/index.ts';
import { FaultController } from './fault-controller.ts';
import { KALSHI_PAUSED_BODY, registerFaultHooks } from './fault-hook.ts';
import { registerFaultRoutes } from './fault-routes.ts';

let app: FastifyInstance;
let faults: FaultController;
let clock: SimulatedClock;
let ordersPlaced: number;

beforeEach(async () => {
  app = Fastify();
  faults = new FaultController({ seed: 'hook' });
  clock = new SimulatedClock({ start: 0, rate: 0 });
  ordersPlaced = 0;
  registerFaultHooks(app, faults, { prefixes: ['/trade-api/v2/', '/coinbase/'], clock });
  registerFaultRoutes(app, faults);
  app.get('/trade-api/v2/markets', async () => ({ markets: [] }));
  app.post('/trade-api/v2/portfolio/events/orders', async () => {
    ordersPlaced += 1;
    return { order_id: `o-${ordersPlaced}` };
  });
  app.get('/coinbase/products/BTC-USD/candles', async () => []);
  app.get('/health', async () => ({ ok: true }));
  await app.ready();
});

afterEach(async () => {
  await app.close();
});

const place = () => app.inject({ method: 'POST', url: '/trade-api/v2/portfolio/events/orders', payload: {} });

describe('fault hooks', () => {
  it('let everything through without faults', async () => {
    expect((await place()).json()).toEqual({ order_id: 'o-1' });
    expect((await app.inject('/trade-api/v2/markets?limit=5')).statusCode).toBe(200);
  });

  it('answer 429 and 5xx before the route with each service’s error body', async () => {
    await app.inject({ method: 'PUT', url: '/admin/faults', payload: { http: { share429: 1 } } });
    const limited = await place();
    expect(limited.statusCode).toBe(429);
    expect(limited.json()).toMatchObject({ error: { code: 'rate_limit_exceeded' } });
    const coinbase = await app.inject('/coinbase/products/BTC-USD/candles');
    expect(coinbase.statusCode).toBe(429);
    expect(coinbase.json()).toEqual({ message: 'Public rate limit exceeded' });
    expect((await app.inject('/health')).statusCode).toBe(200); // outside the prefixes
    await app.inject({
      method: 'PUT',
      url: '/admin/faults',
      payload: { http: { share429: 0, share5xx: 1, status5xx: 500 } },
    });
    const failed = await place();
    expect(failed.statusCode).toBe(500);
    expect(failed.json()).toMatchObject({ error: { code: 'internal_server_error' } });
    expect(ordersPlaced).toBe(0);
  });

  it('can run a request and lose its answer (5xx after the effect)', async () => {
    faults.update({ http: { share5xxAfter: 1, status5xx: 504 } });
    const lost = await place();
    expect(lost.statusCode).toBe(504);
    expect(lost.json()).toMatchObject({ error: { code: 'gateway_timeout' } });
    expect(ordersPlaced).toBe(1); // it happened
    faults.clear();
    expect((await place()).json()).toEqual({ order_id: 'o-2' });
  });

  it('refuses trading while paused but still serves reads', async () => {
    faults.update({ paused: true });
    const refused = await place();
    expect(refused.statusCode).toBe(503);
    expect(refused.json()).toEqual(KALSHI_PAUSED_BODY);
    expect((await app.inject('/trade-api/v2/markets')).statusCode).toBe(200);
    expect(ordersPlaced).toBe(0);
  });

  it('delays requests by the latency on the service clock', async () => {
    faults.update({ latency: { restMs: 250 } });
    let done = false;
    const pending = app.inject('/trade-api/v2/markets').then((r) => {
      done = true;
      return r;
    });
    await new Promise((resolve) => setTimeout(resolve, 20));
    await clock.advance(249);
    await new Promise((resolve) => setTimeout(resolve, 20));
    expect(done).toBe(false);
    await clock.advance(1);
    expect((await pending).statusCode).toBe(200);
  });
});

describe('fault admin routes', () => {
  it('show, change, validate and clear the state; drop connections', async () => {
    const initial = await app.inject('/admin/faults');
    expect(initial.json()).toMatchObject({ state: { paused: false }, seed: 'hook' });
    const changed = await app.inject({
      method: 'PUT',
      url: '/admin/faults',
      payload: { ws: { dropShare: 0.1 }, readAfterWrite: { lagMs: 2_000 } },
    });
    expect(changed.json().state).toMatchObject({
      ws: { dropShare: 0.1, duplicateShare: 0 },
      readAfterWrite: { lagMs: 2_000 },
    });
    const invalid = await app.inject({
      method: 'PUT',
      url: '/admin/faults',
      payload: { ws: { dropShare: 2 } },
    });
    expect(invalid.statusCode).toBe(400);
    expect(faults.state.ws.dropShare).toBe(0.1);
    let dropped = 0;
    faults.registerConnections('kalshi', (pick) => (pick() ? ++dropped : 0));
    const drop = await app.inject({
      method: 'POST',
      url: '/admin/faults/drop-connections',
      payload: { target: 'kalshi' },
    });
    expect(drop.json()).toEqual({ dropped: 1 });
    const cleared = await app.inject({ method: 'DELETE', url: '/admin/faults' });
    expect(cleared.json().state.ws.dropShare).toBe(0);
    expect(cleared.json().stats.connectionsDropped).toBe(1);
  });
});
