/**
 * The browser app's socket client (web/src/live/live-socket.ts) against main_app's real browser
 * socket: subscribes and receives, reports a lost connection with the time of the next try,
 * reconnects (attempts reset) and resubscribes when the server is back on its port, and treats
 * a connection on which nothing arrives (not even heartbeats) as lost.
 */
import { afterEach, describe, expect, it } from 'vitest';
import WebSocket, { WebSocketServer } from 'ws';
import { LiveSocket, type ConnectionState, type SocketLike } from '../../web/src/live/live-socket.ts';
import { priceMessage } from '../services/coordinator/fixtures.ts';
import { NOW, startServer, type Server } from '../services/main-app/browser-socket-server.ts';
import { waitFor } from '../support/wait.ts';

const createSocket = (url: string) => new WebSocket(url) as unknown as SocketLike;

interface Recorded {
  states: ConnectionState[];
  messages: Array<{ topic: string; seq: number }>;
  hellos: number;
}

function client(url: string) {
  const seen: Recorded = { states: [], messages: [], hellos: 0 };
  const live = new LiveSocket({
    url,
    createSocket,
    onState: (s) => seen.states.push(s),
    onHello: () => (seen.hellos += 1),
    onMessage: (topic, payload) => seen.messages.push({ topic, seq: (payload as { seq: number }).seq }),
    random: () => 0.5,
  });
  return { live, seen };
}

const cleanups: Array<() => Promise<void> | void> = [];
afterEach(async () => {
  for (const fn of cleanups.splice(0).reverse()) await fn();
});

const price = (seq: number) => priceMessage({ price: 118_000 + seq, at: NOW + seq * 1000, seq });
const lastState = (seen: Recorded) => seen.states.at(-1);

describe('LiveSocket (web) against the browser socket', () => {
  it('receives its topics, reports a loss, and reconnects and resubscribes when the server is back', async () => {
    let server: Server = await startServer();
    cleanups.push(() => server.close());
    const { live, seen } = client(server.url);
    cleanups.push(() => live.stop());
    live.subscribe(['price.btc']);
    live.start();
    await waitFor(() => (lastState(seen)?.status === 'open' ? true : undefined), 10_000, 'open');
    await server.bus.publish('price.btc', price(1));
    await waitFor(() => seen.messages.find((m) => m.seq === 1), 10_000, 'price seq 1');
    expect(seen.hellos).toBe(1);

    // The server goes away: closed, with the next try 0.5 s ahead (first attempt, no jitter).
    await server.close();
    const closed = await waitFor(
      () => (lastState(seen)?.status === 'closed' ? lastState(seen) : undefined),
      10_000,
      'closed',
    );
    if (closed.status !== 'closed') throw new Error('unreachable');
    expect(closed.attempt).toBe(0);
    expect(closed.reason).not.toBe('');
    // While it is down, attempts keep failing with growing delays.
    await waitFor(
      () => (seen.states.filter((s) => s.status === 'closed').length >= 2 ? true : undefined),
      10_000,
      'a second failed attempt',
    );
    const attempts = seen.states
      .filter((s) => s.status === 'closed')
      .map((s) => (s as { attempt: number }).attempt);
    expect(attempts.slice(0, 2)).toEqual([0, 1]);

    // Back on the same port: open again, and the subscription is renewed without being asked.
    server = await startServer({}, Number(new URL(server.url).port));
    await waitFor(() => (lastState(seen)?.status === 'open' ? true : undefined), 20_000, 'reopened');
    await server.bus.publish('price.btc', price(2));
    await waitFor(() => seen.messages.find((m) => m.seq === 2), 10_000, 'price seq 2 after reconnect');
    expect(seen.hellos).toBe(2);
  });

  it('treats a silent connection as lost and connects again', async () => {
    // A server that says hello with a 200 ms heartbeat, then never sends anything.
    const wss = new WebSocketServer({ host: '127.0.0.1', port: 0 });
    cleanups.push(() => new Promise<void>((resolve) => wss.close(() => resolve())));
    let connections = 0;
    wss.on('connection', (socket) => {
      connections += 1;
      socket.send(
        JSON.stringify({
          type: 'hello',
          version: 't',
          mode: 'paper',
          topics: [],
          pingIntervalMs: 200,
          at: 0,
        }),
      );
    });
    await new Promise((resolve) => wss.once('listening', resolve));
    const { port } = wss.address() as { port: number };
    const { live, seen } = client(`ws://127.0.0.1:${port}/ws`);
    cleanups.push(() => live.stop());
    live.start();
    const lost = await waitFor(
      () => seen.states.find((s) => s.status === 'closed'),
      15_000,
      'the silent connection given up',
    );
    expect((lost as { reason: string }).reason).toMatch(/no message for 1 s/);
    await waitFor(() => (connections >= 2 ? true : undefined), 15_000, 'a new connection');
  });

  it('stops for good on stop()', async () => {
    const server = await startServer();
    cleanups.push(() => server.close());
    const { live, seen } = client(server.url);
    live.start();
    await waitFor(() => (lastState(seen)?.status === 'open' ? true : undefined), 10_000, 'open');
    live.stop();
    const states = seen.states.length;
    await server.close();
    await new Promise((resolve) => setTimeout(resolve, 1_500)); // longer than the first retry delay
    expect(seen.states.length).toBe(states);
  });
});
