/**
 * The state-changing commands of the simulator — the only things besides the passage of time
 * that change the exchange. Each is journaled before its answer leaves, and replayed in order
 * on restore; the market simulation is deterministic, so snapshot + journal = the same state.
 */
import { isDeepStrictEqual } from 'node:util';
import { z } from 'zod';
import type { ExchangeEngine } from '../engine/engine.ts';
import type { EngineEvent, Result } from '../engine/types.ts';

const int = z.number().int();
const id = z.string().min(1).max(200);

export const orderInputSchema = z.object({
  ticker: id,
  clientOrderId: z.string().max(200).optional(),
  side: z.enum(['bid', 'ask']),
  count: int.positive(),
  /** YES price, centi-cents. */
  priceCc: int,
  timeInForce: z.enum(['fill_or_kill', 'immediate_or_cancel', 'good_till_canceled']),
  postOnly: z.boolean().optional(),
  reduceOnly: z.boolean().optional(),
  selfTradePrevention: z.enum(['taker_at_cross', 'maker']).optional(),
  expirationTime: int.optional(),
});
export type OrderInput = z.output<typeof orderInputSchema>;

export const journalCommandSchema = z.discriminatedUnion('kind', [
  z.object({
    kind: z.literal('create_account'),
    accountId: id,
    balanceCc: int.nonnegative(),
    label: z.string().max(200),
  }),
  z.object({ kind: z.literal('adjust_balance'), accountId: id, amountCc: int }),
  z.object({ kind: z.literal('place_order'), accountId: id, order: orderInputSchema }),
  z.object({ kind: z.literal('cancel_order'), accountId: id, orderId: id }),
  z.object({
    kind: z.literal('decrease_order'),
    accountId: id,
    orderId: id,
    reduceBy: int.nonnegative().optional(),
    reduceTo: int.nonnegative().optional(),
  }),
]);
export type JournalCommand = z.output<typeof journalCommandSchema>;

export interface AppliedCommand {
  result: Result<unknown>;
  events: EngineEvent[];
  /** What the journal keeps of the outcome, to check a replay against. */
  summary: CommandSummary;
}

export type CommandSummary =
  | { ok: true; id?: string; status?: string; filled?: number; reducedBy?: number; balanceCc?: number }
  | { ok: false; code: string };

/** Applies one command to the engine at `nowMs` (the caller has advanced the market to it). */
export function applyCommand(engine: ExchangeEngine, command: JournalCommand, nowMs: number): AppliedCommand {
  switch (command.kind) {
    case 'create_account': {
      const result = engine.createAccount({
        accountId: command.accountId,
        balanceCc: command.balanceCc,
        recordHistory: true,
        nowMs,
      });
      return done(result, result.ok ? { ok: true, balanceCc: result.value.balanceCc } : undefined);
    }
    case 'adjust_balance': {
      const result = engine.adjustBalance({
        accountId: command.accountId,
        amountCc: command.amountCc,
        nowMs,
      });
      return done(result, result.ok ? { ok: true, balanceCc: result.value.balanceCc } : undefined);
    }
    case 'place_order': {
      const { order } = command;
      const result = engine.placeOrder({
        accountId: command.accountId,
        ticker: order.ticker,
        side: order.side,
        count: order.count,
        priceCc: order.priceCc,
        timeInForce: order.timeInForce,
        nowMs,
        ...(order.clientOrderId !== undefined ? { clientOrderId: order.clientOrderId } : {}),
        ...(order.postOnly !== undefined ? { postOnly: order.postOnly } : {}),
        ...(order.reduceOnly !== undefined ? { reduceOnly: order.reduceOnly } : {}),
        ...(order.selfTradePrevention !== undefined
          ? { selfTradePrevention: order.selfTradePrevention }
          : {}),
        ...(order.expirationTime !== undefined ? { expirationTime: order.expirationTime } : {}),
      });
      return done(
        result,
        result.ok
          ? {
              ok: true,
              id: result.value.order.orderId,
              status: result.value.order.status,
              filled: result.value.order.fillCount,
            }
          : undefined,
      );
    }
    case 'cancel_order': {
      const result = engine.cancelOrder({ accountId: command.accountId, orderId: command.orderId, nowMs });
      return done(
        result,
        result.ok ? { ok: true, id: result.value.orderId, reducedBy: result.value.reducedBy } : undefined,
      );
    }
    case 'decrease_order': {
      const result = engine.decreaseOrder({
        accountId: command.accountId,
        orderId: command.orderId,
        nowMs,
        ...(command.reduceBy !== undefined ? { reduceBy: command.reduceBy } : {}),
        ...(command.reduceTo !== undefined ? { reduceTo: command.reduceTo } : {}),
      });
      return done(
        result,
        result.ok
          ? { ok: true, id: result.value.order.orderId, reducedBy: result.value.reducedBy }
          : undefined,
      );
    }
  }
}

function done(result: Result<unknown>, okSummary: CommandSummary | undefined): AppliedCommand {
  return {
    result,
    events: result.events,
    summary: result.ok ? (okSummary ?? { ok: true }) : { ok: false, code: result.error.code },
  };
}

/** Same outcome? (A replay that differs means the code changed between the run and the restore.) */
export function sameSummary(a: unknown, b: unknown): boolean {
  return isDeepStrictEqual(a, b);
}
