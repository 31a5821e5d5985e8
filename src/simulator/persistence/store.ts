/**
 * The simulator's PostgreSQL store (schema `sim`). Every write is one transaction holding a
 * journal entry, the ledger rows the same change produced (orders, fills, positions,
 * balances, settlements of recorded accounts), new accounts / API keys, and optionally a
 * snapshot — so the journal and the ledger never disagree about a command.
 *
 * Ledger writes are idempotent (upsert the latest state; insert-or-ignore for fills and
 * settlements): replaying a journal after a crash rewrites the same rows harmlessly.
 */
import type { Kysely, Transaction } from 'kysely';
import type {
  EngineEvent,
  FillRecord,
  OrderRecord,
  PositionRecord,
  SettlementRecord,
  BalanceView,
} from '../engine/types.ts';
import type { Database } from '../../core/db/schema.ts';
import type { ApiKeyTier, JournalKind, SimTables } from './schema.ts';

export interface JournalEntry {
  seq: number;
  atMs: number;
  kind: JournalKind;
  /** The command as the runtime replays it (JSON-able). */
  command: Record<string, unknown>;
  /** A summary of the outcome, compared on replay (JSON-able). */
  result: unknown;
}

export interface ApiKeyRecord {
  keyId: string;
  accountId: string;
  publicKeyPem: string;
  tier: ApiKeyTier;
  createdAtMs: number;
}

export interface NewAccountRecord {
  accountId: string;
  label: string;
  createdAtMs: number;
  balanceCc: number;
}

export interface SnapshotRecord {
  /** JSON text of the simulation snapshot. */
  json: string;
  journalSeq: number;
  simTimeMs: number;
  savedAtMs: number;
}

export interface PersistBatch {
  journal?: JournalEntry;
  /** Engine events; only private ones (order, fill, position, balance, settlement) are stored. */
  events?: readonly EngineEvent[];
  newAccounts?: readonly NewAccountRecord[];
  apiKeys?: readonly ApiKeyRecord[];
  snapshot?: SnapshotRecord;
}

export interface StoredState {
  snapshot: unknown;
  journalSeq: number;
  simTimeMs: number;
  /** Journal entries newer than the snapshot, in order. */
  journal: JournalEntry[];
  /** The highest journal seq stored (≥ journalSeq). */
  lastJournalSeq: number;
}

export interface StoredLedger {
  account: { accountId: string; label: string; balanceCc: number; reservedCc: number } | undefined;
  orders: OrderRecord[];
  fills: FillRecord[];
  positions: PositionRecord[];
  settlements: SettlementRecord[];
}

export class SimStore {
  readonly #db: Kysely<SimTables>;

  constructor(db: Kysely<SimTables> | Kysely<Database & SimTables>) {
    this.#db = db as Kysely<SimTables>;
  }

  /** The latest snapshot and the journal after it; undefined on a fresh database. */
  async load(): Promise<StoredState | undefined> {
    const state = await this.#db.selectFrom('sim.state').selectAll().where('id', '=', 1).executeTakeFirst();
    if (!state) return undefined;
    const rows = await this.#db
      .selectFrom('sim.journal')
      .selectAll()
      .where('seq', '>', state.journal_seq)
      .orderBy('seq')
      .execute();
    const max = await this.#db
      .selectFrom('sim.journal')
      .select((eb) => eb.fn.max('seq').as('max'))
      .executeTakeFirst();
    return {
      snapshot: state.snapshot,
      journalSeq: state.journal_seq,
      simTimeMs: state.sim_time.getTime(),
      journal: rows.map((row) => ({
        seq: row.seq,
        atMs: row.at.getTime(),
        kind: row.kind,
        command: row.command,
        result: row.result,
      })),
      lastJournalSeq: Math.max(state.journal_seq, Number(max?.max ?? 0)),
    };
  }

  async listApiKeys(): Promise<ApiKeyRecord[]> {
    const rows = await this.#db.selectFrom('sim.api_keys').selectAll().orderBy('created_at').execute();
    return rows.map((row) => ({
      keyId: row.key_id,
      accountId: row.account_id,
      publicKeyPem: row.public_key_pem,
      tier: row.tier,
      createdAtMs: row.created_at.getTime(),
    }));
  }

