/**
 * Seeded randomness for the simulator: sfc32 (Chris Doty-Humphrey's Small Fast Counting
 * generator, from PractRand — passes its statistical battery), seeded through splitmix32.
 * Its whole state is four uint32s, so it snapshots as plain JSON and restores exactly.
 */

export type RandomState = [number, number, number, number];

/** splitmix32 step: a good scrambler to turn any seed into well-spread state words. */
function splitmix32(seed: number): () => number {
  let x = seed >>> 0;
  return () => {
    x = (x + 0x9e3779b9) >>> 0;
    let z = x;
    z = Math.imul(z ^ (z >>> 16), 0x85ebca6b) >>> 0;
    z = Math.imul(z ^ (z >>> 13), 0xc2b2ae35) >>> 0;
    return (z ^ (z >>> 16)) >>> 0;
  };
}

/** FNV-1a over a string: derive independent streams from labels ("BTC", "mm:KXBTCD-…"). */
export function hashString(text: string): number {
  let h = 0x811c9dc5;
  for (let i = 0; i < text.length; i++) {
    h ^= text.charCodeAt(i);
    h = Math.imul(h, 0x01000193) >>> 0;
  }
  return h >>> 0;
}

export class Random {
  private a: number;
  private b: number;
  private c: number;
  private d: number;

  private constructor(state: RandomState) {
    [this.a, this.b, this.c, this.d] = state.map((w) => w >>> 0) as RandomState;
  }

  /** A generator from a numeric or text seed. */
  static seeded(seed: number | string): Random {
    const mix = splitmix32(typeof seed === 'string' ? hashString(seed) : seed);
    const random = new Random([mix(), mix(), mix(), mix()]);
    for (let i = 0; i < 12; i++) random.nextUint32(); // discard the warm-up outputs
    return random;
  }

  static fromState(state: RandomState): Random {
    if (state.length !== 4 || state.some((w) => !Number.isInteger(w) || w < 0 || w > 0xffffffff)) {
      throw new Error('random state must be four uint32 words');
    }
    return new Random(state);
  }

  state(): RandomState {
    return [this.a, this.b, this.c, this.d];
  }

  /** An independent generator for a sub-stream, derived from this one's next output and a label. */
  fork(label: string): Random {
    return Random.seeded((this.nextUint32() ^ hashString(label)) >>> 0);
  }

  nextUint32(): number {
    const t = (((this.a + this.b) >>> 0) + this.d) >>> 0;
    this.d = (this.d + 1) >>> 0;
    this.a = (this.b ^ (this.b >>> 9)) >>> 0;
    this.b = (this.c + (this.c << 3)) >>> 0;
    this.c = ((this.c << 21) | (this.c >>> 11)) >>> 0;
    this.c = (this.c + t) >>> 0;
    return t;
  }

  /** Uniform in [0, 1) with 32 random bits. */
  next(): number {
    return this.nextUint32() / 4_294_967_296;
  }

  /** Uniform integer in [min, max] (inclusive). */
  int(min: number, max: number): number {
    if (!Number.isSafeInteger(min) || !Number.isSafeInteger(max) || max < min) {
      throw new Error(`bad integer range [${min}, ${max}]`);
    }
    return min + Math.floor(this.next() * (max - min + 1));
  }

  chance(probability: number): boolean {
    return this.next() < probability;
  }

  pick<T>(items: readonly T[]): T {
    if (items.length === 0) throw new Error('pick from an empty list');
    return items[Math.floor(this.next() * items.length)] as T;
  }

  /** Standard normal (Box–Muller; one value per call, so the state stays four words). */
  normal(): number {
    let u = this.next();
    while (u === 0) u = this.next();
    const v = this.next();
    return Math.sqrt(-2 * Math.log(u)) * Math.cos(2 * Math.PI * v);
  }

  /** Student-t with `nu` degrees of freedom, scaled to unit variance (nu > 2). */
  studentT(nu: number): number {
    if (!(nu > 2)) throw new Error(`Student-t needs nu > 2 for a finite variance, got ${nu}`);
    const z = this.normal();
    const chiSquare = 2 * this.gamma(nu / 2);
    return (z / Math.sqrt(chiSquare / nu)) * Math.sqrt((nu - 2) / nu);
  }

  /** Gamma(shape, 1) by Marsaglia–Tsang (shape ≥ 1; boosted below 1). */
  gamma(shape: number): number {
    if (shape < 1) return this.gamma(shape + 1) * Math.pow(this.next() || Number.MIN_VALUE, 1 / shape);
    const d = shape - 1 / 3;
    const c = 1 / Math.sqrt(9 * d);
    for (;;) {
      let x: number;
      let v: number;
      do {
        x = this.normal();
        v = 1 + c * x;
      } while (v <= 0);
      v = v * v * v;
      const u = this.next();
      if (u < 1 - 0.0331 * x * x * x * x) return d * v;
      if (Math.log(u) < 0.5 * x * x + d * (1 - v + Math.log(v))) return d * v;
    }
  }

  /** Exponential with the given mean. */
  exponential(mean: number): number {
    let u = this.next();
    while (u === 0) u = this.next();
    return -Math.log(u) * mean;
  }

  /** Log-normal with the given median and log-space sigma. */
  logNormal(median: number, sigma: number): number {
    return median * Math.exp(sigma * this.normal());
  }
}
