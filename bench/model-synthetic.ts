/**
 * Synthetic 1-minute closes for the model benchmarks: a geometric random walk with BTC-like
 * volatility (≈ 0.06 % per minute, with occasional fat-tailed minutes), from a seeded PRNG so
 * every run measures the same data.
 */
export const MINUTES_PER_YEAR = 365 * 24 * 60;

/** mulberry32: small, fast, seedable. */
export function mulberry32(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

export function syntheticCloses(
  minutes: number,
  seed: number,
  startMs = Date.UTC(2020, 6, 20),
): { closes: Float64Array; timestamps: Float64Array } {
  const random = mulberry32(seed);
  const closes = new Float64Array(minutes);
  const timestamps = new Float64Array(minutes);
  let price = 30_000;
  for (let i = 0; i < minutes; i++) {
    // Box–Muller normal; 2 % of minutes three times as volatile (fat tails, momentum bursts).
    const z = Math.sqrt(-2 * Math.log(1 - random())) * Math.cos(2 * Math.PI * random());
    const sigma = random() < 0.02 ? 0.0018 : 0.0006;
    price *= Math.exp(sigma * z);
    closes[i] = Math.round(price * 100) / 100;
    timestamps[i] = startMs + i * 60_000;
  }
  return { closes, timestamps };
}
