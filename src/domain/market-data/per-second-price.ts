/**
 * One spot price per second from Coinbase ticker messages (one message per trade).
 *
 * THE RULE (v2 said "last or average — be explicit"; this is last):
 * - A tick belongs to the UTC second of its **exchange** `time` (floor to the whole second),
 *   never to the time it was received.
 * - The price of a second is the price of its **last trade**, "last" meaning the highest
 *   Coinbase `sequence` among that second's ticks — so ticks arriving out of order inside the
 *   second change nothing.
 * - A tick whose sequence was already seen (a replay after a reconnect) is a `duplicate` and
 *   ignored.
 * - A second is **sealed** (final, emitted) once `now ≥ second end + latenessMs`. A tick for a
 *   sealed second is `late` and ignored: a published price never changes.
 * - A sealed second without a trade **carries forward** the previous second's price, flagged
 *   `carried: true`, for at most `maxCarryMs` after the last trade; beyond that the second has
 *   no price (a hole: nothing is emitted) — a dead feed must not look like a flat market.
 * - Nothing is emitted before the first trade.
 *
 * Prices are dollars with at most 2 decimals (Coinbase's tick for BTC-USD and ETH-USD); each
 * second also carries the exact integer cents. Pure: time is always an argument.
 */
import { priceToCents } from '../kalshi/settlement.ts';
import type { EpochMs } from '../units.ts';

export const SECOND_MS = 1_000;

export interface SpotTick {
  /** Coinbase `sequence`: per product, increasing. */
  sequence: number;
  /** Exchange time of the trade, epoch ms. */
  timeMs: EpochMs;
  /** Trade price, dollars (≤ 2 decimals). */
  price: number;
}

export interface SecondPrice {
  /** Start of the UTC second, epoch ms (a whole second). */
  secondMs: EpochMs;
  price: number;
  priceCents: number;
  /** True when no trade happened in this second and the previous price was carried forward. */
  carried: boolean;
  /** Ticks accepted for this second (0 when carried). */
  trades: number;
  /** Sequence of the trade that set the price (for a carried second, the earlier trade's). */
  sequence: number;
  /** Exchange time of the trade that set the price. */
  tradeTimeMs: EpochMs;
}

export type TickOutcome = 'accepted' | 'duplicate' | 'late';

export interface PerSecondOptions {
  /** How long after a second ends ticks for it are still waited for (default 500 ms). */
  latenessMs?: number;
  /** Longest carry-forward after the last trade (default 60 s); beyond it seconds are holes. */
  maxCarryMs?: number;
}

export interface PerSecondStats {
  accepted: number;
  duplicates: number;
  late: number;
  /** Sealed seconds that had a trade. */
  tradedSeconds: number;
  carriedSeconds: number;
  /** Sealed seconds with no price at all (after the carry limit). */
  holeSeconds: number;
}

interface PendingSecond {
  last: SpotTick;
  trades: number;
  sequences: Set<number>;
}

export const DEFAULT_LATENESS_MS = 500;
export const DEFAULT_MAX_CARRY_MS = 60_000;

