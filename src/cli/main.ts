import { Command } from 'commander';
import { VERSION } from '../core/version.ts';
import { reportFatal } from './errors.ts';
import { registerHistoryCommands } from './history-commands.ts';
import { registerModelCommands } from './model-commands.ts';

// Each command loads its own modules when it runs, so `recio --help` does not pay for the database.
const program = new Command('recio')
  .description('REC.IO v3 — automated trading for Kalshi hourly crypto markets')
  .version(VERSION)
  .showHelpAfterError();

program
  .command('start')
  .description('start every service in one process (embedded database, paper trading)')
  .action(async () => (await import('./process-commands.ts')).startAllInOne());
program
  .command('run <service>')
  .description('start one service (distributed mode)')
  .action(async (service: string) => (await import('./process-commands.ts')).runOne(service));

const config = program.command('config').description('configuration');
config
  .command('check')
  .description('print the effective configuration, secrets redacted')
  .action(async () => (await import('./config-commands.ts')).configCheck());

program
  .command('supervisor')
  .description('process management of the distributed topology (supervisord)')
  .command('config')
  .description('print (or --out: write) the supervisord config: one program per built service')
  .option('--out <file>', 'write it to this file (mode 0600) instead of stdout')
  .action(async (options: { out?: string }) =>
    (await import('./supervisor-commands.ts')).supervisorConfig(options),
  );

const db = program.command('db').description('database');
db.command('migrate')
  .description('apply pending migrations')
  .action(async () => (await import('./db-commands.ts')).dbMigrate());

registerHistoryCommands(program);
registerModelCommands(program);

await program.parseAsync(process.argv).catch(reportFatal);
