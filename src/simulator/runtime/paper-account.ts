/**
 * Paper-mode bootstrap: on the first start the simulator creates the platform's own paper
 * account with a starting balance and an RSA key pair for it, registers the public key, and
 * leaves the private key for the platform's Kalshi clients in the data directory:
 *
 *   <dataDir>/simulator/paper-api-key.pem   the private key (PKCS#8 PEM), mode 0600
 *   <dataDir>/simulator/paper-api-key.json  { keyId, accountId }, mode 0600
 *
 * (Why a file and not the database: secrets in the database must be encrypted at rest, and the
 * platform's key storage is a later issue; a 0600 file is how the installation already keeps
 * its internal token.) Later starts reuse both; a key file whose key is missing from the
 * simulator's database (a reset database) is registered again.
 */
import { createPrivateKey, createPublicKey, generateKeyPairSync, randomUUID } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Logger } from 'pino';
import { z } from 'zod';
import type { SimulatorRuntime } from './runtime.ts';

export interface PaperKeyPaths {
  privateKeyPath: string;
  infoPath: string;
}

export interface PaperCredentials extends PaperKeyPaths {
  accountId: string;
  keyId: string;
}

export function paperKeyPaths(dataDir: string): PaperKeyPaths {
  const dir = join(dataDir, 'simulator');
  return { privateKeyPath: join(dir, 'paper-api-key.pem'), infoPath: join(dir, 'paper-api-key.json') };
}

const infoSchema = z.object({ keyId: z.string().min(1), accountId: z.string().min(1) });

/** Reads the paper credentials a previous start left (undefined when there are none). */
export function readPaperCredentials(
  dataDir: string,
): (PaperCredentials & { privateKeyPem: string }) | undefined {
  const paths = paperKeyPaths(dataDir);
  if (!existsSync(paths.privateKeyPath) || !existsSync(paths.infoPath)) return undefined;
  const info = infoSchema.parse(JSON.parse(readFileSync(paths.infoPath, 'utf8')));
  return { ...paths, ...info, privateKeyPem: readFileSync(paths.privateKeyPath, 'utf8') };
}

export async function ensurePaperAccount(
  runtime: SimulatorRuntime,
  options: { dataDir: string; log: Logger },
): Promise<PaperCredentials> {
  const { accountId, startingBalanceDollars, tier } = runtime.config.paper;
  if (runtime.accountLabel(accountId) === undefined) {
    await runtime.createAccount({ accountId, label: 'paper', balanceCc: startingBalanceDollars * 10_000 });
    options.log.info({ accountId, startingBalanceDollars }, 'paper account created');
  }

  const existing = readPaperCredentials(options.dataDir);
  if (existing) {
    if (!runtime.apiKey(existing.keyId)) {
      const publicKeyPem = createPublicKey(createPrivateKey(existing.privateKeyPem))
        .export({ type: 'spki', format: 'pem' })
        .toString();
      await runtime.registerApiKey({
        accountId: existing.accountId,
        keyId: existing.keyId,
        publicKeyPem,
        tier,
      });
      options.log.info({ keyId: existing.keyId }, 'paper API key registered again from the data directory');
    }
    const { privateKeyPem: _secret, ...credentials } = existing;
    return credentials;
  }

  const { publicKey, privateKey } = generateKeyPairSync('rsa', {
    modulusLength: 2048,
    publicKeyEncoding: { type: 'spki', format: 'pem' },
    privateKeyEncoding: { type: 'pkcs8', format: 'pem' },
  });
  const keyId = randomUUID();
  const paths = paperKeyPaths(options.dataDir);
  writePrivateFile(paths.privateKeyPath, privateKey);
  writePrivateFile(paths.infoPath, `${JSON.stringify({ keyId, accountId }, null, 2)}\n`);
  await runtime.registerApiKey({ accountId, keyId, publicKeyPem: publicKey, tier });
  options.log.info({ keyId, privateKeyPath: paths.privateKeyPath }, 'paper API key created');
  return { ...paths, accountId, keyId };
}

/** Temp file + rename: a crash never leaves half a key; mode 0600 from the first byte. */
function writePrivateFile(path: string, text: string): void {
  mkdirSync(join(path, '..'), { recursive: true, mode: 0o700 });
  const temp = `${path}.${process.pid}.tmp`;
  writeFileSync(temp, text, { mode: 0o600 });
  renameSync(temp, path);
}
