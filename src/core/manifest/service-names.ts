/** Every service REC.IO knows, in start order (dependencies first). The manifest must list exactly these. */
export const SERVICE_NAMES = [
  'exchange_simulator',
  'symbol_price_watchdog_btc',
  'symbol_price_watchdog_eth',
  'btc_price_watchdog',
  'kalshi_api_watchdog',
  'kalshi_account_sync',
  'unified_production_coordinator',
  'trade_manager',
  'trade_executor',
  'active_trade_supervisor',
  'auto_entry_supervisor',
  'system_monitor',
  'cascading_failure_detector',
  'main_app',
] as const;

export type ServiceName = (typeof SERVICE_NAMES)[number];

export function isServiceName(name: string): name is ServiceName {
  return (SERVICE_NAMES as readonly string[]).includes(name);
}
