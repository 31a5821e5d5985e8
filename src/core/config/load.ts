import { existsSync, readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import type { z } from 'zod';
import { configSchema, SECRET_KEYS, URL_KEYS, type Config } from './schema.ts';

export class ConfigError extends Error {
  override name = 'ConfigError';
}

type Env = Record<string, string | undefined>;

/** Environment variable → config path, and how its text becomes a value. */
const ENV_BINDINGS: ReadonlyArray<{ env: string; path: string[]; parse: (text: string) => unknown }> = [
  { env: 'RECIO_MODE', path: ['mode'], parse: (t) => t },
  { env: 'RECIO_LIVE_TRADING_ENABLED', path: ['liveTradingEnabled'], parse: parseBoolean },
  { env: 'RECIO_DATA_DIR', path: ['dataDir'], parse: (t) => t },
  { env: 'DATABASE_URL', path: ['databaseUrl'], parse: (t) => t },
  { env: 'REDIS_URL', path: ['redisUrl'], parse: (t) => t },
  { env: 'RECIO_BUS_PREFIX', path: ['busPrefix'], parse: (t) => t },
  { env: 'RECIO_CLOCK', path: ['clock', 'mode'], parse: (t) => t },
  { env: 'RECIO_CLOCK_START', path: ['clock', 'start'], parse: (t) => t },
  { env: 'RECIO_CLOCK_RATE', path: ['clock', 'rate'], parse: parseNumber },
  { env: 'RECIO_CLOCK_ANCHOR', path: ['clock', 'anchor'], parse: (t) => t },
  { env: 'RECIO_LOG_LEVEL', path: ['log', 'level'], parse: (t) => t },
  { env: 'RECIO_LOG_FILES', path: ['log', 'files'], parse: parseBoolean },
  { env: 'RECIO_INTERNAL_TOKEN', path: ['internalToken'], parse: (t) => t },
  { env: 'RECIO_KALSHI_REST_URL', path: ['kalshi', 'restUrl'], parse: (t) => t },
  { env: 'RECIO_KALSHI_WS_URL', path: ['kalshi', 'wsUrl'], parse: (t) => t },
  { env: 'RECIO_KALSHI_TIER', path: ['kalshi', 'tier'], parse: (t) => t },
  { env: 'RECIO_KALSHI_API_KEY_ID', path: ['kalshi', 'apiKeyId'], parse: (t) => t },
  { env: 'RECIO_KALSHI_PRIVATE_KEY_PATH', path: ['kalshi', 'privateKeyPath'], parse: (t) => t },
  { env: 'RECIO_COINBASE_WS_URL', path: ['coinbase', 'wsUrl'], parse: (t) => t },
  { env: 'RECIO_COINBASE_REST_URL', path: ['coinbase', 'restUrl'], parse: (t) => t },
  { env: 'RECIO_SERVICES', path: ['services'], parse: (t) => t.split(',').map((s) => s.trim()) },
];

export interface LoadedConfig {
  config: Config;
  /** Where each top-level value came from, for `recio config check`. */
  sources: Record<string, 'default' | 'file' | 'env'>;
  file?: string;
}

/**
 * Reads the config file (RECIO_CONFIG, else ./recio.config.json when present) and the
 * environment, validates the result, and throws a one-line ConfigError naming the bad key.
 */
export function loadConfig(env: Env = process.env, cwd: string = process.cwd()): LoadedConfig {
  const explicitFile = env.RECIO_CONFIG;
  const file = explicitFile ? resolve(cwd, explicitFile) : resolve(cwd, 'recio.config.json');
  const raw: Record<string, unknown> = {};
  const sources: LoadedConfig['sources'] = {};
  let usedFile: string | undefined;

  if (explicitFile || existsSync(file)) {
    let parsed: unknown;
    try {
      parsed = JSON.parse(readFileSync(file, 'utf8'));
    } catch (error) {
      throw new ConfigError(`config: cannot read ${file}: ${(error as Error).message}`);
    }
    if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed)) {
      throw new ConfigError(`config: ${file} must hold a JSON object`);
    }
    Object.assign(raw, parsed);
    for (const key of Object.keys(parsed)) sources[key] = 'file';
    usedFile = file;
  }

  const envNames = new Map<string, string>();
  for (const binding of ENV_BINDINGS) {
    const text = env[binding.env];
    if (text === undefined || text === '') continue;
    setPath(raw, binding.path, binding.parse(text));
    sources[binding.path[0]!] = 'env';
    envNames.set(binding.path.join('.'), binding.env);
  }

  const result = configSchema.safeParse(raw);
  if (!result.success) throw new ConfigError(describeIssue(result.error.issues[0]!, envNames, usedFile));
  for (const key of Object.keys(result.data)) sources[key] ??= 'default';
  return { config: result.data, sources, ...(usedFile ? { file: usedFile } : {}) };
}

function describeIssue(issue: z.core.$ZodIssue, envNames: Map<string, string>, file?: string): string {
  const path = issue.path.map(String).join('.');
  const fromEnv = [...envNames.entries()].find(([p]) => path === p || path.startsWith(`${p}.`));
  const origin = fromEnv ? ` (${fromEnv[1]})` : file ? ` (${file})` : '';
  return `config: ${path || '(root)'}${origin}: ${issue.message}`;
}

function setPath(target: Record<string, unknown>, path: string[], value: unknown): void {
  let node = target;
  for (const key of path.slice(0, -1)) {
    const next = node[key];
    node[key] = typeof next === 'object' && next !== null ? { ...next } : {};
    node = node[key] as Record<string, unknown>;
  }
  node[path[path.length - 1]!] = value;
}

function parseBoolean(text: string): unknown {
  if (/^(1|true|yes|on)$/i.test(text)) return true;
  if (/^(0|false|no|off)$/i.test(text)) return false;
  return text; // left as text so validation names it
}

function parseNumber(text: string): unknown {
  const value = Number(text);
  return text.trim() !== '' && Number.isFinite(value) ? value : text;
}

/** The effective config with secrets replaced and URL passwords masked — safe to print or log. */
export function redactConfig(config: Config): Record<string, unknown> {
  const copy: Record<string, unknown> = structuredClone(config);
  for (const key of SECRET_KEYS) if (copy[key] !== undefined) copy[key] = '[redacted]';
  for (const key of URL_KEYS) {
    const value = copy[key];
    if (typeof value === 'string') copy[key] = redactUrl(value);
  }
  return copy;
}

export function redactUrl(text: string): string {
  try {
    const url = new URL(text);
    if (url.password) url.password = 'redacted';
    return url.toString();
  } catch {
    return '[unparseable url]';
  }
}
