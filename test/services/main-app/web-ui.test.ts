/**
 * main_app serving the built UI: index.html at / and at any screen path (SPA), the build's
 * files with the right caching, problem+json 404s for API paths and missing files, no way out
 * of the build folder, and a plain 503 saying how to build when there is no build.
 */
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import pino from 'pino';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createServiceHttp, type ServiceHttp } from '../../../src/core/http/server.ts';
import { registerWebUi } from '../../../src/services/main_app/web-ui.ts';

const INDEX = '<!doctype html><title>REC.IO</title><div id="root"></div>';
const SCRIPT = 'console.log("app")';

async function serve(distDir: string): Promise<ServiceHttp> {
  const http = createServiceHttp({
    service: 'main_app',
    version: 'test',
    logger: pino({ level: 'silent' }),
    startedAt: () => 0,
    now: () => 0,
  });
  http.app.get('/api/system/services', async () => ({ services: [] }));
  await registerWebUi({ http: http.app }, distDir);
  await http.app.ready();
  return http;
}

describe('main_app serves the built web UI', () => {
  let http: ServiceHttp;
  const root = mkdtempSync(join(tmpdir(), 'recio-web-'));
  const dist = join(root, 'dist');
  beforeAll(async () => {
    mkdirSync(join(dist, 'assets'), { recursive: true });
    writeFileSync(join(root, 'secret.html'), 'SECRET'); // beside the build: never served
    writeFileSync(join(dist, 'index.html'), INDEX);
    writeFileSync(join(dist, 'assets', 'index-3f2a9c.js'), SCRIPT);
    writeFileSync(join(dist, 'favicon.svg'), '<svg xmlns="http://www.w3.org/2000/svg"/>');
    http = await serve(dist);
  });
  afterAll(async () => {
    await http.app.close();
    rmSync(root, { recursive: true, force: true });
  });

  it('answers / and any screen path with index.html, never cached', async () => {
    for (const url of ['/', '/eth', '/trades/history?symbol=btc']) {
      const response = await http.app.inject({ url });
      expect(response.statusCode, url).toBe(200);
      expect(response.headers['content-type'], url).toMatch(/text\/html/);
      expect(response.headers['cache-control'], url).toBe('no-cache');
      expect(response.body, url).toBe(INDEX);
    }
    const head = await http.app.inject({ method: 'HEAD', url: '/' });
    expect(head.statusCode).toBe(200);
  });

  it("serves the build's files: hashed assets cached for a year, others not", async () => {
    const asset = await http.app.inject({ url: '/assets/index-3f2a9c.js' });
    expect(asset.statusCode).toBe(200);
    expect(asset.headers['content-type']).toMatch(/javascript/);
    expect(asset.headers['cache-control']).toBe('public, max-age=31536000, immutable');
    expect(asset.body).toBe(SCRIPT);
    const icon = await http.app.inject({ url: '/favicon.svg' });
    expect(icon.statusCode).toBe(200);
    expect(icon.headers['cache-control']).toBe('public, max-age=0');
  });

  it('keeps API paths, missing files and escapes as problem+json errors', async () => {
    expect((await http.app.inject({ url: '/api/system/services' })).json()).toEqual({ services: [] });
    for (const url of ['/api/nope', '/api', '/ws/other', '/assets/missing.js', '/metricsx/../metrics.txt']) {
      const response = await http.app.inject({ url });
      expect(response.statusCode, url).toBe(404);
      expect(response.headers['content-type'], url).toMatch(/application\/problem\+json/);
    }
    for (const url of [
      '/../secret.html',
      '/%2e%2e/secret.html',
      '/..%2fsecret.html',
      '/%2e%2e%2fsecret.html',
      '/assets/%2e%2e/%2e%2e/secret.html',
      '/assets/..%2f..%2fsecret.html',
    ]) {
      const response = await http.app.inject({ url });
      expect([403, 404], url).toContain(response.statusCode);
      expect(response.headers['content-type'], url).toMatch(/application\/problem\+json/);
      expect(response.body, url).not.toMatch(/SECRET/);
    }
    expect((await http.app.inject({ url: '/health' })).statusCode).toBe(200);
  });

  it('answers 503 in plain text saying how to build when there is no build', async () => {
    const empty = mkdtempSync(join(tmpdir(), 'recio-web-none-'));
    const bare = await serve(join(empty, 'dist'));
    try {
      for (const url of ['/', '/eth', '/assets/index-3f2a9c.js']) {
        const response = await bare.app.inject({ url });
        expect(response.statusCode, url).toBe(503);
        expect(response.headers['content-type'], url).toMatch(/text\/plain/);
        expect(response.body, url).toMatch(/npm run build:web/);
      }
      const api = await bare.app.inject({ url: '/api/nope' });
      expect(api.statusCode).toBe(404);
      expect(api.headers['content-type']).toMatch(/application\/problem\+json/);

      // Building while running is enough: the next request serves the app.
      mkdirSync(join(empty, 'dist'));
      writeFileSync(join(empty, 'dist', 'index.html'), INDEX);
      expect((await bare.app.inject({ url: '/' })).body).toBe(INDEX);
    } finally {
      await bare.app.close();
      rmSync(empty, { recursive: true, force: true });
    }
  });
});
