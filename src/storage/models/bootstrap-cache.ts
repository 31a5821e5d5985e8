/**
 * A cache of the bootstrap's synthetic models, so a fresh install's first strike tables need not
 * wait for a year of simulated seconds to be generated and counted (~9 s on two cores).
 *
 * The synthetic path depends on the symbol, seed, length and the code that generates and counts
 * it — not on when it runs: the window's timestamps are only labels. So `npm install` builds the
 * default models once (scripts/make-model-cache.ts), and a first start activates a copy
 * relabelled with its own id, build time and window. The key hashes the job's parameters and the
 * source of every module that shapes the numbers, so a change there is a miss, not a stale model.
 * And the bootstrap never trusts it blindly: it still computes the model in the background (it
 * needs the candles anyway) and replaces a cached model that differs.
 *
 * Like the PGlite template it lives in node_modules/.cache/recio, gone with the dependencies.
 */
import { createHash, randomBytes } from 'node:crypto';
import { readdirSync, readFileSync } from 'node:fs';
import { mkdir, readdir, readFile, rename, rm, writeFile } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { pgliteTemplatePath } from '../../core/db/pglite-template.ts';
import {
  CELL_COUNT,
  fingerprintMetaSchema,
  validateGrid,
  type FingerprintGrid,
} from '../../domain/model/index.ts';
import { MINUTE_MS } from '../candles/candle.ts';
import { bytesToFloat64, float64ToBytes } from './grid-bytes.ts';
import type { SyntheticModelJob } from './synthetic-model-job.ts';

const SRC = fileURLToPath(new URL('../../', import.meta.url));

/** Every module whose code decides the numbers of a synthetic model (folders: all their sources). */
const SHAPING_SOURCES = [
  'simulator/market',
  'domain/model',
  'domain/units.ts',
  'storage/candles/candle.ts',
  'storage/candles/synthetic-history.ts',
  'storage/models/synthetic-model-job.ts',
];

let sourceDigest: string | undefined;

/** A digest of the shaping sources (tests excluded), computed once per process. */
function shapingSourceDigest(): string {
  if (sourceDigest) return sourceDigest;
  const hash = createHash('sha256');
  for (const entry of SHAPING_SOURCES) {
    const path = join(SRC, entry);
    const files = entry.endsWith('.ts')
      ? [path]
      : readdirSync(path)
          .filter((name) => name.endsWith('.ts') && !name.endsWith('.test.ts'))
          .sort()
          .map((name) => join(path, name));
    for (const file of files) hash.update(file.slice(SRC.length)).update('\0').update(readFileSync(file));
  }
  sourceDigest = hash.digest('hex');
  return sourceDigest;
}

/** `<node_modules>/.cache/recio`: the PGlite template's folder. */
export function defaultModelCacheDir(): string {
  return dirname(pgliteTemplatePath());
}

/** The cache key of a job: its parameters that matter and the shaping code; undefined = not cacheable. */
export function modelCacheKey(job: SyntheticModelJob): string | undefined {
  // Recency weights depend on the timestamps, which a cached model does not keep.
  if (job.weighting.kind !== 'none') return undefined;
  return createHash('sha256')
    .update(
      JSON.stringify({
        symbol: job.symbol,
        minutes: job.minutes,
        seed: String(job.seed),
        code: shapingSourceDigest(),
      }),
    )
    .digest('hex')
    .slice(0, 24);
}

function cacheFile(dir: string, job: SyntheticModelJob, key: string): string {
  return join(dir, `bootstrap-model-${job.symbol.toLowerCase()}-${key}.bin`);
}

/** The job's model from the cache, relabelled for this job; undefined on a miss or any unreadable file. */
export async function readCachedModel(
  job: SyntheticModelJob,
  dir = defaultModelCacheDir(),
): Promise<FingerprintGrid | undefined> {
  const key = modelCacheKey(job);
  if (!key) return undefined;
  try {
    return decode(await readFile(cacheFile(dir, job, key)), job);
  } catch {
    return undefined;
  }
}

/** Stores the job's model (atomically), replacing the symbol's older entries; returns the file. */
export async function writeCachedModel(
  job: SyntheticModelJob,
  grid: FingerprintGrid,
  dir = defaultModelCacheDir(),
): Promise<string | undefined> {
  const key = modelCacheKey(job);
  if (!key) return undefined;
  const file = cacheFile(dir, job, key);
  await mkdir(dir, { recursive: true });
  const temporary = `${file}.${randomBytes(6).toString('hex')}.tmp`;
  try {
    await writeFile(temporary, encode(grid));
    await rename(temporary, file);
  } finally {
    await rm(temporary, { force: true });
  }
  const prefix = `bootstrap-model-${job.symbol.toLowerCase()}-`;
  for (const name of await readdir(dir)) {
    if (name.startsWith(prefix) && name.endsWith('.bin') && join(dir, name) !== file) {
      await rm(join(dir, name), { force: true });
    }
  }
  return file;
}

/** Layout: uint32 LE length of the meta JSON, the meta JSON, `up` cells, `down` cells (float64 LE). */
function encode(grid: FingerprintGrid): Uint8Array {
  const meta = Buffer.from(JSON.stringify(grid.meta));
  const header = Buffer.alloc(4);
  header.writeUInt32LE(meta.length);
  return Buffer.concat([header, meta, float64ToBytes(grid.up), float64ToBytes(grid.down)]);
}

function decode(bytes: Buffer, job: SyntheticModelJob): FingerprintGrid {
  const metaLength = bytes.readUInt32LE(0);
  const cellsAt = 4 + metaLength;
  if (bytes.length !== cellsAt + 2 * CELL_COUNT * 8) throw new Error('cached model has the wrong size');
  const stored = fingerprintMetaSchema.parse(JSON.parse(bytes.subarray(4, cellsAt).toString('utf8')));
  if (stored.symbol !== job.symbol) throw new Error('cached model is of another symbol');
  const grid: FingerprintGrid = {
    meta: {
      ...stored,
      modelId: job.modelId,
      builtAt: job.builtAt,
      from: job.startMs,
      to: job.startMs + (job.minutes - 1) * MINUTE_MS,
      weighting: job.weighting,
    },
    up: bytesToFloat64(bytes.subarray(cellsAt, cellsAt + CELL_COUNT * 8)),
    down: bytesToFloat64(bytes.subarray(cellsAt + CELL_COUNT * 8)),
  };
  return validateGrid(grid);
}

/** True when two grids hold the same cells (the metadata's labels aside). */
export function sameCells(a: FingerprintGrid, b: FingerprintGrid): boolean {
  for (let i = 0; i < CELL_COUNT; i++) if (a.up[i] !== b.up[i] || a.down[i] !== b.down[i]) return false;
  return a.meta.rowsUsed === b.meta.rowsUsed;
}
