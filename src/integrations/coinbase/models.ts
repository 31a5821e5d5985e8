/**
 * zod models of the Coinbase Exchange feed (ticker, heartbeat, subscriptions, error) and of the
 * candles REST answer, converted to REC.IO units: spot prices in dollars with at most 2 decimals
 * (plus exact integer cents, for anything that sums money), times in epoch ms.
 */
import { z } from 'zod';
import { FixedPointError, parseScaledDecimal } from '../../domain/kalshi/fixed-point.ts';
import type { EpochMs } from '../../domain/units.ts';

export interface CoinbaseTick {
  productId: string;
  /** Product sequence number (spans every channel of the product, so it skips on ticker alone). */
  sequence: number;
  /** Match id: +1 per trade of the product — the gap detector. */
  tradeId: number;
  /** Last trade price, dollars (2 decimals). */
  price: number;
  /** The same, exact integer cents (rounded half-up if Coinbase ever sends finer). */
  priceCents: number;
  bestBid?: number;
  bestAsk?: number;
  bestBidSize?: number;
  bestAskSize?: number;
  side?: 'buy' | 'sell';
  lastSize?: number;
  volume24h?: number;
  /** Exchange time of the trade. */
  time: EpochMs;
}

export interface CoinbaseHeartbeat {
  productId: string;
  sequence: number;
  lastTradeId: number;
  time: EpochMs;
}

export type CoinbaseMessage =
  | { type: 'ticker'; tick: CoinbaseTick }
  | { type: 'heartbeat'; heartbeat: CoinbaseHeartbeat }
  | { type: 'subscriptions'; channels: Array<{ name: string; productIds: string[] }> }
  | { type: 'error'; message: string; reason?: string }
  | { type: 'unknown'; rawType: string };

export interface Candle {
  /** Bucket start, epoch ms. */
  time: EpochMs;
  low: number;
  high: number;
  open: number;
  close: number;
  volume: number;
}

const decimal = z.string().regex(/^\d+(\.\d+)?$/, 'expected a decimal string');
const optDecimal = decimal.nullish();
const isoTime = z.string().transform((text, ctx) => {
  const ms = Date.parse(text);
  if (Number.isNaN(ms)) {
    ctx.issues.push({ code: 'custom', message: `not a timestamp: ${JSON.stringify(text)}`, input: text });
    return z.NEVER;
  }
  return ms;
});

/** Dollars as a number with at most 2 decimals, via exact integer cents. */
function cents(text: string): number {
  return parseScaledDecimal(text, 2, { rounding: 'half-up', maxDecimals: 12 });
}

function optNumber(text: string | null | undefined): number | undefined {
  return text === null || text === undefined ? undefined : Number(text);
}

const ticker = z
  .object({
    type: z.literal('ticker'),
    sequence: z.number().int().nonnegative(),
    product_id: z.string().min(1),
    price: decimal,
    best_bid: optDecimal,
    best_bid_size: optDecimal,
    best_ask: optDecimal,
    best_ask_size: optDecimal,
    side: z.enum(['buy', 'sell']).nullish(),
    time: isoTime,
    trade_id: z.number().int().nonnegative(),
    last_size: optDecimal,
    volume_24h: optDecimal,
  })
  .transform((t, ctx): CoinbaseMessage => {
    try {
      const priceCents = cents(t.price);
      return {
        type: 'ticker',
        tick: {
          productId: t.product_id,
          sequence: t.sequence,
          tradeId: t.trade_id,
          price: priceCents / 100,
          priceCents,
          bestBid: t.best_bid ? cents(t.best_bid) / 100 : undefined,
          bestAsk: t.best_ask ? cents(t.best_ask) / 100 : undefined,
          bestBidSize: optNumber(t.best_bid_size),
          bestAskSize: optNumber(t.best_ask_size),
          side: t.side ?? undefined,
          lastSize: optNumber(t.last_size),
          volume24h: optNumber(t.volume_24h),
          time: t.time,
        },
      };
    } catch (error) {
      if (!(error instanceof FixedPointError)) throw error;
      ctx.issues.push({ code: 'custom', message: error.message, input: t });
      return z.NEVER;
    }
  });

const heartbeat = z
  .object({
    type: z.literal('heartbeat'),
    sequence: z.number().int().nonnegative(),
    last_trade_id: z.number().int().nonnegative(),
    product_id: z.string().min(1),
    time: isoTime,
  })
  .transform((h): CoinbaseMessage => ({
    type: 'heartbeat',
    heartbeat: { productId: h.product_id, sequence: h.sequence, lastTradeId: h.last_trade_id, time: h.time },
  }));

const subscriptions = z
  .object({
    type: z.literal('subscriptions'),
    channels: z.array(
      z.union([
        z.object({ name: z.string(), product_ids: z.array(z.string()).nullish() }),
        z.string().transform((name) => ({ name, product_ids: [] as string[] })),
      ]),
    ),
  })
  .transform((s): CoinbaseMessage => ({
    type: 'subscriptions',
    channels: s.channels.map((c) => ({ name: c.name, productIds: c.product_ids ?? [] })),
  }));

const error = z
  .object({ type: z.literal('error'), message: z.string(), reason: z.string().nullish() })
  .transform((e): CoinbaseMessage => ({ type: 'error', message: e.message, reason: e.reason ?? undefined }));

const SCHEMAS: Record<string, z.ZodType<CoinbaseMessage>> = { ticker, heartbeat, subscriptions, error };

export class CoinbaseParseError extends Error {
  override readonly name = 'CoinbaseParseError';
}

/** Parses one decoded feed message; unknown types come back as `{type: 'unknown'}`. */
export function parseCoinbaseMessage(data: unknown): CoinbaseMessage {
  const head = z.object({ type: z.string().min(1) }).safeParse(data);
  if (!head.success) throw new CoinbaseParseError('message without a "type"');
  const schema = SCHEMAS[head.data.type];
  if (schema === undefined) return { type: 'unknown', rawType: head.data.type };
  const parsed = schema.safeParse(data);
  if (!parsed.success)
    throw new CoinbaseParseError(`bad ${head.data.type} message: ${z.prettifyError(parsed.error)}`);
  return parsed.data;
}

const candleRow = z
  .tuple([z.number().int(), z.number(), z.number(), z.number(), z.number(), z.number()])
  .transform(([time, low, high, open, close, volume], ctx): Candle => {
    const prices = [low, high, open, close];
    if (prices.some((p) => !(p > 0) || !Number.isFinite(p)) || !(volume >= 0)) {
      ctx.issues.push({
        code: 'custom',
        message: `candle ${time}: non-positive price or negative volume`,
        input: time,
      });
      return z.NEVER;
    }
    if (low > Math.min(open, close) || high < Math.max(open, close)) {
      ctx.issues.push({
        code: 'custom',
        message: `candle ${time}: open/close outside [low, high]`,
        input: time,
      });
      return z.NEVER;
    }
    return { time: time * 1000, low, high, open, close, volume };
  });

/** GET /products/{id}/candles → `[[time_s, low, high, open, close, volume], …]`, newest first. */
export const candlesResponseSchema = z.array(candleRow);
