/**
 * Order writes whose outcome is always known. The REST client sends a write once and says
 * `unknown` when the answer was lost (5xx, timeout, dropped connection); resending blindly could
 * place the order twice. Here an unknown create is resolved by looking the order up by its
 * client_order_id ("not found" only after several consecutive misses: a fresh order can be
 * missing from reads for a while). Only an order found absent is sent again — with the same
 * client_order_id, which Kalshi refuses to use twice (409 order_already_exists), so even a
 * lookup fooled by lag cannot produce a second order. A 429 means nothing ran: resent after a
 * pause. An unknown cancel is resolved by reading the order.
 */
import type { Clock } from '../../core/clock/clock.ts';
import type { EpochMs } from '../../domain/units.ts';
import { backoffDelay, type RandomSource } from '../shared/backoff.ts';
import type { KalshiApiError, KalshiWriteOutcome } from './errors.ts';
import type { KalshiRestClient } from './rest-client.ts';
import type { CreateOrderInput, KalshiOrder } from './types.ts';

export type OrderRestClient = Pick<
  KalshiRestClient,
  'createOrder' | 'cancelOrder' | 'getOrderByClientId' | 'getOrder'
>;

export interface ResolveOptions {
  /** Waits between lookups and before resending after a 429. */
  clock: Pick<Clock, 'sleep'>;
  /** Consecutive "not found" answers before an order counts as absent (default 3). */
  misses?: number;
  /** Wait between two lookups, ms (default 500). */
  lookupDelayMs?: number;
  /** Sends whose answer was lost, at most (default 3): then `absent` / `unresolved`. */
  maxLostAnswers?: number;
  /** 429 refusals resent, at most (default 6): then the refusal is the answer. */
  maxRateLimited?: number;
  /** Narrows the client-id lookup (GET /portfolio/orders?min_ts=); default: no bound. */
  minTime?: EpochMs;
  /** Jitter of the 429 pause (default Math.random). */
  random?: RandomSource;
  signal?: AbortSignal;
}

export type PlaceOrderResolution =
  | {
      status: 'placed';
      orderId: string;
      fillCount: number;
      remainingCount: number;
      /** `lookup`: the answer was lost and the order was found by its client_order_id. */
      via: 'response' | 'lookup';
      sends: number;
      /** The order as read, when resolved by lookup. */
      order?: KalshiOrder;
    }
  /** Kalshi refused it (4xx other than 429): nothing happened. */
  | { status: 'rejected'; error: KalshiApiError; sends: number }
  /** Every answer was lost (or refused before running) and lookups find no such order. */
  | { status: 'absent'; sends: number; lastFailure: string }
  /** Lookups kept failing: the order may exist. Do not send it again; resolve it later. */
  | { status: 'unresolved'; sends: number; lastFailure: string };

export type CancelOrderResolution =
  | { status: 'canceled'; reducedBy: number; via: 'response' | 'lookup'; order?: KalshiOrder }
  /** Nothing was resting any more (filled or canceled before). */
  | { status: 'finished'; order: KalshiOrder | undefined }
  | { status: 'rejected'; error: KalshiApiError }
  | { status: 'unresolved'; lastFailure: string };

type Lookup = { found: KalshiOrder } | { absent: true } | { failed: string };

/** Places an order and resolves a lost answer (see the header). */
export async function placeOrderResolved(
  rest: OrderRestClient,
  input: CreateOrderInput,
  options: ResolveOptions,
): Promise<PlaceOrderResolution> {
  const maxLost = options.maxLostAnswers ?? 3;
  const maxLimited = options.maxRateLimited ?? 6;
  let lost = 0;
  let limited = 0;
  let lastFailure = '';
  for (let sends = 1; ; sends++) {
    const outcome = await rest.createOrder(input, signalOf(options));
    if (outcome.outcome === 'ok') {
      const { orderId, fillCount, remainingCount } = outcome.value;
      return { status: 'placed', orderId, fillCount, remainingCount, via: 'response', sends };
    }
    if (outcome.outcome === 'rejected') {
      const { error } = outcome;
      if (error.isRateLimited) {
        // Refused before it ran: nothing happened, so sending again is safe.
        limited += 1;
        lastFailure = error.message;
        if (limited > maxLimited)
          return lost > 0 ? { status: 'absent', sends, lastFailure } : { status: 'rejected', error, sends };
        await pause(options, limited);
        continue;
      }
      if (lost > 0 && error.code === 'order_already_exists') {
        // An earlier send did run: the lookups missed it (lag). Find it; never send again.
        const found = await lookUp(rest, input, options, true);
        if ('found' in found) return placedByLookup(found.found, sends);
        return { status: 'unresolved', sends, lastFailure: 'failed' in found ? found.failed : error.message };
      }
      return { status: 'rejected', error, sends };
    }
    lost += 1;
    lastFailure = outcome.message;
    const found = await lookUp(rest, input, options, false);
    if ('found' in found) return placedByLookup(found.found, sends);
    if ('failed' in found) return { status: 'unresolved', sends, lastFailure: found.failed };
    if (lost >= maxLost) return { status: 'absent', sends, lastFailure };
  }
}

