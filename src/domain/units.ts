/**
 * Units used across REC.IO — one place, so no column or message mixes them (a v2 defect).
 *
 * - Money and contract prices: integer **centi-cents** (1/10 000 USD), the precision of
 *   Kalshi's fee rounding. $0.56 = 5 600; $12.34 = 123 400.
 * - Contract counts: integer whole contracts (REC.IO trades whole contracts; a fractional
 *   `_fp` count from the exchange is rejected at the door with a clear error).
 * - Strikes: integer dollars, `round(floor_strike + 0.01)` — 114749.99 → 114 750.
 * - Spot and index prices: dollars as numbers with at most 2 decimals (the exchanges' tick);
 *   anything that decides money from them (the 60-s settlement average) sums integer cents.
 * - Probabilities: percent (0–100) as numbers — model outputs, not money.
 * - Times: epoch milliseconds, UTC. New York time only on screen and in Kalshi's tickers.
 */
export type CentiCents = number;
export type Contracts = number;
export type StrikeDollars = number;
export type EpochMs = number;

export const CENTICENTS_PER_DOLLAR = 10_000;
export const CENTICENTS_PER_CENT = 100;

export const SYMBOLS = ['BTC', 'ETH'] as const;
export type SymbolId = (typeof SYMBOLS)[number];

/** Narrows untrusted text ("btc", "ETH") to a known symbol, or undefined: symbols are a whitelist. */
export function parseSymbol(text: string): SymbolId | undefined {
  const upper = text.toUpperCase();
  return (SYMBOLS as readonly string[]).includes(upper) ? (upper as SymbolId) : undefined;
}
