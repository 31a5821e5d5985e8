/**
 * Bus schemas of the market-data families (issue 4), registered in topics.ts:
 *
 * - `price.<sym>`  — symbol_price_watchdog_<sym>, every second: the 1-s spot price and live
 *   momentum (src/domain/market-data/per-second-price.ts, momentum-tracker.ts).
 * - `index.<sym>`  — btc_price_watchdog: the settlement index, the running 60-s average of the
 *   hour's last minute and the divergence from spot (settlement-average.ts).
 * - `market.<sym>` — kalshi_api_watchdog: the current event's strikes with both legs' quotes
 *   (market-snapshot.ts).
 *
 * `<sym>` is the lower-case symbol (`price.btc`); build names with `marketDataTopic`.
 * Units: spot/index prices dollars (≤ 2 decimals), contract prices integer centi-cents,
 * counts whole contracts, times epoch ms; `seq` is the publisher's own message counter.
 * Field names match the domain types so a service can pass them through.
 * Beyond field types, the schemas check the invariants a consumer relies on (asks are the
 * complements of the opposite bids, rows sorted by strike, momentum horizons accounted for).
 */
import { z } from 'zod';
import { MOMENTUM_HORIZONS } from '../../domain/model/momentum.ts';
import { KALSHI_MARKET_STATUSES } from '../../domain/market-data/market-status.ts';
import { SYMBOLS, type SymbolId } from '../../domain/units.ts';

const ONE_DOLLAR_CENTICENTS = 10_000;
const MAX_BUCKET = 30;

const epochMs = z.number().int().nonnegative();
const seq = z.number().int().nonnegative();
const symbol = z.enum(SYMBOLS);
/** Spot or index price: positive dollars with at most 2 decimals (the exchanges' tick). */
const dollars = z
  .number()
  .positive()
  .refine((x) => Number.isFinite(x) && Math.abs(Math.round(x * 100) - x * 100) < 1e-6, {
    message: 'must be dollars with at most 2 decimals',
  });
const cents = z.number().int().positive();
/** A contract price strictly between $0 and $1, integer centi-cents. */
const contractPrice = z.number().int().gt(0).lt(ONE_DOLLAR_CENTICENTS);
const contracts = z.number().int().nonnegative();
const momentumHorizon = z.literal(MOMENTUM_HORIZONS);

export const momentumDeltaSchema = z.object({
  minutes: momentumHorizon,
  /** Second of the reference price used (the newest at or before now − minutes). */
  referenceAtMs: epochMs,
  referenceCents: cents,
  /** (P0 − Pk) / Pk · 100. */
  changePercent: z.number().finite(),
});

export const momentumSchema = z
  .object({
    /** Live momentum in percent (0.043 = 4.3 bps); null when every horizon is missing. */
    percent: z.number().finite().nullable(),
    bucket: z.number().int().min(-MAX_BUCKET).max(MAX_BUCKET).nullable(),
    /** Display score: whole bps. */
    score: z.number().int().nullable(),
    arrows: z.literal([0, 1, 2, 3]).nullable(),
    direction: z.enum(['up', 'down', 'flat']).nullable(),
    deltas: z.array(momentumDeltaSchema),
    missingHorizons: z.array(momentumHorizon),
  })
  .superRefine((m, ctx) => {
    const seen = [...m.deltas.map((d) => d.minutes), ...m.missingHorizons];
    const complete =
      seen.length === MOMENTUM_HORIZONS.length && MOMENTUM_HORIZONS.every((h) => seen.includes(h));
    if (!complete) {
      ctx.addIssue({
        code: 'custom',
        path: ['missingHorizons'],
        message: `deltas and missingHorizons must together list each of ${MOMENTUM_HORIZONS.join(', ')} once`,
      });
    }
    const fields = [m.percent, m.bucket, m.score, m.arrows, m.direction];
    const nulls = fields.filter((f) => f === null).length;
    if (nulls !== 0 && nulls !== fields.length) {
      ctx.addIssue({
        code: 'custom',
        path: ['percent'],
        message: 'percent, bucket, score, arrows, direction are null together',
      });
    }
    if ((m.percent === null) !== (m.deltas.length === 0)) {
      ctx.addIssue({
        code: 'custom',
        path: ['percent'],
        message: 'percent is null exactly when no horizon is available',
      });
    }
  });
export type MomentumMessage = z.infer<typeof momentumSchema>;

/** `price.<sym>`: the spot price of one second and the live momentum, every second. */
export const priceMessageSchema = z
  .object({
    symbol,
    price: dollars,
    priceCents: cents,
    /** The UTC second this price belongs to (exchange time). */
    secondMs: epochMs,
    /** No trade in this second: the previous price carried forward. */
    carried: z.boolean(),
    /** Exchange time of the trade behind the price. */
    exchangeTimeMs: epochMs,
    /** Publisher's now − receive time of the newest tick; null before the first tick. */
    tickAgeMs: z.number().int().nonnegative().nullable(),
    momentum: momentumSchema,
    seq,
    at: epochMs,
  })
  .superRefine((m, ctx) => {
    if (Math.round(m.price * 100) !== m.priceCents) {
      ctx.addIssue({ code: 'custom', path: ['priceCents'], message: `priceCents must equal price × 100` });
    }
    if (m.secondMs % 1_000 !== 0)
      ctx.addIssue({ code: 'custom', path: ['secondMs'], message: 'must be a whole second' });
  });
export type PriceMessage = z.infer<typeof priceMessageSchema>;

