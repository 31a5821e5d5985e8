/**
 * An account's own fills as one ledger, merged from two imperfect sources:
 * - the WebSocket `fill` channel: immediate, but not sequenced — a message can be lost (a
 *   dropped connection, a pause, a lossy link) or arrive twice, and nothing on the channel says so;
 * - REST `GET /portfolio/fills`: complete, but a fresh fill may be missing for a while
 *   (read-after-write lag).
 *
 * A fill is known by its trade id (Kalshi: fill_id = trade_id; an account is never on both
 * sides of one trade). Recording is idempotent: a repeat is a duplicate and changes nothing; a
 * repeat with different terms is a conflict (the first version is kept, the conflict reported).
 *
 * The ledger also says what may be missing: WebSocket fills REST has not shown yet
 * (`unconfirmed`), orders whose known fill count exceeds the ledger's contracts for them
 * (`shortfalls`), and where the next REST read must start so that nothing lag kept hidden is
 * skipped (`backfillFrom`). Pure: no I/O, no clock.
 */
import type { CentiCents, Contracts, EpochMs } from '../units.ts';

export type FillSource = 'ws' | 'rest';

export interface LedgerFill {
  /** = trade id. */
  fillId: string;
  orderId: string;
  ticker: string;
  /** YES-leg book side: bid = bought YES, ask = sold YES (bought NO). */
  side: 'bid' | 'ask';
  count: Contracts;
  yesPriceCc: CentiCents;
  isTaker: boolean;
  /** Epoch ms. REST's (ms) replaces the WebSocket's (whole seconds) once both were seen. */
  createdTime: EpochMs;
  feeCc?: CentiCents;
  clientOrderId?: string;
}

export interface LedgerEntry extends LedgerFill {
  seenOnWs: boolean;
  seenOnRest: boolean;
}

/**
 * - `new`: first sighting;
 * - `confirmed`: known from the other source, now seen on this one (terms agree);
 * - `duplicate`: already seen on this source;
 * - `conflict`: same id, different terms (kept out; see `conflicts()`).
 */
export type RecordOutcome = 'new' | 'confirmed' | 'duplicate' | 'conflict';

export interface FillConflict {
  fillId: string;
  source: FillSource;
  known: LedgerFill;
  received: LedgerFill;
}

export interface FillShortfall {
  orderId: string;
  /** Contracts the order is known to have filled. */
  expected: Contracts;
  /** Contracts of its fills in the ledger. */
  recorded: Contracts;
}

/** The terms two sightings of one fill must agree on (times differ in precision; fees may be absent). */
function sameTerms(a: LedgerFill, b: LedgerFill): boolean {
  return (
    a.orderId === b.orderId &&
    a.ticker === b.ticker &&
    a.side === b.side &&
    a.count === b.count &&
    a.yesPriceCc === b.yesPriceCc &&
    a.isTaker === b.isTaker &&
    (a.feeCc === undefined || b.feeCc === undefined || a.feeCc === b.feeCc)
  );
}

function byTimeThenId(a: LedgerFill, b: LedgerFill): number {
  if (a.createdTime !== b.createdTime) return a.createdTime - b.createdTime;
  return a.fillId < b.fillId ? -1 : a.fillId > b.fillId ? 1 : 0;
}

export class FillLedger {
  readonly #entries = new Map<string, LedgerEntry>();
  readonly #contractsByOrder = new Map<string, Contracts>();
  readonly #expectedByOrder = new Map<string, Contracts>();
  readonly #conflicts: FillConflict[] = [];

