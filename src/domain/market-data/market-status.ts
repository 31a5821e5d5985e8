/**
 * Kalshi's market status words (the market's own `status`, not the list filters
 * `open | closed | …`). Kept in the domain so bus schemas and snapshots need no integration
 * import; src/integrations/kalshi/types.ts re-exports it.
 */
export const KALSHI_MARKET_STATUSES = [
  'initialized',
  'inactive',
  'active',
  'closed',
  'determined',
  'disputed',
  'amended',
  'finalized',
  'settled',
] as const;
export type KalshiMarketStatus = (typeof KALSHI_MARKET_STATUSES)[number];
