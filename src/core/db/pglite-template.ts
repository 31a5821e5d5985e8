/**
 * A new embedded database needs initdb: ~5 s of WebAssembly, most of a first start and of every
 * test that opens a fresh PGlite. What initdb makes is the same each time for a PGlite release,
 * so `npm install` makes it once (scripts/make-pglite-template.ts) and a new database starts as
 * a copy of it (~1.5 s). The copy is a cache: without it, or if it cannot be read, initdb runs.
 *
 * It lives in node_modules/.cache/recio (beside the PGlite that made it, gone with it), keyed by
 * PGlite's version.
 */
import { randomBytes } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { mkdir, readFile, rename, rm, writeFile } from 'node:fs/promises';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { PGlite } from '@electric-sql/pglite';

/** `<node_modules>/.cache/recio/pglite-<version>.tar.gz` of the PGlite this code runs with. */
export function pgliteTemplatePath(): string {
  // …/node_modules/@electric-sql/pglite/dist/index.cjs → the package, then node_modules.
  const packageDir = join(dirname(createRequire(import.meta.url).resolve('@electric-sql/pglite')), '..');
  const { version } = JSON.parse(readFileSync(join(packageDir, 'package.json'), 'utf8')) as {
    version: string;
  };
  return join(packageDir, '..', '..', '.cache', 'recio', `pglite-${version}.tar.gz`);
}

/** The template, or undefined when none was made (or it cannot be read). */
export async function readPGliteTemplate(path = pgliteTemplatePath()): Promise<Blob | undefined> {
  try {
    return new Blob([await readFile(path)]);
  } catch {
    return undefined;
  }
}

/** Runs initdb once and stores the result as the template (atomically); returns its path. */
export async function makePGliteTemplate(): Promise<string> {
  const path = pgliteTemplatePath();
  const fresh = await PGlite.create();
  try {
    const dump = await fresh.dumpDataDir('gzip');
    await mkdir(dirname(path), { recursive: true });
    const staging = `${path}.${randomBytes(4).toString('hex')}.tmp`;
    try {
      await writeFile(staging, Buffer.from(await dump.arrayBuffer()));
      await rename(staging, path);
    } finally {
      await rm(staging, { force: true });
    }
    return path;
  } finally {
    await fresh.close();
  }
}
