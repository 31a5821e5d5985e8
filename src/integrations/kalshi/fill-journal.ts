/**
 * KalshiFillJournal: the account's fills as the platform must see them — each exactly once,
 * none missing — although the WebSocket `fill` channel may lose or repeat messages (it carries
 * no `seq`, so a loss is silent) and REST may hide a fresh fill for a while.
 *
 * - WebSocket fills are recorded as they come (repeats ignored, by trade id);
 * - REST backfills (GET /portfolio/fills, every page; reads retried by the REST client's own
 *   backoff on 429 / 5xx) fill in what the WebSocket missed and confirm what it showed. One runs
 *   after every (re)subscription of the fill channel — a dropped connection or a pause loses
 *   messages nobody will resend — and on demand (`sync()`); call it after trading activity, as
 *   nothing else reveals a lost message;
 * - order fill counts (`user_orders`, order answers and lookups: `noteOrder`) expose fills
 *   missing so far — `consistent` turns false, and the next backfill reads the whole window.
 *
 * The merge rules live in src/domain/kalshi/fill-ledger.ts; this file only does the I/O.
 */
import { EventEmitter } from 'node:events';
import {
  FillLedger,
  type FillShortfall,
  type LedgerEntry,
  type LedgerFill,
  type RecordOutcome,
} from '../../domain/kalshi/fill-ledger.ts';
import type { EpochMs } from '../../domain/units.ts';
import type { KalshiRestClient } from './rest-client.ts';
import type { KalshiFill, KalshiOrder, KalshiWsFill } from './types.ts';
import type { KalshiWsEvents } from './ws-client.ts';

export interface KalshiFillJournalOptions {
  rest: Pick<KalshiRestClient, 'getFills'>;
  /** The journal covers fills from this time on (REST `min_ts`). */
  since: EpochMs;
  /**
   * Each backfill re-reads this far before the newest fill REST has shown: it must exceed the
   * venue's worst read-after-write lag. Default 10 minutes.
   */
  lookbackMs?: number;
  /** REST page size (default 200). */
  pageSize?: number;
}

export interface FillBackfillReport {
  reason: string;
  /** The `min_ts` read from. */
  from: EpochMs;
  /** Fills REST returned. */
  read: number;
  /** Fills only REST had: the WebSocket lost them (or they came before the subscription). */
  added: LedgerFill[];
  /** WebSocket fills REST still does not show. */
  unconfirmed: number;
  shortfalls: FillShortfall[];
  conflicts: number;
  consistent: boolean;
}

export interface KalshiFillJournalStats {
  wsFills: number;
  wsDuplicates: number;
  /** Fills first learned from REST. */
  restAdded: number;
  backfills: number;
  failedBackfills: number;
  conflicts: number;
}

export interface KalshiFillJournalEvents {
  /** A fill seen for the first time (from either source). */
  fill: [{ fill: LedgerFill; source: 'ws' | 'rest' }];
  backfill: [FillBackfillReport];
  /** A background backfill failed (the next one retries); a conflict was seen. */
  warning: [{ message: string; error?: unknown }];
}

const DEFAULT_LOOKBACK_MS = 10 * 60_000;