/** Cancels a resting order; an unknown outcome is resolved by reading the order. */
export async function cancelOrderResolved(
  rest: OrderRestClient,
  order: { orderId: string; ticker?: string },
  options: ResolveOptions,
): Promise<CancelOrderResolution> {
  const maxLost = options.maxLostAnswers ?? 3;
  const maxLimited = options.maxRateLimited ?? 6;
  let lost = 0;
  let limited = 0;
  for (;;) {
    const outcome: KalshiWriteOutcome<{ reducedBy: number }> = await rest.cancelOrder(order.orderId, {
      ...signalOf(options),
      ...(order.ticker !== undefined ? { marketTicker: order.ticker } : {}),
    });
    if (outcome.outcome === 'ok') {
      return { status: 'canceled', reducedBy: outcome.value.reducedBy, via: 'response' };
    }
    if (outcome.outcome === 'rejected') {
      if (outcome.error.isRateLimited && ++limited <= maxLimited) {
        await pause(options, limited);
        continue;
      }
      // Not resting (any more)? Tell filled-or-canceled-before from a cancel of ours that got through.
      if (!outcome.error.isNotFound) return { status: 'rejected', error: outcome.error };
    } else {
      lost += 1;
    }
    let current: KalshiOrder | undefined;
    try {
      current = await rest.getOrder(order.orderId, signalOf(options));
    } catch (error) {
      return { status: 'unresolved', lastFailure: String(error) };
    }
    if (current === undefined || current.status !== 'resting') {
      if (lost > 0 && current?.status === 'canceled') {
        // What the cancel took off the book, as far as the order record tells.
        const reducedBy = current.initialCount - current.fillCount;
        return { status: 'canceled', reducedBy, via: 'lookup', order: current };
      }
      return { status: 'finished', order: current };
    }
    // Still resting: the cancel did not run. Sending it again cannot create anything.
    if (lost >= maxLost)
      return { status: 'unresolved', lastFailure: 'the order still rests: every cancel answer was lost' };
  }
}

/**
 * Looks the order up by client_order_id: found, absent after `misses` consecutive misses, or
 * failed when the reads themselves keep failing. `mustExist`: keep looking through misses too.
 */
async function lookUp(
  rest: OrderRestClient,
  input: CreateOrderInput,
  options: ResolveOptions,
  mustExist: boolean,
): Promise<Lookup> {
  const misses = options.misses ?? 3;
  const delayMs = options.lookupDelayMs ?? 500;
  let missed = 0;
  let lastFailure: string | undefined;
  // A failed read is no miss; allow as many of them as misses before giving up.
  for (let attempt = 1; attempt <= 2 * misses; attempt++) {
    if (attempt > 1) await options.clock.sleep(delayMs, options.signal);
    try {
      const order = await rest.getOrderByClientId(input.clientOrderId, {
        ticker: input.ticker,
        ...(options.minTime !== undefined ? { minTime: options.minTime } : {}),
        ...signalOf(options),
      });
      if (order !== undefined) return { found: order };
      missed += 1;
      if (!mustExist && missed >= misses) return { absent: true };
    } catch (error) {
      if (error instanceof Error && error.name === 'AbortError') throw error;
      lastFailure = String(error);
    }
  }
  return { failed: lastFailure ?? 'the order stayed invisible' };
}

function placedByLookup(order: KalshiOrder, sends: number): PlaceOrderResolution {
  return {
    status: 'placed',
    orderId: order.orderId,
    fillCount: order.fillCount,
    remainingCount: order.remainingCount,
    via: 'lookup',
    sends,
    order,
  };
}

async function pause(options: ResolveOptions, attempt: number): Promise<void> {
  const base = options.lookupDelayMs ?? 500;
  const delay = backoffDelay(attempt - 1, { baseMs: base, maxMs: base * 8 }, options.random ?? Math.random);
  await options.clock.sleep(delay, options.signal);
}

function signalOf(options: ResolveOptions): { signal?: AbortSignal } {
  return options.signal !== undefined ? { signal: options.signal } : {};
}