  /** Adds one sighting of a fill; see RecordOutcome. */
  record(fill: LedgerFill, source: FillSource): RecordOutcome {
    if (!Number.isSafeInteger(fill.count) || fill.count <= 0) {
      throw new RangeError(`fill ${fill.fillId}: count must be a positive integer, got ${fill.count}`);
    }
    const known = this.#entries.get(fill.fillId);
    if (known === undefined) {
      this.#entries.set(fill.fillId, {
        ...fill,
        seenOnWs: source === 'ws',
        seenOnRest: source === 'rest',
      });
      this.#contractsByOrder.set(fill.orderId, (this.#contractsByOrder.get(fill.orderId) ?? 0) + fill.count);
      return 'new';
    }
    if (!sameTerms(known, fill)) {
      this.#conflicts.push({
        fillId: fill.fillId,
        source,
        known: stripSources(known),
        received: { ...fill },
      });
      return 'conflict';
    }
    const seen = source === 'ws' ? known.seenOnWs : known.seenOnRest;
    if (seen) return 'duplicate';
    if (source === 'ws') known.seenOnWs = true;
    else {
      // REST's record is the reference: exact time, fee, client order id.
      known.seenOnRest = true;
      known.createdTime = fill.createdTime;
      if (fill.feeCc !== undefined) known.feeCc = fill.feeCc;
      if (fill.clientOrderId !== undefined) known.clientOrderId = fill.clientOrderId;
    }
    return 'confirmed';
  }

  /** What an order is known to have filled (create response, order lookup, user_orders); keeps the largest. */
  noteOrderFillCount(orderId: string, fillCount: Contracts): void {
    if (!Number.isSafeInteger(fillCount) || fillCount < 0) {
      throw new RangeError(`order ${orderId}: fill count must be an integer ≥ 0, got ${fillCount}`);
    }
    if (fillCount > (this.#expectedByOrder.get(orderId) ?? 0)) this.#expectedByOrder.set(orderId, fillCount);
  }

  get size(): number {
    return this.#entries.size;
  }

  has(fillId: string): boolean {
    return this.#entries.has(fillId);
  }

  /** Every fill once, oldest first (ties by id), with where it was seen. */
  entries(): LedgerEntry[] {
    return [...this.#entries.values()].map((e) => ({ ...e })).sort(byTimeThenId);
  }

  /** Every fill once, oldest first. */
  fills(): LedgerFill[] {
    return [...this.#entries.values()].map(stripSources).sort(byTimeThenId);
  }

  /** Seen on the WebSocket, not (yet) in REST's answers. */
  unconfirmed(): LedgerEntry[] {
    return this.entries().filter((e) => !e.seenOnRest);
  }

  /** Orders known to have filled more contracts than the ledger holds for them. */
  shortfalls(): FillShortfall[] {
    const out: FillShortfall[] = [];
    for (const [orderId, expected] of this.#expectedByOrder) {
      const recorded = this.#contractsByOrder.get(orderId) ?? 0;
      if (recorded < expected) out.push({ orderId, expected, recorded });
    }
    return out;
  }

  conflicts(): FillConflict[] {
    return this.#conflicts.map((c) => ({ ...c }));
  }

  /** Every fill confirmed by REST, no order short of fills, no conflict. */
  isConsistent(): boolean {
    return this.unconfirmed().length === 0 && this.shortfalls().length === 0 && this.#conflicts.length === 0;
  }

  /** Contracts of an order's fills in the ledger. */
  contractsOf(orderId: string): Contracts {
    return this.#contractsByOrder.get(orderId) ?? 0;
  }

  /** Signed contracts per market from the fills: + YES bought, − YES sold (NO bought). */
  netPositions(): Map<string, number> {
    const out = new Map<string, number>();
    for (const e of this.#entries.values()) {
      out.set(e.ticker, (out.get(e.ticker) ?? 0) + (e.side === 'bid' ? e.count : -e.count));
    }
    return out;
  }

  /**
   * Where the next REST read of fills must start (never before `since`, the journal's start):
   * `lookbackMs` before the newest fill REST has shown — a fill hidden by read-after-write lag
   * is older than the fills shown around it, so `lookbackMs` must exceed the venue's lag — and
   * no later than the oldest WebSocket fill REST has not confirmed. With nothing confirmed yet,
   * or an order short of fills (whose missing fills could be anywhere), from `since`.
   */
  backfillFrom(since: EpochMs, lookbackMs: number): EpochMs {
    if (!(lookbackMs >= 0)) throw new RangeError(`lookbackMs must be ≥ 0, got ${lookbackMs}`);
    if (this.shortfalls().length > 0) return since;
    let newestConfirmed: EpochMs | undefined;
    let oldestUnconfirmed: EpochMs | undefined;
    for (const e of this.#entries.values()) {
      if (e.seenOnRest) {
        if (newestConfirmed === undefined || e.createdTime > newestConfirmed) newestConfirmed = e.createdTime;
      } else if (oldestUnconfirmed === undefined || e.createdTime < oldestUnconfirmed) {
        oldestUnconfirmed = e.createdTime;
      }
    }
    if (newestConfirmed === undefined) return since;
    const from = Math.min(newestConfirmed - lookbackMs, oldestUnconfirmed ?? Infinity);
    return Math.max(since, from);
  }
}

function stripSources(entry: LedgerEntry): LedgerFill {
  const { seenOnWs: _ws, seenOnRest: _rest, ...fill } = entry;
  return fill;
}
