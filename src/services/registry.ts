import type { ServiceRegistry } from '../core/service/host.ts';

/**
 * The services this build contains. Each loads lazily so `recio run <one>` imports only its own
 * code. A manifest service missing here is reported as "not built yet".
 */
export const SERVICE_REGISTRY: ServiceRegistry = {
  exchange_simulator: async () => (await import('./exchange_simulator/index.ts')).exchangeSimulator,
  main_app: async () => (await import('./main_app/index.ts')).mainApp,
};
