/**
 * zod schemas of the Kalshi requests the simulator serves: query strings and bodies, converted
 * to exact integers (prices in centi-cents, counts in contracts, times in epoch ms). A request
 * that does not parse is answered 400 `invalid_parameters` naming the field, and changes nothing.
 */
import { z } from 'zod';
import { FixedPointError, parseCountFp, parseDollars } from '../../../domain/kalshi/fixed-point.ts';
import { invalidParameters } from './errors.ts';

/** Kalshi request prices: 2–4 decimals ("0.56", "0.5600"). */
const dollarString = z
  .string()
  .regex(/^\d+(\.\d{1,4})?$/, 'a dollar string with at most 4 decimals, e.g. "0.5600"')
  .transform((text, ctx) => convertOr(ctx, () => parseDollars(text)));

/** Kalshi request counts: 0–2 decimals ("10", "10.00"); the simulator trades whole contracts. */
const countString = z
  .string()
  .regex(/^\d+(\.\d{1,2})?$/, 'a count string with at most 2 decimals, e.g. "10.00"')
  .transform((text, ctx) => convertOr(ctx, () => parseCountFp(text)));

function convertOr<T>(ctx: z.RefinementCtx, fn: () => T): T {
  try {
    return fn();
  } catch (error) {
    ctx.addIssue({
      code: 'custom',
      message: error instanceof FixedPointError ? error.message : String(error),
    });
    return z.NEVER;
  }
}

const ticker = z
  .string()
  .min(1)
  .max(100)
  .regex(/^[A-Z0-9._-]+$/, 'an upper-case ticker');
const timeInForce = z.enum(['fill_or_kill', 'immediate_or_cancel', 'good_till_canceled']);
const stp = z.enum(['taker_at_cross', 'maker']);

/** POST /portfolio/events/orders (V2). Unknown fields are refused: a typo must not be ignored. */
export const createOrderV2Body = z
  .object({
    ticker,
    client_order_id: z.string().min(1).max(128).optional(),
    side: z.enum(['bid', 'ask']),
    count: countString.refine((n) => n >= 1, 'count must be at least 1'),
    price: dollarString,
    time_in_force: timeInForce,
    expiration_time: z.number().int().positive().optional(),
    post_only: z.boolean().optional(),
    reduce_only: z.boolean().optional(),
    self_trade_prevention_type: stp.optional(),
    cancel_order_on_pause: z.boolean().optional(),
    subaccount: z.literal(0).optional(),
    order_group_id: z.string().optional(),
    exchange_index: z.number().int().min(-1).max(0).optional(),
  })
  .strict()
  .superRefine((body, ctx) => {
    if (body.expiration_time !== undefined && body.time_in_force !== 'good_till_canceled') {
      ctx.addIssue({
        code: 'custom',
        path: ['expiration_time'],
        message: 'expiration_time needs time_in_force good_till_canceled',
      });
    }
    if (body.order_group_id !== undefined) {
      ctx.addIssue({ code: 'custom', path: ['order_group_id'], message: 'order groups are not simulated' });
    }
  });

/** POST /portfolio/events/orders/{id}/decrease */
export const decreaseOrderV2Body = z
  .object({
    reduce_by: countString.optional(),
    reduce_to: countString.optional(),
    exchange_index: z.number().int().min(-1).max(0).optional(),
    market_ticker: z.string().optional(),
  })
  .strict()
  .refine((b) => (b.reduce_by === undefined) !== (b.reduce_to === undefined), {
    message: 'give exactly one of reduce_by and reduce_to',
  });

/** Legacy POST /portfolio/orders (side yes/no + action buy/sell; integer cents or dollar strings). */
export const createOrderLegacyBody = z
  .object({
    ticker,
    client_order_id: z.string().min(1).max(128).optional(),
    side: z.enum(['yes', 'no']),
    action: z.enum(['buy', 'sell']),
    count: z.number().int().min(1).optional(),
    count_fp: countString.optional(),
    type: z.literal('limit').optional(),
    yes_price: z.number().int().min(1).max(99).optional(),
    no_price: z.number().int().min(1).max(99).optional(),
    yes_price_dollars: dollarString.optional(),
    no_price_dollars: dollarString.optional(),
    expiration_ts: z.number().int().positive().optional(),
    time_in_force: timeInForce.optional(),
    post_only: z.boolean().optional(),
    reduce_only: z.boolean().optional(),
    sell_position_floor: z.literal(0).optional(),
    self_trade_prevention_type: stp.optional(),
    cancel_order_on_pause: z.boolean().optional(),
    subaccount: z.literal(0).optional(),
    exchange_index: z.number().int().min(-1).max(0).optional(),
  })
  .strict();

