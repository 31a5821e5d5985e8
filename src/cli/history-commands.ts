/**
 * `recio history …`: the 1-minute candle store the model is built from. Definitions only; the
 * work is loaded when a command runs (history-actions.ts), so `recio --help` stays fast.
 */
import type { Command } from 'commander';
import { integerArg, positiveNumberArg, symbolArg, timeArg } from './cli-args.ts';

const actions = () => import('./history-actions.ts');

export function registerHistoryCommands(program: Command): void {
  const history = program.command('history').description('1-minute candle history (the model input)');

  history
    .command('import')
    .description(
      'import 1-minute candles from a CSV file: time (ISO or epoch s),open,high,low,close,volume — all or nothing',
    )
    .requiredOption('--symbol <symbol>', 'BTC or ETH', symbolArg)
    .requiredOption('--file <path>', 'CSV file (header line optional)')
    .action(async (options) => (await actions()).historyImport(options));

  history
    .command('synth')
    .description(
      "generate synthetic history from the simulator's price process (replaces the symbol's synthetic series)",
    )
    .requiredOption('--symbol <symbol>', 'BTC or ETH', symbolArg)
    .requiredOption('--days <n>', 'days of 1-minute candles', positiveNumberArg)
    .option('--seed <n>', 'random seed (same seed, same history)', integerArg, 1)
    .option('--end <time>', 'end of the history (default: the current minute)', timeArg)
    .action(async (options) => (await actions()).historySynth(options));

  history
    .command('fetch')
    .description('fetch 1-minute candles from Coinbase (paper mode: the simulator) — resumable')
    .requiredOption('--symbol <symbol>', 'BTC or ETH', symbolArg)
    .requiredOption('--days <n>', 'days back from now', positiveNumberArg)
    .action(async (options) => (await actions()).historyFetch(options));

  history
    .command('status')
    .description('stored candles per symbol and series: range, count, gaps')
    .option('--symbol <symbol>', 'BTC or ETH (default: both)', symbolArg)
    .option('--gaps <n>', 'largest gaps to list', integerArg, 5)
    .action(async (options) => (await actions()).historyStatus(options));
}
