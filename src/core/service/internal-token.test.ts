import { mkdtempSync, readdirSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { internalToken } from './host.ts';

const dir = () => mkdtempSync(join(tmpdir(), 'recio-token-'));

describe('internal token shared by the processes of one data directory', () => {
  it('is generated once, kept with mode 0600, and read back by every later process', () => {
    const dataDir = dir();
    const first = internalToken({}, dataDir);
    expect(first.length).toBeGreaterThanOrEqual(16);
    expect(internalToken({}, dataDir)).toBe(first);
    expect(readdirSync(dataDir)).toEqual(['internal-token']); // no temporary file left
    expect(statSync(join(dataDir, 'internal-token')).mode & 0o777).toBe(0o600);
  });

  it('prefers the configured token', () => {
    expect(internalToken({ internalToken: 'configured-token-123' }, dir())).toBe('configured-token-123');
  });

  it('refuses a file without a valid token in one line', () => {
    const dataDir = dir();
    writeFileSync(join(dataDir, 'internal-token'), 'short\n');
    expect(() => internalToken({}, dataDir)).toThrow(
      `${join(dataDir, 'internal-token')} holds no valid token: delete it to make a new one`,
    );
  });
});
