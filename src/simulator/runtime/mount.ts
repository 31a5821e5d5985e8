/**
 * Everything the simulator serves, mounted on one Fastify instance (the service's, or a
 * test's): fault hooks, the Kalshi REST API (/trade-api/v2), the Kalshi WebSocket
 * (/trade-api/ws/v2), the admin API (/admin, with /admin/faults). The service file stays a
 * few lines; tests mount exactly the same thing. The Coinbase feed (/coinbase/ws) and candles
 * (/coinbase/products/…/candles) are served too — public, like Coinbase's.
 */
import type { FastifyInstance } from 'fastify';
import type { Logger } from 'pino';
import { registerAdmin } from '../api/admin/plugin.ts';
import {
  attachCoinbaseWebSocket,
  registerCoinbaseRoutes,
  type CoinbaseWsServer,
} from '../api/coinbase/index.ts';
import { registerKalshiRest } from '../api/kalshi-rest/plugin.ts';
import { attachKalshiWebSocket, type KalshiWsServer } from '../api/kalshi-ws/index.ts';
import { FaultController, registerFaultHooks, registerFaultRoutes } from '../faults/index.ts';
import type { SimulatorRuntime } from './runtime.ts';
import { coinbaseFeedSource, kalshiStreamSource } from './stream-sources.ts';

/** Paths reachable without the internal token: the simulated exchanges' public APIs. */
export const SIMULATOR_PUBLIC_PREFIXES = ['/trade-api/', '/coinbase/'] as const;

export interface MountOptions {
  runtime: SimulatorRuntime;
  log: Logger;
  /** Extra facts for GET /admin/status. */
  describe?: () => Record<string, unknown>;
  /** Kalshi WebSocket: pings without a pong before a client is cut (0 = never; default 3). */
  unansweredPingsLimit?: number;
}

export interface MountedSimulator {
  faults: FaultController;
  kalshiWs: KalshiWsServer;
  coinbaseWs: CoinbaseWsServer;
  /** Closes the WebSocket servers (before the HTTP server closes). */
  close(): Promise<void>;
}

export async function mountSimulator(app: FastifyInstance, options: MountOptions): Promise<MountedSimulator> {
  const { runtime, log } = options;
  const faults = new FaultController();
  faults.attachExchange(runtime); // the pause halts the market, durably
  registerFaultHooks(app, faults, { prefixes: ['/trade-api/v2/', '/coinbase/'], clock: runtime.clock });
  await registerKalshiRest(app, { runtime, faults });
  const coinbase = coinbaseFeedSource(runtime);
  await registerCoinbaseRoutes(app, { source: coinbase });
  await registerAdmin(app, { runtime, ...(options.describe ? { describe: options.describe } : {}) });
  registerFaultRoutes(app, faults);
  const kalshiWs = attachKalshiWebSocket({
    server: app.server,
    source: kalshiStreamSource(runtime),
    clock: runtime.clock,
    faults,
    log,
    maxSignatureSkewMs: runtime.config.signatureMaxSkewSeconds * 1000,
    ...(options.unansweredPingsLimit !== undefined
      ? { unansweredPingsLimit: options.unansweredPingsLimit }
      : {}),
  });
  const coinbaseWs = attachCoinbaseWebSocket({
    server: app.server,
    source: coinbase,
    clock: runtime.clock,
    faults,
    log,
  });
  return {
    faults,
    kalshiWs,
    coinbaseWs,
    async close() {
      await Promise.all([kalshiWs.close(), coinbaseWs.close()]);
    },
  };
}
