/**
 * Kalshi's fixed-point wire numbers ↔ REC.IO's exact integers.
 *
 * Kalshi sends prices and money as dollar strings (`"0.5600"`, up to 6 decimals) in fields
 * ending `_dollars`, and contract counts as strings with 2 decimals (`"10.00"`) in fields ending
 * `_fp`; older payloads carry integer cents (`yes_bid: 56`) and integer counts instead. Inside
 * REC.IO money is integer centi-cents (1/10 000 USD) and counts are whole contracts
 * (src/domain/units.ts).
 *
 * Everything here is string and integer arithmetic: a float never touches a price, so
 * `"0.2900"` is 2 900 centi-cents and not 2 899.9999. Values that cannot be represented
 * exactly are rejected with a FixedPointError — except by the one function whose name says
 * it rounds (`parseDollarsRoundedHalfUp`), meant for exchange-computed averages.
 */
import type { CentiCents, Contracts } from '../units.ts';

/** Centi-cents have 4 decimal places of a dollar. */
const CENTICENT_DECIMALS = 4;
/** Kalshi responses emit at most 6 decimals; more is malformed, not just imprecise. */
const MAX_WIRE_DECIMALS = 6;

export class FixedPointError extends Error {
  override readonly name = 'FixedPointError';
  constructor(
    message: string,
    /** The wire field the value came from, when the caller named it. */
    readonly field: string | undefined,
    /** The offending input as received. */
    readonly input: unknown,
  ) {
    super(field === undefined ? message : `${field}: ${message}`);
  }
}

export type Rounding = 'exact' | 'half-up';

const DECIMAL = /^([+-]?)(\d+)(?:\.(\d+))?$/;

/**
 * Parses a plain decimal string into an integer scaled by 10^scale, exactly ('exact': digits
 * beyond `scale` must be zeros) or rounding half-up — half away from zero, the commercial
 * rule (`"0.00005"` → 1 at scale 4, `"-0.00005"` → −1).
 * Accepted grammar: optional sign, digits, optionally a dot and 1..maxDecimals digits. No
 * exponents, spaces, leading dot, trailing dot, or non-ASCII digits.
 */
export function parseScaledDecimal(
  text: unknown,
  scale: number,
  options: { rounding?: Rounding; maxDecimals?: number; field?: string } = {},
): number {
  const { rounding = 'exact', maxDecimals = MAX_WIRE_DECIMALS, field } = options;
  if (typeof text !== 'string') {
    throw new FixedPointError(`expected a decimal string, got ${describe(text)}`, field, text);
  }
  const match = DECIMAL.exec(text);
  if (match === null) {
    throw new FixedPointError(`malformed decimal ${JSON.stringify(text)}`, field, text);
  }
  const sign = match[1] ?? '';
  const whole = match[2] ?? '';
  const fraction = match[3] ?? '';
  if (fraction.length > maxDecimals) {
    throw new FixedPointError(
      `${JSON.stringify(text)} has ${fraction.length} decimals, at most ${maxDecimals} allowed`,
      field,
      text,
    );
  }
  const kept = fraction.padEnd(scale, '0').slice(0, scale);
  const dropped = fraction.slice(scale);
  let magnitude = BigInt(whole + kept);
  if (/[1-9]/.test(dropped)) {
    if (rounding === 'exact') {
      throw new FixedPointError(
        `${JSON.stringify(text)} is not representable with ${scale} decimals`,
        field,
        text,
      );
    }
    if (dropped.charCodeAt(0) >= '5'.charCodeAt(0)) magnitude += 1n;
  }
  const value = sign === '-' ? -magnitude : magnitude;
  if (value > BigInt(Number.MAX_SAFE_INTEGER) || value < BigInt(Number.MIN_SAFE_INTEGER)) {
    throw new FixedPointError(`${JSON.stringify(text)} is out of the safe integer range`, field, text);
  }
  // `+ 0` turns a -0 (from "-0.00") into 0.
  return Number(value) + 0;
}

/** `"0.5600"` → 5 600 centi-cents, exactly; `"0.56001"` is rejected (not representable). */
export function parseDollars(text: unknown, field?: string): CentiCents {
  return parseScaledDecimal(text, CENTICENT_DECIMALS, { field });
}

/**
 * ROUNDS half-up (away from zero) to centi-cents: only for exchange-computed averages such as
 * `average_fill_price` / `average_fee_paid`, which may legitimately carry 6 decimals
 * (`"0.563333"` → 5 633, `"0.563350"` → 5 634). Never use it for a price or an amount of money
 * that must be exact.
 */
export function parseDollarsRoundedHalfUp(text: unknown, field?: string): CentiCents {
  return parseScaledDecimal(text, CENTICENT_DECIMALS, { field, rounding: 'half-up' });
}

