/**
 * Drift between the WebSocket-maintained book and a REST book of the same market — the
 * periodic cross-check of kalshi_api_watchdog. A level differs when the resting count at a
 * (leg, price) is not the same in both (a level missing from one side counts 0 there).
 *
 * Depth-limited REST books (`GET /orderbook?depth=N`) only show the best N levels of a leg.
 * With `restDepth: N`, a leg for which REST returned exactly N levels is compared only at
 * prices ≥ its worst listed price (below that REST is silent, not empty); a leg with fewer
 * levels is the whole leg. Levels may come in any order; a price listed twice is an error.
 */
import type { CentiCents, Contracts } from '../units.ts';
import type { BookLevel } from './market-snapshot.ts';

export type BookLeg = 'yes' | 'no';

export interface BidBook {
  yesBids: readonly BookLevel[];
  noBids: readonly BookLevel[];
}

export interface LevelDifference {
  leg: BookLeg;
  price: CentiCents;
  wsCount: Contracts;
  restCount: Contracts;
}

export interface BookDriftOptions {
  /** The `depth` the REST book was requested with (omit for a full book). */
  restDepth?: number;
}

/** Differing levels: YES leg first, then NO; best (highest) price first within a leg. */
export function compareBooks(ws: BidBook, rest: BidBook, options: BookDriftOptions = {}): LevelDifference[] {
  const { restDepth } = options;
  if (restDepth !== undefined && (!Number.isSafeInteger(restDepth) || restDepth < 1)) {
    throw new RangeError(`restDepth must be a positive integer, got ${restDepth}`);
  }
  const out: LevelDifference[] = [];
  for (const leg of ['yes', 'no'] as const) {
    const wsLevels = levelMap(leg === 'yes' ? ws.yesBids : ws.noBids, `ws ${leg}`);
    const restLevels = levelMap(leg === 'yes' ? rest.yesBids : rest.noBids, `rest ${leg}`);
    const floor =
      restDepth !== undefined && restLevels.size >= restDepth ? Math.min(...restLevels.keys()) : -Infinity;
    const prices = new Set([...wsLevels.keys(), ...restLevels.keys()]);
    const differences: LevelDifference[] = [];
    for (const price of prices) {
      if (price < floor) continue;
      const wsCount = wsLevels.get(price) ?? 0;
      const restCount = restLevels.get(price) ?? 0;
      if (wsCount !== restCount) differences.push({ leg, price, wsCount, restCount });
    }
    differences.sort((a, b) => b.price - a.price);
    out.push(...differences);
  }
  return out;
}

function levelMap(levels: readonly BookLevel[], what: string): Map<CentiCents, Contracts> {
  const map = new Map<CentiCents, Contracts>();
  for (const { price, count } of levels) {
    if (!Number.isSafeInteger(price) || !Number.isSafeInteger(count) || count < 0) {
      throw new RangeError(`${what}: bad level ${price} × ${count}`);
    }
    if (map.has(price)) throw new RangeError(`${what}: price ${price} listed twice`);
    // A zero-count level is no level (some payloads keep emptied levels).
    if (count > 0) map.set(price, count);
  }
  return map;
}
