/**
 * Atomic JSON files (the seed's "file storage": `<dataDir>/snapshots/market-<sym>.json`):
 * written to a temporary file in the same directory, then renamed over the target, so a
 * reader sees the old file or the new one — never half of one. A failed write leaves the
 * previous file and removes its temporary file.
 */
import { randomBytes } from 'node:crypto';
import { mkdir, rename, rm, writeFile } from 'node:fs/promises';
import { basename, dirname, join } from 'node:path';

export async function writeJsonAtomic(path: string, value: unknown): Promise<void> {
  const dir = dirname(path);
  await mkdir(dir, { recursive: true });
  // Unique per write: two writers (or two processes) never share a temporary file.
  const temp = join(dir, `.${basename(path)}.${process.pid}.${randomBytes(4).toString('hex')}.tmp`);
  try {
    await writeFile(temp, `${JSON.stringify(value)}\n`, { mode: 0o644 });
    await rename(temp, path);
  } catch (error) {
    await rm(temp, { force: true });
    throw error;
  }
}

/** `<dataDir>/snapshots/market-btc.json` */
export function marketSnapshotFile(dataDir: string, symbol: string): string {
  return join(dataDir, 'snapshots', `market-${symbol.toLowerCase()}.json`);
}
