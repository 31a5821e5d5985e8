import { loadConfig, redactConfig } from '../core/config/load.ts';
import { loadManifest } from '../core/manifest/manifest.ts';

/** `recio config check`: the effective configuration (secrets redacted), where each value came from, and the ports. */
export function configCheck(): void {
  const { config, sources, file } = loadConfig();
  const manifest = loadManifest(undefined, { env: process.env });
  const ports = Object.fromEntries(Object.values(manifest).map((e) => [e.name, `${e.host}:${e.port}`]));
  console.log(JSON.stringify({ file: file ?? null, config: redactConfig(config), sources, ports }, null, 2));
}
