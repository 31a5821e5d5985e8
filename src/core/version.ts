import { readFileSync } from 'node:fs';

/** The platform's version, from package.json (reported by every /health). */
export const VERSION: string = (
  JSON.parse(readFileSync(new URL('../../package.json', import.meta.url), 'utf8')) as { version: string }
).version;
