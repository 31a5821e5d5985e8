/**
 * Coinbase Exchange feed messages and candle rows, as Coinbase writes them
 * (../shared/reference/coinbase.md): every number of a ticker a string, `time` ISO 8601 with
 * microseconds, candles `[time_s, low, high, open, close, volume]` as numbers.
 * Pure functions.
 */
import type { EpochMs } from '../../../domain/units.ts';
import type { Candle, SpotTick } from './source.ts';

export interface DayStats {
  open24h: number;
  high24h: number;
  low24h: number;
  volume24h: number;
  volume30d: number;
}

const price = (dollars: number): string => dollars.toFixed(2);

/** Base-currency size: up to 8 decimals, trailing zeros trimmed ("0.000261"). */
export function size(value: number): string {
  const text = value.toFixed(8).replace(/0+$/, '');
  return text.endsWith('.') ? `${text}0` : text;
}

/** Integer pseudo-random from an id, stable (sizes and microseconds Coinbase would show). */
function scramble(id: number, salt: number): number {
  return (Math.imul(id ^ salt, 2_654_435_761) >>> 0) ^ (id >>> 3);
}

/** ISO 8601 with microseconds, e.g. "2024-12-07T18:00:00.542551Z" (sub-ms digits made up, stable per trade). */
export function isoMicros(timeMs: EpochMs, id: number): string {
  const micros = String((scramble(id, 0x5bd1e995) >>> 0) % 1000).padStart(3, '0');
  return `${new Date(timeMs).toISOString().slice(0, -1)}${micros}Z`;
}

export function tickerMessage(tick: SpotTick, stats: DayStats): Record<string, unknown> {
  return {
    type: 'ticker',
    sequence: tick.sequence,
    product_id: tick.productId,
    price: price(tick.price),
    open_24h: price(stats.open24h),
    volume_24h: size(stats.volume24h),
    low_24h: price(stats.low24h),
    high_24h: price(stats.high24h),
    volume_30d: size(stats.volume30d),
    best_bid: price(tick.bestBid),
    best_bid_size: size(sizeOnBook(tick.tradeId, 1)),
    best_ask: price(tick.bestAsk),
    best_ask_size: size(sizeOnBook(tick.tradeId, 2)),
    side: tick.side,
    time: isoMicros(tick.timeMs, tick.tradeId),
    trade_id: tick.tradeId,
    last_size: size(tick.size),
  };
}

/** A resting size at the touch: 0.00001 – 0.5 of the base currency, stable per trade. */
function sizeOnBook(tradeId: number, side: number): number {
  return Math.max(1, scramble(tradeId, side * 0x27d4eb2d) % 50_000) / 100_000;
}

export function heartbeatMessage(
  productId: string,
  sequence: number,
  lastTradeId: number,
  timeMs: EpochMs,
): Record<string, unknown> {
  return {
    type: 'heartbeat',
    last_trade_id: lastTradeId,
    product_id: productId,
    sequence,
    time: isoMicros(timeMs, sequence),
  };
}

export function errorMessage(message: string, reason: string): Record<string, unknown> {
  return { type: 'error', message, reason };
}

/** 24-hour and 30-day figures from 1-minute candles (oldest first) — the ticker's `_24h` fields. */
export function dayStats(candles: readonly Candle[], nowMs: EpochMs, lastPrice: number): DayStats {
  const dayStart = nowMs - 86_400_000;
  let open24h: number | undefined;
  let high24h = lastPrice;
  let low24h = lastPrice;
  let volume24h = 0;
  let volume30d = 0;
  for (const c of candles) {
    volume30d += c.volume;
    if (c.startMs <= dayStart) continue;
    open24h ??= c.open;
    high24h = Math.max(high24h, c.high);
    low24h = Math.min(low24h, c.low);
    volume24h += c.volume;
  }
  return { open24h: open24h ?? lastPrice, high24h, low24h, volume24h, volume30d };
}

export const GRANULARITIES = [60, 300, 900, 3600, 21_600, 86_400] as const;

/**
 * 1-minute candles (oldest first) → buckets of `granularitySec` whose start is in
 * [startMs, endMs] and that have ended by `nowMs`, as Coinbase rows, newest first.
 */
export function candleRows(
  minutes: readonly Candle[],
  granularitySec: number,
  startMs: EpochMs,
  endMs: EpochMs,
  nowMs: EpochMs,
): [number, number, number, number, number, number][] {
  const step = granularitySec * 1000;
  const buckets = new Map<number, Candle>();
  for (const m of minutes) {
    const bucket = Math.floor(m.startMs / step) * step;
    if (bucket < startMs || bucket > endMs || bucket + step > nowMs) continue;
    const b = buckets.get(bucket);
    if (b === undefined) {
      buckets.set(bucket, { ...m, startMs: bucket });
      continue;
    }
    b.high = Math.max(b.high, m.high);
    b.low = Math.min(b.low, m.low);
    b.close = m.close;
    b.volume += m.volume;
  }
  return [...buckets.values()]
    .sort((a, b) => b.startMs - a.startMs)
    .map((c) => [c.startMs / 1000, c.low, c.high, c.open, c.close, Math.round(c.volume * 1e8) / 1e8]);
}
