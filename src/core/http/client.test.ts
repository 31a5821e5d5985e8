import { createServer, type IncomingMessage, type Server } from 'node:http';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { RealClock } from '../clock/real-clock.ts';
import { IDEMPOTENCY_KEY_HEADER, ServiceCallError, ServiceClient } from './client.ts';
import { INTERNAL_TOKEN_HEADER } from './server.ts';

const TOKEN = 'internal-token-for-tests-0123456789';
type Handler = (req: IncomingMessage, body: string) => { status: number; body?: unknown; delayMs?: number };

let server: Server;
let handler: Handler;
let seen: Array<{ method: string; url: string; headers: IncomingMessage['headers']; body: string }>;
let client: ServiceClient;

beforeEach(async () => {
  seen = [];
  server = createServer((req, res) => {
    let body = '';
    req.on('data', (chunk: Buffer) => (body += chunk.toString()));
    req.on('end', () => {
      seen.push({ method: req.method!, url: req.url!, headers: req.headers, body });
      const answer = handler(req, body);
      setTimeout(() => {
        res.writeHead(answer.status, { 'content-type': 'application/json' });
        res.end(answer.body === undefined ? '' : JSON.stringify(answer.body));
      }, answer.delayMs ?? 0);
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as { port: number };
  client = new ServiceClient({
    baseUrl: `http://127.0.0.1:${port}`,
    internalToken: TOKEN,
    clock: new RealClock(),
    timeoutMs: 10_000, // generous: a loaded CI machine must not turn an answer into a timeout
    maxRetries: 2,
    retryBaseMs: 5,
  });
});
afterEach(() => new Promise<void>((resolve) => server.close(() => resolve())));

describe('service client', () => {
  it('sends the internal token and parses JSON', async () => {
    handler = () => ({ status: 200, body: { trades: [1, 2] } });
    await expect(client.get('/trades')).resolves.toEqual({ trades: [1, 2] });
    expect(seen[0]!.headers[INTERNAL_TOKEN_HEADER]).toBe(TOKEN);
  });

  it('retries a safe request on 5xx, a bounded number of times', async () => {
    let calls = 0;
    handler = () =>
      ++calls < 3 ? { status: 503, body: { title: 'x', status: 503 } } : { status: 200, body: 'ok' };
    await expect(client.get('/health')).resolves.toBe('ok');
    expect(calls).toBe(3);

    calls = 0;
    handler = () => (calls++, { status: 500 });
    await expect(client.get('/health')).rejects.toBeInstanceOf(ServiceCallError);
    expect(calls).toBe(3); // 1 + maxRetries
  });

  it('does not retry a 4xx and carries the problem document', async () => {
    handler = () => ({
      status: 404,
      body: { type: 'about:blank', title: 'Not Found', status: 404, detail: 'no trade 9' },
    });
    const error = (await client.get('/trades/9').catch((e: unknown) => e)) as ServiceCallError;
    expect(error.status).toBe(404);
    expect(error.problem?.detail).toBe('no trade 9');
    expect(seen).toHaveLength(1);
  });

  it('sends a command once with an idempotency key, never retrying it', async () => {
    handler = () => ({ status: 500 });
    const error = (await client
      .command('POST', '/trades', { ticker: 'X' })
      .catch((e: unknown) => e)) as ServiceCallError;
    expect(error.status).toBe(500);
    expect(error.outcomeUnknown).toBe(false);
    expect(seen).toHaveLength(1);
    expect(seen[0]!.headers[IDEMPOTENCY_KEY_HEADER]).toMatch(/^[0-9a-f-]{36}$/);
    expect(JSON.parse(seen[0]!.body)).toEqual({ ticker: 'X' });
  });

  it('keeps a caller-chosen idempotency key and reports a timed-out command as outcome unknown', async () => {
    handler = () => ({ status: 201, body: {}, delayMs: 3_000 });
    const error = (await client
      .command('POST', '/trades', {}, { idempotencyKey: 'trade-42-open', timeoutMs: 100 })
      .catch((e: unknown) => e)) as ServiceCallError;
    expect(error.status).toBeUndefined();
    expect(error.outcomeUnknown).toBe(true);
    expect(error.message).toContain('timed out after 100 ms');
    expect(seen[0]!.headers[IDEMPOTENCY_KEY_HEADER]).toBe('trade-42-open');
  });
});
