/**
 * Replay of a 1-minute candle series as one-second index prints: inside each minute the path
 * runs open → first extreme → second extreme → close (high or low first at random, at random
 * seconds), straight between them with a little noise kept inside [low, high]. The minute's
 * randomness is derived from the seed and the candle's time, so the path needs no state.
 */
import type { EpochMs } from '../../domain/units.ts';
import type { Candle } from './coinbase-feed.ts';
import { Random } from './random.ts';

export interface ReplayCandle {
  startMs: EpochMs;
  open: number;
  high: number;
  low: number;
  close: number;
}

/** Index map of candles by minute start, after checking each is a sane 1-minute candle. */
export function indexCandles(candles: readonly (ReplayCandle | Candle)[]): Map<EpochMs, ReplayCandle> {
  const byStart = new Map<EpochMs, ReplayCandle>();
  for (const c of candles) {
    if (c.startMs % 60_000 !== 0) throw new Error(`candle at ${c.startMs} does not start on a minute`);
    if (!(c.low > 0 && c.low <= Math.min(c.open, c.close) && c.high >= Math.max(c.open, c.close))) {
      throw new Error(`candle at ${c.startMs} has inconsistent OHLC`);
    }
    byStart.set(c.startMs, { startMs: c.startMs, open: c.open, high: c.high, low: c.low, close: c.close });
  }
  return byStart;
}

/** The 60 prints (dollars, full precision) of a candle's minute: second 0 … 59. */
export function minutePath(candle: ReplayCandle, seed: string): number[] {
  const random = Random.seeded(`${seed}:${candle.startMs}`);
  const highFirst = random.chance(0.5);
  const t1 = random.int(1, 29);
  const t2 = random.int(30, 58);
  const knots: [number, number][] = [
    [0, candle.open],
    [t1, highFirst ? candle.high : candle.low],
    [t2, highFirst ? candle.low : candle.high],
    [59, candle.close],
  ];
  const noise = (candle.high - candle.low) * 0.05;
  const path: number[] = [];
  for (let s = 0; s < 60; s++) {
    let i = 0;
    while (i < knots.length - 2 && s > (knots[i + 1] as [number, number])[0]) i++;
    const [ta, pa] = knots[i] as [number, number];
    const [tb, pb] = knots[i + 1] as [number, number];
    const exact = pa + ((pb - pa) * (s - ta)) / (tb - ta);
    const isKnot = knots.some(([t]) => t === s);
    const jitter = isKnot ? 0 : noise * random.normal();
    path.push(Math.min(candle.high, Math.max(candle.low, exact + jitter)));
  }
  return path;
}
