import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { LatestFileWriter } from '../../../src/services/unified_production_coordinator/latest-file-writer.ts';
import { writeJsonAtomic } from '../../../src/storage/market-snapshots/json-file.ts';

const dirs: string[] = [];
afterEach(() => {
  for (const d of dirs.splice(0)) rmSync(d, { recursive: true, force: true });
});

describe('LatestFileWriter', () => {
  it('writes only the newest value while a write is in flight', async () => {
    const writes: unknown[] = [];
    const gates: Array<() => void> = [];
    const writer = new LatestFileWriter(
      '/x.json',
      (_path, value) =>
        new Promise<void>((resolve) => {
          writes.push(value);
          gates.push(resolve);
        }),
      () => {},
    );
    writer.set(1);
    writer.set(2);
    writer.set(3);
    writer.set(4);
    expect(writes).toEqual([1]);
    gates.shift()!();
    await new Promise((r) => setImmediate(r));
    expect(writes).toEqual([1, 4]); // 2 and 3 were superseded
    gates.shift()!();
    await writer.flush();
    expect(writer.written).toBe(2);
  });

  it('reports a failed write and writes the next value', async () => {
    const errors: unknown[] = [];
    let fail = true;
    const writer = new LatestFileWriter(
      '/x.json',
      async () => {
        if (fail) throw new Error('EACCES');
      },
      (e) => errors.push(e),
    );
    writer.set('a');
    await writer.flush();
    expect(writer.lastError).toBe('EACCES');
    fail = false;
    writer.set('b');
    await writer.flush();
    expect(writer.lastError).toBeNull();
    expect(errors).toHaveLength(1);
  });

  it('leaves a complete JSON file of the newest value and no temporary files', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'recio-strikes-'));
    dirs.push(dir);
    const path = join(dir, 'snapshots', 'strikes-btc.json');
    const writer = new LatestFileWriter(path, writeJsonAtomic, (e) => {
      throw e;
    });
    for (let seq = 1; seq <= 50; seq++) writer.set({ seq, rows: Array.from({ length: 21 }, (_, i) => i) });
    await writer.flush();
    expect(JSON.parse(readFileSync(path, 'utf8'))).toMatchObject({ seq: 50 });
    expect(readdirSync(join(dir, 'snapshots'))).toEqual(['strikes-btc.json']);
    expect(writer.written).toBeLessThan(50);
  });
});