/** `"10.00"` → 10 contracts; signed values (`"-54.00"`, deltas and positions) are allowed; `"2.50"` is rejected. */
export function parseCountFp(text: unknown, field?: string): Contracts {
  try {
    return parseScaledDecimal(text, 0, { field });
  } catch (error) {
    if (error instanceof FixedPointError && typeof text === 'string' && DECIMAL.test(text)) {
      const decimals = text.split('.')[1]?.length ?? 0;
      if (decimals <= MAX_WIRE_DECIMALS) {
        throw new FixedPointError(
          `fractional contract count ${JSON.stringify(text)}: REC.IO trades whole contracts only`,
          field,
          text,
        );
      }
    }
    throw error;
  }
}

/** Legacy integer cents (`yes_bid: 56`) → 5 600 centi-cents. */
export function legacyCentsToCentiCents(cents: unknown, field?: string): CentiCents {
  return 100 * requireSafeInteger(cents, 'integer cents', field);
}

/** Legacy integer count (`count: 10`) → 10 contracts (validated). */
export function legacyCount(count: unknown, field?: string): Contracts {
  return requireSafeInteger(count, 'integer contract count', field);
}

/**
 * Reads a price/money field the current way first (`x_dollars` string), falling back to the
 * legacy integer-cent field (`x`). `undefined` when both are absent (null counts as absent).
 */
export function dollarsOrLegacyCents(
  dollars: string | null | undefined,
  legacyCents: number | null | undefined,
  field?: string,
): CentiCents | undefined {
  if (dollars !== undefined && dollars !== null) return parseDollars(dollars, field && `${field}_dollars`);
  if (legacyCents !== undefined && legacyCents !== null) return legacyCentsToCentiCents(legacyCents, field);
  return undefined;
}

/** Reads a count field the current way first (`x_fp` string), falling back to the legacy integer (`x`). */
export function countFpOrLegacy(
  fp: string | null | undefined,
  legacy: number | null | undefined,
  field?: string,
): Contracts | undefined {
  if (fp !== undefined && fp !== null) return parseCountFp(fp, field && `${field}_fp`);
  if (legacy !== undefined && legacy !== null) return legacyCount(legacy, field);
  return undefined;
}

/**
 * 5 600 → `"0.5600"` (decimals 0..6, default 4, Kalshi's request format). Fewer than 4
 * decimals is allowed only when nothing is lost (5 600 → `"0.56"` at 2; 5 650 at 2 throws).
 */
export function formatDollars(centiCents: CentiCents, decimals = 4): string {
  requireSafeInteger(centiCents, 'integer centi-cents');
  if (!Number.isInteger(decimals) || decimals < 0 || decimals > MAX_WIRE_DECIMALS) {
    throw new FixedPointError(
      `decimals must be an integer 0..${MAX_WIRE_DECIMALS}, got ${decimals}`,
      undefined,
      decimals,
    );
  }
  const negative = centiCents < 0;
  const digits = Math.abs(centiCents)
    .toString()
    .padStart(CENTICENT_DECIMALS + 1, '0');
  const whole = digits.slice(0, -CENTICENT_DECIMALS);
  let fraction = digits.slice(-CENTICENT_DECIMALS);
  if (decimals < CENTICENT_DECIMALS) {
    const lost = fraction.slice(decimals);
    if (/[1-9]/.test(lost)) {
      throw new FixedPointError(
        `${centiCents} centi-cents cannot be written with ${decimals} decimals without rounding`,
        undefined,
        centiCents,
      );
    }
    fraction = fraction.slice(0, decimals);
  } else {
    fraction = fraction.padEnd(decimals, '0');
  }
  const body = fraction.length > 0 ? `${whole}.${fraction}` : whole;
  return negative && centiCents !== 0 ? `-${body}` : body;
}

/** 10 → `"10.00"`, Kalshi's `_fp` count format. */
export function formatCount(contracts: Contracts): string {
  requireSafeInteger(contracts, 'integer contract count');
  return `${contracts}.00`;
}

function requireSafeInteger(value: unknown, what: string, field?: string): number {
  if (typeof value !== 'number' || !Number.isSafeInteger(value)) {
    throw new FixedPointError(`expected ${what}, got ${describe(value)}`, field, value);
  }
  return value + 0;
}

function describe(value: unknown): string {
  if (typeof value === 'string') return JSON.stringify(value);
  if (typeof value === 'number' || typeof value === 'boolean' || typeof value === 'bigint')
    return String(value);
  if (value === null) return 'null';
  if (value === undefined) return 'undefined';
  return Array.isArray(value) ? 'an array' : `a ${typeof value}`;
}
