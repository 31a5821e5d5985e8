/**
 * Client commands of Kalshi's WebSocket, validated at the door with Kalshi's error codes
 * (AsyncAPI spec, codes 1–17). Shape problems are found here; what needs the server's state
 * (unknown channel 8, auth 9, unknown sid 7, market not found 16, already subscribed 6) is
 * decided by the connection.
 */
import { z } from 'zod';

export const WS_ERROR_MESSAGES: Readonly<Record<number, string>> = {
  1: 'Unable to process message',
  2: 'Params required',
  3: 'Channels required',
  4: 'Subscription IDs required',
  5: 'Unknown command',
  6: 'Already subscribed',
  7: 'Unknown subscription ID',
  8: 'Unknown channel name',
  9: 'Authentication required',
  10: 'Channel error',
  11: 'Invalid parameter',
  12: 'Exactly one subscription ID required',
  13: 'Unsupported action',
  14: 'Market ticker required',
  15: 'Action required',
  16: 'Market not found',
  17: 'Internal error',
};

export interface WsCommandError {
  /** 0 when the command had no usable id. */
  id: number;
  code: number;
  msg: string;
  marketTicker?: string;
}

export type KalshiWsCommand =
  | {
      cmd: 'subscribe';
      id: number;
      channels: string[];
      /** undefined: no market given. */
      marketTickers: string[] | undefined;
      /** cfbenchmarks_value: the indices wanted (undefined: all). */
      indexTickers: string[] | undefined;
      sendInitialSnapshot: boolean;
    }
  | { cmd: 'unsubscribe'; id: number; sids: number[] }
  | {
      cmd: 'update_subscription';
      id: number;
      sid: number;
      action: 'add_markets' | 'delete_markets';
      marketTickers: string[];
      sendInitialSnapshot: boolean;
    }
  | { cmd: 'list_subscriptions'; id: number };

export function wsError(id: number, code: number, marketTicker?: string, detail?: string): WsCommandError {
  const base = WS_ERROR_MESSAGES[code] ?? 'Error';
  return {
    id,
    code,
    msg: detail ? `${base}: ${detail}` : base,
    ...(marketTicker === undefined ? {} : { marketTicker }),
  };
}

const envelope = z.object({
  id: z.number().int().nonnegative().optional(),
  cmd: z.string().min(1),
  params: z.unknown().optional(),
});
const paramsObject = z.record(z.string(), z.unknown());
const tickerList = z.array(z.string().min(1)).min(1);
const sid = z.number().int().positive();

type Parsed = { ok: true; command: KalshiWsCommand } | { ok: false; error: WsCommandError };

const fail = (error: WsCommandError): Parsed => ({ ok: false, error });

/** Decodes one text frame into a command, or the error reply it deserves. */
export function parseWsCommand(text: string): Parsed {
  let raw: unknown;
  try {
    raw = JSON.parse(text);
  } catch {
    return fail(wsError(0, 1, undefined, 'not JSON'));
  }
  const head = envelope.safeParse(raw);
  if (!head.success) {
    const id = (raw as { id?: unknown } | null)?.id;
    return fail(wsError(typeof id === 'number' && Number.isInteger(id) && id > 0 ? id : 0, 1));
  }
  const id = head.data.id ?? 0;
  const { cmd } = head.data;
  if (cmd === 'list_subscriptions') return { ok: true, command: { cmd, id } };
  if (cmd !== 'subscribe' && cmd !== 'unsubscribe' && cmd !== 'update_subscription') {
    return fail(wsError(id, 5, undefined, cmd));
  }
  const params = paramsObject.safeParse(head.data.params);
  if (!params.success) return fail(wsError(id, 2));
  const p = params.data;
  switch (cmd) {
    case 'subscribe':
      return parseSubscribe(id, p);
    case 'unsubscribe':
      return parseUnsubscribe(id, p);
    case 'update_subscription':
      return parseUpdate(id, p);
  }
}

type Field<T> = { value: T } | { error: WsCommandError };

/** market_ticker (one) or market_tickers (several), never both; undefined when neither. */
function markets(id: number, p: Record<string, unknown>): Field<string[] | undefined> {
  const one = p.market_ticker;
  const many = p.market_tickers;
  if (one !== undefined && many !== undefined) {
    return { error: wsError(id, 11, undefined, 'market_ticker and market_tickers are mutually exclusive') };
  }
  if (one !== undefined) {
    if (typeof one !== 'string' || one.length === 0)
      return { error: wsError(id, 11, undefined, 'market_ticker') };
    return { value: [one] };
  }
  if (many !== undefined) {
    const list = tickerList.safeParse(many);
    if (!list.success) return { error: wsError(id, 11, undefined, 'market_tickers') };
    return { value: [...new Set(list.data)] };
  }
  return { value: undefined };
}

function snapshotFlag(id: number, p: Record<string, unknown>): Field<boolean> {
  const flag = p.send_initial_snapshot;
  if (flag === undefined) return { value: false };
  if (typeof flag !== 'boolean') return { error: wsError(id, 11, undefined, 'send_initial_snapshot') };
  return { value: flag };
}

function parseSubscribe(id: number, p: Record<string, unknown>): Parsed {
  const channels = z.array(z.string()).min(1).safeParse(p.channels);
  if (!channels.success) return fail(wsError(id, 3));
  const m = markets(id, p);
  if ('error' in m) return fail(m.error);
  const flag = snapshotFlag(id, p);
  if ('error' in flag) return fail(flag.error);
  let indexTickers: string[] | undefined;
  if (p.index_tickers !== undefined) {
    const list = tickerList.safeParse(p.index_tickers);
    if (!list.success) return fail(wsError(id, 11, undefined, 'index_tickers'));
    indexTickers = [...new Set(list.data)];
  }
  return {
    ok: true,
    command: {
      cmd: 'subscribe',
      id,
      channels: channels.data,
      marketTickers: m.value,
      indexTickers,
      sendInitialSnapshot: flag.value,
    },
  };
}

function parseUnsubscribe(id: number, p: Record<string, unknown>): Parsed {
  if (p.sids === undefined || (Array.isArray(p.sids) && p.sids.length === 0)) return fail(wsError(id, 4));
  const sids = z.array(sid).safeParse(p.sids);
  if (!sids.success) return fail(wsError(id, 11, undefined, 'sids'));
  return { ok: true, command: { cmd: 'unsubscribe', id, sids: sids.data } };
}

function parseUpdate(id: number, p: Record<string, unknown>): Parsed {
  if (p.action === undefined) return fail(wsError(id, 15));
  if (p.action !== 'add_markets' && p.action !== 'delete_markets') return fail(wsError(id, 13));
  const action = p.action;
  const hasSid = p.sid !== undefined;
  const hasSids = p.sids !== undefined;
  if (hasSid === hasSids) return fail(wsError(id, 12));
  let target: unknown = p.sid;
  if (hasSids) {
    if (!Array.isArray(p.sids) || p.sids.length !== 1) return fail(wsError(id, 12));
    target = p.sids[0];
  }
  const parsedSid = sid.safeParse(target);
  if (!parsedSid.success) return fail(wsError(id, 11, undefined, 'sid'));
  const m = markets(id, p);
  if ('error' in m) return fail(m.error);
  const tickers = m.value;
  if (tickers === undefined) return fail(wsError(id, 14));
  const flag = snapshotFlag(id, p);
  if ('error' in flag) return fail(flag.error);
  return {
    ok: true,
    command: {
      cmd: 'update_subscription',
      id,
      sid: parsedSid.data,
      action,
      marketTickers: tickers,
      sendInitialSnapshot: flag.value,
    },
  };
}