export class PerSecondPriceAggregator {
  readonly latenessMs: number;
  readonly maxCarryMs: number;
  /** Unsealed seconds that have ticks, by second start. */
  readonly #pending = new Map<number, PendingSecond>();
  /** First second not yet sealed (every earlier second is final); undefined before any seal. */
  #sealedUntil: EpochMs | undefined;
  #lastPrice: SecondPrice | undefined;
  /** Second of the last real trade (for the carry limit). */
  #lastTradeSecond: EpochMs | undefined;
  #lastTickTimeMs: EpochMs | undefined;
  readonly #stats: PerSecondStats = {
    accepted: 0,
    duplicates: 0,
    late: 0,
    tradedSeconds: 0,
    carriedSeconds: 0,
    holeSeconds: 0,
  };

  constructor(options: PerSecondOptions = {}) {
    this.latenessMs = options.latenessMs ?? DEFAULT_LATENESS_MS;
    this.maxCarryMs = options.maxCarryMs ?? DEFAULT_MAX_CARRY_MS;
    if (!Number.isSafeInteger(this.latenessMs) || this.latenessMs < 0) {
      throw new RangeError(`latenessMs must be a non-negative integer, got ${this.latenessMs}`);
    }
    if (!Number.isSafeInteger(this.maxCarryMs) || this.maxCarryMs < 0 || this.maxCarryMs % SECOND_MS !== 0) {
      throw new RangeError(
        `maxCarryMs must be a non-negative whole number of seconds, got ${this.maxCarryMs}`,
      );
    }
  }

  /** Files a tick. Throws RangeError on a malformed tick (the integration validates first). */
  addTick(tick: SpotTick): TickOutcome {
    if (!Number.isSafeInteger(tick.sequence) || tick.sequence < 0) {
      throw new RangeError(`tick sequence must be a non-negative integer, got ${tick.sequence}`);
    }
    if (!Number.isFinite(tick.timeMs)) throw new RangeError(`tick time must be epoch ms, got ${tick.timeMs}`);
    priceToCents(tick.price); // throws on a non-price or a sub-cent price
    const second = floorSecond(tick.timeMs);
    if (this.#sealedUntil !== undefined && second < this.#sealedUntil) {
      this.#stats.late++;
      return 'late';
    }
    // Sequences are unique per product: a seen one is a replay, whatever second it claims.
    for (const pending of this.#pending.values()) {
      if (pending.sequences.has(tick.sequence)) {
        this.#stats.duplicates++;
        return 'duplicate';
      }
    }
    const pending = this.#pending.get(second);
    if (pending === undefined) {
      this.#pending.set(second, { last: tick, trades: 1, sequences: new Set([tick.sequence]) });
    } else {
      if (tick.sequence > pending.last.sequence) pending.last = tick;
      pending.trades++;
      pending.sequences.add(tick.sequence);
    }
    if (this.#lastTickTimeMs === undefined || tick.timeMs > this.#lastTickTimeMs)
      this.#lastTickTimeMs = tick.timeMs;
    this.#stats.accepted++;
    return 'accepted';
  }

  /**
   * Seals every second that ended at least `latenessMs` before `nowMs` and returns their
   * prices in time order (holes omitted). Call it about once a second; calling it more often
   * or with an older `nowMs` is harmless.
   */
  sealUntil(nowMs: EpochMs): SecondPrice[] {
    if (!Number.isFinite(nowMs)) throw new RangeError(`now must be epoch ms, got ${nowMs}`);
    const out: SecondPrice[] = [];
    // Seconds s with s + 1000 + lateness ≤ now, i.e. s < limit.
    const limit = floorSecond(nowMs - this.latenessMs);
    if (this.#sealedUntil !== undefined && limit <= this.#sealedUntil) return out;
    // Every pending second is ≥ #sealedUntil (older ticks are refused as late), so none is skipped.
    let second = this.#sealedUntil ?? this.#earliestPending() ?? limit;
    while (second < limit) {
      const pending = this.#pending.get(second);
      if (pending !== undefined) {
        this.#pending.delete(second);
        this.#lastPrice = {
          secondMs: second,
          price: pending.last.price,
          priceCents: priceToCents(pending.last.price),
          carried: false,
          trades: pending.trades,
          sequence: pending.last.sequence,
          tradeTimeMs: pending.last.timeMs,
        };
        this.#lastTradeSecond = second;
        this.#stats.tradedSeconds++;
        out.push(this.#lastPrice);
        second += SECOND_MS;
        continue;
      }
      if (this.#lastPrice !== undefined && second <= this.#lastTradeSecond! + this.maxCarryMs) {
        this.#lastPrice = { ...this.#lastPrice, secondMs: second, carried: true, trades: 0 };
        this.#stats.carriedSeconds++;
        out.push(this.#lastPrice);
        second += SECOND_MS;
        continue;
      }
      // No price to carry: jump to the next traded second (or the limit) instead of looping
      // through a long outage second by second. Before the first trade nothing is a hole.
      const nextTraded = this.#earliestPending();
      const jumpTo = nextTraded === undefined || nextTraded > limit ? limit : nextTraded;
      if (this.#lastPrice !== undefined) this.#stats.holeSeconds += (jumpTo - second) / SECOND_MS;
      second = jumpTo;
    }
    this.#sealedUntil = limit;
    return out;
  }

  /** The last sealed price (traded or carried), if any. */
  get lastPrice(): SecondPrice | undefined {
    return this.#lastPrice;
  }

  /** Exchange time of the newest accepted tick — the input of "tick age". */
  get lastTickTimeMs(): EpochMs | undefined {
    return this.#lastTickTimeMs;
  }

  /** First second not yet sealed: every second before it is final. */
  get sealedUntilMs(): EpochMs | undefined {
    return this.#sealedUntil;
  }

  stats(): Readonly<PerSecondStats> {
    return { ...this.#stats };
  }

  #earliestPending(): EpochMs | undefined {
    let earliest: EpochMs | undefined;
    for (const second of this.#pending.keys())
      if (earliest === undefined || second < earliest) earliest = second;
    return earliest;
  }
}

export function floorSecond(timeMs: EpochMs): EpochMs {
  return Math.floor(timeMs / SECOND_MS) * SECOND_MS;
}
