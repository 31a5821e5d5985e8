/**
 * The Coinbase history a fresh simulator starts with. A real exchange has candles from before
 * the moment we connect, and the platform relies on that (momentum needs the last 30 minutes
 * at once, not half an hour after the first start). So the simulator's spot feed begins with
 * `minutes` of candles of its own process that end exactly at the start price: the same GARCH
 * process and the same tick generator as live, on a stream of their own, so the live market
 * that follows is the same with or without this history.
 */
import type { EpochMs, SymbolId } from '../../domain/units.ts';
import { SpotFeed, type Candle } from './coinbase-feed.ts';
import { GarchProcess } from './price-process.ts';
import { Random } from './random.ts';
import type { MarketSimulation, SimulationConfig, SymbolConfig } from './simulation.ts';

export function spotHistoryBefore(options: {
  symbol: SymbolId;
  config: SymbolConfig;
  seed: string;
  /** The simulation's first second: the history ends just before it. */
  startMs: EpochMs;
  minutes: number;
}): Candle[] {
  const { config, minutes } = options;
  if (!Number.isInteger(minutes) || minutes < 0) throw new RangeError(`minutes must be ≥ 0, not ${minutes}`);
  if (minutes === 0) return [];
  const random = Random.seeded(`${options.seed}:spot-history:${options.symbol}`);
  const process = GarchProcess.start(config.garch, config.startPrice);
  const seconds = minutes * 60;
  const path = new Float64Array(seconds + 1);
  path[0] = process.price;
  for (let s = 1; s <= seconds; s++) path[s] = process.step(random);
  // Scaling keeps every return of the path and makes it end at the start price.
  const scale = config.startPrice / path[seconds]!;
  const feed = new SpotFeed(config.spot);
  const firstMs = Math.floor(options.startMs / 1000) * 1000 - seconds * 1000;
  for (let s = 0; s < seconds; s++) {
    feed.ticksForSecond(firstMs + s * 1000, path[s]! * scale, path[s + 1]! * scale, random);
  }
  return feed.candles.map((c) => ({ ...c }));
}

/** Gives a just-created simulation's spot feeds their history (replayed symbols have their own). */
export function seedSpotHistory(
  simulation: MarketSimulation,
  config: SimulationConfig,
  minutes: number,
): void {
  for (const [symbol, symbolConfig] of Object.entries(config.symbols) as [SymbolId, SymbolConfig][]) {
    if (symbolConfig.replay) continue;
    const candles = spotHistoryBefore({
      symbol,
      config: symbolConfig,
      seed: config.seed,
      startMs: config.startTimeMs,
      minutes,
    });
    simulation.spotFeed(symbol)?.prependCandles(candles);
  }
}
