/**
 * Start-up and shutdown of the all-in-one process, the way a user runs it: `recio start` on a
 * fresh data directory (the embedded database is created), then again on the same directory.
 * Prints seconds to a green main_app /health and from Ctrl-C to exit.
 * Run: node --import tsx bench/startup.ts
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { recio } from '../test/support/cli.ts';
import { portEnv } from '../test/support/ports.ts';
import { getJson, waitFor } from '../test/support/wait.ts';

const dataDir = mkdtempSync(join(tmpdir(), 'recio-bench-startup-'));
const env = { ...(await portEnv()), RECIO_DATA_DIR: dataDir };

for (const label of ['first start (fresh data directory)', 'restart (existing data)']) {
  const startedAt = performance.now();
  const proc = recio(['start'], env);
  await waitFor(
    async () => {
      const { body } = await getJson(`http://127.0.0.1:${env.RECIO_PORT_MAIN_APP}/health`);
      return body.status === 'healthy' ? true : undefined;
    },
    120_000,
    'a green /health',
  );
  const up = (performance.now() - startedAt) / 1000;
  const stopAt = performance.now();
  proc.child.kill('SIGINT');
  const code = await proc.exited;
  const down = (performance.now() - stopAt) / 1000;
  console.log(
    `${label}: green /health after ${up.toFixed(2)} s; Ctrl-C → exit ${code} after ${down.toFixed(2)} s`,
  );
}
rmSync(dataDir, { recursive: true, force: true });
