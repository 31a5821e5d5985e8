/**
 * The fault-injection state of the simulator and the admin payloads that change it, as zod
 * schemas (the admin API's boundary). Everything defaults to "no fault".
 *
 * - latency: added before a faulted REST request is handled / before each WebSocket message
 *   leaves (ms of the simulator's Clock), plus a uniform 0..jitterMs;
 * - http: a share of requests answered 429, or 5xx before they run (nothing happened), or 5xx
 *   after they ran (the effect happened, the answer is lost: the "unknown outcome" write);
 * - ws: a share of data messages dropped (→ a `seq` / trade-id gap) or sent twice (→ duplicate);
 * - readAfterWrite: objects created less than lagMs ago are missing from REST reads;
 * - paused: trading requests are refused, the Kalshi WebSocket withholds data, and the attached
 *   exchange halts trading (no trades, frozen books; see FaultController and MarketSimulation).
 */
import { z } from 'zod';

export const WS_TARGETS = ['kalshi', 'coinbase'] as const;
export type WsTarget = (typeof WS_TARGETS)[number];

const share = z.number().min(0).max(1);
const millis = z.number().int().min(0).max(600_000);

const latencySchema = z.strictObject({
  restMs: millis,
  wsMs: millis,
  /** A uniform extra delay in [0, jitterMs] on top of restMs / wsMs. */
  jitterMs: millis,
});

const httpSchema = z.strictObject({
  /** Share of requests refused with 429 before they run. */
  share429: share,
  /** Share of requests answered `status5xx` before they run (no effect). */
  share5xx: share,
  /** Share of requests that run and whose answer is then replaced by `status5xx`. */
  share5xxAfter: share,
  status5xx: z.union([z.literal(500), z.literal(502), z.literal(503), z.literal(504)]),
  /** Only paths starting with one of these (empty: every path the hook covers). */
  pathPrefixes: z.array(z.string().startsWith('/')),
});

const wsSchema = z.strictObject({
  dropShare: share,
  duplicateShare: share,
  /** Servers affected. */
  targets: z.array(z.enum(WS_TARGETS)),
  /** Message types affected (`orderbook_delta`, `orderbook_snapshot`, `ticker`, `fill`…); empty = every data message. */
  messageTypes: z.array(z.string().min(1)),
});

const readAfterWriteSchema = z.strictObject({
  lagMs: millis,
  /** Share of objects that lag (chosen by a hash of their key, so an object lags or not consistently). */
  share,
});

export const faultStateSchema = z
  .strictObject({
    latency: latencySchema,
    http: httpSchema,
    ws: wsSchema,
    readAfterWrite: readAfterWriteSchema,
    paused: z.boolean(),
  })
  .refine((s) => s.http.share429 + s.http.share5xx + s.http.share5xxAfter <= 1, {
    message: 'http.share429 + http.share5xx + http.share5xxAfter must not exceed 1',
    path: ['http'],
  })
  .refine((s) => s.ws.dropShare + s.ws.duplicateShare <= 1, {
    message: 'ws.dropShare + ws.duplicateShare must not exceed 1',
    path: ['ws'],
  });

export type FaultState = z.infer<typeof faultStateSchema>;

/** PUT /admin/faults: any subset of the state (sections merge field by field), plus a new seed. */
export const faultPatchSchema = z.strictObject({
  latency: latencySchema.partial().optional(),
  http: httpSchema.partial().optional(),
  ws: wsSchema.partial().optional(),
  readAfterWrite: readAfterWriteSchema.partial().optional(),
  paused: z.boolean().optional(),
  /** Restarts the fault decisions' random stream (same seed → same decisions). */
  seed: z.string().min(1).optional(),
});

export type FaultPatch = z.infer<typeof faultPatchSchema>;

/** POST /admin/faults/drop-connections. */
export const dropConnectionsSchema = z.strictObject({
  target: z.enum([...WS_TARGETS, 'all']).default('all'),
  /** Share of the open connections to drop (each one drawn independently); 1 = all. */
  share: share.default(1),
  /** terminate = a network drop (no close frame); close = a clean close (code 1001). */
  mode: z.enum(['terminate', 'close']).default('terminate'),
});

export type DropConnectionsRequest = z.infer<typeof dropConnectionsSchema>;

export function noFaults(): FaultState {
  return {
    latency: { restMs: 0, wsMs: 0, jitterMs: 0 },
    http: { share429: 0, share5xx: 0, share5xxAfter: 0, status5xx: 503, pathPrefixes: [] },
    ws: { dropShare: 0, duplicateShare: 0, targets: ['kalshi', 'coinbase'], messageTypes: [] },
    readAfterWrite: { lagMs: 0, share: 1 },
    paused: false,
  };
}

/** The state after a patch (validated again as a whole). Throws a ZodError when invalid. */
export function applyFaultPatch(state: FaultState, patch: FaultPatch): FaultState {
  return faultStateSchema.parse({
    latency: { ...state.latency, ...patch.latency },
    http: { ...state.http, ...patch.http },
    ws: { ...state.ws, ...patch.ws },
    readAfterWrite: { ...state.readAfterWrite, ...patch.readAfterWrite },
    paused: patch.paused ?? state.paused,
  });
}
