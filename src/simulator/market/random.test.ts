import { describe, it, expect } from 'vitest';
import { Random } from './random.ts';

describe('Random (sfc32)', () => {
  it('matches the reference sfc32 output for a known state', () => {
    const random = Random.fromState([1, 2, 3, 4]);
    // The textbook definition: t = a + b + counter++; a = b ^ b>>9; b = c + c<<3; c = rotl(c, 21) + t.
    const original = (() => {
      let a = 1,
        b = 2,
        c = 3,
        counter = 4;
      return () => {
        const t = (a + b + counter) >>> 0;
        counter = (counter + 1) >>> 0;
        a = (b ^ (b >>> 9)) >>> 0;
        b = (c + (c << 3)) >>> 0;
        c = (((c << 21) | (c >>> 11)) + t) >>> 0;
        return t;
      };
    })();
    const ours = Array.from({ length: 8 }, () => random.nextUint32());
    expect(ours).toEqual(Array.from({ length: 8 }, original));
  });

  it('is deterministic per seed and restores from its state', () => {
    const a = Random.seeded('seed-1');
    const b = Random.seeded('seed-1');
    const c = Random.seeded('seed-2');
    const xs = Array.from({ length: 5 }, () => a.next());
    expect(Array.from({ length: 5 }, () => b.next())).toEqual(xs);
    expect(Array.from({ length: 5 }, () => c.next())).not.toEqual(xs);
    const saved = JSON.parse(JSON.stringify(a.state()));
    const restored = Random.fromState(saved);
    expect(Array.from({ length: 5 }, () => restored.normal())).toEqual(
      Array.from({ length: 5 }, () => a.normal()),
    );
  });

  it('draws uniforms, normals and unit-variance Student-t with the right moments', () => {
    const random = Random.seeded(42);
    const n = 200_000;
    let sum = 0,
      sumSq = 0,
      tSumSq = 0,
      tFourth = 0;
    for (let i = 0; i < n; i++) {
      const z = random.normal();
      sum += z;
      sumSq += z * z;
      const t = random.studentT(6);
      tSumSq += t * t;
      tFourth += t ** 4;
    }
    expect(Math.abs(sum / n)).toBeLessThan(0.01);
    expect(sumSq / n).toBeCloseTo(1, 1);
    expect(tSumSq / n).toBeCloseTo(1, 1);
    // Kurtosis of t(6) is 3 + 6/(6 − 4) = 6: clearly fatter than the normal's 3.
    const kurtosis = tFourth / n / (tSumSq / n) ** 2;
    expect(kurtosis).toBeGreaterThan(4.5);
    expect(kurtosis).toBeLessThan(8);
    const ints = new Set(Array.from({ length: 1000 }, () => random.int(1, 6)));
    expect([...ints].sort()).toEqual([1, 2, 3, 4, 5, 6]);
  });

  it('forks independent, reproducible streams', () => {
    const x = Random.seeded(7).fork('BTC');
    const y = Random.seeded(7).fork('BTC');
    const z = Random.seeded(7).fork('ETH');
    expect(x.nextUint32()).toBe(y.nextUint32());
    expect(Random.seeded(7).fork('BTC').nextUint32()).not.toBe(z.nextUint32());
  });
});
