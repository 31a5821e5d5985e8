import { randomBytes } from 'node:crypto';
import type { ModelSource } from '../../domain/model/index.ts';
import type { EpochMs, SymbolId } from '../../domain/units.ts';

/** Model ids name what they are: `btc-synthetic-20250720-143012-a1f3` (UTC build time + 4 hex). */
export function newModelId(symbol: SymbolId, source: ModelSource, builtAt: EpochMs): string {
  const stamp = new Date(builtAt)
    .toISOString()
    .replace(/\.\d{3}Z$/, '')
    .replace(/[-:]/g, '')
    .replace('T', '-');
  return `${symbol.toLowerCase()}-${source}-${stamp}-${randomBytes(2).toString('hex')}`;
}

/** What a user-chosen model id may look like: it is shown, typed and used as a file name part. */
export const MODEL_ID_PATTERN = /^[A-Za-z0-9][A-Za-z0-9._-]{0,79}$/;
