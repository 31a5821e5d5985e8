import { describe, it, expect } from 'vitest';
import { gridFromFunction, type FingerprintMeta } from './fingerprint-grid.ts';
import { strikeProbability } from './probability.ts';
import {
  computeStrikeTable,
  marketTitle,
  nearestStrikes,
  type StrikeMarket,
  type StrikeTableInput,
} from './strike-table.ts';

const META: FingerprintMeta = {
  modelId: 'model-7',
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
const grid = gridFromFunction(META, (table, m, x) => ({
  up: Math.max(0, 48 - 30 * x + 0.05 * m + (table - 30) / 10),
  down: Math.max(0, 49 - 30 * x + 0.05 * m - (table - 30) / 10),
}));

/** Strikes every 250 $ from 110 000 to 130 000, quotes in centi-cents. */
function markets(): StrikeMarket[] {
  const list: StrikeMarket[] = [];
  for (let k = 110_000; k <= 130_000; k += 250) {
    list.push({
      ticker: `KXBTCD-25JUL2617-T${k - 1}.99`,
      strike: k,
      yesBid: 4_000,
      yesAsk: 4_550,
      noBid: 5_300,
      noAsk: 6_000,
      volume: k,
    });
  }
  return list;
}

const input: StrikeTableInput = {
  symbol: 'BTC',
  price: 118_237.42,
  ttcSeconds: 754,
  eventTicker: 'KXBTCD-25JUL2617',
  closeTimeMs: Date.UTC(2025, 6, 26, 21),
  strikeTier: 250,
  momentumPercent: 0.043,
  grid,
  settle: 'close',
  markets: markets(),
  seq: 12,
};

describe('nearestStrikes', () => {
  const strikes = (price: number, n: number, list = markets()) =>
    nearestStrikes(list, price, n).map((m) => m.strike);

  it('takes the N strikes nearest the price, ascending', () => {
    expect(strikes(118_237.42, 5)).toEqual([117_750, 118_000, 118_250, 118_500, 118_750]);
    expect(strikes(118_130, 4)).toEqual([117_750, 118_000, 118_250, 118_500]);
  });

  it('breaks a tie in distance toward the lower strike', () => {
    expect(strikes(118_125, 1)).toEqual([118_000]);
    expect(strikes(118_125, 3)).toEqual([117_750, 118_000, 118_250]);
  });

  it('works at the ends of the ladder and with unsorted input', () => {
    expect(strikes(50_000, 3)).toEqual([110_000, 110_250, 110_500]);
    expect(strikes(200_000, 2)).toEqual([129_750, 130_000]);
    expect(strikes(118_237.42, 3, markets().reverse())).toEqual([118_000, 118_250, 118_500]);
    expect(strikes(118_237.42, 500)).toHaveLength(81);
  });
});

describe('computeStrikeTable', () => {
  const table = computeStrikeTable(input);

  it('has 21 rows around the price and the header fields', () => {
    expect(table.rows).toHaveLength(21);
    expect(table.rows.filter((r) => r.strike < input.price)).toHaveLength(10);
    expect(table.rows[10]!.strike).toBe(118_250);
    expect(table).toMatchObject({
      symbol: 'BTC',
      price: 118_237.42,
      ttc_seconds: 754,
      event_ticker: 'KXBTCD-25JUL2617',
      market_title: 'BTC price today at 5pm?',
      strike_tier: 250,
      momentum_score: 4,
      momentum_bucket: 4,
      model_id: 'model-7',
      settle: 'close',
      seq: 12,
    });
  });

  it('fills every column from the model and the quotes', () => {
    const row = table.rows.find((r) => r.strike === 118_500)!;
    const p = strikeProbability({
      grid,
      price: 118_237.42,
      strike: 118_500,
      ttcSeconds: 754,
      bucket: 4,
      settle: 'close',
    });
    expect(row).toEqual({
      strike: 118_500,
      buffer: 262.58,
      buffer_pct: (262.58 / 118_237.42) * 100,
      probability: p.probability,
      yes_bid: 40,
      yes_ask: 45.5,
      no_bid: 53,
      no_ask: 60,
      // NO active: NO is worth p, YES 100 − p.
      yes_diff: 100 - p.probability - 45.5,
      no_diff: p.probability - 60,
      volume: 118_500,
      ticker: 'KXBTCD-25JUL2617-T118499.99',
      active_side: 'no',
    });
  });

  it('computes YES-side diffs below the price', () => {
    const row = table.rows.find((r) => r.strike === 118_000)!;
    expect(row.active_side).toBe('yes');
    expect(row.yes_diff).toBeCloseTo(row.probability - 45.5, 12);
    expect(row.no_diff).toBeCloseTo(100 - row.probability - 60, 12);
  });

  it('leaves quotes and diffs null when a book side is empty', () => {
    const list = markets().map((m) => ({ ...m, yesAsk: null, noBid: null }));
    const row = computeStrikeTable({ ...input, markets: list }).rows[0]!;
    expect(row.yes_ask).toBeNull();
    expect(row.yes_diff).toBeNull();
    expect(row.no_bid).toBeNull();
    expect(row.no_diff).not.toBeNull();
  });

  it('uses the baseline table without momentum', () => {
    const t = computeStrikeTable({ ...input, momentumPercent: undefined });
    expect(t.momentum_bucket).toBeNull();
    expect(t.momentum_score).toBeNull();
    const p = strikeProbability({
      grid,
      price: input.price,
      strike: t.rows[0]!.strike,
      ttcSeconds: 754,
      bucket: 'baseline',
      settle: 'close',
    });
    expect(t.rows[0]!.probability).toBe(p.probability);
  });

  it('honours a title override and a row count', () => {
    const t = computeStrikeTable({ ...input, marketTitle: 'Bitcoin above?', rows: 7 });
    expect(t.market_title).toBe('Bitcoin above?');
    expect(t.rows).toHaveLength(7);
  });
});

describe('marketTitle', () => {
  it('names the close hour in New York time, summer and winter', () => {
    expect(marketTitle('BTC', Date.UTC(2025, 6, 26, 21))).toBe('BTC price today at 5pm?');
    expect(marketTitle('ETH', Date.UTC(2025, 0, 15, 22))).toBe('ETH price today at 5pm?');
    expect(marketTitle('BTC', Date.UTC(2025, 6, 27, 4))).toBe('BTC price today at 12am?');
    expect(marketTitle('BTC', Date.UTC(2025, 6, 27, 14))).toBe('BTC price today at 10am?');
  });
});
