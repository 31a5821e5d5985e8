import { describe, expect, it } from 'vitest';
import { KalshiApiError, type KalshiWriteOutcome } from './errors.ts';
import { cancelOrderResolved, placeOrderResolved, type OrderRestClient } from './order-resolver.ts';
import type {
  CreateOrderInput,
  KalshiCancelOrderResult,
  KalshiCreateOrderResult,
  KalshiOrder,
} from './types.ts';

const noWait = { sleep: async () => undefined };
const options = { clock: noWait, lookupDelayMs: 1, random: () => 0.5 };

const input: CreateOrderInput = {
  ticker: 'KXBTCD-25AUG0316-T115000',
  clientOrderId: 'c-1',
  side: 'bid',
  count: 3,
  price: 5_600,
  timeInForce: 'immediate_or_cancel',
};

function order(overrides: Partial<KalshiOrder> = {}): KalshiOrder {
  return {
    orderId: 'o-1',
    clientOrderId: 'c-1',
    ticker: input.ticker,
    status: 'executed',
    bookSide: 'bid',
    outcomeSide: 'yes',
    yesPrice: 5_600,
    noPrice: 4_400,
    initialCount: 3,
    fillCount: 3,
    remainingCount: 0,
    ...overrides,
  };
}

const lost = { outcome: 'unknown', reason: 'server_error', httpStatus: 503, message: 'POST → 503' } as const;
const rejected = (status: number, code: string) =>
  ({ outcome: 'rejected', error: new KalshiApiError(status, code, code, undefined, 'POST') }) as const;
const created: KalshiWriteOutcome<KalshiCreateOrderResult> = {
  outcome: 'ok',
  value: { orderId: 'o-1', clientOrderId: 'c-1', fillCount: 2, remainingCount: 0, tsMs: 0 },
};

/** A scripted client: each call takes the next answer of its script (a throw for an Error). */
function scripted(script: {
  create?: KalshiWriteOutcome<KalshiCreateOrderResult>[];
  cancel?: KalshiWriteOutcome<KalshiCancelOrderResult>[];
  byClientId?: Array<KalshiOrder | undefined | Error>;
  byId?: Array<KalshiOrder | undefined | Error>;
}) {
  const calls: string[] = [];
  const next = <T>(list: T[] | undefined, name: string): T => {
    calls.push(name);
    if (list === undefined || list.length === 0) throw new Error(`unexpected ${name}`);
    return list.shift() as T;
  };
  const answer = <T>(value: T | Error): T => {
    if (value instanceof Error) throw value;
    return value;
  };
  const client: OrderRestClient = {
    createOrder: async () => next(script.create, 'create'),
    cancelOrder: async () => next(script.cancel, 'cancel'),
    getOrderByClientId: async () => answer(next(script.byClientId, 'byClientId')),
    getOrder: async () => answer(next(script.byId, 'byId')),
  };
  return { client, calls };
}

