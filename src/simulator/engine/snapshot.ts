/**
 * zod schema of the engine snapshot: a snapshot read back from storage is untrusted input and
 * is checked here before `ExchangeEngine.restore` rebuilds the books from it.
 */
import { z } from 'zod';
import type { EngineSnapshot } from './types.ts';

const int = z.number().int();
const nonNegative = int.nonnegative();
const time = z.number().finite();
const bookSide = z.enum(['bid', 'ask']);
const outcomeSide = z.enum(['yes', 'no']);

const tickerQuote = z.object({
  yesBidCc: int.nullable(),
  yesAskCc: int.nullable(),
  lastPriceCc: int.nullable(),
  volume: nonNegative,
  openInterest: nonNegative,
});

const market = z.object({
  ticker: z.string().min(1),
  eventTicker: z.string().min(1),
  seriesTicker: z.string().min(1),
  strike: int.positive(),
  openTime: time,
  closeTime: time,
  tickCc: int.positive(),
  takerFeeBps: nonNegative,
  makerFeeBps: nonNegative,
  status: z.enum(['initialized', 'active', 'closed', 'determined', 'settled']),
  result: z.enum(['', 'yes', 'no']),
  expirationValue: z.string(),
  createdTime: time,
  determinedTime: time.nullable(),
  settledTime: time.nullable(),
  lastPriceCc: int.nullable(),
  volume: nonNegative,
  openInterest: nonNegative,
  lastTicker: tickerQuote.nullable(),
});

const account = z.object({
  accountId: z.string().min(1),
  balanceCc: int,
  reservedCc: nonNegative,
  recordHistory: z.boolean(),
  updatedTime: time,
});

const order = z.object({
  orderId: z.string().min(1),
  accountId: z.string().min(1),
  clientOrderId: z.string(),
  ticker: z.string().min(1),
  side: bookSide,
  outcomeSide,
  yesPriceCc: int,
  noPriceCc: int,
  timeInForce: z.enum(['fill_or_kill', 'immediate_or_cancel', 'good_till_canceled']),
  postOnly: z.boolean(),
  reduceOnly: z.boolean(),
  selfTradePrevention: z.enum(['taker_at_cross', 'maker']),
  expirationTime: time.nullable(),
  status: z.enum(['resting', 'canceled', 'executed']),
  initialCount: nonNegative,
  fillCount: nonNegative,
  remainingCount: nonNegative,
  reducedCount: nonNegative,
  takerFillCostCc: nonNegative,
  makerFillCostCc: nonNegative,
  takerFeesCc: nonNegative,
  makerFeesCc: nonNegative,
  takerFillCount: nonNegative,
  makerFillCount: nonNegative,
  reservedCc: nonNegative,
  priority: nonNegative,
  cancelReason: z
    .enum(['user', 'immediate_or_cancel', 'self_trade', 'expired', 'market_closed', 'reduce_only'])
    .nullable(),
  createdTime: time,
  lastUpdateTime: time,
});

const fill = z.object({
  fillId: z.string().min(1),
  tradeId: z.string().min(1),
  orderId: z.string().min(1),
  accountId: z.string().min(1),
  clientOrderId: z.string(),
  ticker: z.string().min(1),
  side: bookSide,
  outcomeSide,
  count: int.positive(),
  yesPriceCc: int,
  noPriceCc: int,
  isTaker: z.boolean(),
  feeCc: nonNegative,
  postPosition: int,
  createdTime: time,
});

const trade = z.object({
  tradeId: z.string().min(1),
  ticker: z.string().min(1),
  count: int.positive(),
  yesPriceCc: int,
  noPriceCc: int,
  takerSide: bookSide,
  takerOutcomeSide: outcomeSide,
  createdTime: time,
});

const position = z.object({
  accountId: z.string().min(1),
  ticker: z.string().min(1),
  eventTicker: z.string().min(1),
  position: int,
  costBasisCc: nonNegative,
  realizedPnlCc: int,
  feesPaidCc: nonNegative,
  totalTradedCc: nonNegative,
  volume: nonNegative,
  lastUpdatedTime: time,
});

const settlement = z.object({
  accountId: z.string().min(1),
  ticker: z.string().min(1),
  eventTicker: z.string().min(1),
  marketResult: outcomeSide,
  yesCount: nonNegative,
  noCount: nonNegative,
  yesTotalCostCc: nonNegative,
  noTotalCostCc: nonNegative,
  revenueCc: nonNegative,
  feeCostCc: nonNegative,
  valueCc: nonNegative,
  settledTime: time,
});

export const engineSnapshotSchema = z.object({
  version: z.literal(1),
  config: z.object({
    idNamespace: z.string().regex(/^[0-9a-f]{8}$/),
    recentTradesPerMarket: int.positive(),
  }),
  nowMs: time,
  counters: z.object({ order: nonNegative, trade: nonNegative, priority: nonNegative }),
  accounts: z.array(account),
  markets: z.array(market),
  orders: z.array(order),
  fills: z.array(fill),
  trades: z.array(trade),
  positions: z.array(position),
  settlements: z.array(settlement),
  clientOrderIds: z.array(z.tuple([z.string(), z.string(), z.string()])),
});

/** Parses untrusted JSON into a snapshot; throws a zod error naming the bad field. */
export function parseEngineSnapshot(json: unknown): EngineSnapshot {
  return engineSnapshotSchema.parse(json) satisfies EngineSnapshot;
}