  async listAccountLabels(): Promise<Map<string, string>> {
    const rows = await this.#db.selectFrom('sim.accounts').select(['account_id', 'label']).execute();
    return new Map(rows.map((row) => [row.account_id, row.label]));
  }

  /** What the ledger holds for one account (verification after restore, tests). */
  async ledger(accountId: string): Promise<StoredLedger> {
    const account = await this.#db
      .selectFrom('sim.accounts')
      .selectAll()
      .where('account_id', '=', accountId)
      .executeTakeFirst();
    const records = async <T>(table: 'sim.orders' | 'sim.fills' | 'sim.positions' | 'sim.settlements') =>
      (await this.#db.selectFrom(table).select('record').where('account_id', '=', accountId).execute()).map(
        (row) => row.record as unknown as T,
      );
    return {
      account: account && {
        accountId: account.account_id,
        label: account.label,
        balanceCc: account.balance_cc,
        reservedCc: account.reserved_cc,
      },
      orders: await records<OrderRecord>('sim.orders'),
      fills: await records<FillRecord>('sim.fills'),
      positions: await records<PositionRecord>('sim.positions'),
      settlements: await records<SettlementRecord>('sim.settlements'),
    };
  }

  /** Writes a batch in one transaction (nothing when it is empty). */
  async write(batch: PersistBatch): Promise<void> {
    if (isEmpty(batch)) return;
    await this.#db.transaction().execute(async (trx) => {
      if (batch.newAccounts?.length) await insertAccounts(trx, batch.newAccounts);
      if (batch.apiKeys?.length) await insertApiKeys(trx, batch.apiKeys);
      if (batch.journal) await insertJournal(trx, batch.journal);
      if (batch.events?.length) await writeLedger(trx, batch.events);
      if (batch.snapshot) await saveSnapshot(trx, batch.snapshot);
    });
  }
}

function isEmpty(batch: PersistBatch): boolean {
  return (
    !batch.journal &&
    !batch.snapshot &&
    !batch.newAccounts?.length &&
    !batch.apiKeys?.length &&
    !(batch.events ?? []).some((e) => PRIVATE_EVENTS.has(e.type))
  );
}

const PRIVATE_EVENTS = new Set<EngineEvent['type']>(['order', 'fill', 'position', 'balance', 'settlement']);

const at = (ms: number) => new Date(ms);

async function insertAccounts(trx: Transaction<SimTables>, accounts: readonly NewAccountRecord[]) {
  await trx
    .insertInto('sim.accounts')
    .values(
      accounts.map((a) => ({
        account_id: a.accountId,
        label: a.label,
        balance_cc: a.balanceCc,
        reserved_cc: 0,
        created_at: at(a.createdAtMs),
        updated_at: at(a.createdAtMs),
      })),
    )
    .onConflict((oc) => oc.column('account_id').doUpdateSet((eb) => ({ label: eb.ref('excluded.label') })))
    .execute();
}

async function insertApiKeys(trx: Transaction<SimTables>, keys: readonly ApiKeyRecord[]) {
  await trx
    .insertInto('sim.api_keys')
    .values(
      keys.map((k) => ({
        key_id: k.keyId,
        account_id: k.accountId,
        public_key_pem: k.publicKeyPem,
        tier: k.tier,
        created_at: at(k.createdAtMs),
      })),
    )
    .execute();
}

async function insertJournal(trx: Transaction<SimTables>, entry: JournalEntry) {
  await trx
    .insertInto('sim.journal')
    .values({
      seq: entry.seq,
      at: at(entry.atMs),
      kind: entry.kind,
      command: JSON.stringify(entry.command),
      result: JSON.stringify(entry.result ?? null),
    })
    .execute();
}

async function saveSnapshot(trx: Transaction<SimTables>, snapshot: SnapshotRecord) {
  const row = {
    snapshot: snapshot.json,
    journal_seq: snapshot.journalSeq,
    sim_time: at(snapshot.simTimeMs),
    saved_at: at(snapshot.savedAtMs),
  };
  await trx
    .insertInto('sim.state')
    .values({ id: 1, ...row })
    .onConflict((oc) => oc.column('id').doUpdateSet(row))
    .execute();
}

