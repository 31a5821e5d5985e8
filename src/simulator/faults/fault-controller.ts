/**
 * FaultController: the simulator's fault-injection switchboard, changed at run time (admin API)
 * and consulted by the REST hook, the WebSocket servers and the REST read layer.
 *
 * Every random decision comes from seeded streams (one per kind of decision), so a test that
 * sets a seed and replays the same traffic sees the same faults. When a kind of fault is off
 * its check draws nothing and costs a comparison.
 *
 * Read-after-write lag — for the REST layer: an object (order, fill…) created at `createdAtMs`
 * must be left out of reads until `isVisible(createdAtMs, nowMs, key)` is true, i.e. until
 * `readAfterWrite.lagMs` have passed since its creation — for the share `readAfterWrite.share`
 * of objects chosen by a hash of `key` (pass the order id; without a key every object lags).
 * Hide it from lists and answer 404 to a get-by-id, as Kalshi's lagging replicas do.
 *
 * Pause — with an exchange attached (`attachExchange`, the simulator's runtime), `paused` is
 * the exchange's trading halt: a change of it halts or resumes the market itself (no trades,
 * frozen books), durably, and `settled()` resolves once that is written. Attaching adopts the
 * exchange's state, so a pause outlives a restart of the simulator as the market's halt does.
 */
import { hashString, Random } from '../market/random.ts';
import {
  applyFaultPatch,
  dropConnectionsSchema,
  faultPatchSchema,
  noFaults,
  type DropConnectionsRequest,
  type FaultPatch,
  type FaultState,
  type WsTarget,
} from './fault-state.ts';

export type HttpFault =
  | { kind: 'reject'; status: number; reason: 'rate_limited' | 'server_error' }
  /** Run the request, then replace its answer by this status. */
  | { kind: 'fail_after'; status: number };

export type WsFate = 'deliver' | 'drop' | 'duplicate';

/** What a pause halts: the simulator's runtime. */
export interface HaltableExchange {
  readonly tradingHalted: boolean;
  /** Applies at once; resolves when durable. */
  setTradingHalted(halted: boolean): Promise<void>;
}

/**
 * A server's way to drop its connections: calls `pick()` once per open connection (in a stable
 * order) and drops those it answers true for; returns how many it dropped.
 */
export type ConnectionDropper = (pick: () => boolean, mode: 'terminate' | 'close') => number;

export interface FaultStats {
  httpRejected: number;
  httpFailedAfter: number;
  wsDropped: number;
  wsDuplicated: number;
  connectionsDropped: number;
}

const DEFAULT_SEED = 'recio-faults';

