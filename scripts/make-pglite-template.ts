/**
 * `npm install` runs this (postinstall): one initdb now, so each new embedded database later
 * starts as a copy instead of running its own (src/core/db/pglite-template.ts). Never fails the
 * install: without the template, databases are simply created the slow way.
 */
import { makePGliteTemplate } from '../src/core/db/pglite-template.ts';

try {
  const started = performance.now();
  const path = await makePGliteTemplate();
  console.log(
    `recio: embedded database template ready in ${((performance.now() - started) / 1000).toFixed(1)} s (${path})`,
  );
} catch (error) {
  console.warn(
    `recio: no embedded database template (${error instanceof Error ? error.message : String(error)}); new databases run initdb`,
  );
}
