import { describe, it, expect } from 'vitest';
import { gridFromFunction, tableIndexOfBucket, type FingerprintMeta } from './fingerprint-grid.ts';
import { interpolateTails, strikeProbability, type StrikeProbabilityInput } from './probability.ts';

const META: FingerprintMeta = {
  modelId: 'test',
  symbol: 'BTC',
  source: 'synthetic',
  synthetic: true,
  from: null,
  to: null,
  rowsUsed: null,
  builtAt: 0,
  weighting: null,
  tableRows: null,
  rowsFilledFromBaseline: 0,
};

/** Affine in (minute, threshold): bilinear interpolation must reproduce it exactly. */
const upAt = (table: number, m: number, x: number) => 50 - 10 * x + 0.1 * m + table / 100;
const downAt = (_table: number, m: number, x: number) => 40 - 15 * x + 0.2 * m;
const affine = gridFromFunction(META, (table, m, x) => ({
  up: upAt(table, m, x),
  down: downAt(table, m, x),
}));
const T0 = tableIndexOfBucket(0);

const base: StrikeProbabilityInput = {
  grid: affine,
  price: 100_000,
  strike: 100_000,
  ttcSeconds: 750,
  bucket: 0,
  settle: 'close',
};

describe('strikeProbability — terminal model (settle: close)', () => {
  it('interpolates bilinearly between minutes and thresholds, with the actual price', () => {
    // 123 $ above a 100 000 $ price is 0.123 % (not 123/120 000 as v2's table assumed); 750 s is 12.5 min.
    const r = strikeProbability({ ...base, strike: 100_123 });
    expect(r.up).toBeCloseTo(upAt(T0, 12.5, 0.123), 10);
    expect(r.down).toBeCloseTo(downAt(T0, 12.5, 0.123), 10);
  });

  it('YES is active below the price and wins 100 − down', () => {
    const r = strikeProbability({ ...base, strike: 99_800 });
    expect(r.activeSide).toBe('yes');
    expect(r.probability).toBeCloseTo(100 - downAt(T0, 12.5, 0.2), 10);
    expect(r.yesProbability).toBe(r.probability);
  });

  it('NO is active at or above the price and wins 100 − up', () => {
    const above = strikeProbability({ ...base, strike: 100_200 });
    expect(above.activeSide).toBe('no');
    expect(above.probability).toBeCloseTo(100 - upAt(T0, 12.5, 0.2), 10);
    expect(above.yesProbability).toBeCloseTo(upAt(T0, 12.5, 0.2), 10);
    expect(strikeProbability({ ...base, strike: 100_000 }).activeSide).toBe('no');
  });

  it('clamps minutes to 1…60', () => {
    const at = (ttcSeconds: number) => strikeProbability({ ...base, strike: 100_100, ttcSeconds }).up;
    expect(at(10)).toBe(at(60));
    expect(at(60)).toBeCloseTo(upAt(T0, 1, 0.1), 10);
    expect(at(7200)).toBe(at(3600));
    expect(at(3600)).toBeCloseTo(upAt(T0, 60, 0.1), 10);
  });

  it('clamps the bucket to −30…30 and uses the baseline without momentum', () => {
    const up = (bucket: number | 'baseline') => strikeProbability({ ...base, strike: 100_100, bucket }).up;
    expect(up(45)).toBe(up(30));
    expect(up(30)).toBeCloseTo(upAt(60, 12.5, 0.1), 10);
    expect(up(-99)).toBeCloseTo(upAt(0, 12.5, 0.1), 10);
    expect(up('baseline')).toBeCloseTo(upAt(61, 12.5, 0.1), 10);
    expect(up(4.4)).toBe(up(4));
  });
});

describe('strikeProbability — inputs', () => {
  it('refuses a price, strike or TTC that is not a number', () => {
    expect(() => strikeProbability({ ...base, price: NaN })).toThrow(RangeError);
    expect(() => strikeProbability({ ...base, price: 0 })).toThrow(RangeError);
    expect(() => strikeProbability({ ...base, strike: Infinity })).toThrow(RangeError);
    expect(() => strikeProbability({ ...base, ttcSeconds: NaN })).toThrow(/ttc=NaN/);
  });
});

