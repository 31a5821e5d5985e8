/**
 * SimulatorRuntime: owns the market simulation (and its exchange engine), moves it with the
 * service's Clock, persists it, and is the one door for queries, commands and the event feed.
 *
 * Time: `tick()` (called every simulated second by the service) steps the simulation up to the
 * clock, at most `maxStepsPerTick` seconds per call so a long pause is caught up in slices;
 * `sync()` catches up fully and is called before every read and command, so a command runs at
 * the clock's time against a market that has lived up to it.
 *
 * Durability (schema `sim`): every command is journaled — with the time it ran at and a summary
 * of its outcome — in the same transaction as the ledger rows it produced, before its answer
 * leaves. A snapshot of the whole simulation is written every `snapshotEverySeconds` of
 * simulated time and on close. Restore = the snapshot + the journal entries after it, replayed
 * at their times (the simulation is deterministic, so the market between them replays too);
 * each replayed outcome is checked against the journaled one.
 *
 * A trading halt (the "paused" fault) changes what the market does from then on, so replay must
 * see it at the same simulated second: each halt or resume writes a snapshot taken right after
 * it, in order with the journal. The newest snapshot is then never older than the newest halt
 * change, and the journal entries replayed after it all ran in the halt state it holds — no
 * journal kind (nor migration of `sim.journal`) needed. The admin's answer leaves after that write.
 */
import { createPublicKey, randomUUID, type KeyObject } from 'node:crypto';
import type { Kysely } from 'kysely';
import type { Logger } from 'pino';
import type { Clock } from '../../core/clock/clock.ts';
import type { Database } from '../../core/db/schema.ts';
import type { ExchangeEngine } from '../engine/engine.ts';
import type {
  BalanceView,
  CancelOrderValue,
  EngineEvent,
  OrderRecord,
  PlaceOrderValue,
  Result,
} from '../engine/types.ts';
import { MarketSimulation, type SimulationOutput } from '../market/simulation.ts';
import { parseSimulationSnapshot } from '../market/simulation-snapshot.ts';
import { seedSpotHistory } from '../market/spot-history.ts';
import type { ApiKeyTier, SimTables } from '../persistence/schema.ts';
import { SimStore, type ApiKeyRecord, type PersistBatch, type SnapshotRecord } from '../persistence/store.ts';
import {
  applyCommand,
  journalCommandSchema,
  sameSummary,
  type JournalCommand,
  type OrderInput,
} from './commands.ts';
import { toSimulationConfig, type SimulatorConfig } from './config.ts';
import { OrderedWriter } from './ordered-writer.ts';

export interface SimulatorRuntimeOptions {
  config: SimulatorConfig;
  clock: Clock;
  /** The platform database (migrated: schema `sim` exists). */
  db: Kysely<Database>;
  log: Logger;
  /** Called once when the runtime can no longer keep memory and database in step. */
  onFatal?: (error: Error) => void;
}

/** What happened in one step of the runtime, in order, after it is durable. */
export interface RuntimeBatch extends SimulationOutput {
  cause: 'tick' | 'command' | 'admin';
}

export type RuntimeListener = (batch: RuntimeBatch) => void;

export interface ApiKeyInfo {
  keyId: string;
  accountId: string;
  tier: ApiKeyTier;
  publicKeyPem: string;
  publicKey: KeyObject;
  createdAtMs: number;
}

export interface RuntimeStatus {
  clockMs: number;
  simTimeMs: number;
  /** How far the simulation is behind the clock. */
  lagMs: number;
  /** Clock time of the last completed tick (null before the first). */
  lastTickAtMs: number | null;
  journalSeq: number;
  lastSnapshotSimMs: number;
  pendingWrites: number;
  accounts: number;
  apiKeys: number;
  events: { eventTicker: string; status: string; closeTime: number }[];
  replay: { entries: number; mismatches: number };
  /** Trading halted (the exchange is paused): no trades, frozen books, order commands refused. */
  tradingHalted: boolean;
  failed: string | null;
}

/** Behind the clock by more than this, the simulation catches up before it takes commands. */
export const CATCH_UP_LAG_MS = 60_000;

