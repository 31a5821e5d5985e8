import { z } from 'zod';
import { SERVICE_NAMES } from '../manifest/service-names.ts';

/** The one typed configuration of a REC.IO process. Defaults < config file < environment. */
export const configSchema = z
  .object({
    /** paper = the built-in simulator; demo = Kalshi's demo exchange; live = real money. */
    mode: z.enum(['paper', 'demo', 'live']).default('paper'),
    /** Live trading also needs a master_admin's switch in the UI; this flag only makes it possible. */
    liveTradingEnabled: z.boolean().default(false),
    dataDir: z.string().min(1).default('./data'),
    /** A PostgreSQL server; without it the embedded PGlite under dataDir is used. */
    databaseUrl: z.url({ protocol: /^postgres(ql)?$/ }).optional(),
    /** A Redis server for the bus; without it the in-process bus is used (all-in-one only). */
    redisUrl: z.url({ protocol: /^rediss?$/ }).optional(),
    /**
     * Prefix of the bus's Redis channels. Pub/sub channels are global to a Redis server (not per
     * database number): installations or test runs sharing one Redis each need their own.
     */
    busPrefix: z
      .string()
      .regex(/^[A-Za-z0-9_.:-]{1,64}$/, '1-64 letters, digits or _ . : -')
      .default('recio:'),
    clock: z
      .discriminatedUnion('mode', [
        z.object({ mode: z.literal('real') }),
        z.object({
          mode: z.literal('simulated'),
          /** ISO-8601 start of simulated time; defaults to the real time at start. */
          start: z.iso.datetime({ offset: true }).optional(),
          /**
           * The real time at which simulated time was `start` (ISO-8601); defaults to this
           * process's start. Processes given one anchor share one timeline — the distributed
           * topology needs it, or each process (and each restart) would start its own.
           */
          anchor: z.iso.datetime({ offset: true }).optional(),
          rate: z.number().positive().max(100_000).default(1),
        }),
      ])
      .default({ mode: 'real' }),
    log: z
      .object({
        level: z.enum(['trace', 'debug', 'info', 'warn', 'error', 'fatal', 'silent']).default('info'),
        /** Per-service rotating files under <dataDir>/logs in all-in-one mode. */
        files: z.boolean().default(true),
        maxFileSize: z
          .string()
          .regex(/^\d+[kmg]$/, 'a size such as 10m')
          .default('10m'),
        maxFiles: z.number().int().min(1).max(100).default(5),
      })
      .default({ level: 'info', files: true, maxFileSize: '10m', maxFiles: 5 }),
    /** Shared secret on service-to-service calls; generated per process in all-in-one mode. */
    internalToken: z.string().min(16, 'at least 16 characters').optional(),
    /**
     * Exchange endpoints. Unset: derived from the mode — paper → the built-in simulator on its
     * manifest port; demo → Kalshi's demo exchange; live → Kalshi production (see endpoints.ts).
     */
    kalshi: z
      .object({
        restUrl: z.url({ protocol: /^https?$/ }).optional(),
        wsUrl: z.url({ protocol: /^wss?$/ }).optional(),
        tier: z.enum(['basic', 'advanced', 'premier', 'prime']).default('basic'),
        /**
         * The API key the market-data services sign with in demo/live mode (orderbook_delta needs
         * an authenticated WebSocket). Paper mode uses the simulator's paper account key.
         */
        apiKeyId: z.string().min(1).optional(),
        /** PEM file of that key's RSA private key (read at start, never logged). */
        privateKeyPath: z.string().min(1).optional(),
      })
      .default({ tier: 'basic' }),
    coinbase: z
      .object({
        wsUrl: z.url({ protocol: /^wss?$/ }).optional(),
        restUrl: z.url({ protocol: /^https?$/ }).optional(),
      })
      .default({}),
    /** Spot feeds, settlement reference and Kalshi books (src/services/*_watchdog). */
    marketData: z
      .object({
        /** The 1-s spot price log is kept this many days. */
        priceLogRetentionDays: z.number().positive().max(3_650).default(30),
        /** Stored Kalshi market snapshots are kept this many days. */
        snapshotRetentionDays: z.number().positive().max(3_650).default(7),
        /** At most one stored market snapshot per symbol per this many seconds. */
        snapshotStoreIntervalSeconds: z.number().int().min(1).max(3_600).default(10),
        /** `market.<sym>` messages per second per symbol, at most. */
        marketPublishPerSecond: z.number().positive().max(50).default(4),
        /** Index vs spot divergence alert: raised at this many bps, cleared at `divergenceClearBps`. */
        divergenceAlertBps: z.number().positive().default(25),
        divergenceClearBps: z.number().nonnegative().default(10),
        /** WebSocket books are cross-checked against REST books this often. */
        bookCheckIntervalSeconds: z.number().int().min(1).max(3_600).default(60),
      })
      .refine((m) => m.divergenceClearBps < m.divergenceAlertBps, {
        message: 'divergenceClearBps must be below divergenceAlertBps',
        path: ['divergenceClearBps'],
      })
      .prefault({}),
    /** The exchange simulator's own settings: checked in depth by src/simulator/runtime/config.ts. */
    simulator: z.record(z.string(), z.unknown()).optional(),
    /** Strike tables, watchlists and calibration snapshots (unified_production_coordinator). */
    coordinator: z
      .object({
        /** Strike tables per second per symbol, at most: input changes in between are merged. */
        maxUpdatesPerSecond: z.number().positive().max(100).default(10),
        /** Strikes per table, nearest the price. */
        rows: z.number().int().min(1).max(101).default(21),
        /** What the probability settles on: Kalshi's 60-s average, or the closing print (v2's model). */
        settle: z.enum(['average60', 'close']).default('average60'),
        /** Minutes before each close at which the table is stored for calibration. */
        snapshotOffsetsMinutes: z.array(z.number().int().min(1).max(60)).min(1).default([15, 10, 5, 2, 1]),
      })
      .prefault({}),
    /** Restrict `recio start` to these services (default: every built one). */
    services: z.array(z.enum(SERVICE_NAMES)).optional(),
  })
  .strict();

export type Config = z.infer<typeof configSchema>;

/** Keys whose values are never printed or logged. */
export const SECRET_KEYS = ['internalToken'] as const;
/** Keys holding URLs whose password part is redacted. */
export const URL_KEYS = ['databaseUrl', 'redisUrl'] as const;
