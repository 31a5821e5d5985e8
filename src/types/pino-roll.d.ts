// pino-roll ships no types; this is the part of its API REC.IO uses.
declare module 'pino-roll' {
  import type { DestinationStream } from 'pino';

  interface PinoRollOptions {
    file: string | (() => string);
    size?: number | string;
    frequency?: number | 'daily' | 'hourly' | 'custom';
    extension?: string;
    limit?: { count?: number; removeOtherLogFiles?: boolean };
    mkdir?: boolean;
    symlink?: boolean;
  }

  interface RollingStream extends DestinationStream {
    end(): void;
    flushSync(): void;
  }

  export default function pinoRoll(options: PinoRollOptions): Promise<RollingStream>;
}
