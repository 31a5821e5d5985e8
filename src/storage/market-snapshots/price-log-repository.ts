/**
 * market.prices_1s: the 1-s spot price log of symbol_price_watchdog_<sym>, with retention.
 *
 * Symbols and modes are whitelisted before any SQL; every value travels as a parameter. A
 * batch is one multi-row insert; a second already stored is left as it is (a restarted
 * watchdog may seal a second twice — the first write stands, as the published price did).
 */
import type { Kysely } from 'kysely';
import type { Database, TradingModeValue } from '../../core/db/schema.ts';
import { SYMBOLS, type EpochMs, type SymbolId } from '../../domain/units.ts';

export const TRADING_MODES = ['paper', 'demo', 'live'] as const satisfies readonly TradingModeValue[];

export class MarketStoreError extends Error {
  override name = 'MarketStoreError';
}

export function checkMode(mode: string): TradingModeValue {
  if (!(TRADING_MODES as readonly string[]).includes(mode)) {
    throw new MarketStoreError(`unknown mode "${mode}" (known: ${TRADING_MODES.join(', ')})`);
  }
  return mode as TradingModeValue;
}

export function checkSymbol(symbol: string): SymbolId {
  if (!(SYMBOLS as readonly string[]).includes(symbol)) {
    throw new MarketStoreError(`unknown symbol "${symbol}" (known: ${SYMBOLS.join(', ')})`);
  }
  return symbol as SymbolId;
}

export interface LoggedPrice {
  /** Whole UTC second, epoch ms. */
  secondMs: EpochMs;
  priceCents: number;
  carried: boolean;
}

/** Rows per statement: 5 parameters each, far below PostgreSQL's 65 535. */
const INSERT_BATCH = 1_000;

/** Stores 1-s prices (a second already stored is kept); returns the rows offered. */
export async function insertPrices(
  db: Kysely<Database>,
  modeText: TradingModeValue,
  symbolText: SymbolId,
  prices: readonly LoggedPrice[],
): Promise<number> {
  const mode = checkMode(modeText);
  const symbol = checkSymbol(symbolText);
  for (const [i, p] of prices.entries()) {
    if (!Number.isSafeInteger(p.secondMs) || p.secondMs % 1_000 !== 0) {
      throw new MarketStoreError(`price ${i}: ${p.secondMs} is not a whole second`);
    }
    if (!Number.isSafeInteger(p.priceCents) || p.priceCents <= 0) {
      throw new MarketStoreError(`price ${i}: ${p.priceCents} is not positive integer cents`);
    }
  }
  for (let start = 0; start < prices.length; start += INSERT_BATCH) {
    const rows = prices.slice(start, start + INSERT_BATCH).map((p) => ({
      mode,
      symbol,
      ts: new Date(p.secondMs),
      price: p.priceCents,
      carried: p.carried,
    }));
    await db
      .insertInto('market.prices_1s')
      .values(rows)
      .onConflict((oc) => oc.columns(['mode', 'symbol', 'ts']).doNothing())
      .execute();
  }
  return prices.length;
}

/** Prices of [fromMs, toMs), oldest first. */
export async function readPrices(
  db: Kysely<Database>,
  modeText: TradingModeValue,
  symbolText: SymbolId,
  fromMs: EpochMs,
  toMs: EpochMs,
  limit = 100_000,
): Promise<LoggedPrice[]> {
  const rows = await db
    .selectFrom('market.prices_1s')
    .select(['ts', 'price', 'carried'])
    .where('mode', '=', checkMode(modeText))
    .where('symbol', '=', checkSymbol(symbolText))
    .where('ts', '>=', new Date(fromMs))
    .where('ts', '<', new Date(toMs))
    .orderBy('ts')
    .limit(limit)
    .execute();
  return rows.map((r) => ({ secondMs: r.ts.getTime(), priceCents: r.price, carried: r.carried }));
}

/** Retention: removes one symbol's prices (every mode) older than `beforeMs`; returns how many. */
export async function deletePricesBefore(
  db: Kysely<Database>,
  beforeMs: EpochMs,
  symbolText: SymbolId,
): Promise<number> {
  // Counted through RETURNING: PGlite's Kysely driver does not report affected rows.
  const row = await db
    .with('removed', (qb) =>
      qb
        .deleteFrom('market.prices_1s')
        .where('symbol', '=', checkSymbol(symbolText))
        .where('ts', '<', new Date(beforeMs))
        .returning('ts'),
    )
    .selectFrom('removed')
    .select((eb) => eb.fn.countAll<number | string>().as('n'))
    .executeTakeFirstOrThrow();
  return Number(row.n);
}
