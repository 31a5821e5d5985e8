/**
 * The simulated Coinbase Exchange REST candles endpoint, under `/coinbase` by default so that
 * src/integrations/coinbase/candles.ts works with `baseUrl = http://host:port/coinbase`:
 *
 *   GET /coinbase/products/{product_id}/candles?granularity=60&start=<ISO|unix s>&end=<ISO|unix s>
 *   → [[time_s, low, high, open, close, volume], …] newest first; only buckets that have ended.
 *
 * As Coinbase: granularity one of 60, 300, 900, 3600, 21600, 86400 (else 400); at most 300
 * buckets per request (else 400); `start` and `end` both optional (no range: the latest 300);
 * unknown product → 404; errors are `{"message": "…"}`.
 */
import type { FastifyInstance, FastifyReply } from 'fastify';
import { z } from 'zod';
import type { Clock } from '../../../core/clock/clock.ts';
import type { FaultController } from '../../faults/fault-controller.ts';
import { registerFaultHooks } from '../../faults/fault-hook.ts';
import type { CoinbaseFeedSource } from './source.ts';
import { candleRows, GRANULARITIES } from './wire.ts';

export const COINBASE_REST_PREFIX = '/coinbase';
export const MAX_CANDLES = 300;

export interface CoinbaseRoutesOptions {
  source: CoinbaseFeedSource;
  /** Default `/coinbase`. */
  prefix?: string;
  /** Apply these faults to the routes (give `clock` too). Leave out if a global fault hook covers the prefix. */
  faults?: FaultController;
  clock?: Clock;
}

const querySchema = z.object({
  granularity: z.string().optional(),
  start: z.string().optional(),
  end: z.string().optional(),
});

/** ISO 8601 or Unix seconds → epoch ms; undefined when absent, NaN when unreadable. */
function instant(text: string | undefined): number | undefined {
  if (text === undefined || text === '') return undefined;
  if (/^\d+(\.\d+)?$/.test(text)) return Math.floor(Number(text) * 1000);
  return Date.parse(text);
}

function badRequest(reply: FastifyReply, message: string) {
  return reply.code(400).send({ message });
}

export async function registerCoinbaseRoutes(
  app: FastifyInstance,
  options: CoinbaseRoutesOptions,
): Promise<void> {
  const { source } = options;
  const prefix = options.prefix ?? COINBASE_REST_PREFIX;
  await app.register(
    async (scope) => {
      if (options.faults) {
        if (!options.clock) throw new Error('registerCoinbaseRoutes: faults need a clock');
        registerFaultHooks(scope, options.faults, { prefixes: [`${prefix}/`], clock: options.clock });
      }
      scope.get<{ Params: { productId: string } }>('/products/:productId/candles', async (request, reply) => {
        const { productId } = request.params;
        if (!source.productIds().includes(productId)) return reply.code(404).send({ message: 'NotFound' });
        const query = querySchema.safeParse(request.query);
        if (!query.success) return badRequest(reply, 'Invalid query');
        const granularity = Number(query.data.granularity ?? '60');
        if (!(GRANULARITIES as readonly number[]).includes(granularity)) {
          return badRequest(reply, 'Unsupported granularity');
        }
        const step = granularity * 1000;
        const now = source.now();
        let start = instant(query.data.start);
        let end = instant(query.data.end);
        if (Number.isNaN(start) || Number.isNaN(end)) return badRequest(reply, 'Invalid start or end time');
        if (start === undefined && end === undefined) end = now;
        if (start === undefined) start = (end as number) - (MAX_CANDLES - 1) * step;
        if (end === undefined) end = start + (MAX_CANDLES - 1) * step;
        if (start > end) return badRequest(reply, 'start must be before end');
        const buckets = Math.floor((end - Math.ceil(start / step) * step) / step) + 1;
        if (buckets > MAX_CANDLES) {
          return badRequest(
            reply,
            'granularity too small for the requested time range. Count of aggregations requested exceeds 300',
          );
        }
        const firstBucket = Math.ceil(start / step) * step;
        const minutes = source.candles(productId, firstBucket, Math.floor(end / step) * step + step - 60_000);
        return candleRows(minutes, granularity, start, end, now);
      });
    },
    { prefix },
  );
}
