/**
 * A tiny Kalshi-shaped HTTP server for client tests: a real socket on 127.0.0.1 (port 0), RSA-PSS
 * signatures checked with the production verifier (401 with Kalshi's error body when wrong),
 * canned answers from a handler the test supplies, every request recorded.
 */
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { readKalshiAuthHeaders, verifyKalshiSignature } from '../signer.ts';

export interface FakeRequest {
  method: string;
  /** Path without query, e.g. /trade-api/v2/events. */
  path: string;
  query: URLSearchParams;
  headers: IncomingMessage['headers'];
  body: unknown;
  /** True when the request carried the three auth headers and they verified. */
  signed: boolean;
}

export type FakeReply =
  | { status: number; body?: unknown; headers?: Record<string, string> }
  /** Close the connection without answering (a network failure after the request arrived). */
  | { destroy: true }
  /** Never answer (a timeout). */
  | { hang: true };

export type FakeHandler = (request: FakeRequest) => FakeReply | Promise<FakeReply>;

export interface FakeKalshiHttp {
  /** `http://127.0.0.1:<port>/trade-api/v2` */
  baseUrl: string;
  requests: FakeRequest[];
  setHandler(handler: FakeHandler): void;
  close(): Promise<void>;
}

export interface FakeKalshiHttpOptions {
  /** When given, signed requests are verified and portfolio paths require a valid signature. */
  publicKeyPem?: string;
  handler: FakeHandler;
}

export async function startFakeKalshiHttp(options: FakeKalshiHttpOptions): Promise<FakeKalshiHttp> {
  let handler = options.handler;
  const requests: FakeRequest[] = [];
  const server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (chunk: Buffer) => chunks.push(chunk));
    req.on('end', () => {
      void respond(req, res, Buffer.concat(chunks).toString('utf8'));
    });
  });

  async function respond(req: IncomingMessage, res: ServerResponse, text: string) {
    const url = new URL(req.url ?? '/', 'http://fake');
    const request: FakeRequest = {
      method: req.method ?? 'GET',
      path: url.pathname,
      query: url.searchParams,
      headers: req.headers,
      body: text.length > 0 ? JSON.parse(text) : undefined,
      signed: false,
    };
    requests.push(request);
    if (options.publicKeyPem !== undefined && readKalshiAuthHeaders(req.headers) !== undefined) {
      const check = verifyKalshiSignature({
        publicKeyPem: options.publicKeyPem,
        headers: req.headers,
        method: request.method,
        path: req.url ?? '/',
        now: Date.now(),
      });
      if (!check.ok)
        return send(res, 401, {
          error: { code: 'unauthorized', message: check.message, details: check.reason },
        });
      request.signed = true;
    }
    if (options.publicKeyPem !== undefined && request.path.includes('/portfolio/') && !request.signed) {
      return send(res, 401, { error: { code: 'unauthorized', message: 'authentication required' } });
    }
    const reply = await handler(request);
    if ('destroy' in reply) return req.socket.destroy();
    if ('hang' in reply) return;
    send(res, reply.status, reply.body, reply.headers);
  }

  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    baseUrl: `http://127.0.0.1:${port}/trade-api/v2`,
    requests,
    setHandler(next) {
      handler = next;
    },
    close() {
      server.closeAllConnections();
      return new Promise((resolve) => server.close(() => resolve()));
    },
  };
}

function send(res: ServerResponse, status: number, body: unknown, headers: Record<string, string> = {}) {
  const text = typeof body === 'string' ? body : JSON.stringify(body ?? {});
  res.writeHead(status, { 'content-type': 'application/json', ...headers });
  res.end(text);
}
