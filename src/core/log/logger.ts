import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { pino, type Logger, type DestinationStream, type StreamEntry } from 'pino';
// pino-roll: size-based rotation of per-service files, running in this thread (no worker per service).
import pinoRoll from 'pino-roll';
import type { Config } from '../config/schema.ts';

export type { Logger };

/** Paths whose values never reach a log line (Kalshi keys, signatures, tokens, passwords). */
export const REDACT_PATHS = [
  'internalToken',
  'password',
  'privateKey',
  'private_key',
  'token',
  '*.password',
  '*.privateKey',
  '*.token',
  'headers.authorization',
  'headers.cookie',
  'headers["x-recio-internal-token"]',
  'headers["kalshi-access-signature"]',
  'headers["kalshi-access-key"]',
  'req.headers.authorization',
  'req.headers.cookie',
  'req.headers["x-recio-internal-token"]',
];

export interface LogSink {
  /** The root logger; per-service loggers are its children. */
  root: Logger;
  forService(service: string): Promise<Logger>;
  close(): Promise<void>;
}

/**
 * All-in-one mode: every service writes all its lines to `<dataDir>/logs/<service>.log` (rotated
 * by size), and warnings and up also reach stdout. Distributed mode (files off): JSON on stdout,
 * which supervisord captures.
 */
export function createLogSink(config: Config, options: { stdout?: DestinationStream } = {}): LogSink {
  const stdout = options.stdout ?? pino.destination({ fd: 1, sync: false });
  const base = { level: config.log.level, redact: { paths: REDACT_PATHS, censor: '[redacted]' } };
  const root = pino(base, stdout);
  if (!config.log.files) {
    return {
      root,
      forService: async (service) => root.child({ service }),
      close: async () => undefined,
    };
  }

  const dir = join(config.dataDir, 'logs');
  mkdirSync(dir, { recursive: true });
  const files: Array<{ end(): void; flushSync?(): void }> = [];
  return {
    root,
    async forService(service) {
      const file = await pinoRoll({
        file: join(dir, `${service}.log`),
        size: config.log.maxFileSize,
        limit: { count: config.log.maxFiles },
        mkdir: true,
      });
      files.push(file);
      // The logger's own level filters; the file stream takes whatever passes, stdout only warnings up.
      const streams: StreamEntry[] = [
        { level: 'trace', stream: file },
        { level: 'warn', stream: stdout },
      ];
      return pino({ ...base, level: config.log.level }, pino.multistream(streams)).child({ service });
    },
    async close() {
      for (const file of files) {
        file.flushSync?.();
        file.end();
      }
    },
  };
}
