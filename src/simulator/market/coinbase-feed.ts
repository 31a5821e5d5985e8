/**
 * The simulated Coinbase spot feed: trades that follow the index path with a small basis of
 * their own (an AR(1) in basis points, as spot and the multi-venue index drift apart by a few
 * dollars), at irregular times (Poisson arrivals), plus the 1-minute candles built from them.
 *
 * Units: prices dollars with 2 decimals (spot), sizes in base currency; times epoch ms.
 */
import type { EpochMs, SymbolId } from '../../domain/units.ts';
import type { Random } from './random.ts';

export interface SpotParams {
  productId: string;
  /** Mean trades per second. */
  ticksPerSecond: number;
  /** Stationary stdev of the spot-vs-index basis, basis points. */
  basisStdevBp: number;
  /** Per-second autocorrelation of the basis. */
  basisPersistence: number;
  /** Best bid/ask distance around the trade, dollars. */
  spread: number;
  sizeMedian: number;
  sizeSigma: number;
  /** 1-minute candles kept (Coinbase serves history from them). */
  maxCandles: number;
}

export const DEFAULT_SPOT: Readonly<Record<SymbolId, SpotParams>> = {
  BTC: {
    productId: 'BTC-USD',
    ticksPerSecond: 4,
    basisStdevBp: 0.5,
    basisPersistence: 0.98,
    spread: 0.01,
    sizeMedian: 0.005,
    sizeSigma: 1.5,
    maxCandles: 10_080,
  },
  ETH: {
    productId: 'ETH-USD',
    ticksPerSecond: 3,
    basisStdevBp: 0.7,
    basisPersistence: 0.98,
    spread: 0.01,
    sizeMedian: 0.1,
    sizeSigma: 1.5,
    maxCandles: 10_080,
  },
};

export interface SpotTick {
  productId: string;
  timeMs: EpochMs;
  price: number;
  side: 'buy' | 'sell';
  size: number;
  bestBid: number;
  bestAsk: number;
  /** Per-product message sequence (Coinbase `sequence`). */
  sequence: number;
  tradeId: number;
}

/** Coinbase candle: [time_s, low, high, open, close, volume] in their REST order. */
export interface Candle {
  startMs: EpochMs;
  low: number;
  high: number;
  open: number;
  close: number;
  volume: number;
}

export interface SpotFeedState {
  /** Current basis, relative (1e-4 = 1 bp). */
  basis: number;
  sequence: number;
  tradeId: number;
  lastPrice: number | null;
  /** Oldest first. */
  candles: Candle[];
}

const round2 = (x: number): number => Math.round(x * 100) / 100;
const round8 = (x: number): number => Math.round(x * 1e8) / 1e8;

export class SpotFeed {
  private state: SpotFeedState;

  constructor(
    private readonly params: SpotParams,
    state?: SpotFeedState,
  ) {
    this.state = state
      ? structuredClone(state)
      : { basis: 0, sequence: 0, tradeId: 0, lastPrice: null, candles: [] };
  }

  snapshot(): SpotFeedState {
    return structuredClone(this.state);
  }

  get candles(): readonly Candle[] {
    return this.state.candles;
  }

  get lastPrice(): number | null {
    return this.state.lastPrice;
  }

  /**
   * Trades in (fromMs, fromMs + 1000] while the index moves from `fromIndex` to `toIndex`
   * (linear in between), each priced index × (1 + basis) ± half a spread, rounded to the cent.
   */
  ticksForSecond(fromMs: EpochMs, fromIndex: number, toIndex: number, random: Random): SpotTick[] {
    const { basisPersistence, basisStdevBp } = this.params;
    const innovation = basisStdevBp * 1e-4 * Math.sqrt(1 - basisPersistence * basisPersistence);
    this.state.basis = basisPersistence * this.state.basis + innovation * random.normal();
    const times: number[] = [];
    let t = random.exponential(1000 / this.params.ticksPerSecond);
    while (t < 1000) {
      times.push(Math.max(1, Math.round(t)));
      t += random.exponential(1000 / this.params.ticksPerSecond);
    }
    const ticks: SpotTick[] = [];
    for (const offset of times) {
      const index = fromIndex + ((toIndex - fromIndex) * offset) / 1000;
      const side: 'buy' | 'sell' = random.chance(0.5) ? 'buy' : 'sell';
      const mid = index * (1 + this.state.basis);
      const half = this.params.spread / 2;
      const price = round2(side === 'buy' ? mid + half : mid - half);
      const size = round8(Math.max(1e-8, random.logNormal(this.params.sizeMedian, this.params.sizeSigma)));
      const tick: SpotTick = {
        productId: this.params.productId,
        timeMs: fromMs + offset,
        price,
        side,
        size,
        bestBid: side === 'buy' ? round2(price - this.params.spread) : price,
        bestAsk: side === 'buy' ? price : round2(price + this.params.spread),
        sequence: ++this.state.sequence,
        tradeId: ++this.state.tradeId,
      };
      this.addToCandle(tick);
      this.state.lastPrice = price;
      ticks.push(tick);
    }
    return ticks;
  }

  /**
   * Puts earlier candles (spot-history.ts) before the feed's own, as if it had run before; a
   * history candle of the feed's first minute merges into it (that minute began earlier).
   */
  prependCandles(history: readonly Candle[]): void {
    const candles = this.state.candles;
    const first = candles[0];
    const older = history.filter((c) => !first || c.startMs < first.startMs).map((c) => ({ ...c }));
    const sameMinute = first && history.find((c) => c.startMs === first.startMs);
    if (first && sameMinute) {
      first.open = sameMinute.open;
      first.high = Math.max(first.high, sameMinute.high);
      first.low = Math.min(first.low, sameMinute.low);
      first.volume = round8(first.volume + sameMinute.volume);
    }
    this.state.candles = [...older, ...candles].slice(-this.params.maxCandles);
  }

  /** Candles whose start is in [fromMs, toMs], oldest first. */
  candlesBetween(fromMs: EpochMs, toMs: EpochMs): Candle[] {
    return this.state.candles.filter((c) => c.startMs >= fromMs && c.startMs <= toMs).map((c) => ({ ...c }));
  }

  /** 24-hour open, high, low and volume from the candles (Coinbase ticker fields). */
  stats24h(nowMs: EpochMs): { open: number; high: number; low: number; volume: number } | null {
    const recent = this.state.candles.filter((c) => c.startMs > nowMs - 86_400_000 && c.startMs <= nowMs);
    const first = recent[0];
    if (!first) return null;
    return {
      open: first.open,
      high: Math.max(...recent.map((c) => c.high)),
      low: Math.min(...recent.map((c) => c.low)),
      volume: round8(recent.reduce((s, c) => s + c.volume, 0)),
    };
  }

  private addToCandle(tick: SpotTick): void {
    const startMs = Math.floor(tick.timeMs / 60_000) * 60_000;
    const candles = this.state.candles;
    const last = candles[candles.length - 1];
    if (last && last.startMs === startMs) {
      last.high = Math.max(last.high, tick.price);
      last.low = Math.min(last.low, tick.price);
      last.close = tick.price;
      last.volume = round8(last.volume + tick.size);
      return;
    }
    candles.push({
      startMs,
      low: tick.price,
      high: tick.price,
      open: tick.price,
      close: tick.price,
      volume: tick.size,
    });
    if (candles.length > this.params.maxCandles) candles.splice(0, candles.length - this.params.maxCandles);
  }
}
