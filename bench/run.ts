/**
 * `npm run bench`: every benchmark in this folder, one after another (each in its own process,
 * so one's memory and JIT state do not colour the next). `npm run bench -- model` runs those
 * whose file name contains "model".
 */
import { spawnSync } from 'node:child_process';
import { readdirSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

const dir = fileURLToPath(new URL('.', import.meta.url));
const filter = process.argv[2] ?? '';
const helpers = new Set(['run.ts', 'model-synthetic.ts']);
const files = readdirSync(dir)
  .filter((f) => f.endsWith('.ts') && !helpers.has(f) && f.includes(filter))
  .sort();

let failed = 0;
for (const file of files) {
  console.log(`\n== ${file}`);
  const result = spawnSync(process.execPath, ['--expose-gc', '--import', 'tsx', `${dir}${file}`], {
    stdio: 'inherit',
  });
  if (result.status !== 0) failed += 1;
}
process.exit(failed === 0 ? 0 : 1);
