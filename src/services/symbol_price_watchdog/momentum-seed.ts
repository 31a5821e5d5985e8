/**
 * Which stored candles may seed momentum: only those on the live feed's own price path.
 *
 * A database can hold 1-minute history that does not continue the live feed — the synthetic
 * history of a fresh paper install ends at another price level than the simulator's market —
 * and a 15-minute "return" across that seam would be nonsense. So seeds are walked from the
 * live price backwards, newest first, and kept while each step is a plausible move: at most
 * MAX_JUMP_BPS × √(minutes between) (200 bps per √minute is tens of standard deviations of a
 * BTC or ETH minute). The walk stops at the first implausible step: everything older is
 * another path.
 */
import { CANDLE_CLOSE_OFFSET_MS, type CandleClose } from '../../domain/market-data/index.ts';
import type { EpochMs } from '../../domain/units.ts';

export const MAX_JUMP_BPS = 200;
const MINUTE_MS = 60_000;

export function joiningSeeds(
  candles: readonly CandleClose[],
  live: { secondMs: EpochMs; priceCents: number },
  maxJumpBps = MAX_JUMP_BPS,
): CandleClose[] {
  const older = candles
    .filter((c) => c.startMs + CANDLE_CLOSE_OFFSET_MS < live.secondMs && c.closeCents > 0)
    .sort((a, b) => b.startMs - a.startMs);
  const kept: CandleClose[] = [];
  let previous = { timeMs: live.secondMs, cents: live.priceCents };
  for (const candle of older) {
    const timeMs = candle.startMs + CANDLE_CLOSE_OFFSET_MS;
    const minutes = Math.max(1, (previous.timeMs - timeMs) / MINUTE_MS);
    const jumpBps = Math.abs(candle.closeCents / previous.cents - 1) * 10_000;
    if (jumpBps > maxJumpBps * Math.sqrt(minutes)) break;
    kept.push(candle);
    previous = { timeMs, cents: candle.closeCents };
  }
  return kept;
}
