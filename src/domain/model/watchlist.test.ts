import { describe, it, expect } from 'vitest';
import type { StrikeRow } from './strike-table.ts';
import { buildWatchlist } from './watchlist.ts';

/** A row that passes the default thresholds; tests change one thing at a time. */
function row(over: Partial<StrikeRow>): StrikeRow {
  return {
    strike: 118_000,
    buffer: 237.42,
    buffer_pct: 0.2,
    probability: 96,
    yes_bid: 94,
    yes_ask: 95,
    no_bid: 4,
    no_ask: 6,
    yes_diff: 1,
    no_diff: -2,
    volume: 1_000,
    ticker: 'T',
    active_side: 'yes',
    ...over,
  };
}

describe('buildWatchlist', () => {
  it('keeps a strike that passes every rule', () => {
    expect(buildWatchlist([row({})])).toHaveLength(1);
  });

  it('needs volume ≥ 1000', () => {
    expect(buildWatchlist([row({ volume: 999 })])).toHaveLength(0);
  });

  it('needs probability strictly above min_probability − 5', () => {
    expect(buildWatchlist([row({ probability: 90 })])).toHaveLength(0);
    expect(buildWatchlist([row({ probability: 90.01 })])).toHaveLength(1);
  });

  it('needs both asks present and ≤ 98¢', () => {
    expect(buildWatchlist([row({ yes_ask: 98 })])).toHaveLength(1);
    expect(buildWatchlist([row({ yes_ask: 98.5 })])).toHaveLength(0);
    expect(buildWatchlist([row({ no_ask: 99 })])).toHaveLength(0);
    expect(buildWatchlist([row({ no_ask: null, no_diff: null })])).toHaveLength(0);
  });

  it('needs one diff ≥ min_differential − 3 (−2.75 by default)', () => {
    expect(buildWatchlist([row({ yes_diff: -2.75, no_diff: -5 })])).toHaveLength(1);
    expect(buildWatchlist([row({ yes_diff: -2.76, no_diff: -5 })])).toHaveLength(0);
    expect(buildWatchlist([row({ yes_diff: -9, no_diff: -2.75 })])).toHaveLength(1);
    expect(buildWatchlist([row({ yes_diff: null, no_diff: -2.8 })])).toHaveLength(0);
  });

  it('takes thresholds from the caller', () => {
    const r = row({ probability: 80, yes_diff: 1.9, volume: 10 });
    expect(buildWatchlist([r])).toHaveLength(0);
    expect(buildWatchlist([r], { minProbability: 84, minDifferential: 4.9, minVolume: 10 })).toHaveLength(1);
    expect(buildWatchlist([r], { minProbability: 84, minDifferential: 5, minVolume: 10 })).toHaveLength(0);
  });

  it('sorts by probability, highest first', () => {
    const list = buildWatchlist([
      row({ strike: 1, probability: 92 }),
      row({ strike: 2, probability: 99 }),
      row({ strike: 3, probability: 95.5 }),
      row({ strike: 4, probability: 95.5 }),
    ]);
    expect(list.map((r) => r.strike)).toEqual([2, 3, 4, 1]);
  });
});
