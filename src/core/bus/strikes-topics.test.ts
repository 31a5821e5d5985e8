import { describe, expect, it } from 'vitest';
import { CLOSE, ladderQuote, testGrid } from '../../../test/services/coordinator/fixtures.ts';
import { buildWatchlist, computeStrikeTable, type StrikeMarket } from '../../domain/model/index.ts';
import { MemoryBus } from './memory-bus.ts';
import { strikesMessageSchema, strikesTopic, type StrikesMessage } from './strikes-topics.ts';
import { parseTopicPayload, TopicValidationError } from './topics.ts';

const PRICE = 118_237.42;

function message(): StrikesMessage {
  const quote = ladderQuote(PRICE);
  const markets: StrikeMarket[] = Array.from({ length: 40 }, (_, i) => {
    const strike = 113_500 + 250 * i;
    const { yesBid, noBid } = quote(strike);
    return {
      ticker: `KXBTCD-25JUL2617-T${strike - 1}.99`,
      strike,
      yesBid,
      yesAsk: 10_000 - noBid!,
      noBid,
      noAsk: 10_000 - yesBid!,
      volume: 2_000,
    };
  });
  const grid = testGrid('BTC');
  const table = computeStrikeTable({
    symbol: 'BTC',
    price: PRICE,
    ttcSeconds: 754,
    eventTicker: 'KXBTCD-25JUL2617',
    closeTimeMs: CLOSE,
    strikeTier: 250,
    momentumPercent: 0.043,
    grid,
    settle: 'average60',
    markets,
    seq: 7,
  });
  return {
    symbol: 'BTC',
    seq: 7,
    at: CLOSE - 754_000,
    closeTimeMs: CLOSE,
    model: { id: grid.meta.modelId, source: 'synthetic', synthetic: true },
    inputs: { priceAtMs: CLOSE - 754_000, marketAtMs: CLOSE - 755_000, indexAtMs: null },
    table,
    watchlist: buildWatchlist(table.rows, { minProbability: 60, minVolume: 0 }),
  };
}

describe('strikes.<sym> schema', () => {
  it('accepts a computed table and its watchlist, on the strikes.btc topic', async () => {
    const m = message();
    expect(m.watchlist.length).toBeGreaterThan(0);
    expect(strikesTopic('BTC')).toBe('strikes.btc');
    expect(parseTopicPayload(strikesTopic('BTC'), m)).toEqual(m);
    const bus = new MemoryBus();
    const got: unknown[] = [];
    await bus.subscribe('strikes.*', (msg) => void got.push(msg.payload));
    await bus.publish('strikes.btc', m);
    await new Promise((r) => setImmediate(r));
    expect(got).toEqual([m]);
    await bus.close();
  });

  it('rejects a message whose parts disagree', () => {
    const bad = (mutate: (m: StrikesMessage) => void) => {
      const m = structuredClone(message());
      mutate(m);
      return () => parseTopicPayload('strikes.btc', m);
    };
    expect(bad((m) => (m.table.seq = 8))).toThrow(/table\.seq: must equal seq/);
    expect(bad((m) => (m.table.symbol = 'ETH'))).toThrow(/table\.symbol/);
    expect(bad((m) => (m.model.id = 'other'))).toThrow(/table\.model_id: must equal model\.id/);
    expect(bad((m) => m.table.rows.reverse())).toThrow(/sorted by strike/);
    expect(bad((m) => (m.watchlist[0] = { ...m.watchlist[0]!, ticker: 'KXBTCD-X' }))).toThrow(
      /watchlist\.0\.ticker: must be a row/,
    );
    expect(bad((m) => (m.table.rows[0]!.yes_ask = 100))).toThrow(TopicValidationError);
    expect(bad((m) => (m.table.rows[0]!.probability = 101))).toThrow(/probability/);
    expect(bad((m) => (m.table.rows[0]!.yes_diff = Number.NaN))).toThrow(/yes_diff/);
    expect(bad((m) => (m.seq = 0))).toThrow(/seq/);
    expect(strikesMessageSchema.safeParse(message()).success).toBe(true);
  });
});
