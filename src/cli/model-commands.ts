/**
 * `recio model …`: build, import, export, list, activate and query fingerprint models.
 * Definitions only; the work is loaded when a command runs (model-actions.ts).
 */
import { InvalidArgumentError, Option, type Command } from 'commander';
import type { Weighting } from '../domain/model/fingerprint-grid.ts';
import { integerArg, nonNegativeNumberArg, positiveNumberArg, symbolArg, timeArg } from './cli-args.ts';

const actions = () => import('./model-actions.ts');

/** `v2-year`, `none` or `half-life:DAYS`. */
export function weightingArg(text: string): Weighting {
  if (text === 'v2-year') return { kind: 'v2-year' };
  if (text === 'none') return { kind: 'none' };
  const match = /^half-life:(\d+(?:\.\d+)?)$/.exec(text);
  if (match && Number(match[1]) > 0) return { kind: 'half-life', halfLifeDays: Number(match[1]) };
  throw new InvalidArgumentError('expected v2-year, none or half-life:DAYS (e.g. half-life:365).');
}

function bucketArg(text: string): number | 'baseline' {
  return text === 'baseline' ? 'baseline' : integerArg(text);
}

export function registerModelCommands(program: Command): void {
  const model = program.command('model').description('probability models (fingerprints)');

  model
    .command('build')
    .description('build a model from stored candles (a progress bar on stderr) and store it as a new version')
    .requiredOption('--symbol <symbol>', 'BTC or ETH', symbolArg)
    .option('--from <time>', 'first candle (date or ISO time; default: the first stored)', timeArg)
    .option('--to <time>', 'last candle (default: the last stored)', timeArg)
    .option('--weighting <kind>', 'v2-year | none | half-life:DAYS', weightingArg, { kind: 'v2-year' })
    .option('--synthetic', 'build from the synthetic series instead of real history')
    .option('--activate', 'make it the active model of the symbol')
    .option('--id <modelId>', 'model id (default: generated)')
    .action(async (options) => (await actions()).modelBuild(options));

  model
    .command('import-v2 <dir>')
    .description('import a REC.IO v2 fingerprint CSV set (62 files) — all or nothing')
    .addOption(
      new Option('--symbol <symbol>', 'BTC or ETH (default: from the file names)').argParser(symbolArg),
    )
    .option('--activate', 'make it the active model of the symbol')
    .option('--id <modelId>', 'model id (default: generated)')
    .action(async (dir: string, options) => (await actions()).modelImportV2(dir, options));

  model
    .command('export <dir>')
    .description('write a model as a v2 fingerprint CSV set (62 files)')
    .option('--model <modelId>', 'model id (default: the active model of --symbol)')
    .option('--symbol <symbol>', 'BTC or ETH', symbolArg, 'BTC')
    .option('--force', 'overwrite existing files of the set')
    .action(async (dir: string, options) => (await actions()).modelExport(dir, options));

  model
    .command('list')
    .description('stored models, newest first (* = active)')
    .option('--symbol <symbol>', 'BTC or ETH', symbolArg)
    .option('--json', 'print JSON')
    .action(async (options) => (await actions()).modelList(options));

  model
    .command('activate <modelId>')
    .description('make a stored model the active one of its symbol')
    .action(async (modelId: string) => (await actions()).modelActivate(modelId));

  model
    .command('query')
    .description('probability of a strike, as JSON: up, down, active side and its probability')
    .requiredOption('--symbol <symbol>', 'BTC or ETH', symbolArg)
    .requiredOption('--price <dollars>', 'spot price now', positiveNumberArg)
    .requiredOption('--strike <dollars>', 'strike', positiveNumberArg)
    .requiredOption('--ttc <seconds>', 'time to close, seconds', nonNegativeNumberArg)
    .requiredOption('--bucket <n>', 'momentum bucket (−30…30, clamped) or "baseline"', bucketArg)
    .option('--model <modelId>', 'model id (default: the active model of the symbol)')
    .addOption(
      new Option('--settle <kind>', 'closing print, or the 60-s average Kalshi settles on')
        .choices(['close', 'average60'])
        .default('average60'),
    )
    .action(async (options) => (await actions()).modelQuery(options));
}
