/**
 * Building blocks of the Kalshi zod models: conversions of wire fields into REC.IO units, each
 * throwing a WireFieldError that `convert()` turns into a zod issue (so a bad payload fails
 * parsing with the field named, instead of leaking a half-converted object).
 */
import { z } from 'zod';
import {
  FixedPointError,
  countFpOrLegacy,
  dollarsOrLegacyCents,
  parseDollars,
  parseDollarsRoundedHalfUp,
} from '../../../domain/kalshi/fixed-point.ts';
import type { BookSide, OrderAction, OutcomeSide } from '../types.ts';
import type { CentiCents, Contracts, EpochMs } from '../../../domain/units.ts';

export class WireFieldError extends Error {
  override readonly name = 'WireFieldError';
}

/** A wire value: zod already checked it is a string/number or absent. */
type Maybe<T> = T | null | undefined;

/** Applies a converting function after a raw schema, reporting conversion errors as zod issues. */
export function convert<In, Out>(schema: z.ZodType<In>, fn: (input: In) => Out) {
  return schema.transform((input, ctx): Out => {
    try {
      return fn(input);
    } catch (error) {
      if (error instanceof FixedPointError || error instanceof WireFieldError) {
        ctx.issues.push({ code: 'custom', message: error.message, input });
        return z.NEVER;
      }
      throw error;
    }
  });
}

export function present<T>(value: Maybe<T>, field: string): T {
  if (value === undefined || value === null) throw new WireFieldError(`${field} is missing`);
  return value;
}

/** Null and absent are the same on Kalshi's wire; both become undefined. */
export function opt<T>(value: Maybe<T>): T | undefined {
  return value === null ? undefined : value;
}

/** Non-empty string or undefined (Kalshi sends "" for "none" in places, e.g. client_order_id). */
export function optText(value: Maybe<string>): string | undefined {
  return value === null || value === undefined || value === '' ? undefined : value;
}

/** `x_dollars` first, then legacy integer cents `x`; required. */
export function price(dollars: Maybe<string>, cents: Maybe<number>, field: string): CentiCents {
  return present(dollarsOrLegacyCents(dollars, cents, field), `${field}_dollars (or legacy ${field})`);
}

export function optPrice(
  dollars: Maybe<string>,
  cents: Maybe<number>,
  field: string,
): CentiCents | undefined {
  return dollarsOrLegacyCents(dollars, cents, field);
}

/** An exact dollar string, optional. */
export function optDollars(dollars: Maybe<string>, field: string): CentiCents | undefined {
  return dollars === undefined || dollars === null ? undefined : parseDollars(dollars, field);
}

/** An exchange-computed average: rounded half-up to centi-cents (see fixed-point.ts). */
export function optAverageDollars(dollars: Maybe<string>, field: string): CentiCents | undefined {
  return dollars === undefined || dollars === null || dollars === ''
    ? undefined
    : parseDollarsRoundedHalfUp(dollars, field);
}

/** `x_fp` first, then legacy integer `x`; required. */
export function count(fp: Maybe<string>, legacy: Maybe<number>, field: string): Contracts {
  return present(countFpOrLegacy(fp, legacy, field), `${field}_fp (or legacy ${field})`);
}

export function optCount(fp: Maybe<string>, legacy: Maybe<number>, field: string): Contracts | undefined {
  return countFpOrLegacy(fp, legacy, field);
}

/** Integer money already in centi-cents (the market_positions channel), validated. */
export function centiCents(value: Maybe<number>, field: string): CentiCents {
  const v = present(value, field);
  if (!Number.isSafeInteger(v)) throw new WireFieldError(`${field}: expected integer centi-cents, got ${v}`);
  return v;
}

/** RFC 3339 text → epoch ms; required. */
export function isoTime(text: Maybe<string>, field: string): EpochMs {
  const value = present(text, field);
  const ms = Date.parse(value);
  if (Number.isNaN(ms)) throw new WireFieldError(`${field}: not a timestamp: ${JSON.stringify(value)}`);
  return ms;
}

export function optIsoTime(text: Maybe<string>, field: string): EpochMs | undefined {
  return text === undefined || text === null || text === '' ? undefined : isoTime(text, field);
}

/** Unix seconds (Kalshi's WebSocket `ts`) → epoch ms. */
export function seconds(value: Maybe<number>, field: string): EpochMs {
  const v = present(value, field);
  if (!Number.isSafeInteger(v) || v < 0)
    throw new WireFieldError(`${field}: expected Unix seconds, got ${v}`);
  return v * 1000;
}

export function optSeconds(value: Maybe<number>, field: string): EpochMs | undefined {
  return value === undefined || value === null ? undefined : seconds(value, field);
}

/** The other leg's price: 1 − p. */
export function complement(priceCc: CentiCents): CentiCents {
  return 10_000 - priceCc;
}

/**
 * Direction from the current fields (`book_side`, `outcome_side`) or, failing that, from the
 * deprecated (`side` yes/no, `action` buy/sell) pair:
 * buy YES = bid/yes, sell YES = ask/no, buy NO = ask/no, sell NO = bid/yes.
 */
export function direction(
  wire: {
    book_side?: Maybe<BookSide>;
    outcome_side?: Maybe<OutcomeSide>;
    side?: Maybe<OutcomeSide>;
    action?: Maybe<OrderAction>;
  },
  what: string,
): { bookSide: BookSide; outcomeSide: OutcomeSide } {
  let bookSide = opt(wire.book_side);
  let outcomeSide = opt(wire.outcome_side);
  if ((bookSide === undefined || outcomeSide === undefined) && wire.side && wire.action) {
    const buysYes = (wire.side === 'yes') === (wire.action === 'buy');
    bookSide ??= buysYes ? 'bid' : 'ask';
    outcomeSide ??= buysYes ? 'yes' : 'no';
  }
  if (bookSide === undefined && outcomeSide !== undefined) bookSide = outcomeSide === 'yes' ? 'bid' : 'ask';
  if (outcomeSide === undefined && bookSide !== undefined) outcomeSide = bookSide === 'bid' ? 'yes' : 'no';
  if (bookSide === undefined || outcomeSide === undefined) {
    throw new WireFieldError(`${what}: no direction (book_side/outcome_side or side+action)`);
  }
  return { bookSide, outcomeSide };
}

// Raw field schemas (nullable: Kalshi sends null for absent in places).
export const zText = z.string().nullish();
export const zNum = z.number().nullish();
export const zInt = z.number().int().nullish();
export const zBool = z.boolean().nullish();
export const zOutcome = z.enum(['yes', 'no']).nullish();
export const zBookSide = z.enum(['bid', 'ask']).nullish();
export const zAction = z.enum(['buy', 'sell']).nullish();
