import { mkdirSync, openSync, readFileSync, rmSync, writeSync, closeSync } from 'node:fs';
import { dirname } from 'node:path';

export class InstanceLockError extends Error {
  override name = 'InstanceLockError';
}

/**
 * One REC.IO per data directory: a lock file holding the owner's pid, created exclusively.
 * A lock left by a process that no longer exists is taken over; a live owner makes the
 * second start refuse with a clear message instead of two processes writing the same data.
 */
export function acquireInstanceLock(path: string, what: string): { release(): void } {
  mkdirSync(dirname(path), { recursive: true });
  for (let attempt = 0; attempt < 2; attempt++) {
    try {
      const fd = openSync(path, 'wx');
      writeSync(fd, `${process.pid}\n`);
      closeSync(fd);
      let released = false;
      return {
        release() {
          if (released) return;
          released = true;
          if (ownerOf(path) === process.pid) rmSync(path, { force: true });
        },
      };
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
      const owner = ownerOf(path);
      if (owner !== undefined && isAlive(owner)) {
        throw new InstanceLockError(`REC.IO is already running on ${what} (pid ${owner}); stop it first`);
      }
      rmSync(path, { force: true }); // stale: its owner is gone
    }
  }
  throw new InstanceLockError(`cannot take the lock ${path}`);
}

function ownerOf(path: string): number | undefined {
  try {
    const pid = Number(readFileSync(path, 'utf8').trim());
    return Number.isInteger(pid) && pid > 0 ? pid : undefined;
  } catch {
    return undefined;
  }
}

function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}
