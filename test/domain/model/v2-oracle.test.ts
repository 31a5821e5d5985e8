import { readFileSync } from 'node:fs';
import { describe, it, expect } from 'vitest';
import { z } from 'zod';
import { strikeProbability } from '../../../src/domain/model/probability.ts';
import { exportV2FingerprintSet } from '../../../src/domain/model/v2-csv.ts';
import { loadV2BtcGrid, readV2BtcFiles, SHARED_DATA } from './v2-data.ts';

const oracleSchema = z.object({
  detailed_results: z
    .array(
      z.object({
        test_case: z.object({
          id: z.number(),
          ttc_seconds: z.number(),
          buffer_points: z.number(),
          momentum_bucket: z.number().int(),
        }),
        lookup_results: z.object({ positive: z.number(), negative: z.number() }),
      }),
    )
    .length(100),
});

const PRICE = 120_000;
const TOLERANCE_PP = 0.5;

describe('v2 BTC set', () => {
  const grid = loadV2BtcGrid();

  it('re-exports byte for byte (1.70 is interpolated on import and dropped on export)', () => {
    const original = readV2BtcFiles();
    const exported = exportV2FingerprintSet(grid);
    expect(exported.size).toBe(62);
    for (const [name, text] of exported) expect(text, name).toBe(original.get(name));
  });

  it(`reproduces all 100 lookup_results of the v2 oracle within ${TOLERANCE_PP} pp`, () => {
    const oracle = oracleSchema.parse(
      JSON.parse(readFileSync(`${SHARED_DATA}v2-lookup-oracle.json`, 'utf8')),
    );
    let worst = 0;
    for (const { test_case: c, lookup_results: expected } of oracle.detailed_results) {
      const query = {
        grid,
        price: PRICE,
        ttcSeconds: c.ttc_seconds,
        bucket: c.momentum_bucket,
        settle: 'close' as const,
      };
      // positive = P(move ≥ +buffer): the "up" of a strike above the price.
      const above = strikeProbability({ ...query, strike: PRICE + c.buffer_points });
      // negative = P(move ≤ −buffer): the "down" of a strike below the price.
      const below = strikeProbability({ ...query, strike: PRICE - c.buffer_points });
      expect(Math.abs(above.up - expected.positive), `case ${c.id} positive`).toBeLessThanOrEqual(
        TOLERANCE_PP,
      );
      expect(Math.abs(below.down - expected.negative), `case ${c.id} negative`).toBeLessThanOrEqual(
        TOLERANCE_PP,
      );
      worst = Math.max(
        worst,
        Math.abs(above.up - expected.positive),
        Math.abs(below.down - expected.negative),
      );
    }
    // Bilinear interpolation on the same files agrees to about 0.34 pp (case 52).
    expect(worst).toBeGreaterThan(0);
    expect(worst).toBeLessThan(0.35);
  });
});
