/**
 * Calibration data: the strike table at fixed offsets before each close, and each hour's
 * result once it settles (model.md, "Quality").
 *
 * Snapshots: for each offset o (minutes), the first table with o·60 − tolerance < TTC ≤ o·60
 * is stored — a coordinator that starts 7 minutes before the close records 5, 2 and 1 but not
 * a late "10" that would really be a 7.
 *
 * Results: learned from `index.<sym>`'s `lastSettlement` — the 60-s average btc_price_watchdog
 * publishes at each close, computed by the same settlementValue that decides Kalshi's result —
 * and turned into YES/NO per strike in integer cents (settlesYes). Not from `market.<sym>`:
 * it carries no result and rolls over to the next event at the close. An hour whose window
 * had too few prints (`insufficient_prints`) stays unsettled and is never scored, and so does
 * an hour whose settlement the coordinator did not see (it was down at the close).
 *
 * Storage calls run one at a time in order (a settlement never overtakes the snapshot before
 * it); a failed call is reported and the next ones still run — calibration data must never
 * stop the strike tables.
 */
import type { IndexMessage } from '../../core/bus/market-data-topics.ts';
import type { StrikesMessage } from '../../core/bus/strikes-topics.ts';
import type {
  SettlementInput,
  StrikeSnapshot,
  TradingMode,
} from '../../storage/strike-snapshots/strike-snapshot-repository.ts';

export interface SnapshotStore {
  insert(rows: StrikeSnapshot[]): Promise<number>;
  settle(input: SettlementInput): Promise<number>;
}

export interface CalibrationRecorderOptions {
  mode: TradingMode;
  offsetsMinutes: readonly number[];
  toleranceSeconds: number;
}

export interface CalibrationRecorderStats {
  snapshotsStored: number;
  rowsSettled: number;
  hoursSettled: number;
  lastError: string | null;
}

/** Keys of hours older than this are forgotten (they can no longer match a table). */
const FORGET_AFTER_MS = 3 * 3_600_000;

/** One snapshot's rows: the model's P(YES) and the quotes in centi-cents. */
export function snapshotRows(
  message: StrikesMessage,
  mode: TradingMode,
  offsetMinutes: number,
): StrikeSnapshot[] {
  const { table } = message;
  const centiCents = (cents: number | null) => (cents === null ? null : Math.round(cents * 100));
  return table.rows.map((r) => ({
    mode,
    symbol: message.symbol,
    closeTimeMs: message.closeTimeMs,
    offsetMinutes,
    strike: r.strike,
    eventTicker: table.event_ticker,
    ticker: r.ticker,
    takenAtMs: message.at,
    ttcSeconds: table.ttc_seconds,
    price: table.price,
    modelId: table.model_id,
    settle: table.settle,
    momentumBucket: table.momentum_bucket,
    modelYesPercent: r.active_side === 'yes' ? r.probability : 100 - r.probability,
    activeSide: r.active_side,
    yesBid: centiCents(r.yes_bid),
    yesAsk: centiCents(r.yes_ask),
    noBid: centiCents(r.no_bid),
    noAsk: centiCents(r.no_ask),
    volume: r.volume,
  }));
}

export class CalibrationRecorder {
  readonly #store: SnapshotStore;
  readonly #options: CalibrationRecorderOptions;
  readonly #onError: (error: unknown) => void;
  /** `${symbol}:${close}:${offset}` taken, and `${symbol}:${close}` settled, with their close. */
  readonly #taken = new Map<string, number>();
  readonly #settled = new Map<string, number>();
  #chain: Promise<void> = Promise.resolve();
  readonly stats: CalibrationRecorderStats = {
    snapshotsStored: 0,
    rowsSettled: 0,
    hoursSettled: 0,
    lastError: null,
  };

  constructor(store: SnapshotStore, options: CalibrationRecorderOptions, onError: (error: unknown) => void) {
    this.#store = store;
    this.#options = options;
    this.#onError = onError;
  }

  onTable(message: StrikesMessage): void {
    const ttc = message.table.ttc_seconds;
    for (const offset of this.#options.offsetsMinutes) {
      const due = offset * 60;
      if (!(ttc <= due && ttc > due - this.#options.toleranceSeconds)) continue;
      const key = `${message.symbol}:${message.closeTimeMs}:${offset}`;
      if (this.#taken.has(key)) continue;
      this.#taken.set(key, message.closeTimeMs);
      const rows = snapshotRows(message, this.#options.mode, offset);
      this.#enqueue(async () => {
        await this.#store.insert(rows);
        this.stats.snapshotsStored++;
      });
    }
    this.#forget(message.at);
  }

  onIndex(message: IndexMessage): void {
    const settlement = message.lastSettlement;
    if (!settlement || settlement.status !== 'ok' || settlement.sumCents === null) return;
    const key = `${message.symbol}:${settlement.closeTimeMs}`;
    if (this.#settled.has(key)) return;
    this.#settled.set(key, settlement.closeTimeMs);
    const input: SettlementInput = {
      mode: this.#options.mode,
      symbol: message.symbol,
      closeTimeMs: settlement.closeTimeMs,
      sumCents: settlement.sumCents,
      printCount: settlement.printCount,
      settledAtMs: message.at,
    };
    this.#enqueue(async () => {
      this.stats.rowsSettled += await this.#store.settle(input);
      this.stats.hoursSettled++;
    });
  }

  /** Resolves when every storage call queued so far has finished. */
  idle(): Promise<void> {
    return this.#chain;
  }

  #enqueue(task: () => Promise<void>): void {
    this.#chain = this.#chain.then(task).then(
      () => {
        this.stats.lastError = null;
      },
      (error: unknown) => {
        this.stats.lastError = error instanceof Error ? error.message : String(error);
        this.#onError(error);
      },
    );
  }

  #forget(now: number): void {
    for (const map of [this.#taken, this.#settled]) {
      for (const [key, close] of map) if (close < now - FORGET_AFTER_MS) map.delete(key);
    }
  }
}
