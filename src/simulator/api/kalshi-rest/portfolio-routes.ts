/**
 * Authenticated portfolio endpoints: V2 order entry (create, cancel, decrease), the legacy
 * create, and reads of orders, fills, positions, balance and settlements — newest first with
 * cursors, Kalshi's filters, Kalshi's errors. Order commands are durable (journaled) before
 * they are answered.
 */
import type { FastifyInstance, FastifyRequest } from 'fastify';
import type { CreateOrderV2Response } from 'kalshi-typescript';
import { formatCount, formatDollars } from '../../../domain/kalshi/fixed-point.ts';
import type { PositionRecord } from '../../engine/types.ts';
import type { OrderInput } from '../../runtime/commands.ts';
import type { SimulatorRuntime } from '../../runtime/runtime.ts';
import type { AuthenticatedKey } from './auth.ts';
import { fromEngineError, invalidParameters, notFound } from './errors.ts';
import { paginate, sortKey } from './pagination.ts';
import {
  createOrderLegacyBody,
  createOrderV2Body,
  decreaseOrderV2Body,
  fillsQuery,
  ordersQuery,
  parseRequest,
  positionsQuery,
  settlementsQuery,
} from './requests.ts';
import {
  averageDollars,
  centsOf,
  toEventPositions,
  toFill,
  toMarketPosition,
  toOrder,
  toSettlement,
} from './wire.ts';

const ONE_DOLLAR_CC = 10_000;

/** Authenticates a request and takes a token of the given kind (throws 401 / 429). */
export type Guard = (request: FastifyRequest, kind: 'read' | 'write') => AuthenticatedKey;

export interface PortfolioOptions {
  /** Whether an order (or a fill of it) created at `createdTime` shows in reads yet. */
  visible: (createdTime: number, orderId: string) => boolean;
}

