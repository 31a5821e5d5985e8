/**
 * zod schema of the simulation snapshot (the engine part is checked by engineSnapshotSchema):
 * a snapshot read back from PostgreSQL is untrusted until parsed here.
 */
import { z } from 'zod';
import { engineSnapshotSchema } from '../engine/snapshot.ts';
import type { SimulationSnapshot } from './simulation.ts';

const uint32 = z.number().int().min(0).max(0xffffffff);
const randomState = z.tuple([uint32, uint32, uint32, uint32]);
const time = z.number().finite();

const spotTick = z.object({
  productId: z.string(),
  timeMs: time,
  price: z.number().positive(),
  side: z.enum(['buy', 'sell']),
  size: z.number().positive(),
  bestBid: z.number(),
  bestAsk: z.number(),
  sequence: z.number().int().nonnegative(),
  tradeId: z.number().int().nonnegative(),
});

const candle = z.object({
  startMs: time,
  low: z.number(),
  high: z.number(),
  open: z.number(),
  close: z.number(),
  volume: z.number().nonnegative(),
});

const symbolState = z.object({
  process: z.object({ price: z.number().positive(), variance: z.number().positive() }),
  spot: z.object({
    basis: z.number(),
    sequence: z.number().int().nonnegative(),
    tradeId: z.number().int().nonnegative(),
    lastPrice: z.number().nullable(),
    candles: z.array(candle),
  }),
  priceRandom: randomState,
  spotRandom: randomState,
  printCents: z.number().int().positive(),
  nextPrintCents: z.number().int().positive(),
  history: z.object({ firstSecondMs: time, cents: z.array(z.number().int().positive()) }),
  pendingTicks: z.array(spotTick),
});

const simEvent = z.object({
  eventTicker: z.string(),
  seriesTicker: z.string(),
  symbol: z.enum(['BTC', 'ETH']),
  openTime: time,
  closeTime: time,
  createdTime: time,
  strikes: z.array(z.number().int().positive()),
  marketTickers: z.array(z.string()),
  status: z.enum(['open', 'determined', 'settled']),
  settlement: z
    .object({
      sumCents: z.number().int(),
      printCount: z.number().int().positive(),
      displayDollars: z.string(),
    })
    .nullable(),
  determinedTime: time.nullable(),
  settledTime: time.nullable(),
});

export const simulationSnapshotSchema = z.object({
  version: z.literal(1),
  // The config is the simulator's own (written by it, parameters checked where they are used).
  config: z.looseObject({ seed: z.string(), startTimeMs: time, symbols: z.record(z.string(), z.unknown()) }),
  lastSecondMs: time,
  lastPruneMs: time,
  halted: z.boolean().optional(),
  symbols: z.partialRecord(z.enum(['BTC', 'ETH']), symbolState),
  events: z.array(simEvent),
  makers: z.record(
    z.string(),
    z.object({
      quotedFairCents: z.number().nullable(),
      stubPriceCents: z.number().int(),
      restingCount: z.number().int(),
    }),
  ),
  makerRandom: randomState,
  flowRandom: randomState,
  engine: engineSnapshotSchema,
});

/** Parses untrusted JSON into a simulation snapshot; throws a zod error naming the bad field. */
export function parseSimulationSnapshot(json: unknown): SimulationSnapshot {
  return simulationSnapshotSchema.parse(json) as unknown as SimulationSnapshot;
}
