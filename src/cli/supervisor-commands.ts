/**
 * `recio supervisor config [--out <file>]`: the supervisord configuration of the distributed
 * topology (src/core/service/supervisord-config.ts) for this installation's settings. It
 * prepares `<dataDir>/logs` (supervisord does not create log folders) and writes the file with
 * mode 0600: its environment holds the database URL and any internal token.
 */
import { mkdirSync, renameSync, writeFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { loadConfig } from '../core/config/load.ts';
import { loadManifest } from '../core/manifest/manifest.ts';
import { SERVICE_NAMES } from '../core/manifest/service-names.ts';
import {
  renderSupervisordConfig,
  serviceEnvironment,
  supervisordPaths,
} from '../core/service/supervisord-config.ts';
import { SERVICE_REGISTRY } from '../services/registry.ts';

const ENTRY = fileURLToPath(new URL('../../bin/recio.js', import.meta.url));

export function supervisorConfig(options: { out?: string }): void {
  const { config, file } = loadConfig();
  const manifest = loadManifest(undefined, { env: process.env });
  const dataDir = resolve(config.dataDir);
  const text = renderSupervisordConfig({
    services: SERVICE_NAMES.filter((name) => SERVICE_REGISTRY[name]),
    manifest,
    node: process.execPath,
    entry: ENTRY,
    cwd: process.cwd(),
    dataDir,
    environment: serviceEnvironment({
      env: process.env,
      dataDir,
      configFile: file,
      databaseUrl: config.databaseUrl,
      redisUrl: config.redisUrl,
      clock: config.clock,
    }),
    log: config.log,
  });
  mkdirSync(supervisordPaths(dataDir).logDir, { recursive: true });
  if (!options.out) {
    process.stdout.write(text);
    return;
  }
  const out = resolve(options.out);
  mkdirSync(dirname(out), { recursive: true });
  const temp = join(dirname(out), `.${process.pid}.supervisord.tmp`);
  writeFileSync(temp, text, { mode: 0o600 });
  renameSync(temp, out);
  console.error(`wrote ${out}; run: supervisord -n -c ${out}`);
}