export function registerPortfolioRoutes(
  app: FastifyInstance,
  runtime: SimulatorRuntime,
  guard: Guard,
  { visible }: PortfolioOptions,
): void {
  const engine = () => runtime.engine;

  // ── Orders: writes ──────────────────────────────────────────────────────────────────────

  const place = async (accountId: string, order: OrderInput) => {
    const result = await runtime.placeOrder(accountId, order);
    if (!result.ok) throw fromEngineError(result.error);
    return result.value;
  };

  app.post('/portfolio/events/orders', async (request, reply) => {
    const { accountId } = guard(request, 'write');
    const body = parseRequest(createOrderV2Body, request.body, 'body');
    const value = await place(accountId, {
      ticker: body.ticker,
      side: body.side,
      count: body.count,
      priceCc: body.price,
      timeInForce: body.time_in_force,
      ...(body.client_order_id !== undefined ? { clientOrderId: body.client_order_id } : {}),
      ...(body.post_only !== undefined ? { postOnly: body.post_only } : {}),
      ...(body.reduce_only !== undefined ? { reduceOnly: body.reduce_only } : {}),
      ...(body.self_trade_prevention_type !== undefined
        ? { selfTradePrevention: body.self_trade_prevention_type }
        : {}),
      ...(body.expiration_time !== undefined ? { expirationTime: body.expiration_time * 1000 } : {}),
    });
    const filled = value.fills.reduce((n, f) => n + f.count, 0);
    const costCc = value.fills.reduce(
      (sum, f) => sum + f.count * (f.side === 'bid' ? f.yesPriceCc : f.noPriceCc),
      0,
    );
    const feesCc = value.fills.reduce((sum, f) => sum + f.feeCc, 0);
    const response: CreateOrderV2Response = {
      order_id: value.order.orderId,
      client_order_id: value.order.clientOrderId,
      fill_count: formatCount(filled),
      remaining_count: formatCount(value.order.remainingCount),
      ...(filled > 0
        ? {
            average_fill_price: averageDollars(costCc, filled),
            average_fee_paid: averageDollars(feesCc, filled),
          }
        : {}),
      ts_ms: value.tsMs,
    };
    return reply.status(201).send(response);
  });

  app.post('/portfolio/orders', async (request, reply) => {
    const { accountId } = guard(request, 'write');
    const body = parseRequest(createOrderLegacyBody, request.body, 'body');
    const value = await place(accountId, legacyToV2(body));
    return reply.status(201).send({ order: toOrder(value.order) });
  });

  app.delete<{ Params: { order_id: string } }>('/portfolio/events/orders/:order_id', async (request) => {
    const { accountId } = guard(request, 'write');
    const result = await runtime.cancelOrder(accountId, request.params.order_id);
    if (!result.ok) throw fromEngineError(result.error);
    return {
      order_id: result.value.orderId,
      client_order_id: result.value.clientOrderId,
      reduced_by: formatCount(result.value.reducedBy),
      ts_ms: result.value.tsMs,
    };
  });

  app.post<{ Params: { order_id: string } }>(
    '/portfolio/events/orders/:order_id/decrease',
    async (request) => {
      const { accountId } = guard(request, 'write');
      const body = parseRequest(decreaseOrderV2Body, request.body, 'body');
      const result = await runtime.decreaseOrder(accountId, request.params.order_id, {
        ...(body.reduce_by !== undefined ? { reduceBy: body.reduce_by } : {}),
        ...(body.reduce_to !== undefined ? { reduceTo: body.reduce_to } : {}),
      });
      if (!result.ok) throw fromEngineError(result.error);
      return {
        order_id: result.value.order.orderId,
        client_order_id: result.value.order.clientOrderId,
        remaining_count: formatCount(result.value.order.remainingCount),
        ts_ms: result.value.tsMs,
      };
    },
  );

  // ── Reads ───────────────────────────────────────────────────────────────────────────────

  app.get('/portfolio/orders', async (request) => {
    const { accountId } = guard(request, 'read');
    const q = parseRequest(ordersQuery, request.query, 'query');
    runtime.sync();
    const events = q.event_ticker === undefined ? undefined : new Set(q.event_ticker);
    const orders = engine()
      .listOrders(accountId, {
        ...(q.ticker !== undefined ? { ticker: q.ticker } : {}),
        ...(q.status !== undefined ? { status: q.status } : {}),
        ...(q.min_ts !== undefined ? { minTs: q.min_ts } : {}),
        ...(q.max_ts !== undefined ? { maxTs: q.max_ts } : {}),
      })
      .filter((o) => events === undefined || events.has(engine().getMarket(o.ticker)?.eventTicker ?? ''))
      .filter((o) => visible(o.createdTime, o.orderId));
    const page = paginate(orders, (o) => o.orderId, { cursor: q.cursor, limit: q.limit, descending: true });
    return { orders: page.items.map(toOrder), cursor: page.cursor };
  });

  app.get<{ Params: { order_id: string } }>('/portfolio/orders/:order_id', async (request) => {
    const { accountId } = guard(request, 'read');
    runtime.sync();
    const order = engine().getOrder(accountId, request.params.order_id);
    if (!order || !visible(order.createdTime, order.orderId))
      throw notFound(`order ${request.params.order_id} not found`);
    return { order: toOrder(order) };
  });

  app.get('/portfolio/fills', async (request) => {
    const { accountId } = guard(request, 'read');
    const q = parseRequest(fillsQuery, request.query, 'query');
    runtime.sync();
    const fills = engine()
      .listFills(accountId, {
        ...(q.ticker !== undefined ? { ticker: q.ticker } : {}),
        ...(q.order_id !== undefined ? { orderId: q.order_id } : {}),
        ...(q.min_ts !== undefined ? { minTs: q.min_ts } : {}),
        ...(q.max_ts !== undefined ? { maxTs: q.max_ts } : {}),
      })
      .filter((f) => visible(f.createdTime, f.orderId));
    const page = paginate(fills, (f) => f.fillId, { cursor: q.cursor, limit: q.limit, descending: true });
    return { fills: page.items.map(toFill), cursor: page.cursor };
  });

  app.get('/portfolio/positions', async (request) => {
    const { accountId } = guard(request, 'read');
    const q = parseRequest(positionsQuery, request.query, 'query');
    runtime.sync();
    const key = (p: PositionRecord) => sortKey(engine().getMarket(p.ticker)?.closeTime ?? 0, p.ticker);
    const positions = engine()
      .listPositions(accountId, {
        ...(q.ticker !== undefined ? { ticker: q.ticker } : {}),
        ...(q.event_ticker !== undefined ? { eventTicker: q.event_ticker } : {}),
      })
      .filter(
        (p) =>
          q.count_filter === undefined ||
          q.count_filter.some((f) => (f === 'position' ? p.position !== 0 : p.totalTradedCc !== 0)),
      )
      .sort((a, b) => (key(a) < key(b) ? -1 : 1));
    const page = paginate(positions, key, { cursor: q.cursor, limit: q.limit });
    return {
      market_positions: page.items.map(toMarketPosition),
      event_positions: toEventPositions(page.items),
      cursor: page.cursor,
    };
  });

  app.get('/portfolio/balance', async (request) => {
    const { accountId } = guard(request, 'read');
    runtime.sync();
    const balance = engine().getBalance(accountId);
    if (!balance) throw notFound(`account ${accountId} not found`);
    return {
      balance: centsOf(balance.availableCc),
      balance_dollars: formatDollars(balance.availableCc, 4),
      portfolio_value: centsOf(positionsValueCc(runtime, accountId)),
      updated_ts: Math.floor(balance.updatedTime / 1000),
    };
  });

  app.get('/portfolio/settlements', async (request) => {
    const { accountId } = guard(request, 'read');
    const q = parseRequest(settlementsQuery, request.query, 'query');
    runtime.sync();
    const settlements = engine()
      .listSettlements(accountId, {
        ...(q.ticker !== undefined ? { ticker: q.ticker } : {}),
        ...(q.event_ticker !== undefined ? { eventTicker: q.event_ticker } : {}),
      })
      .filter((s) => q.min_ts === undefined || s.settledTime >= q.min_ts)
      .filter((s) => q.max_ts === undefined || s.settledTime <= q.max_ts);
    const key = (s: { settledTime: number; ticker: string }) => sortKey(s.settledTime, s.ticker);
    settlements.sort((a, b) => (key(a) < key(b) ? 1 : -1));
    const page = paginate(settlements, key, { cursor: q.cursor, limit: q.limit, descending: true });
    return { settlements: page.items.map(toSettlement), cursor: page.cursor };
  });
}

