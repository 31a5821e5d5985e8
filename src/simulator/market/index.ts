/** The simulated market around the exchange core: see simulation.ts. */
export { MarketSimulation, defaultSimulationConfig } from './simulation.ts';
export type {
  SimEvent,
  SimulationConfig,
  SimulationOutput,
  SimulationSnapshot,
  SymbolConfig,
} from './simulation.ts';
export { parseSimulationSnapshot, simulationSnapshotSchema } from './simulation-snapshot.ts';
export { SpotFeed, DEFAULT_SPOT } from './coinbase-feed.ts';
export { spotHistoryBefore } from './spot-history.ts';
export type { Candle, SpotParams, SpotTick } from './coinbase-feed.ts';
export { eventWording, marketWording, closeWording } from './metadata.ts';
export { strikeLadder, DEFAULT_LADDER } from './ladder.ts';
export { DEFAULT_GARCH, GarchProcess, garchCoefficients } from './price-process.ts';
export { DEFAULT_MAKER } from './market-maker.ts';
export { DEFAULT_FLOW } from './taker-flow.ts';
export { Random } from './random.ts';
export { normalCdf, probabilityAbove, settlementAverageDistribution } from './fair-value.ts';
export { indexCandles, minutePath } from './replay.ts';
export type { ReplayCandle } from './replay.ts';
