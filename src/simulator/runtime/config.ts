/**
 * The simulator's own settings (the `simulator` section of recio.config.json), validated here
 * and turned into the market simulation's config. Everything has a default: `npm start` needs
 * none of it.
 *
 * The market parameters (seed, symbols, prices, delays) apply when the simulation is created —
 * on the first start of a database. A restored simulation keeps the config it was created with
 * (its snapshot holds it), so a restart never changes the market's course.
 */
import { z } from 'zod';
import { SYMBOLS, type SymbolId } from '../../domain/units.ts';
import { defaultSimulationConfig, type SimulationConfig } from '../market/simulation.ts';

const seconds = z.number().int().nonnegative();

export const simulatorConfigSchema = z
  .object({
    seed: z.string().min(1).default('recio-sim'),
    symbols: z.array(z.enum(SYMBOLS)).min(1).default(['BTC', 'ETH']),
    /** Index price at the first simulated second, dollars (default: BTC 115 000, ETH 3 800). */
    startPrices: z.partialRecord(z.enum(SYMBOLS), z.number().positive()).default({}),
    /** Strikes per hourly event (default ~75, Kalshi's ladder). Fewer make tests faster. */
    strikesPerEvent: z.number().int().min(1).max(201).optional(),
    /** The next hour's event is listed this long before the current one closes (whole minutes). */
    listLeadSeconds: seconds.multipleOf(60).default(600),
    determinationDelaySeconds: seconds.default(70),
    settlementDelaySeconds: seconds.default(159),
    /** Settled events and finished orders stay in memory this long (older ones: the ledger). */
    retentionHours: z
      .number()
      .positive()
      .max(24 * 30)
      .default(24),
    /** Minutes of Coinbase candles a fresh simulator starts with (momentum needs 30). */
    spotHistoryMinutes: z
      .number()
      .int()
      .min(0)
      .max(7 * 24 * 60)
      .default(120),
    /** Market makers quote every strike; taker flow trades against them. */
    makers: z.boolean().default(true),
    takerFlow: z.boolean().default(true),
    /** A snapshot is written after this much simulated time (the journal covers the gap). */
    snapshotEverySeconds: z.number().int().min(1).default(300),
    /** Simulated seconds one tick may step before it yields (catch-up after a pause). */
    maxStepsPerTick: z.number().int().min(1).default(120),
    /** Largest accepted distance between KALSHI-ACCESS-TIMESTAMP and now. */
    signatureMaxSkewSeconds: z.number().int().min(1).default(30),
    /** The platform's own paper account, created on the first start. */
    paper: z
      .object({
        accountId: z.string().min(1).default('paper'),
        startingBalanceDollars: z.number().int().nonnegative().default(10_000),
        tier: z.enum(['basic', 'advanced', 'premier', 'prime']).default('premier'),
      })
      .prefault({}),
  })
  .strict();

export type SimulatorConfig = z.output<typeof simulatorConfigSchema>;

/** Parses the `simulator` config section; throws one line naming the bad field. */
export function parseSimulatorConfig(raw: unknown): SimulatorConfig {
  const result = simulatorConfigSchema.safeParse(raw ?? {});
  if (result.success) return result.data;
  const issue = result.error.issues[0];
  const path = issue?.path.map(String).join('.') || '(root)';
  throw new Error(`config: simulator.${path}: ${issue?.message ?? 'invalid'}`);
}

/** The market simulation's config for a first start at `startTimeMs`. */
export function toSimulationConfig(config: SimulatorConfig, startTimeMs: number): SimulationConfig {
  const defaults = defaultSimulationConfig();
  const symbols: SimulationConfig['symbols'] = {};
  for (const symbol of config.symbols) {
    const base = defaults.symbols[symbol as SymbolId];
    if (!base) throw new Error(`no default market parameters for ${symbol}`);
    symbols[symbol] = {
      ...base,
      startPrice: config.startPrices[symbol] ?? base.startPrice,
      ladder: { ...base.ladder, count: config.strikesPerEvent ?? base.ladder.count },
    };
  }
  return {
    ...defaults,
    seed: config.seed,
    startTimeMs,
    symbols,
    listLeadMs: config.listLeadSeconds * 1000,
    determinationDelayMs: config.determinationDelaySeconds * 1000,
    settlementDelayMs: config.settlementDelaySeconds * 1000,
    retentionMs: Math.round(config.retentionHours * 3_600_000),
    maker: config.makers ? defaults.maker : null,
    flow: config.takerFlow ? defaults.flow : null,
  };
}
