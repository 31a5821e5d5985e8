import { mkdtempSync, readdirSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Writable } from 'node:stream';
import { describe, expect, it } from 'vitest';
import { configSchema } from '../config/schema.ts';
import { createLogSink } from './logger.ts';

function capture() {
  const lines: string[] = [];
  const stream = new Writable({
    write(chunk: Buffer, _encoding, done) {
      lines.push(...chunk.toString().trim().split('\n'));
      done();
    },
  });
  return { lines, stream };
}

describe('log sink', () => {
  it('writes each service to its own rotating file; only warnings and up reach stdout', async () => {
    const dataDir = mkdtempSync(join(tmpdir(), 'recio-logs-'));
    const config = configSchema.parse({ dataDir, log: { level: 'info', maxFileSize: '1k', maxFiles: 3 } });
    const stdout = capture();
    const sink = createLogSink(config, { stdout: stdout.stream });
    const log = await sink.forService('kalshi_api_watchdog');
    for (let i = 0; i < 100; i++) log.info({ i }, 'book updated');
    log.warn('resubscribed after a seq gap');
    log.debug('below the level');
    await new Promise((resolve) => setTimeout(resolve, 200));
    await sink.close();

    const files = readdirSync(join(dataDir, 'logs')).filter((f) => f.startsWith('kalshi_api_watchdog'));
    expect(files.length).toBeGreaterThan(1); // rotated at 1 KiB
    expect(files.length).toBeLessThanOrEqual(4); // kept at most maxFiles (+ the current one)
    const all = files.map((f) => readFileSync(join(dataDir, 'logs', f), 'utf8')).join('');
    const last = JSON.parse(
      all
        .trim()
        .split('\n')
        .find((l) => l.includes('resubscribed'))!,
    );
    expect(last).toMatchObject({
      service: 'kalshi_api_watchdog',
      level: 40,
      msg: 'resubscribed after a seq gap',
    });
    expect(all).not.toContain('below the level');

    expect(stdout.lines).toHaveLength(1);
    expect(JSON.parse(stdout.lines[0]!)).toMatchObject({
      service: 'kalshi_api_watchdog',
      msg: 'resubscribed after a seq gap',
    });
  });

  it('redacts secrets wherever they appear in a log line', async () => {
    const config = configSchema.parse({ dataDir: '/unused', log: { files: false } });
    const stdout = capture();
    const sink = createLogSink(config, { stdout: stdout.stream });
    const log = await sink.forService('trade_executor');
    log.error(
      {
        privateKey: '-----BEGIN PRIVATE KEY-----abc',
        headers: { 'kalshi-access-signature': 'sig==', authorization: 'Bearer t' },
      },
      'order failed',
    );
    await new Promise((resolve) => setTimeout(resolve, 50));
    const line = stdout.lines.join('\n');
    expect(line).toContain('order failed');
    expect(line).not.toContain('BEGIN PRIVATE KEY');
    expect(line).not.toContain('sig==');
    expect(line).not.toContain('Bearer t');
  });
});