describe('placeOrderResolved', () => {
  it('takes the answer when there is one', async () => {
    const { client, calls } = scripted({ create: [created] });
    expect(await placeOrderResolved(client, input, options)).toMatchObject({
      status: 'placed',
      via: 'response',
      fillCount: 2,
      sends: 1,
    });
    expect(calls).toEqual(['create']);
  });

  it('finds an order whose answer was lost instead of sending it again', async () => {
    const { client, calls } = scripted({ create: [lost], byClientId: [undefined, order()] });
    expect(await placeOrderResolved(client, input, options)).toMatchObject({
      status: 'placed',
      via: 'lookup',
      orderId: 'o-1',
      fillCount: 3,
      sends: 1,
    });
    expect(calls).toEqual(['create', 'byClientId', 'byClientId']);
  });

  it('sends again only after consecutive misses; a failed read is no miss', async () => {
    const { client, calls } = scripted({
      create: [lost, created],
      byClientId: [undefined, new Error('503'), undefined, undefined],
    });
    expect(await placeOrderResolved(client, input, { ...options, misses: 3 })).toMatchObject({
      status: 'placed',
      via: 'response',
      sends: 2,
    });
    expect(calls).toEqual(['create', 'byClientId', 'byClientId', 'byClientId', 'byClientId', 'create']);
  });

  it('a resend refused as a duplicate means the first one ran: it is looked up, never sent a third time', async () => {
    const { client, calls } = scripted({
      create: [lost, rejected(409, 'order_already_exists')],
      byClientId: [undefined, undefined, order({ fillCount: 1, remainingCount: 2, status: 'resting' })],
    });
    expect(await placeOrderResolved(client, input, { ...options, misses: 2 })).toMatchObject({
      status: 'placed',
      via: 'lookup',
      fillCount: 1,
      sends: 2,
    });
    expect(calls).toEqual(['create', 'byClientId', 'byClientId', 'create', 'byClientId']);
  });

  it('does not send again while the order cannot be looked up', async () => {
    const { client, calls } = scripted({
      create: [lost],
      byClientId: [new Error('a'), new Error('b'), new Error('c'), new Error('d')],
    });
    expect(await placeOrderResolved(client, input, { ...options, misses: 2 })).toMatchObject({
      status: 'unresolved',
      sends: 1,
    });
    expect(calls.filter((c) => c === 'create')).toHaveLength(1);
  });

  it('resends after a 429 (nothing ran) and gives up as absent after maxLostAnswers lost answers', async () => {
    const limited = scripted({ create: [rejected(429, 'rate_limit_exceeded'), created] });
    expect(await placeOrderResolved(limited.client, input, options)).toMatchObject({
      status: 'placed',
      sends: 2,
    });
    const gone = scripted({ create: [lost, lost], byClientId: [undefined, undefined, undefined, undefined] });
    expect(
      await placeOrderResolved(gone.client, input, { ...options, misses: 2, maxLostAnswers: 2 }),
    ).toMatchObject({ status: 'absent', sends: 2 });
  });

  it('a 429 that does not stop is the answer: rejected, or absent after a lost answer found absent', async () => {
    const limited = rejected(429, 'rate_limit_exceeded');
    const refused = scripted({ create: [limited, limited, limited] });
    const result = await placeOrderResolved(refused.client, input, { ...options, maxRateLimited: 2 });
    expect(result).toMatchObject({ status: 'rejected', sends: 3 });
    const lostThenLimited = scripted({
      create: [lost, limited, limited],
      byClientId: [undefined, undefined],
    });
    expect(
      await placeOrderResolved(lostThenLimited.client, input, { ...options, misses: 2, maxRateLimited: 1 }),
    ).toMatchObject({ status: 'absent', sends: 3 });
  });

  it('passes other refusals through (nothing happened)', async () => {
    const { client } = scripted({ create: [rejected(409, 'fill_or_kill_insufficient_resting_volume')] });
    const result = await placeOrderResolved(client, input, options);
    expect(result.status).toBe('rejected');
    if (result.status === 'rejected')
      expect(result.error.code).toBe('fill_or_kill_insufficient_resting_volume');
  });
});

describe('cancelOrderResolved', () => {
  const target = { orderId: 'o-1', ticker: input.ticker };

  it('resends a cancel refused with 429 (it did not run)', async () => {
    const { client, calls } = scripted({
      cancel: [
        rejected(429, 'rate_limit_exceeded'),
        { outcome: 'ok', value: { orderId: 'o-1', reducedBy: 3, tsMs: 0 } },
      ],
    });
    expect(await cancelOrderResolved(client, target, options)).toMatchObject({
      status: 'canceled',
      via: 'response',
    });
    expect(calls).toEqual(['cancel', 'cancel']);
  });

  it('resolves a lost cancel by reading the order', async () => {
    const { client } = scripted({
      cancel: [lost],
      byId: [order({ status: 'canceled', fillCount: 1, remainingCount: 0 })],
    });
    expect(await cancelOrderResolved(client, target, options)).toMatchObject({
      status: 'canceled',
      via: 'lookup',
      reducedBy: 2,
    });
  });

  it('sends a cancel again while the order still rests; a filled order is finished', async () => {
    const { client, calls } = scripted({
      cancel: [lost, { outcome: 'ok', value: { orderId: 'o-1', reducedBy: 3, tsMs: 0 } }],
      byId: [order({ status: 'resting', fillCount: 0, remainingCount: 3 })],
    });
    expect(await cancelOrderResolved(client, target, options)).toMatchObject({
      status: 'canceled',
      reducedBy: 3,
    });
    expect(calls).toEqual(['cancel', 'byId', 'cancel']);
    const filled = scripted({ cancel: [rejected(404, 'not_found')], byId: [order()] });
    expect(await cancelOrderResolved(filled.client, target, options)).toMatchObject({
      status: 'finished',
      order: { status: 'executed' },
    });
  });
});
