import type { Manifest } from '../manifest/manifest.ts';
import type { Config } from './schema.ts';

/** Where the exchanges are, for this process's mode. The clients are the same in every mode. */
export interface ExchangeEndpoints {
  kalshiRestUrl: string;
  kalshiWsUrl: string;
  coinbaseWsUrl: string;
  coinbaseRestUrl: string;
  /** True when the endpoints are the built-in simulator (paper mode). */
  simulated: boolean;
}

const KALSHI = {
  demo: { rest: 'https://demo-api.kalshi.co/trade-api/v2', ws: 'wss://demo-api.kalshi.co/trade-api/ws/v2' },
  live: {
    rest: 'https://api.elections.kalshi.com/trade-api/v2',
    ws: 'wss://api.elections.kalshi.com/trade-api/ws/v2',
  },
};
const COINBASE = { ws: 'wss://ws-feed.exchange.coinbase.com', rest: 'https://api.exchange.coinbase.com' };

/** Paths under which the exchange simulator serves each venue (see src/simulator/api/). */
export const SIMULATOR_PATHS = {
  kalshiRest: '/trade-api/v2',
  kalshiWs: '/trade-api/ws/v2',
  coinbaseWs: '/coinbase/ws',
  coinbaseRest: '/coinbase',
} as const;

/**
 * Paper mode points every client at the simulator (its manifest address); demo and live at the
 * real venues. Explicit URLs in the config win — a test can aim a service at anything.
 */
export function exchangeEndpoints(
  config: Pick<Config, 'mode' | 'kalshi' | 'coinbase'>,
  manifest: Pick<Manifest, 'exchange_simulator'>,
  simulatorPort: number = manifest.exchange_simulator.port,
): ExchangeEndpoints {
  const host =
    manifest.exchange_simulator.host === '0.0.0.0' ? '127.0.0.1' : manifest.exchange_simulator.host;
  const sim = `${host}:${simulatorPort}`;
  const defaults =
    config.mode === 'paper'
      ? {
          kalshiRestUrl: `http://${sim}${SIMULATOR_PATHS.kalshiRest}`,
          kalshiWsUrl: `ws://${sim}${SIMULATOR_PATHS.kalshiWs}`,
          coinbaseWsUrl: `ws://${sim}${SIMULATOR_PATHS.coinbaseWs}`,
          coinbaseRestUrl: `http://${sim}${SIMULATOR_PATHS.coinbaseRest}`,
        }
      : {
          kalshiRestUrl: KALSHI[config.mode].rest,
          kalshiWsUrl: KALSHI[config.mode].ws,
          coinbaseWsUrl: COINBASE.ws,
          coinbaseRestUrl: COINBASE.rest,
        };
  return {
    kalshiRestUrl: config.kalshi.restUrl ?? defaults.kalshiRestUrl,
    kalshiWsUrl: config.kalshi.wsUrl ?? defaults.kalshiWsUrl,
    coinbaseWsUrl: config.coinbase.wsUrl ?? defaults.coinbaseWsUrl,
    coinbaseRestUrl: config.coinbase.restUrl ?? defaults.coinbaseRestUrl,
    simulated: config.mode === 'paper' && !config.kalshi.restUrl,
  };
}
