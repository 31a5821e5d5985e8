import { pino } from 'pino';
import { describe, expect, expectTypeOf, it } from 'vitest';
import type { BusLogger } from './bus.ts';
import {
  familyOf,
  parseTopicPayload,
  TopicValidationError,
  type AlertMessage,
  type AnyTopicPayload,
  type HealthMessage,
  type PayloadFor,
} from './topics.ts';

describe('topic registry', () => {
  it('parses a valid health payload and strips unknown keys', () => {
    const parsed = parseTopicPayload('health.main_app', {
      service: 'main_app',
      status: 'healthy',
      checks: [{ name: 'db', ok: true }],
      at: 5,
      extra: 'ignored',
    });
    expect(parsed).toEqual({
      service: 'main_app',
      status: 'healthy',
      checks: [{ name: 'db', ok: true }],
      at: 5,
    });
  });

  it('names every bad field of a payload', () => {
    const attempt = () =>
      parseTopicPayload('alerts.sim', {
        severity: 'loud',
        source: '',
        message: 'x',
        at: 1.5,
        dedupeKey: 'k',
      });
    expect(attempt).toThrow(TopicValidationError);
    expect(attempt).toThrow(/invalid payload for topic "alerts\.sim": severity: .*; source: .*; at: /);
  });

  it('takes the family from the first segment', () => {
    expect(familyOf('health')).toBe('health');
    expect(familyOf('trades.u1.x')).toBe('trades');
    expect(() => parseTopicPayload('nope.btc', {})).toThrow(
      /unknown topic family "nope" .*known: health, alerts, price, index, market/,
    );
  });

  it('types payloads from topic literals', () => {
    expectTypeOf<PayloadFor<'health.main_app'>>().toEqualTypeOf<HealthMessage>();
    expectTypeOf<PayloadFor<'alerts'>>().toEqualTypeOf<AlertMessage>();
    expectTypeOf<PayloadFor<'*.btc'>>().toEqualTypeOf<AnyTopicPayload>();
    expectTypeOf<PayloadFor<string>>().toEqualTypeOf<AnyTopicPayload>();
    expectTypeOf<PayloadFor<'nope.x'>>().toBeNever();
  });

  it('accepts a pino logger as the bus logger', () => {
    const lines: string[] = [];
    const logger: BusLogger = pino({ base: null }, { write: (line: string) => void lines.push(line) });
    logger.warn({ topic: 'alerts.x' }, 'dropped');
    expect(JSON.parse(lines[0] as string)).toMatchObject({ level: 40, topic: 'alerts.x', msg: 'dropped' });
  });
});
