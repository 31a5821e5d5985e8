import { mkdtempSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { bootstrapJob } from './bootstrap.ts';
import { modelCacheKey, readCachedModel, sameCells, writeCachedModel } from './bootstrap-cache.ts';
import { runSyntheticModelJob } from './synthetic-model-job.ts';

const EARLIER = Date.UTC(2026, 0, 2, 12, 0, 42);
const LATER = Date.UTC(2026, 10, 24, 9, 31, 7);
const cacheDir = () => mkdtempSync(join(tmpdir(), 'recio-model-cache-'));

describe('the bootstrap model cache', () => {
  it('gives, at any later time, exactly the model that time would build (relabelled)', async () => {
    const dir = cacheDir();
    const then = bootstrapJob('ETH', EARLIER, { days: 1, seed: 9 });
    await writeCachedModel(then, (await runSyntheticModelJob(then)).grid, dir);

    const now = bootstrapJob('ETH', LATER, { days: 1, seed: 9 });
    const cached = await readCachedModel(now, dir);
    const fresh = (await runSyntheticModelJob(now)).grid;
    expect(cached).toBeDefined();
    expect(cached!.meta).toEqual(fresh.meta);
    expect(Buffer.from(cached!.up.buffer).equals(Buffer.from(fresh.up.buffer))).toBe(true);
    expect(Buffer.from(cached!.down.buffer).equals(Buffer.from(fresh.down.buffer))).toBe(true);
    expect(sameCells(cached!, fresh)).toBe(true);
  });

  it('is keyed by symbol, length and seed; recency-weighted jobs are not cached', () => {
    const key = (symbol: 'BTC' | 'ETH', days: number, seed: number) =>
      modelCacheKey(bootstrapJob(symbol, LATER, { days, seed }));
    expect(modelCacheKey(bootstrapJob('BTC', EARLIER, { days: 1, seed: 9 }))).toBe(key('BTC', 1, 9));
    expect(new Set([key('BTC', 1, 9), key('ETH', 1, 9), key('BTC', 2, 9), key('BTC', 1, 10)]).size).toBe(4);
    expect(
      modelCacheKey(bootstrapJob('BTC', LATER, { weighting: { kind: 'half-life', halfLifeDays: 30 } })),
    ).toBeUndefined();
  });

  it('treats a missing, damaged or foreign file as a miss', async () => {
    const dir = cacheDir();
    const job = bootstrapJob('BTC', LATER, { days: 1, seed: 3 });
    expect(await readCachedModel(job, dir)).toBeUndefined();
    const file = (await writeCachedModel(job, (await runSyntheticModelJob(job)).grid, dir))!;
    expect(await readCachedModel(job, dir)).toBeDefined();

    const bytes = readFileSync(file);
    writeFileSync(file, bytes.subarray(0, bytes.length - 8)); // truncated
    expect(await readCachedModel(job, dir)).toBeUndefined();
    const notPercent = Buffer.from(bytes);
    notPercent.writeDoubleLE(250, notPercent.length - 8); // a cell that is not a percent
    writeFileSync(file, notPercent);
    expect(await readCachedModel(job, dir)).toBeUndefined();
    writeFileSync(file, 'not a model');
    expect(await readCachedModel(job, dir)).toBeUndefined();
  });

  it("replaces a symbol's older entry and keeps the other symbols'", async () => {
    const dir = cacheDir();
    const btc = bootstrapJob('BTC', LATER, { days: 1, seed: 1 });
    const eth = bootstrapJob('ETH', LATER, { days: 1, seed: 1 });
    const btcAgain = bootstrapJob('BTC', LATER, { days: 1, seed: 2 });
    for (const job of [btc, eth, btcAgain])
      await writeCachedModel(job, (await runSyntheticModelJob(job)).grid, dir);
    const names = readdirSync(dir).sort();
    expect(names).toEqual([
      `bootstrap-model-btc-${modelCacheKey(btcAgain)}.bin`,
      `bootstrap-model-eth-${modelCacheKey(eth)}.bin`,
    ]);
    expect(await readCachedModel(btc, dir)).toBeUndefined();
  });
});
