import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { acquireInstanceLock, InstanceLockError } from './instance-lock.ts';
import { restartDelay, DEFAULT_RESTART_POLICY } from './restart-policy.ts';

const lockPath = () => join(mkdtempSync(join(tmpdir(), 'recio-lock-')), 'recio.lock');

describe('instance lock', () => {
  it('refuses a second holder while the first lives, naming its pid', () => {
    const path = lockPath();
    // A live process other than us holds the lock.
    writeFileSync(path, `${process.ppid}\n`);
    expect(() => acquireInstanceLock(path, 'data directory /x')).toThrow(InstanceLockError);
    expect(() => acquireInstanceLock(path, 'data directory /x')).toThrow(
      `REC.IO is already running on data directory /x (pid ${process.ppid}); stop it first`,
    );
  });

  it('takes over a lock whose owner is gone, and releases it', () => {
    const path = lockPath();
    const dead = spawnSync(process.execPath, ['-e', 'process.exit(0)']).pid!;
    writeFileSync(path, `${dead}\n`);
    const lock = acquireInstanceLock(path, 'data directory /x');
    expect(readFileSync(path, 'utf8').trim()).toBe(String(process.pid));
    lock.release();
    expect(existsSync(path)).toBe(false);
  });
});

describe('restart backoff', () => {
  it('doubles from the base and stops at the cap', () => {
    const delays = [1, 2, 3, 4, 5, 6, 7, 8].map((n) => restartDelay(DEFAULT_RESTART_POLICY, n));
    expect(delays).toEqual([1_000, 2_000, 4_000, 8_000, 16_000, 32_000, 60_000, 60_000]);
    expect(restartDelay(DEFAULT_RESTART_POLICY, 500)).toBe(60_000);
  });
});