// ── Query strings ─────────────────────────────────────────────────────────────────────────

const limit = (max: number, fallback: number) => z.coerce.number().int().min(1).max(max).default(fallback);
const unixSeconds = z.coerce
  .number()
  .int()
  .nonnegative()
  .transform((s) => s * 1000);
const csv = z.string().transform((text) =>
  text
    .split(',')
    .map((part) => part.trim())
    .filter((part) => part.length > 0),
);
const booleanText = z.enum(['true', 'false']).transform((text) => text === 'true');
const marketListStatus = z.enum(['unopened', 'open', 'paused', 'closed', 'settled']);
const statusList = csv.pipe(z.array(marketListStatus));

export const eventsQuery = z.object({
  limit: limit(200, 200),
  cursor: z.string().optional(),
  with_nested_markets: booleanText.default(false),
  status: z.string().pipe(statusList).optional(),
  series_ticker: ticker.optional(),
  event_tickers: csv.optional(),
  tickers: csv.optional(),
  min_close_ts: unixSeconds.optional(),
});

export const eventQuery = z.object({ with_nested_markets: booleanText.default(false) });

export const marketsQuery = z.object({
  limit: limit(1000, 100),
  cursor: z.string().optional(),
  event_ticker: ticker.optional(),
  series_ticker: ticker.optional(),
  status: z.string().pipe(statusList).optional(),
  tickers: csv.optional(),
  min_close_ts: unixSeconds.optional(),
  max_close_ts: unixSeconds.optional(),
});

export const orderbookQuery = z.object({ depth: z.coerce.number().int().max(1000).default(0) });

export const tradesQuery = z.object({
  limit: limit(1000, 100),
  cursor: z.string().optional(),
  ticker: ticker.optional(),
  min_ts: unixSeconds.optional(),
  max_ts: unixSeconds.optional(),
});

export const ordersQuery = z.object({
  limit: limit(1000, 100),
  cursor: z.string().optional(),
  ticker: ticker.optional(),
  event_ticker: csv.optional(),
  status: z.enum(['resting', 'canceled', 'executed']).optional(),
  min_ts: unixSeconds.optional(),
  max_ts: unixSeconds.optional(),
});

export const fillsQuery = z.object({
  limit: limit(1000, 100),
  cursor: z.string().optional(),
  ticker: ticker.optional(),
  order_id: z.string().min(1).optional(),
  min_ts: unixSeconds.optional(),
  max_ts: unixSeconds.optional(),
});

export const positionsQuery = z.object({
  limit: limit(1000, 100),
  cursor: z.string().optional(),
  ticker: ticker.optional(),
  event_ticker: ticker.optional(),
  count_filter: csv.pipe(z.array(z.enum(['position', 'total_traded']))).optional(),
});

export const settlementsQuery = z.object({
  limit: limit(1000, 100),
  cursor: z.string().optional(),
  ticker: ticker.optional(),
  event_ticker: ticker.optional(),
  min_ts: unixSeconds.optional(),
  max_ts: unixSeconds.optional(),
});

/** Parses with a schema or throws 400 invalid_parameters naming the first bad field. */
export function parseRequest<S extends z.ZodType>(schema: S, value: unknown, where: string): z.output<S> {
  const result = schema.safeParse(value ?? {});
  if (result.success) return result.data;
  const issue = result.error.issues[0];
  const path = issue?.path.map(String).join('.');
  throw invalidParameters(
    `invalid ${where}${path ? ` field ${path}` : ''}: ${issue?.message ?? 'invalid'}`,
    result.error.issues.map((i) => `${i.path.map(String).join('.') || where}: ${i.message}`).join('; '),
  );
}
