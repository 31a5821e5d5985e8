import { describe, expect, it } from 'vitest';
import {
  assertTopic,
  compilePattern,
  escapeRedisGlob,
  toRedisGlob,
  TopicSyntaxError,
} from './topic-pattern.ts';

describe('topic names', () => {
  it('accepts dot-separated [A-Za-z0-9_-] segments', () => {
    for (const topic of ['health', 'price.btc', 'trades.user_42', 'market.KXBTCD-25JAN0614']) {
      expect(() => assertTopic(topic)).not.toThrow();
    }
  });

  it('rejects empty segments, wildcards, spaces and over-long names', () => {
    for (const topic of ['', '.a', 'a.', 'a..b', 'a.*', 'a.>', 'a b', 'a:b', 'x'.repeat(201)]) {
      expect(() => assertTopic(topic), topic).toThrow(TopicSyntaxError);
    }
  });
});

describe('patterns', () => {
  it('matches * as exactly one segment and a trailing > as one or more', () => {
    const cases: Array<[string, string, boolean]> = [
      ['price.btc', 'price.btc', true],
      ['price.btc', 'price.eth', false],
      ['price.*', 'price.btc', true],
      ['price.*', 'price', false],
      ['price.*', 'price.btc.x', false],
      ['*.btc', 'market.btc', true],
      ['*.btc', 'market.eth', false],
      ['trades.>', 'trades.u1', true],
      ['trades.>', 'trades.u1.a.b', true],
      ['trades.>', 'trades', false],
      ['>', 'anything.at.all', true],
      ['*.*.>', 'a.b', false],
      ['*.*.>', 'a.b.c', true],
      ['price.btc', 'price.btcx', false],
    ];
    for (const [pattern, topic, expected] of cases) {
      expect(compilePattern(pattern).matches(topic), `${pattern} vs ${topic}`).toBe(expected);
    }
  });

  it('reports the literal family, or none for a wildcard first segment', () => {
    expect(compilePattern('price.*').family).toBe('price');
    expect(compilePattern('*.btc').family).toBeUndefined();
    expect(compilePattern('>').family).toBeUndefined();
  });

  it('rejects > anywhere but last, partial wildcards and empty segments', () => {
    for (const pattern of ['', 'a.>.b', 'a.b*', 'a..b', '>.a', 'a.#']) {
      expect(() => compilePattern(pattern), pattern).toThrow(TopicSyntaxError);
    }
  });

  it('translates to a Redis glob that covers the pattern, and escapes literal prefixes', () => {
    expect(toRedisGlob('price.*')).toBe('price.*');
    expect(toRedisGlob('trades.>')).toBe('trades.*');
    expect(toRedisGlob('*.btc')).toBe('*.btc');
    expect(escapeRedisGlob('a*b?c[d]e\\f')).toBe('a\\*b\\?c\\[d\\]e\\\\f');
  });
});