export class FaultController {
  #state: FaultState = noFaults();
  #seed: string;
  #random!: { latency: Random; http: Random; ws: Random; connections: Random };
  #wsTypes: Set<string> | undefined;
  #wsTargets = new Set<WsTarget>();
  #wsActive = false;
  #httpActive = false;
  #exchange: HaltableExchange | undefined;
  #halting: Promise<void> = Promise.resolve();
  readonly #listeners = new Set<(state: FaultState) => void>();
  readonly #droppers = new Map<WsTarget, Set<ConnectionDropper>>();
  readonly #stats: FaultStats = {
    httpRejected: 0,
    httpFailedAfter: 0,
    wsDropped: 0,
    wsDuplicated: 0,
    connectionsDropped: 0,
  };

  constructor(options: { seed?: string; initial?: FaultPatch } = {}) {
    this.#seed = options.seed ?? DEFAULT_SEED;
    this.#reseed(this.#seed);
    if (options.initial) this.update(options.initial);
    else this.#derive();
  }

  /** A copy of the current state. */
  get state(): FaultState {
    return structuredClone(this.#state);
  }

  get seed(): string {
    return this.#seed;
  }

  stats(): FaultStats {
    return { ...this.#stats };
  }

  /** Applies a patch (validated; throws a ZodError when invalid) and returns the new state. */
  update(patch: unknown): FaultState {
    const parsed = faultPatchSchema.parse(patch);
    const next = applyFaultPatch(this.#state, parsed);
    this.#halt(next.paused); // may throw: then nothing changed
    if (parsed.seed !== undefined) {
      this.#seed = parsed.seed;
      this.#reseed(parsed.seed);
    }
    this.#state = next;
    this.#derive();
    this.#notify();
    return this.state;
  }

  /** Back to no faults (the random streams restart from the seed). */
  clear(): FaultState {
    this.#halt(false);
    this.#state = noFaults();
    this.#reseed(this.#seed);
    this.#derive();
    this.#notify();
    return this.state;
  }

  /** Lets `paused` halt and resume `exchange`, starting from the exchange's own state. */
  attachExchange(exchange: HaltableExchange): void {
    this.#exchange = exchange;
    if (this.#state.paused === exchange.tradingHalted) return;
    this.#state = { ...this.#state, paused: exchange.tradingHalted };
    this.#notify();
  }

  /** Resolves when the exchange's halt or resume of the last change is durable (rejects if it failed). */
  settled(): Promise<void> {
    return this.#halting;
  }

  /** Hears every change; returns the unsubscribe function. */
  onChange(listener: (state: FaultState) => void): () => void {
    this.#listeners.add(listener);
    return () => this.#listeners.delete(listener);
  }

  // ── Decisions ─────────────────────────────────────────────────────────────────────────

  get paused(): boolean {
    return this.#state.paused;
  }

  /** Delay to add before handling a REST request. */
  restDelayMs(): number {
    return this.#delay(this.#state.latency.restMs);
  }

  /** Delay to add before a WebSocket message leaves. */
  wsDelayMs(): number {
    return this.#delay(this.#state.latency.wsMs);
  }

  /** What to do with a REST request on `path` (undefined: nothing, serve it). */
  httpFault(path: string): HttpFault | undefined {
    if (!this.#httpActive) return undefined;
    const http = this.#state.http;
    if (http.pathPrefixes.length > 0 && !http.pathPrefixes.some((p) => path.startsWith(p))) return undefined;
    const u = this.#random.http.next();
    if (u < http.share429) {
      this.#stats.httpRejected += 1;
      return { kind: 'reject', status: 429, reason: 'rate_limited' };
    }
    if (u < http.share429 + http.share5xx) {
      this.#stats.httpRejected += 1;
      return { kind: 'reject', status: http.status5xx, reason: 'server_error' };
    }
    if (u < http.share429 + http.share5xx + http.share5xxAfter) {
      this.#stats.httpFailedAfter += 1;
      return { kind: 'fail_after', status: http.status5xx };
    }
    return undefined;
  }

  /** The fate of one WebSocket data message of `messageType` sent by the `target` server. */
  wsFate(target: WsTarget, messageType: string): WsFate {
    if (!this.#wsActive || !this.#wsTargets.has(target)) return 'deliver';
    if (this.#wsTypes !== undefined && !this.#wsTypes.has(messageType)) return 'deliver';
    const u = this.#random.ws.next();
    if (u < this.#state.ws.dropShare) {
      this.#stats.wsDropped += 1;
      return 'drop';
    }
    if (u < this.#state.ws.dropShare + this.#state.ws.duplicateShare) {
      this.#stats.wsDuplicated += 1;
      return 'duplicate';
    }
    return 'deliver';
  }

  /** Read-after-write lag (see the header): may an object created at `createdAtMs` be read at `nowMs`? */
  isVisible(createdAtMs: number, nowMs: number, key?: string): boolean {
    return nowMs >= this.visibleFrom(createdAtMs, key);
  }

  /** The first time an object created at `createdAtMs` shows up in reads. */
  visibleFrom(createdAtMs: number, key?: string): number {
    const { lagMs, share } = this.#state.readAfterWrite;
    if (lagMs === 0) return createdAtMs;
    if (key !== undefined && share < 1 && hashString(`${this.#seed}:${key}`) / 4_294_967_296 >= share) {
      return createdAtMs;
    }
    return createdAtMs + lagMs;
  }

  // ── Connections ───────────────────────────────────────────────────────────────────────

  /** A WebSocket server makes its connections droppable; returns the unregister function. */
  registerConnections(target: WsTarget, dropper: ConnectionDropper): () => void {
    let set = this.#droppers.get(target);
    if (!set) {
      set = new Set();
      this.#droppers.set(target, set);
    }
    set.add(dropper);
    return () => set.delete(dropper);
  }

  /** Drops a share of the open connections of one server or all (validated request). */
  dropConnections(request: Partial<DropConnectionsRequest> = {}): { dropped: number } {
    const { target, share, mode } = dropConnectionsSchema.parse(request);
    const targets: WsTarget[] = target === 'all' ? ['kalshi', 'coinbase'] : [target];
    const random = this.#random.connections;
    const pick = () => share >= 1 || random.chance(share);
    let dropped = 0;
    for (const t of targets)
      for (const dropper of this.#droppers.get(t) ?? []) dropped += dropper(pick, mode);
    this.#stats.connectionsDropped += dropped;
    return { dropped };
  }

  // ── Internals ─────────────────────────────────────────────────────────────────────────

  #halt(paused: boolean): void {
    if (!this.#exchange || this.#exchange.tradingHalted === paused) {
      this.#halting = Promise.resolve();
      return;
    }
    const halting = this.#exchange.setTradingHalted(paused);
    halting.catch(() => {}); // seen through settled(); the runtime reports its own write failures
    this.#halting = halting;
  }

  #delay(base: number): number {
    const jitter = this.#state.latency.jitterMs;
    if (jitter === 0) return base;
    return base + Math.floor(this.#random.latency.next() * (jitter + 1));
  }

  #reseed(seed: string): void {
    const root = Random.seeded(seed);
    this.#random = {
      latency: root.fork('latency'),
      http: root.fork('http'),
      ws: root.fork('ws'),
      connections: root.fork('connections'),
    };
  }

  #derive(): void {
    const { ws, http } = this.#state;
    this.#wsActive = ws.dropShare > 0 || ws.duplicateShare > 0;
    this.#wsTargets = new Set(ws.targets);
    this.#wsTypes = ws.messageTypes.length > 0 ? new Set(ws.messageTypes) : undefined;
    this.#httpActive = http.share429 > 0 || http.share5xx > 0 || http.share5xxAfter > 0;
  }

  #notify(): void {
    const state = this.state;
    for (const listener of this.#listeners) listener(state);
  }
}