describe('strikeProbability — tails beyond 2 %', () => {
  // A row that decays like e^(−x): the log-linear fit between 1.5 % and 2 % is exact.
  const expGrid = gridFromFunction(META, (_t, _m, x) => ({
    up: 10 * Math.exp(-x),
    down: 20 * Math.exp(-2 * x),
  }));

  it('continues the row’s log-linear decay', () => {
    const r = interpolateTails(expGrid, 0, 30, 3);
    expect(r.up).toBeCloseTo(10 * Math.exp(-3), 10);
    expect(r.down).toBeCloseTo(20 * Math.exp(-6), 10);
  });

  it('is continuous at 2 % and decreasing beyond', () => {
    const at = (pct: number) => interpolateTails(expGrid, 5, 10, pct).up;
    expect(at(2)).toBeCloseTo(10 * Math.exp(-2), 12);
    expect(at(2.0000001)).toBeCloseTo(at(2), 6);
    expect(at(2.5)).toBeLessThan(at(2.1));
  });

  it('never returns exactly 0 or 100', () => {
    const r = strikeProbability({ ...base, grid: expGrid, strike: 150_000 });
    expect(r.up).toBe(0.01);
    expect(r.probability).toBe(99.99);
  });

  it('decays at least by half per 1 % when the row is flat', () => {
    const flat = gridFromFunction(META, () => ({ up: 1, down: 1 }));
    expect(interpolateTails(flat, 0, 1, 3).up).toBeCloseTo(0.5, 12);
    expect(interpolateTails(flat, 0, 1, 4).up).toBeCloseTo(0.25, 12);
  });

  it('stays at the floor when the row is already 0 at 2 %', () => {
    const zero = gridFromFunction(META, (_t, _m, x) => ({ up: x < 1 ? 5 : 0, down: 0 }));
    expect(interpolateTails(zero, 0, 1, 2.5).up).toBe(0);
    expect(strikeProbability({ ...base, grid: zero, strike: 103_000 }).up).toBe(0.01);
  });
});

describe('strikeProbability — settlement on the 60-second average', () => {
  it('uses the horizon TTC − 40 s before the last minute', () => {
    const avg = strikeProbability({ ...base, strike: 100_150, ttcSeconds: 640, settle: 'average60' });
    const close = strikeProbability({ ...base, strike: 100_150, ttcSeconds: 600 });
    expect(avg).toEqual(close);
  });

  it('scales the distance by √(60 s / horizon) below one minute', () => {
    // TTC 80 s → horizon 40 s → the 1-minute row at √1.5 × the distance.
    const r = strikeProbability({ ...base, strike: 100_100, ttcSeconds: 80, settle: 'average60' });
    expect(r.up).toBeCloseTo(upAt(T0, 1, 0.1 * Math.sqrt(1.5)), 10);
  });

  it('inside the last minute, shifts the strike by the known part of the average', () => {
    // 30 s left, the first 30 s averaged 99 990, price 100 000, strike 100 010:
    // K* = (60 · 100 010 − 30 · 99 990) / 30 = 100 030, horizon 30/3 = 10 s (scale √6).
    const bySum = strikeProbability({
      ...base,
      strike: 100_010,
      ttcSeconds: 30,
      settle: 'average60',
      knownAverage: { seconds: 30, sumCents: 99_990 * 100 * 30 },
    });
    expect(bySum.activeSide).toBe('no');
    expect(bySum.up).toBeCloseTo(upAt(T0, 1, 0.03 * Math.sqrt(6)), 9);
    expect(bySum.probability).toBeCloseTo(100 - upAt(T0, 1, 0.03 * Math.sqrt(6)), 9);
    const byMean = strikeProbability({
      ...base,
      strike: 100_010,
      ttcSeconds: 30,
      settle: 'average60',
      knownAverage: { seconds: 30, mean: 99_990 },
    });
    expect(byMean.up).toBeCloseTo(bySum.up, 9);
  });

  it('lets a high known average make YES the favourite above the price', () => {
    // Known 100 100 for 30 s: K* = (60 · 100 010 − 30 · 100 100) / 30 = 99 920 < price.
    const r = strikeProbability({
      ...base,
      strike: 100_010,
      ttcSeconds: 30,
      settle: 'average60',
      knownAverage: { seconds: 30, mean: 100_100 },
    });
    expect(r.activeSide).toBe('yes');
    expect(r.down).toBeCloseTo(downAt(T0, 1, 0.08 * Math.sqrt(6)), 9);
  });

  it('without a known part, takes the price for the elapsed seconds', () => {
    const known = strikeProbability({
      ...base,
      strike: 100_050,
      ttcSeconds: 20,
      settle: 'average60',
      knownAverage: { seconds: 40, mean: 100_000 },
    });
    const unknown = strikeProbability({ ...base, strike: 100_050, ttcSeconds: 20, settle: 'average60' });
    expect(unknown).toEqual(known);
  });

  it('is continuous at one minute to close', () => {
    const at = (ttcSeconds: number) =>
      strikeProbability({ ...base, strike: 100_040, ttcSeconds, settle: 'average60' }).probability;
    expect(at(59.999)).toBeCloseTo(at(60), 3);
  });

  it('at the close, gives the side the known average favours 99.99', () => {
    const yes = strikeProbability({
      ...base,
      strike: 100_010,
      ttcSeconds: 0,
      settle: 'average60',
      knownAverage: { seconds: 60, mean: 100_010 },
    });
    expect(yes).toMatchObject({ activeSide: 'yes', probability: 99.99 });
    const no = strikeProbability({
      ...base,
      strike: 100_010,
      ttcSeconds: 0,
      settle: 'average60',
      knownAverage: { seconds: 60, mean: 100_009.99 },
    });
    expect(no).toMatchObject({ activeSide: 'no', probability: 99.99, yesProbability: 100 - 99.99 });
  });
});
