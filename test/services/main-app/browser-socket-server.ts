/** A main_app stand-in for browser-socket tests: the browser socket on a real port over a MemoryBus. */
import pino from 'pino';
import { MemoryBus } from '../../../src/core/bus/memory-bus.ts';
import { SimulatedClock } from '../../../src/core/clock/simulated-clock.ts';
import { configSchema } from '../../../src/core/config/schema.ts';
import { createServiceHttp, type ServiceHttp } from '../../../src/core/http/server.ts';
import {
  registerBrowserSocket,
  type BrowserSocketOptions,
} from '../../../src/services/main_app/browser-socket.ts';
import { CLOSE } from '../coordinator/fixtures.ts';

export const NOW = CLOSE - 600_000;

export interface Server {
  http: ServiceHttp;
  bus: MemoryBus;
  url: string;
  port: number;
  abort: AbortController;
  close(): Promise<void>;
}

export async function startServer(options: BrowserSocketOptions = {}, port = 0): Promise<Server> {
  const bus = new MemoryBus();
  const clock = SimulatedClock.manual(NOW);
  const log = pino({ level: 'silent' });
  const http = createServiceHttp({
    service: 'main_app',
    version: 'test',
    logger: log,
    startedAt: () => NOW,
    now: () => clock.now(),
  });
  const abort = new AbortController();
  await registerBrowserSocket(
    {
      http: http.app,
      clock,
      log,
      version: 'test',
      metrics: http.metrics.registry,
      signal: abort.signal,
      config: configSchema.parse({ mode: 'paper' }),
      subscribe: async (pattern, handler) => {
        await bus.subscribe(pattern, (m) => handler(m.topic, m.payload));
      },
    },
    options,
  );
  await http.app.listen({ port, host: '127.0.0.1' });
  const address = http.app.server.address() as { port: number };
  return {
    http,
    bus,
    url: `ws://127.0.0.1:${address.port}/ws`,
    port: address.port,
    abort,
    close: async () => {
      abort.abort();
      await http.app.close();
      await bus.close();
    },
  };
}