export class KalshiFillJournal extends EventEmitter<KalshiFillJournalEvents> {
  readonly #rest: Pick<KalshiRestClient, 'getFills'>;
  readonly #since: EpochMs;
  readonly #lookbackMs: number;
  readonly #pageSize: number;
  readonly #ledger = new FillLedger();
  /** The backfill running now, and the one queued behind it (shared by every caller). */
  #running: Promise<FillBackfillReport> | undefined;
  #queued: Promise<FillBackfillReport> | undefined;
  readonly #stats: KalshiFillJournalStats = {
    wsFills: 0,
    wsDuplicates: 0,
    restAdded: 0,
    backfills: 0,
    failedBackfills: 0,
    conflicts: 0,
  };

  constructor(options: KalshiFillJournalOptions) {
    super();
    this.#rest = options.rest;
    this.#since = options.since;
    this.#lookbackMs = options.lookbackMs ?? DEFAULT_LOOKBACK_MS;
    this.#pageSize = options.pageSize ?? 200;
  }

  /**
   * Follows a WebSocket client: records its fills, backfills after each (re)subscription of the
   * fill channel, and takes order fill counts from `user_orders` (subscribe the channels
   * yourself) — an order that says it filled more than the journal holds is a lost fill message.
   * Returns the detach function.
   */
  attach(ws: EventEmitter<KalshiWsEvents>): () => void {
    const onFill = (fill: KalshiWsFill) => this.recordWsFill(fill);
    const onOrder = (order: KalshiOrder) => this.noteOrder(order);
    const onSubscribed = ({ subscription, resubscribed }: KalshiWsEvents['subscribed'][0]) => {
      if (subscription.channel === 'fill')
        this.#backfillInBackground(resubscribed ? 'resubscribed' : 'subscribed');
    };
    ws.on('fill', onFill);
    ws.on('userOrder', onOrder);
    ws.on('subscribed', onSubscribed);
    return () => {
      ws.off('fill', onFill);
      ws.off('userOrder', onOrder);
      ws.off('subscribed', onSubscribed);
    };
  }

  /** Records one WebSocket fill (fills before `since` are not the journal's). */
  recordWsFill(fill: KalshiWsFill): RecordOutcome | 'ignored' {
    const entry = fromWs(fill);
    if (entry.createdTime < Math.floor(this.#since / 1000) * 1000) return 'ignored';
    const outcome = this.#record(entry, 'ws');
    if (outcome === 'duplicate') this.#stats.wsDuplicates += 1;
    else this.#stats.wsFills += 1;
    return outcome;
  }

  /** What an order is known to have filled: fewer contracts in the journal mean fills are missing. */
  noteOrder(order: { orderId: string; fillCount: number }): void {
    this.#ledger.noteOrderFillCount(order.orderId, order.fillCount);
  }

  /**
   * A backfill that starts after this call (waiting for one already running); rejects when REST
   * keeps failing beyond the client's retries — the journal stays as it was, call again.
   */
  sync(reason = 'on demand'): Promise<FillBackfillReport> {
    if (this.#queued !== undefined) return this.#queued;
    if (this.#running === undefined) return this.#start(reason);
    const after = this.#running.then(
      () => undefined,
      () => undefined,
    );
    const queued = after.then(() => {
      this.#queued = undefined;
      return this.#start(reason);
    });
    this.#queued = queued;
    return queued;
  }

  /** Every fill once, oldest first. */
  fills(): LedgerFill[] {
    return this.#ledger.fills();
  }

  entries(): LedgerEntry[] {
    return this.#ledger.entries();
  }

  unconfirmed(): LedgerEntry[] {
    return this.#ledger.unconfirmed();
  }

  shortfalls(): FillShortfall[] {
    return this.#ledger.shortfalls();
  }

  /** Every fill confirmed by REST, no order short of fills, no conflict. */
  get consistent(): boolean {
    return this.#ledger.isConsistent();
  }

  /** Signed contracts per market from the fills (+ YES, − NO). */
  netPositions(): Map<string, number> {
    return this.#ledger.netPositions();
  }

  stats(): KalshiFillJournalStats {
    return { ...this.#stats };
  }

  #start(reason: string): Promise<FillBackfillReport> {
    const run = this.#backfill(reason).finally(() => {
      if (this.#running === run) this.#running = undefined;
    });
    this.#running = run;
    return run;
  }

  async #backfill(reason: string): Promise<FillBackfillReport> {
    const from = this.#ledger.backfillFrom(this.#since, this.#lookbackMs);
    let fills: KalshiFill[];
    try {
      fills = await this.#rest.getFills({ minTime: from, limit: this.#pageSize });
    } catch (error) {
      this.#stats.failedBackfills += 1;
      throw error;
    }
    this.#stats.backfills += 1;
    const added: LedgerFill[] = [];
    // Oldest first, so listeners see fills in the order they happened.
    for (const fill of [...fills].sort((a, b) => a.createdTime - b.createdTime)) {
      const entry = fromRest(fill);
      if (this.#record(entry, 'rest') === 'new') {
        this.#stats.restAdded += 1;
        added.push(entry);
      }
    }
    const report: FillBackfillReport = {
      reason,
      from,
      read: fills.length,
      added,
      unconfirmed: this.#ledger.unconfirmed().length,
      shortfalls: this.#ledger.shortfalls(),
      conflicts: this.#ledger.conflicts().length,
      consistent: this.#ledger.isConsistent(),
    };
    this.emit('backfill', report);
    return report;
  }

  #backfillInBackground(reason: string): void {
    this.sync(reason).catch((error: unknown) =>
      this.emit('warning', { message: `fill backfill (${reason}) failed: ${String(error)}`, error }),
    );
  }

  #record(fill: LedgerFill, source: 'ws' | 'rest'): RecordOutcome {
    const outcome = this.#ledger.record(fill, source);
    if (outcome === 'new') this.emit('fill', { fill, source });
    if (outcome === 'conflict') {
      this.#stats.conflicts += 1;
      this.emit('warning', { message: `fill ${fill.fillId}: ${source} disagrees with the recorded terms` });
    }
    return outcome;
  }
}

function fromWs(fill: KalshiWsFill): LedgerFill {
  return {
    fillId: fill.tradeId,
    orderId: fill.orderId,
    ticker: fill.marketTicker,
    side: fill.bookSide,
    count: fill.count,
    yesPriceCc: fill.yesPrice,
    isTaker: fill.isTaker,
    createdTime: fill.ts,
    ...(fill.fee !== undefined ? { feeCc: fill.fee } : {}),
    ...(fill.clientOrderId !== undefined ? { clientOrderId: fill.clientOrderId } : {}),
  };
}

function fromRest(fill: KalshiFill): LedgerFill {
  return {
    fillId: fill.fillId,
    orderId: fill.orderId,
    ticker: fill.ticker,
    side: fill.bookSide,
    count: fill.count,
    yesPriceCc: fill.yesPrice,
    isTaker: fill.isTaker,
    createdTime: fill.createdTime,
    ...(fill.fee !== undefined ? { feeCc: fill.fee } : {}),
    ...(fill.clientOrderId !== undefined ? { clientOrderId: fill.clientOrderId } : {}),
  };
}
