import type { ServiceRegistry } from '../core/service/host.ts';

/**
 * The services this build contains. Each loads lazily so `recio run <one>` imports only its own
 * code. A manifest service missing here is reported as "not built yet".
 */
export const SERVICE_REGISTRY: ServiceRegistry = {
  exchange_simulator: async () => (await import('./exchange_simulator/index.ts')).exchangeSimulator,
  symbol_price_watchdog_btc: async () =>
    (await import('./symbol_price_watchdog/index.ts')).symbolPriceWatchdogBtc,
  symbol_price_watchdog_eth: async () =>
    (await import('./symbol_price_watchdog/index.ts')).symbolPriceWatchdogEth,
  btc_price_watchdog: async () => (await import('./btc_price_watchdog/index.ts')).btcPriceWatchdog,
  kalshi_api_watchdog: async () => (await import('./kalshi_api_watchdog/index.ts')).kalshiApiWatchdog,
  unified_production_coordinator: async () =>
    (await import('./unified_production_coordinator/index.ts')).unifiedProductionCoordinator,
  main_app: async () => (await import('./main_app/index.ts')).mainApp,
};
