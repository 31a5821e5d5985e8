import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { isIP } from 'node:net';
import { z } from 'zod';
import { SERVICE_NAMES, isServiceName, type ServiceName } from './service-names.ts';

/**
 * config/MASTER_PORT_MANIFEST.json — the one place a port is written down. Loaded and validated
 * at start; RECIO_PORT_<SERVICE> / RECIO_HOST_<SERVICE> override single entries.
 */
export const MANIFEST_PATH = fileURLToPath(
  new URL('../../../config/MASTER_PORT_MANIFEST.json', import.meta.url),
);

export interface ManifestEntry {
  name: ServiceName;
  port: number;
  host: string;
  role: string;
}

export type Manifest = Record<ServiceName, ManifestEntry>;

export class ManifestError extends Error {
  override name = 'ManifestError';
}

const entrySchema = z.object({
  port: z.number(),
  host: z.string(),
  role: z.string().default(''),
});
const fileSchema = z.object({
  description: z.string().optional(),
  services: z.record(z.string(), z.unknown()),
});

export interface ManifestOptions {
  /** Environment to read RECIO_PORT_* / RECIO_HOST_* from. */
  env?: Record<string, string | undefined>;
  /** Port 0 (an ephemeral port chosen by the OS) is accepted only for tests. */
  allowEphemeralPorts?: boolean;
}

export function loadManifest(path: string = MANIFEST_PATH, options: ManifestOptions = {}): Manifest {
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch (error) {
    throw new ManifestError(`manifest: cannot read ${path}: ${(error as Error).message}`);
  }
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch (error) {
    throw new ManifestError(`manifest: ${path} is not valid JSON: ${(error as Error).message}`);
  }
  return parseManifest(json, options);
}

export function parseManifest(json: unknown, options: ManifestOptions = {}): Manifest {
  const env = options.env ?? {};
  const file = fileSchema.safeParse(json);
  if (!file.success) throw new ManifestError('manifest: expected an object with a "services" map');

  const entries = new Map<ServiceName, ManifestEntry>();
  for (const [name, raw] of Object.entries(file.data.services)) {
    if (!isServiceName(name)) {
      throw new ManifestError(`manifest: unknown service "${name}" (known: ${SERVICE_NAMES.join(', ')})`);
    }
    const parsed = entrySchema.safeParse(raw);
    if (!parsed.success) {
      throw new ManifestError(`manifest: service "${name}" needs a numeric "port" and a string "host"`);
    }
    const envKey = name.toUpperCase();
    const port = overridePort(name, parsed.data.port, env[`RECIO_PORT_${envKey}`], options);
    const host = env[`RECIO_HOST_${envKey}`] ?? parsed.data.host;
    if (isIP(host) === 0 && host !== 'localhost') {
      throw new ManifestError(`manifest: service "${name}" has an invalid bind address "${host}"`);
    }
    entries.set(name, { name, port, host, role: parsed.data.role });
  }

  for (const name of SERVICE_NAMES) {
    if (!entries.has(name)) throw new ManifestError(`manifest: service "${name}" is missing`);
  }
  const byPort = new Map<number, ServiceName>();
  for (const entry of entries.values()) {
    if (entry.port === 0) continue;
    const other = byPort.get(entry.port);
    if (other) throw new ManifestError(`manifest: duplicate port ${entry.port} (${other} and ${entry.name})`);
    byPort.set(entry.port, entry.name);
  }
  return Object.fromEntries(entries) as Manifest;
}

function overridePort(
  name: ServiceName,
  filePort: number,
  override: string | undefined,
  options: ManifestOptions,
): number {
  const source = override === undefined ? 'manifest' : `RECIO_PORT_${name.toUpperCase()}`;
  const value = override === undefined ? filePort : /^\d+$/.test(override.trim()) ? Number(override) : NaN;
  const min = options.allowEphemeralPorts ? 0 : 1;
  if (!Number.isInteger(value) || value < min || value > 65_535) {
    throw new ManifestError(
      `manifest: port ${override ?? filePort} for "${name}" (from ${source}) is out of range ${min}-65535`,
    );
  }
  return value;
}
