/** Loads the real v2 BTC data from ../shared/data (beside the checkout; never copied into it). */
import { readdirSync, readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { importV2FingerprintSet } from '../../../src/domain/model/v2-csv.ts';
import type { FingerprintGrid } from '../../../src/domain/model/fingerprint-grid.ts';

export const SHARED_DATA = fileURLToPath(new URL('../../../../shared/data/', import.meta.url));
export const V2_BTC_DIR = `${SHARED_DATA}v2-fingerprints-btc/`;

export function readV2BtcFiles(): Map<string, string> {
  const files = new Map<string, string>();
  for (const name of readdirSync(V2_BTC_DIR)) files.set(name, readFileSync(V2_BTC_DIR + name, 'utf8'));
  return files;
}

export function loadV2BtcGrid(): FingerprintGrid {
  return importV2FingerprintSet(readV2BtcFiles(), {
    symbol: 'BTC',
    modelId: 'v2-btc-2025-07-20',
    builtAt: 0,
  });
}
