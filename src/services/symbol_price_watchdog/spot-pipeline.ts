/**
 * The spot pipeline of one symbol, wired from the pure pieces in src/domain/market-data:
 * ticks → PerSecondPriceAggregator (one price per second, the rule is documented there) →
 * MomentumTracker and MinuteCandleBuilder → the `price.<sym>` message. No I/O: the service
 * feeds it ticks and the clock, and stores/publishes what comes out.
 *
 * Volume is not part of the domain candle (it is built from prices): the pipeline sums each
 * accepted trade's size into its exchange minute and attaches it when the minute's candle closes.
 */
import type { PriceMessage } from '../../core/bus/market-data-topics.ts';
import {
  MinuteCandleBuilder,
  MomentumTracker,
  PerSecondPriceAggregator,
  floorMinute,
  type CandleClose,
  type MinuteCandle,
  type SecondPrice,
  type TickOutcome,
} from '../../domain/market-data/index.ts';
import { MOMENTUM_HORIZONS } from '../../domain/model/momentum.ts';
import type { EpochMs, SymbolId } from '../../domain/units.ts';
import { joiningSeeds } from './momentum-seed.ts';

export interface PipelineTick {
  sequence: number;
  /** Exchange time of the trade. */
  timeMs: EpochMs;
  price: number;
  /** Trade size in base currency (volume); 0 when unknown. */
  size: number;
  /** Local clock time at receipt (tick age). */
  receivedAt: EpochMs;
}

export interface StoredCandle extends MinuteCandle {
  /** Base-currency volume of the minute's accepted trades. */
  volume: number;
}

export interface SealOutput {
  /** Sealed seconds, in time order, each with its `price.<sym>` message (seq not yet set). */
  seconds: Array<{ price: SecondPrice; message: Omit<PriceMessage, 'seq'> }>;
  /** Minutes that closed. */
  candles: StoredCandle[];
}

export interface SpotPipelineOptions {
  latenessMs?: number;
  maxCarryMs?: number;
}

export class SpotPipeline {
  readonly symbol: SymbolId;
  readonly #aggregator: PerSecondPriceAggregator;
  readonly #candles = new MinuteCandleBuilder();
  readonly #momentum = new MomentumTracker();
  readonly #volumeByMinute = new Map<EpochMs, number>();
  #lastReceivedAt: EpochMs | undefined;
  #pendingSeeds: CandleClose[] | undefined;
  #seeded = 0;

  constructor(symbol: SymbolId, options: SpotPipelineOptions = {}) {
    this.symbol = symbol;
    this.#aggregator = new PerSecondPriceAggregator(options);
  }

  addTick(tick: PipelineTick): TickOutcome {
    const outcome = this.#aggregator.addTick({
      sequence: tick.sequence,
      timeMs: tick.timeMs,
      price: tick.price,
    });
    if (this.#lastReceivedAt === undefined || tick.receivedAt > this.#lastReceivedAt) {
      this.#lastReceivedAt = tick.receivedAt;
    }
    if (outcome === 'accepted' && tick.size > 0) {
      const minute = floorMinute(tick.timeMs);
      this.#volumeByMinute.set(minute, (this.#volumeByMinute.get(minute) ?? 0) + tick.size);
    }
    return outcome;
  }

  /**
   * Stored 1-minute candles to seed momentum with. They are applied once a live price exists,
   * and only the run of them that joins the live price (momentum-seed.ts): history from another
   * price path must not produce a momentum.
   */
  offerSeeds(candles: readonly CandleClose[]): void {
    this.#pendingSeeds = [...candles];
    this.#applySeeds();
  }

  /** Seals the seconds that are due at `nowMs` and returns their messages and closed candles. */
  seal(nowMs: EpochMs): SealOutput {
    const out: SealOutput = { seconds: [], candles: [] };
    for (const price of this.#aggregator.sealUntil(nowMs)) {
      this.#momentum.add(price);
      const finished = this.#candles.add(price);
      if (finished) out.candles.push(this.#withVolume(finished));
      this.#applySeeds();
      out.seconds.push({ price, message: this.#message(price, nowMs) });
    }
    const sealedUntil = this.#aggregator.sealedUntilMs;
    if (sealedUntil !== undefined) {
      const finished = this.#candles.closeUntil(sealedUntil);
      if (finished) out.candles.push(this.#withVolume(finished));
    }
    return out;
  }

  /** How long after a second ends its ticks are still waited for. */
  get latenessMs(): number {
    return this.#aggregator.latenessMs;
  }

  /** Local receive time of the newest tick. */
  get lastTickReceivedAt(): EpochMs | undefined {
    return this.#lastReceivedAt;
  }

  get lastPrice(): SecondPrice | undefined {
    return this.#aggregator.lastPrice;
  }

  /** Seed closes kept by the momentum tracker. */
  get seededCloses(): number {
    return this.#seeded;
  }

  stats() {
    return this.#aggregator.stats();
  }

  momentum() {
    return this.#momentum.reading();
  }

  #applySeeds(): void {
    const live = this.#aggregator.lastPrice;
    if (this.#pendingSeeds === undefined || live === undefined) return;
    const seeds = joiningSeeds(this.#pendingSeeds, { secondMs: live.secondMs, priceCents: live.priceCents });
    this.#pendingSeeds = undefined;
    this.#seeded += this.#momentum.seedFromCandles(seeds);
  }

  #withVolume(candle: MinuteCandle): StoredCandle {
    const volume = this.#volumeByMinute.get(candle.startMs) ?? 0;
    // Minutes up to this one are final: their volume is no longer needed.
    for (const minute of this.#volumeByMinute.keys())
      if (minute <= candle.startMs) this.#volumeByMinute.delete(minute);
    return { ...candle, volume };
  }

  #message(price: SecondPrice, nowMs: EpochMs): Omit<PriceMessage, 'seq'> {
    const reading = this.#momentum.reading();
    return {
      symbol: this.symbol,
      price: price.price,
      priceCents: price.priceCents,
      secondMs: price.secondMs,
      carried: price.carried,
      exchangeTimeMs: price.tradeTimeMs,
      tickAgeMs: this.#lastReceivedAt === undefined ? null : Math.max(0, nowMs - this.#lastReceivedAt),
      momentum: {
        percent: reading?.percent ?? null,
        bucket: reading?.bucket ?? null,
        score: reading?.score ?? null,
        arrows: reading?.arrows ?? null,
        direction: reading?.direction ?? null,
        deltas: reading?.deltas ?? [],
        missingHorizons: reading?.missingHorizons ?? [...MOMENTUM_HORIZONS],
      },
      at: nowMs,
    };
  }
}