export const indexSourceSchema = z.enum(['cfbenchmarks', 'spot']);

export const settlementSummarySchema = z.object({
  closeTimeMs: epochMs,
  status: z.enum(['ok', 'insufficient_prints']),
  printCount: z.number().int().min(0).max(60),
  /** Σ cents of the prints (decide strikes with settlesYes); null when insufficient. */
  sumCents: z.number().int().nonnegative().nullable(),
  /** The mean in dollars; null when insufficient. */
  average: z.number().positive().nullable(),
  /** The mean rounded half up to the cent ("114790.92"); null when insufficient. */
  display: z
    .string()
    .regex(/^\d+\.\d{2}$/)
    .nullable(),
});

/** `index.<sym>`: the settlement reference and the running 60-s average of the hour's last minute. */
export const indexMessageSchema = z
  .object({
    symbol,
    /** Newest index print, dollars. */
    value: dollars,
    valueAtMs: epochMs,
    source: indexSourceSchema,
    /** The hourly close the current window ends at; the window is [close − 60 s, close). */
    windowCloseTimeMs: epochMs,
    inWindow: z.boolean(),
    secondsCovered: z.number().int().min(0).max(60),
    windowSumCents: z.number().int().nonnegative(),
    /** windowSumCents / secondsCovered / 100; null while no second is covered. */
    runningAverage: z.number().positive().nullable(),
    /** (spot − index) / index · 10 000; null when spot is unknown or is the source. */
    divergenceBps: z.number().finite().nullable(),
    /** The last finalized window — what was published at its close; null before the first. */
    lastSettlement: settlementSummarySchema.nullable(),
    seq,
    at: epochMs,
  })
  .superRefine((m, ctx) => {
    if ((m.runningAverage === null) !== (m.secondsCovered === 0)) {
      ctx.addIssue({
        code: 'custom',
        path: ['runningAverage'],
        message: 'null exactly when secondsCovered is 0',
      });
    } else if (m.runningAverage !== null) {
      const mean = m.windowSumCents / m.secondsCovered / 100;
      if (Math.abs(mean - m.runningAverage) > 1e-6) {
        ctx.addIssue({
          code: 'custom',
          path: ['runningAverage'],
          message: `must equal windowSumCents / secondsCovered / 100 (${mean})`,
        });
      }
    }
  });
export type IndexMessage = z.infer<typeof indexMessageSchema>;

export const marketRowSchema = z.object({
  ticker: z.string().min(1),
  strike: z.number().int().positive(),
  status: z.enum(KALSHI_MARKET_STATUSES),
  /** False while no book is held (null prices then mean unknown, not empty). */
  hasBook: z.boolean(),
  yesBid: contractPrice.nullable(),
  /** 10000 − noBid; null without a NO bid. */
  yesAsk: contractPrice.nullable(),
  noBid: contractPrice.nullable(),
  /** 10000 − yesBid; null without a YES bid. */
  noAsk: contractPrice.nullable(),
  /** Contracts at the best YES bid (= NO ask size); 0 when the leg is empty. */
  yesBidSize: contracts,
  /** Contracts at the best NO bid (= YES ask size); 0 when the leg is empty. */
  noBidSize: contracts,
  lastTrade: contractPrice.nullable(),
  volume: contracts.nullable(),
});
export type MarketRowMessage = z.infer<typeof marketRowSchema>;

/** `market.<sym>`: the current event's strikes, sorted by strike. */
export const marketMessageSchema = z
  .object({
    symbol,
    eventTicker: z.string().min(1),
    closeTimeMs: epochMs,
    rows: z.array(marketRowSchema),
    seq,
    at: epochMs,
  })
  // One refinement over all rows (not one per row): about half the cost for 75 strikes.
  .superRefine((m, ctx) => {
    const prefix = `${m.eventTicker}-`;
    const complement = (bid: number | null) => (bid === null ? null : ONE_DOLLAR_CENTICENTS - bid);
    m.rows.forEach((r, i) => {
      const issue = (field: string, message: string) =>
        ctx.addIssue({ code: 'custom', path: ['rows', i, field], message });
      const previous = m.rows[i - 1];
      if (previous !== undefined && !(r.strike > previous.strike)) {
        issue('strike', 'rows must be sorted by strike, each strike once');
      }
      if (!r.ticker.startsWith(prefix)) issue('ticker', `not a market of ${m.eventTicker}`);
      if (r.yesAsk !== complement(r.noBid)) issue('yesAsk', 'must be 10000 − noBid (null without a NO bid)');
      if (r.noAsk !== complement(r.yesBid)) issue('noAsk', 'must be 10000 − yesBid (null without a YES bid)');
      if ((r.yesBid === null) !== (r.yesBidSize === 0))
        issue('yesBidSize', 'is 0 exactly when there is no YES bid');
      if ((r.noBid === null) !== (r.noBidSize === 0))
        issue('noBidSize', 'is 0 exactly when there is no NO bid');
    });
  });
export type MarketMessage = z.infer<typeof marketMessageSchema>;

export type MarketDataFamily = 'price' | 'index' | 'market';

/** `marketDataTopic('price', 'BTC')` → `'price.btc'`, typed for the bus. */
export function marketDataTopic<F extends MarketDataFamily, S extends SymbolId>(
  family: F,
  sym: S,
): `${F}.${Lowercase<S>}` {
  return `${family}.${sym.toLowerCase() as Lowercase<S>}`;
}
