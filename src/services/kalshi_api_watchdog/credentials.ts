/**
 * The API key kalshi_api_watchdog signs with: Kalshi's order-book channel needs an
 * authenticated WebSocket.
 * - paper: the simulator's paper account key, which exchange_simulator leaves in the data
 *   directory on its first start (src/simulator/runtime/paper-account.ts). Not there yet (a
 *   distributed start where the simulator comes later): undefined, and the service fails its
 *   start with a clear error; the supervisor retries with backoff.
 * - demo / live: `kalshi.apiKeyId` + `kalshi.privateKeyPath` from the config; missing → a clear
 *   error (the service crashes, the supervisor shows why and retries with backoff).
 */
import { readFileSync } from 'node:fs';
import type { Clock } from '../../core/clock/clock.ts';
import type { Config } from '../../core/config/schema.ts';
import { KalshiSigner } from '../../integrations/kalshi/index.ts';
import { readPaperCredentials } from '../../simulator/runtime/paper-account.ts';

export class KalshiCredentialsError extends Error {
  override name = 'KalshiCredentialsError';
}

export function signerFromConfig(config: Config, clock: Clock): KalshiSigner | undefined {
  if (config.mode === 'paper') {
    const paper = readPaperCredentials(config.dataDir);
    return paper && new KalshiSigner({ keyId: paper.keyId, privateKey: paper.privateKeyPem, clock });
  }
  const { apiKeyId, privateKeyPath } = config.kalshi;
  if (!apiKeyId || !privateKeyPath) {
    throw new KalshiCredentialsError(
      `${config.mode} mode needs a Kalshi API key for the order-book channel: set kalshi.apiKeyId and ` +
        'kalshi.privateKeyPath (RECIO_KALSHI_API_KEY_ID, RECIO_KALSHI_PRIVATE_KEY_PATH)',
    );
  }
  let pem: string;
  try {
    pem = readFileSync(privateKeyPath, 'utf8');
  } catch (error) {
    throw new KalshiCredentialsError(
      `cannot read kalshi.privateKeyPath ${privateKeyPath}: ${(error as NodeJS.ErrnoException).code ?? 'error'}`,
    );
  }
  try {
    return new KalshiSigner({ keyId: apiKeyId, privateKey: pem, clock });
  } catch {
    // never echo the key material
    throw new KalshiCredentialsError(
      `kalshi.privateKeyPath ${privateKeyPath} does not hold an RSA private key`,
    );
  }
}
