/**
 * `npm install` runs this after the database template (postinstall): builds the web UI into
 * web/dist so `npm install && npm start` serves it at http://localhost:3000.
 *
 * A failed build does not fail the install (the platform and its API work without the UI, and
 * main_app's / then says how to build), but it is never silent: the reason is printed.
 * `npm run build:web` is the same build with its full output and a failing exit code.
 */
import { build } from 'vite';

const config = new URL('../web/vite.config.ts', import.meta.url).pathname;

try {
  const started = performance.now();
  await build({ configFile: config, logLevel: 'warn' });
  console.log(`recio: web UI built in ${((performance.now() - started) / 1000).toFixed(1)} s (web/dist)`);
} catch (error) {
  const reason = error instanceof Error ? error.message : String(error);
  console.warn(
    [
      '',
      'recio: THE WEB UI DID NOT BUILD — http://localhost:3000 has no UI, or an old one, until it does.',
      `recio: reason: ${reason}`,
      'recio: fix it, then run: npm run build:web',
      '',
    ].join('\n'),
  );
}
