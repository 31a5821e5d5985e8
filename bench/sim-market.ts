/**
 * Market-simulation speed: how many simulated seconds (BTC + ETH, makers and taker flow on,
 * current and next hourly events) run per wall second, and what each simulated second emits.
 * Run: node --import tsx bench/sim-market.ts [simulated minutes]
 */
import { defaultSimulationConfig, MarketSimulation } from '../src/simulator/market/simulation.ts';

const MINUTES = Number(process.argv[2] ?? 90);
const start = Date.parse('2025-08-03T19:30:00Z');
const { simulation } = MarketSimulation.create(defaultSimulationConfig({ startTimeMs: start }));
const counts = { prints: 0, spotTicks: 0, engineEvents: 0, deltas: 0, trades: 0, tickers: 0 };
const began = process.hrtime.bigint();
for (let t = start + 1000; t <= start + MINUTES * 60_000; t += 1000) {
  const out = simulation.advanceTo(t);
  counts.prints += out.indexPrints.length;
  counts.spotTicks += out.spotTicks.length;
  counts.engineEvents += out.engineEvents.length;
  for (const e of out.engineEvents) {
    if (e.type === 'orderbook_delta') counts.deltas++;
    else if (e.type === 'trade') counts.trades++;
    else if (e.type === 'ticker') counts.tickers++;
  }
}
const seconds = Number(process.hrtime.bigint() - began) / 1e9;
const simSeconds = MINUTES * 60;
console.log(`market simulation: ${simSeconds} simulated s in ${seconds.toFixed(2)} s wall`);
console.log(`  speed                 ${(simSeconds / seconds).toFixed(0)}× real time`);
console.log(
  `  per simulated second  ${(counts.engineEvents / simSeconds).toFixed(1)} engine events (${(counts.deltas / simSeconds).toFixed(1)} book deltas, ${(counts.tickers / simSeconds).toFixed(1)} tickers), ${(counts.spotTicks / simSeconds).toFixed(1)} spot ticks`,
);
console.log(`  trades per event-hour ${(((counts.trades / simSeconds) * 3600) / 2).toFixed(0)} (2 symbols)`);
console.log(`  snapshot size         ${(JSON.stringify(simulation.snapshot()).length / 1e6).toFixed(2)} MB`);
