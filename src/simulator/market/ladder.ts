/**
 * The strike ladder of an hourly event: ~75 integer strikes around the index at listing, at the
 * series' spacing. BTC: $250 apart (floor_strike ending .99, e.g. 114 749.99); ETH: $20
 * (uncertain: Kalshi's ETH spacing was not confirmed).
 */
import type { StrikeDollars, SymbolId } from '../../domain/units.ts';

export interface LadderParams {
  spacing: number;
  count: number;
}

export const DEFAULT_LADDER: Readonly<Record<SymbolId, LadderParams>> = {
  BTC: { spacing: 250, count: 75 },
  ETH: { spacing: 20, count: 75 },
};

/** `count` strikes, spacing apart, centred on the multiple of `spacing` nearest `price`. */
export function strikeLadder(price: number, params: LadderParams): StrikeDollars[] {
  if (!(price > 0)) throw new Error(`price must be positive, got ${price}`);
  if (!Number.isSafeInteger(params.spacing) || params.spacing < 1)
    throw new Error('spacing must be a positive integer');
  if (!Number.isSafeInteger(params.count) || params.count < 1)
    throw new Error('count must be a positive integer');
  const centre =
    Math.max(Math.round(price / params.spacing), Math.floor(params.count / 2) + 1) * params.spacing;
  const first = centre - Math.floor(params.count / 2) * params.spacing;
  return Array.from({ length: params.count }, (_, i) => first + i * params.spacing);
}
