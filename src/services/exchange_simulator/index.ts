import type { ServiceDefinition } from '../../core/service/service.ts';
import { parseSimulatorConfig } from '../../simulator/runtime/config.ts';
import { registerSimulatorHealth } from '../../simulator/runtime/health.ts';
import { mountSimulator, SIMULATOR_PUBLIC_PREFIXES } from '../../simulator/runtime/mount.ts';
import { ensurePaperAccount } from '../../simulator/runtime/paper-account.ts';
import { SimulatorRuntime } from '../../simulator/runtime/runtime.ts';

/**
 * exchange_simulator (8090): the offline Kalshi and Coinbase. Kalshi's REST API and WebSocket
 * (/trade-api/, their own RSA-PSS auth) and Coinbase's feed and candles (/coinbase/) are public;
 * /admin (accounts, keys, faults) is internal.
 */
export const exchangeSimulator: ServiceDefinition = {
  name: 'exchange_simulator',
  publicPrefixes: SIMULATOR_PUBLIC_PREFIXES,
  async start(ctx) {
    const runtime = await SimulatorRuntime.open({
      config: parseSimulatorConfig(ctx.config.simulator),
      clock: ctx.clock,
      db: ctx.database.db,
      log: ctx.log,
      onFatal: (error) => ctx.fail(error),
    });
    const paper = await ensurePaperAccount(runtime, { dataDir: ctx.config.dataDir, log: ctx.log });
    const mounted = await mountSimulator(ctx.http, {
      runtime,
      log: ctx.log,
      describe: () => ({ paper: { accountId: paper.accountId, keyId: paper.keyId } }),
    });
    registerSimulatorHealth(ctx.health, runtime);
    ctx.every('simulation step', 1_000, () => runtime.tick());
    return {
      async stop() {
        await mounted.close();
        await runtime.close();
      },
    };
  },
};
