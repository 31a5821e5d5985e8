/**
 * 1-minute candles rolled up from the 1-s prices (src/domain/market-data/per-second-price.ts).
 * They are what gets stored and what feeds the model's history and the momentum seed.
 *
 * Rules: a candle covers the UTC minute [startMs, startMs + 60 s). Open/high/low/close are
 * integer cents over the minute's priced seconds — traded and carried alike (a carried second
 * repeats the last trade, so it can move neither high nor low beyond what traded). `seconds`
 * counts priced seconds, `tradedSeconds` those with a real trade; `complete` means all 60
 * seconds had a price. A minute without any priced second has no candle (as on Coinbase).
 */
import { MINUTE_MS } from '../model/candle-series.ts';
import type { EpochMs } from '../units.ts';
import type { SecondPrice } from './per-second-price.ts';
import { SECOND_MS } from './per-second-price.ts';

export const SECONDS_PER_MINUTE = 60;

export interface MinuteCandle {
  /** Start of the UTC minute, epoch ms. */
  startMs: EpochMs;
  openCents: number;
  highCents: number;
  lowCents: number;
  closeCents: number;
  /** Seconds of the minute with a price (traded or carried), 1–60. */
  seconds: number;
  /** Seconds with at least one trade. */
  tradedSeconds: number;
  /** Trades in the minute. */
  trades: number;
  /** All 60 seconds priced. */
  complete: boolean;
}

export function floorMinute(timeMs: EpochMs): EpochMs {
  return Math.floor(timeMs / MINUTE_MS) * MINUTE_MS;
}

/** Streams 1-s prices (in time order) into 1-minute candles. */
export class MinuteCandleBuilder {
  #open: MinuteCandle | undefined;
  #lastSecond: EpochMs | undefined;

  /**
   * Adds the next second. Returns the candle of the previous minute when this second starts a
   * new one. Throws on a second that is not after the previous one (the aggregator's order).
   */
  add(price: SecondPrice): MinuteCandle | undefined {
    if (price.secondMs % SECOND_MS !== 0) throw new RangeError(`not a whole second: ${price.secondMs}`);
    if (this.#lastSecond !== undefined && price.secondMs <= this.#lastSecond) {
      throw new RangeError(`second ${price.secondMs} does not follow ${this.#lastSecond}`);
    }
    this.#lastSecond = price.secondMs;
    const minute = floorMinute(price.secondMs);
    let finished: MinuteCandle | undefined;
    if (this.#open !== undefined && this.#open.startMs !== minute) {
      finished = this.#open;
      this.#open = undefined;
    }
    const cents = price.priceCents;
    const traded = price.carried ? 0 : 1;
    if (this.#open === undefined) {
      this.#open = {
        startMs: minute,
        openCents: cents,
        highCents: cents,
        lowCents: cents,
        closeCents: cents,
        seconds: 1,
        tradedSeconds: traded,
        trades: price.trades,
        complete: false,
      };
    } else {
      const c = this.#open;
      if (cents > c.highCents) c.highCents = cents;
      if (cents < c.lowCents) c.lowCents = cents;
      c.closeCents = cents;
      c.seconds++;
      c.tradedSeconds += traded;
      c.trades += price.trades;
    }
    this.#open.complete = this.#open.seconds === SECONDS_PER_MINUTE;
    return finished === undefined ? undefined : { ...finished };
  }

  /**
   * Closes the open candle when its minute is over, i.e. every second of it is sealed
   * (`sealedUntilMs` ≥ minute end — pass the aggregator's `sealedUntilMs`). Without this a
   * minute followed by a hole would wait for the next price.
   */
  closeUntil(sealedUntilMs: EpochMs): MinuteCandle | undefined {
    if (this.#open === undefined || sealedUntilMs < this.#open.startMs + MINUTE_MS) return undefined;
    const finished = this.#open;
    this.#open = undefined;
    return { ...finished };
  }

  /** The minute in progress (a copy), e.g. to show a live candle. */
  get openCandle(): MinuteCandle | undefined {
    return this.#open === undefined ? undefined : { ...this.#open };
  }
}

/** All candles of a time-ordered run of 1-s prices; the last minute is included as it stands. */
export function rollUpMinuteCandles(prices: readonly SecondPrice[]): MinuteCandle[] {
  const builder = new MinuteCandleBuilder();
  const candles: MinuteCandle[] = [];
  for (const price of prices) {
    const finished = builder.add(price);
    if (finished) candles.push(finished);
  }
  const last = builder.closeUntil(Infinity);
  if (last) candles.push(last);
  return candles;
}
