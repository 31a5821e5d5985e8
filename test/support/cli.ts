import { spawn, type ChildProcess, type SpawnOptions } from 'node:child_process';
import { fileURLToPath } from 'node:url';

export const REPO_ROOT = fileURLToPath(new URL('../..', import.meta.url));
const BIN = fileURLToPath(new URL('../../bin/recio.js', import.meta.url));

export interface CliProcess {
  child: ChildProcess;
  output(): string;
  /** Resolves with the exit code (or the signal name). */
  exited: Promise<number | string>;
}

/** Starts a child process whose output (stdout and stderr together) and exit are kept. */
export function spawnWatched(command: string, args: string[], options: SpawnOptions = {}): CliProcess {
  const child = spawn(command, args, { ...options, stdio: ['ignore', 'pipe', 'pipe'] });
  let text = '';
  child.stdout!.on('data', (chunk: Buffer) => (text += chunk.toString()));
  child.stderr!.on('data', (chunk: Buffer) => (text += chunk.toString()));
  const exited = new Promise<number | string>((resolve) =>
    child.once('exit', (code, signal) => resolve(code ?? signal ?? 'unknown')),
  );
  return { child, output: () => text, exited };
}

/** Runs `recio <args>` as a real child process, the way a user would. */
export function recio(args: string[], env: Record<string, string | undefined>, cwd = REPO_ROOT): CliProcess {
  return spawnWatched(process.execPath, [BIN, ...args], {
    cwd,
    env: { ...process.env, RECIO_LOG_LEVEL: 'warn', ...env },
  });
}

/** Runs a short `recio` command to completion. */
export async function recioOnce(args: string[], env: Record<string, string | undefined>, cwd?: string) {
  const run = recio(args, env, cwd);
  const code = await run.exited;
  return { code, output: run.output() };
}