/** Last state per key wins within a batch (events are in the order they happened). */
function latest<T>(items: T[], keyOf: (item: T) => string): T[] {
  return [...new Map(items.map((item) => [keyOf(item), item])).values()];
}

async function writeLedger(trx: Transaction<SimTables>, events: readonly EngineEvent[]) {
  const orders: OrderRecord[] = [];
  const fills: FillRecord[] = [];
  const positions: PositionRecord[] = [];
  const balances: BalanceView[] = [];
  const settlements: SettlementRecord[] = [];
  for (const event of events) {
    if (event.type === 'order') orders.push(event.order);
    else if (event.type === 'fill') fills.push(event.fill);
    else if (event.type === 'position') positions.push(event.position);
    else if (event.type === 'balance') balances.push(event.balance);
    else if (event.type === 'settlement') settlements.push(event.settlement);
  }
  const orderRows = latest(orders, (o) => o.orderId).map((o) => ({
    order_id: o.orderId,
    account_id: o.accountId,
    client_order_id: o.clientOrderId,
    ticker: o.ticker,
    status: o.status,
    created_at: at(o.createdTime),
    updated_at: at(o.lastUpdateTime),
    record: JSON.stringify(o),
  }));
  if (orderRows.length > 0) {
    await trx
      .insertInto('sim.orders')
      .values(orderRows)
      .onConflict((oc) =>
        oc.column('order_id').doUpdateSet((eb) => ({
          status: eb.ref('excluded.status'),
          updated_at: eb.ref('excluded.updated_at'),
          record: eb.ref('excluded.record'),
        })),
      )
      .execute();
  }
  const fillRows = latest(fills, (f) => `${f.fillId}\u0000${f.accountId}`).map((f) => ({
    fill_id: f.fillId,
    account_id: f.accountId,
    order_id: f.orderId,
    ticker: f.ticker,
    created_at: at(f.createdTime),
    record: JSON.stringify(f),
  }));
  if (fillRows.length > 0) {
    await trx
      .insertInto('sim.fills')
      .values(fillRows)
      .onConflict((oc) => oc.columns(['fill_id', 'account_id']).doNothing())
      .execute();
  }
  const positionRows = latest(positions, (p) => `${p.accountId}\u0000${p.ticker}`).map((p) => ({
    account_id: p.accountId,
    ticker: p.ticker,
    event_ticker: p.eventTicker,
    position: p.position,
    updated_at: at(p.lastUpdatedTime),
    record: JSON.stringify(p),
  }));
  if (positionRows.length > 0) {
    await trx
      .insertInto('sim.positions')
      .values(positionRows)
      .onConflict((oc) =>
        oc.columns(['account_id', 'ticker']).doUpdateSet((eb) => ({
          position: eb.ref('excluded.position'),
          updated_at: eb.ref('excluded.updated_at'),
          record: eb.ref('excluded.record'),
        })),
      )
      .execute();
  }
  for (const b of latest(balances, (b) => b.accountId)) {
    // The account row exists (created with the account, in this or an earlier transaction).
    await trx
      .updateTable('sim.accounts')
      .set({ balance_cc: b.balanceCc, reserved_cc: b.reservedCc, updated_at: at(b.updatedTime) })
      .where('account_id', '=', b.accountId)
      .execute();
  }
  const settlementRows = latest(settlements, (s) => `${s.accountId}\u0000${s.ticker}`).map((s) => ({
    account_id: s.accountId,
    ticker: s.ticker,
    event_ticker: s.eventTicker,
    revenue_cc: s.revenueCc,
    settled_at: at(s.settledTime),
    record: JSON.stringify(s),
  }));
  if (settlementRows.length > 0) {
    await trx
      .insertInto('sim.settlements')
      .values(settlementRows)
      .onConflict((oc) => oc.columns(['account_id', 'ticker']).doNothing())
      .execute();
  }
}