export class RuntimeError extends Error {
  override name = 'RuntimeError';
  constructor(
    readonly code: 'invalid' | 'not_found' | 'conflict' | 'unavailable',
    message: string,
  ) {
    super(message);
  }
}

export class SimulatorRuntime {
  readonly config: SimulatorConfig;
  readonly clock: Clock;
  readonly store: SimStore;
  readonly #log: Logger;
  readonly #writer: OrderedWriter;
  readonly #listeners = new Set<RuntimeListener>();
  readonly #apiKeys = new Map<string, ApiKeyInfo>();
  readonly #labels = new Map<string, string>();
  readonly #pendingKeyIds = new Set<string>();
  #simulation!: MarketSimulation;
  #journalSeq = 0;
  #lastSnapshotSimMs = 0;
  #snapshotQueued = false;
  #lastTickAtMs: number | null = null;
  #replay = { entries: 0, mismatches: 0 };
  #closed = false;

  private constructor(options: SimulatorRuntimeOptions) {
    this.config = options.config;
    this.clock = options.clock;
    this.#log = options.log;
    this.store = new SimStore(options.db.withTables<SimTables>());
    const onFatal = options.onFatal ?? (() => {});
    this.#writer = new OrderedWriter(this.store, (error) => {
      this.#log.error({ err: error }, 'simulator state could not be persisted; restart to restore');
      onFatal(error);
    });
  }

  /** Restores the simulation from the database, or creates it on a fresh one. */
  static async open(options: SimulatorRuntimeOptions): Promise<SimulatorRuntime> {
    const runtime = new SimulatorRuntime(options);
    await runtime.#load();
    return runtime;
  }

  // ── Reads ─────────────────────────────────────────────────────────────────────────────

  /** The simulation, for reads (events, index, spot feed). Call `sync()` first for fresh data. */
  get simulation(): MarketSimulation {
    return this.#simulation;
  }

  /** The exchange engine, for reads only — changes go through the commands below. */
  get engine(): ExchangeEngine {
    return this.#simulation.engine;
  }

  apiKey(keyId: string): ApiKeyInfo | undefined {
    return this.#apiKeys.get(keyId);
  }

  listApiKeys(accountId?: string): ApiKeyInfo[] {
    return [...this.#apiKeys.values()].filter((k) => accountId === undefined || k.accountId === accountId);
  }

  accountLabel(accountId: string): string | undefined {
    return this.#labels.get(accountId);
  }

  /** Accounts created through the runtime (users and the paper account, not the market's own). */
  listAccounts(): (BalanceView & { label: string })[] {
    const out: (BalanceView & { label: string })[] = [];
    for (const [accountId, label] of this.#labels) {
      const balance = this.engine.getBalance(accountId);
      if (balance) out.push({ ...balance, label });
    }
    return out;
  }

  status(): RuntimeStatus {
    const clockMs = this.clock.now();
    return {
      clockMs,
      simTimeMs: this.#simulation.now,
      lagMs: Math.max(0, clockMs - this.#simulation.now),
      lastTickAtMs: this.#lastTickAtMs,
      journalSeq: this.#journalSeq,
      lastSnapshotSimMs: this.#lastSnapshotSimMs,
      pendingWrites: this.#writer.pending,
      accounts: this.#labels.size,
      apiKeys: this.#apiKeys.size,
      events: this.#simulation
        .listEvents()
        .map((e) => ({ eventTicker: e.eventTicker, status: e.status, closeTime: e.closeTime })),
      replay: { ...this.#replay },
      tradingHalted: this.#simulation.tradingHalted,
      failed: this.#writer.failed?.message ?? null,
    };
  }

  /** Hears every batch after it is durable; returns the unsubscribe function. */
  subscribe(listener: RuntimeListener): () => void {
    this.#listeners.add(listener);
    return () => this.#listeners.delete(listener);
  }

  // ── Time ──────────────────────────────────────────────────────────────────────────────

  /** Catches the simulation up to the clock now (synchronously) — unless it is far behind. */
  sync(): void {
    this.#ensureOpen();
    if (this.catchingUp) return; // the ticks catch up in slices; a read must not block for that long
    this.#advance(this.clock.now(), 'tick');
  }

  /**
   * True while the simulation is more than CATCH_UP_LAG_MS behind the clock (after a pause or
   * a restart): reads serve what exists, commands are refused (503), ticks catch up in slices.
   */
  get catchingUp(): boolean {
    return this.clock.now() - this.#simulation.now > CATCH_UP_LAG_MS;
  }

  /**
   * One tick: steps the simulation up to the clock in slices of `maxStepsPerTick` seconds,
   * waiting for each slice's write (which lets requests in between), until it has caught up.
   */
  async tick(): Promise<void> {
    if (this.#closed) return;
    this.#ensureOpen();
    for (;;) {
      const now = this.clock.now();
      const target = Math.min(now, this.#simulation.now + this.config.maxStepsPerTick * 1000);
      await this.#advance(target, 'tick');
      this.#lastTickAtMs = now;
      if (this.#closed || this.#simulation.now + 1000 > this.clock.now()) return;
      await new Promise((resolve) => setImmediate(resolve));
    }
  }

  // ── Commands ──────────────────────────────────────────────────────────────────────────

  get tradingHalted(): boolean {
    return this.#simulation.tradingHalted;
  }

  /**
   * Halts or resumes trading now (at once in memory; resolves when durable — see the header).
   * While catching up it applies at the simulation's time, like accounts and deposits.
   */
  setTradingHalted(halted: boolean): Promise<void> {
    this.#ensureOpen();
    if (halted === this.#simulation.tradingHalted) return this.#writer.idle();
    if (!this.catchingUp) void this.#advance(this.clock.now(), 'tick');
    this.#simulation.setTradingHalted(halted);
    this.#log.info(
      { halted, simTimeMs: this.#simulation.now },
      halted ? 'trading halted' : 'trading resumed',
    );
    return this.#writer.enqueue({ snapshot: this.#captureSnapshot() });
  }

  async placeOrder(accountId: string, order: OrderInput): Promise<Result<PlaceOrderValue>> {
    this.#ensureTrading();
    return (await this.#command(
      { kind: 'place_order', accountId, order },
      'command',
    )) as Result<PlaceOrderValue>;
  }

  async cancelOrder(accountId: string, orderId: string): Promise<Result<CancelOrderValue>> {
    this.#ensureTrading();
    return (await this.#command(
      { kind: 'cancel_order', accountId, orderId },
      'command',
    )) as Result<CancelOrderValue>;
  }

  async decreaseOrder(
    accountId: string,
    orderId: string,
    by: { reduceBy?: number; reduceTo?: number },
  ): Promise<Result<{ order: OrderRecord; reducedBy: number; tsMs: number }>> {
    this.#ensureTrading();
    return (await this.#command({ kind: 'decrease_order', accountId, orderId, ...by }, 'command')) as Result<{
      order: OrderRecord;
      reducedBy: number;
      tsMs: number;
    }>;
  }

  /** A new recorded account (id generated when not given). */
  async createAccount(input: {
    accountId?: string;
    label?: string;
    balanceCc: number;
  }): Promise<BalanceView> {
    const accountId = input.accountId ?? randomUUID();
    if (this.engine.getBalance(accountId)) throw new RuntimeError('conflict', `account ${accountId} exists`);
    const label = input.label ?? '';
    const result = await this.#command(
      { kind: 'create_account', accountId, balanceCc: input.balanceCc, label },
      'admin',
      (ok) =>
        ok
          ? { newAccounts: [{ accountId, label, createdAtMs: this.clock.now(), balanceCc: input.balanceCc }] }
          : {},
    );
    if (!result.ok) throw new RuntimeError('invalid', result.error.message);
    this.#labels.set(accountId, label);
    return result.value as BalanceView;
  }

  /** Adds (or, negative, withdraws from the available part of) an account's cash. */
  async adjustBalance(accountId: string, amountCc: number): Promise<Result<BalanceView>> {
    if (!this.#labels.has(accountId)) throw new RuntimeError('not_found', `account ${accountId} not found`);
    return (await this.#command(
      { kind: 'adjust_balance', accountId, amountCc },
      'admin',
    )) as Result<BalanceView>;
  }

  /** Registers an RSA public key for an account; the key id is generated when not given. */
  async registerApiKey(input: {
    accountId: string;
    publicKeyPem: string;
    keyId?: string;
    tier?: ApiKeyTier;
  }): Promise<ApiKeyInfo> {
    this.#ensureOpen();
    if (!this.#labels.has(input.accountId)) {
      throw new RuntimeError('not_found', `account ${input.accountId} not found`);
    }
    const keyId = input.keyId ?? randomUUID();
    if (this.#apiKeys.has(keyId) || this.#pendingKeyIds.has(keyId)) {
      throw new RuntimeError('conflict', `API key ${keyId} exists`);
    }
    const publicKey = readRsaPublicKey(input.publicKeyPem);
    const record: ApiKeyRecord = {
      keyId,
      accountId: input.accountId,
      publicKeyPem: input.publicKeyPem,
      tier: input.tier ?? 'basic',
      createdAtMs: this.clock.now(),
    };
    // Reserved while it is written: a second registration of the id must not reach the database.
    this.#pendingKeyIds.add(keyId);
    try {
      await this.#writer.enqueue({ apiKeys: [record] });
    } finally {
      this.#pendingKeyIds.delete(keyId);
    }
    const info = { ...record, publicKey };
    this.#apiKeys.set(keyId, info);
    return info;
  }

  /** Resolves when every write queued so far is committed (and its listeners have run). */
  idle(): Promise<void> {
    return this.#writer.idle();
  }

  /** Writes a snapshot now and waits for it. */
  async snapshotNow(): Promise<void> {
    this.#ensureOpen();
    await this.#writer.enqueue({ snapshot: this.#captureSnapshot() });
  }

  /** Final snapshot, then waits for every write. Idempotent. */
  async close(): Promise<void> {
    if (this.#closed) return;
    this.#closed = true;
    if (this.#writer.failed) return;
    await this.#writer.enqueue({ snapshot: this.#captureSnapshot() }).catch(() => {});
    await this.#writer.idle();
    this.#listeners.clear();
  }

  // ── Internals ─────────────────────────────────────────────────────────────────────────

  #ensureOpen(): void {
    if (this.#writer.failed) {
      throw new RuntimeError('unavailable', `simulator state store failed: ${this.#writer.failed.message}`);
    }
    if (this.#closed) throw new RuntimeError('unavailable', 'simulator is shutting down');
  }

  /** Order entry is refused while trading is halted, as the paused exchange's REST does. */
  #ensureTrading(): void {
    if (this.#simulation.tradingHalted) {
      throw new RuntimeError('unavailable', 'trading is paused on the exchange');
    }
  }

  async #command(
    command: JournalCommand,
    cause: RuntimeBatch['cause'],
    extra: (ok: boolean) => Pick<PersistBatch, 'newAccounts'> = () => ({}),
  ): Promise<Result<unknown>> {
    this.#ensureOpen();
    let nowMs = this.clock.now();
    if (this.catchingUp) {
      if (cause !== 'admin') {
        throw new RuntimeError('unavailable', 'the exchange is catching up after a pause; try again shortly');
      }
      // Accounts and deposits do not depend on the market: they run at the simulation's time.
      nowMs = Math.max(this.#simulation.now, this.engine.now);
    } else {
      this.#advance(nowMs, 'tick');
    }
    const applied = applyCommand(this.engine, command, nowMs);
    const seq = ++this.#journalSeq;
    await this.#writer.enqueue(
      {
        ...extra(applied.result.ok),
        journal: { seq, atMs: nowMs, kind: command.kind, command, result: applied.summary },
        events: applied.events,
      },
      () => this.#emit({ ...emptyOutput(), engineEvents: applied.events, cause }),
    );
    return applied.result;
  }

  /** Steps the simulation to `targetMs` and queues the result (write, then listeners). */
  #advance(targetMs: number, cause: RuntimeBatch['cause']): Promise<void> {
    const output = this.#simulation.advanceTo(targetMs);
    const snapshot = this.#dueSnapshot();
    if (!snapshot && isQuiet(output)) return Promise.resolve();
    return this.#writer.enqueue({ events: output.engineEvents, ...(snapshot ? { snapshot } : {}) }, () => {
      if (snapshot) this.#snapshotQueued = false;
      this.#emit({ ...output, cause });
    });
  }

  #dueSnapshot(): SnapshotRecord | undefined {
    if (this.#snapshotQueued) return undefined;
    if (this.#simulation.now - this.#lastSnapshotSimMs < this.config.snapshotEverySeconds * 1000) {
      return undefined;
    }
    this.#snapshotQueued = true;
    return this.#captureSnapshot();
  }

  #captureSnapshot(): SnapshotRecord {
    this.#lastSnapshotSimMs = this.#simulation.now;
    return {
      json: JSON.stringify(this.#simulation.snapshot()),
      journalSeq: this.#journalSeq,
      simTimeMs: this.#simulation.now,
      savedAtMs: this.clock.now(),
    };
  }

  #emit(batch: RuntimeBatch): void {
    for (const listener of this.#listeners) {
      try {
        listener(batch);
      } catch (error) {
        this.#log.warn({ err: error }, 'a simulator listener failed');
      }
    }
  }

  async #load(): Promise<void> {
    const stored = await this.store.load();
    for (const key of await this.store.listApiKeys()) {
      this.#apiKeys.set(key.keyId, { ...key, publicKey: readRsaPublicKey(key.publicKeyPem) });
    }
    for (const [accountId, label] of await this.store.listAccountLabels()) this.#labels.set(accountId, label);

    if (!stored) {
      const startMs = this.clock.now();
      const simulationConfig = toSimulationConfig(this.config, startMs);
      const { simulation } = MarketSimulation.create(simulationConfig);
      seedSpotHistory(simulation, simulationConfig, this.config.spotHistoryMinutes);
      this.#simulation = simulation;
      await this.store.write({ snapshot: this.#captureSnapshot() });
      this.#log.info({ seed: this.config.seed, startMs }, 'simulation created');
      return;
    }

    this.#simulation = MarketSimulation.restore(parseSimulationSnapshot(stored.snapshot));
    this.#lastSnapshotSimMs = this.#simulation.now;
    this.#journalSeq = stored.lastJournalSeq;
    for (const entry of stored.journal) {
      const command = journalCommandSchema.parse(entry.command);
      const stepped = this.#simulation.advanceTo(entry.atMs);
      const applied = applyCommand(this.engine, command, entry.atMs);
      // Idempotent: rewrites what the crash may have left unwritten.
      await this.store.write({ events: [...stepped.engineEvents, ...applied.events] });
      this.#replay.entries += 1;
      if (!sameSummary(applied.summary, entry.result)) {
        this.#replay.mismatches += 1;
        this.#log.error(
          { seq: entry.seq, journaled: entry.result, replayed: applied.summary },
          'journal replay differs from the recorded outcome',
        );
      }
    }
    const lagMs = this.clock.now() - this.#simulation.now;
    if (lagMs < 0) {
      this.#log.warn(
        { behindMs: -lagMs },
        'the clock is behind the restored simulation; the market waits for it',
      );
    }
    this.#log.info(
      {
        simTimeMs: this.#simulation.now,
        replayed: stored.journal.length,
        journalSeq: this.#journalSeq,
        tradingHalted: this.#simulation.tradingHalted,
      },
      'simulation restored',
    );
  }
}

function readRsaPublicKey(pem: string): KeyObject {
  // createPublicKey would accept a private key too (deriving its public half): refuse to keep one.
  if (/PRIVATE KEY/.test(pem))
    throw new RuntimeError('invalid', 'public_key must be a public key, not a private one');
  let key: KeyObject;
  try {
    key = createPublicKey(pem);
  } catch {
    throw new RuntimeError('invalid', 'public_key is not a readable PEM public key');
  }
  if (key.asymmetricKeyType !== 'rsa') throw new RuntimeError('invalid', 'public_key must be an RSA key');
  return key;
}

function isQuiet(output: SimulationOutput): boolean {
  return (
    output.engineEvents.length === 0 &&
    output.indexPrints.length === 0 &&
    output.spotTicks.length === 0 &&
    output.listedEvents.length === 0
  );
}

function emptyOutput(): SimulationOutput {
  return { indexPrints: [], spotTicks: [], engineEvents: [], listedEvents: [] };
}

export type { EngineEvent };
