/**
 * `recio model …` as a user runs it: real child processes against a fresh PostgreSQL database
 * (and once against the embedded one), checked through the database and the printed output.
 */
import { cpSync, mkdtempSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { z } from 'zod';
import { migrateToLatest, openDatabase, type DatabaseHandle } from '../../src/core/db/index.ts';
import { loadModel } from '../../src/storage/models/model-repository.ts';
import { SHARED_DATA, V2_BTC_DIR } from '../domain/model/v2-data.ts';
import { recioOnce } from '../support/cli.ts';
import { createTestDatabase } from '../support/postgres.ts';

const tempDir = () => mkdtempSync(join(tmpdir(), 'recio-model-cli-'));

const oracle = z
  .object({
    detailed_results: z.array(
      z.object({
        test_case: z.object({
          id: z.number(),
          ttc_seconds: z.number(),
          buffer_points: z.number(),
          momentum_bucket: z.number().int(),
        }),
        lookup_results: z.object({ positive: z.number(), negative: z.number() }),
      }),
    ),
  })
  .parse(JSON.parse(readFileSync(`${SHARED_DATA}v2-lookup-oracle.json`, 'utf8'))).detailed_results;

const queryOutput = z
  .object({
    up: z.number(),
    down: z.number(),
    active_side: z.enum(['yes', 'no']),
    probability: z.number(),
    model_id: z.string(),
    settle: z.enum(['close', 'average60']),
  })
  .strict();

/** The JSON line a query prints (stdout; nothing else is printed on success). */
function parseQuery(output: string) {
  return queryOutput.parse(JSON.parse(output.trim().split('\n').at(-1)!));
}

describe('recio model (PostgreSQL)', { timeout: 120_000 }, () => {
  let database: { url: string; drop(): Promise<void> };
  let handle: DatabaseHandle;
  let env: Record<string, string>;
  let importedId: string;

  beforeAll(async () => {
    database = await createTestDatabase('recio_model_cli');
    env = { DATABASE_URL: database.url, RECIO_DATA_DIR: tempDir() };
    handle = await openDatabase({ databaseUrl: database.url });
    await migrateToLatest(handle.db);
  });
  afterAll(async () => {
    await handle?.close();
    await database?.drop();
  });

  const countModels = async () =>
    (await sql<{ n: number }>`select count(*)::int as n from model.models`.execute(handle.db)).rows[0]!.n;

  it('refuses a malformed v2 set, naming file and line, and stores nothing', async () => {
    const dir = tempDir();
    cpSync(V2_BTC_DIR, dir, { recursive: true });
    const name = 'btc_fingerprint_directional_momentum_-05.csv';
    const lines = readFileSync(join(dir, name), 'utf8').split('\n');
    lines[16] = lines[16]!.replace(/,([\d.]+),/, ',4x.1,'); // line 17: a value that is not a number
    writeFileSync(join(dir, name), lines.join('\n'));

    const run = await recioOnce(['model', 'import-v2', dir, '--activate'], env);
    expect(run.code).toBe(1);
    expect(run.output).toMatch(
      /^recio: btc_fingerprint_directional_momentum_-05\.csv, line 17: column "[^"]+": "4x\.1" is not a percent value$/m,
    );
    expect(run.output).not.toMatch(/unexpected error|at .*\.ts:\d+/); // one line, no stack
    expect(await countModels()).toBe(0);
  });

  it('imports the real v2 BTC set and reproduces oracle cases through `model query`', async () => {
    const run = await recioOnce(['model', 'import-v2', V2_BTC_DIR, '--activate'], env);
    expect(run.code, run.output).toBe(0);
    importedId = /as model (\S+) \(BTC\) — active/.exec(run.output)![1]!;
    expect(await countModels()).toBe(1);

    // Oracle cases (price $120 000, closing print): positive = up of a strike above the price,
    // negative = down of a strike below. (All 100 are checked on the grid in test/domain.)
    const query = (c: (typeof oracle)[number], strike: number, settle?: string) =>
      recioOnce(
        [
          'model',
          'query',
          '--symbol',
          'BTC',
          '--price',
          '120000',
          '--strike',
          String(strike),
          '--ttc',
          String(c.test_case.ttc_seconds),
          `--bucket=${c.test_case.momentum_bucket}`,
          ...(settle ? ['--settle', settle] : []),
        ],
        env,
      );
    const [caseA, caseB] = [oracle[0]!, oracle[81]!];
    const above = await query(caseA, 120_000 + caseA.test_case.buffer_points, 'close');
    expect(above.code, above.output).toBe(0);
    const up = parseQuery(above.output);
    expect(Math.abs(up.up - caseA.lookup_results.positive), 'positive').toBeLessThanOrEqual(0.5);
    // Strike above the price: NO is the favourite and wins unless the price rises past it.
    expect(up).toMatchObject({ active_side: 'no', model_id: importedId, settle: 'close' });
    expect(up.probability).toBeCloseTo(100 - up.up, 3);

    const down = parseQuery((await query(caseB, 120_000 - caseB.test_case.buffer_points, 'close')).output);
    expect(Math.abs(down.down - caseB.lookup_results.negative), 'negative').toBeLessThanOrEqual(0.5);
    expect(down).toMatchObject({ active_side: 'yes' });
    expect(down.probability).toBeCloseTo(100 - down.down, 3);

    // Without --settle: Kalshi's 60-s average, an effective horizon 40 s shorter — a different number.
    const average = parseQuery((await query(caseA, 120_000 + caseA.test_case.buffer_points)).output);
    expect(average.settle).toBe('average60');
    expect(average.up).not.toBe(up.up);
  });

  it('exports a set identical to the imported files; re-importing it gives the identical grid', async () => {
    const dir = tempDir();
    const run = await recioOnce(['model', 'export', dir], env);
    expect(run.code, run.output).toBe(0);
    expect(run.output).toContain(`exported model ${importedId} (BTC)`);
    const names = readdirSync(dir).sort();
    expect(names).toEqual(
      readdirSync(V2_BTC_DIR)
        .filter((n) => n.endsWith('.csv'))
        .sort(),
    );
    for (const name of names) {
      expect(readFileSync(join(dir, name), 'utf8'), name).toBe(readFileSync(join(V2_BTC_DIR, name), 'utf8'));
    }
    const again = await recioOnce(['model', 'export', dir], env);
    expect(again.code).toBe(1);
    expect(again.output).toMatch(/already holds 62 files of a set .* pass --force/);

    const reimport = await recioOnce(['model', 'import-v2', dir, '--id', 'btc-reimported'], env);
    expect(reimport.code, reimport.output).toBe(0);
    const [a, b] = [await loadModel(handle.db, importedId), await loadModel(handle.db, 'btc-reimported')];
    expect(Buffer.from(b.up.buffer).equals(Buffer.from(a.up.buffer))).toBe(true);
    expect(Buffer.from(b.down.buffer).equals(Buffer.from(a.down.buffer))).toBe(true);
  });

  it('lists models and switches the active one; unknown ids and symbols are one-line errors', async () => {
    expect((await recioOnce(['model', 'activate', 'btc-reimported'], env)).output).toContain(
      'model btc-reimported is now the active BTC model',
    );
    const list = JSON.parse((await recioOnce(['model', 'list', '--json'], env)).output) as {
      model_id: string;
      active: boolean;
      source: string;
    }[];
    expect(list.map((m) => [m.model_id, m.active, m.source]).sort()).toEqual(
      [
        ['btc-reimported', true, 'v2-import'],
        [importedId, false, 'v2-import'],
      ].sort(),
    );
    const unknown = await recioOnce(['model', 'activate', 'btc-nope'], env);
    expect(unknown.code).toBe(1);
    expect(unknown.output.trim()).toBe('recio: no model "btc-nope" (see `recio model list`)');
    const noEth = await recioOnce(
      [
        'model',
        'query',
        '--symbol',
        'eth',
        '--price',
        '3000',
        '--strike',
        '3100',
        '--ttc',
        '600',
        '--bucket',
        '0',
      ],
      env,
    );
    expect(noEth.code).toBe(1);
    expect(noEth.output).toMatch(/^recio: no active ETH model/m);
    const badSymbol = await recioOnce(['model', 'list', '--symbol', 'DOGE'], env);
    expect(badSymbol.code).toBe(1);
    expect(badSymbol.output).toMatch(
      /option '--symbol <symbol>' argument 'DOGE' is invalid\. expected BTC or ETH/,
    );
  });
});

describe('recio model (embedded PGlite)', { timeout: 120_000 }, () => {
  it('imports into the data directory and answers a query from it', async () => {
    const env = { RECIO_DATA_DIR: tempDir(), DATABASE_URL: undefined };
    const imported = await recioOnce(['model', 'import-v2', V2_BTC_DIR, '--activate', '--id', 'v2-btc'], env);
    expect(imported.code, imported.output).toBe(0);
    const c = oracle[5]!.test_case;
    const query = await recioOnce(
      [
        'model',
        'query',
        '--symbol',
        'BTC',
        '--price',
        '120000',
        '--strike',
        String(120_000 + c.buffer_points),
        '--ttc',
        String(c.ttc_seconds),
        `--bucket=${c.momentum_bucket}`,
        '--settle',
        'close',
      ],
      env,
    );
    expect(query.code, query.output).toBe(0);
    const result = parseQuery(query.output);
    expect(result.model_id).toBe('v2-btc');
    expect(Math.abs(result.up - oracle[5]!.lookup_results.positive)).toBeLessThanOrEqual(0.5);
  });
});