/** What the account's open positions would fetch at the best bid of the leg each holds. */
function positionsValueCc(runtime: SimulatorRuntime, accountId: string): number {
  let total = 0;
  for (const p of runtime.engine.listPositions(accountId)) {
    if (p.position === 0) continue;
    const market = runtime.engine.getMarket(p.ticker);
    const bid = p.position > 0 ? market?.yesBidCc : market?.noBidCc;
    total += Math.abs(p.position) * (bid ?? 0);
  }
  return total;
}

/**
 * Legacy direction → V2: buy YES = bid at the YES price; sell YES = ask at the YES price;
 * buy NO at p = ask at YES price 1 − p; sell NO at p = bid at YES price 1 − p.
 */
function legacyToV2(body: ReturnType<typeof createOrderLegacyBody.parse>): OrderInput {
  const count = body.count_fp ?? body.count;
  if (count === undefined) throw invalidParameters('count or count_fp is required');
  if (body.count !== undefined && body.count_fp !== undefined && body.count !== body.count_fp) {
    throw invalidParameters('count and count_fp disagree');
  }
  const yes = body.yes_price_dollars ?? (body.yes_price !== undefined ? body.yes_price * 100 : undefined);
  const no = body.no_price_dollars ?? (body.no_price !== undefined ? body.no_price * 100 : undefined);
  if ((yes === undefined) === (no === undefined)) {
    throw invalidParameters('give exactly one of yes_price(_dollars) and no_price(_dollars)');
  }
  const yesPriceCc = yes ?? ONE_DOLLAR_CC - (no as number);
  const buysYes = (body.side === 'yes') === (body.action === 'buy');
  if (body.expiration_ts !== undefined && body.time_in_force === 'immediate_or_cancel') {
    throw invalidParameters('expiration_ts cannot be combined with immediate_or_cancel');
  }
  return {
    ticker: body.ticker,
    side: buysYes ? 'bid' : 'ask',
    count,
    priceCc: yesPriceCc,
    timeInForce: body.time_in_force ?? 'good_till_canceled',
    ...(body.client_order_id !== undefined ? { clientOrderId: body.client_order_id } : {}),
    ...(body.post_only !== undefined ? { postOnly: body.post_only } : {}),
    ...(body.reduce_only !== undefined ? { reduceOnly: body.reduce_only } : {}),
    ...(body.self_trade_prevention_type !== undefined
      ? { selfTradePrevention: body.self_trade_prevention_type }
      : {}),
    ...(body.expiration_ts !== undefined ? { expirationTime: body.expiration_ts * 1000 } : {}),
  };
}
