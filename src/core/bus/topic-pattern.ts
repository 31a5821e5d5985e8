/**
 * Topic names and subscription patterns.
 *
 * A topic is dot-separated segments of `[A-Za-z0-9_-]` (`price.btc`, `trades.u42`). A pattern is
 * a topic in which a segment may be `*` (exactly one segment) and whose last segment may be `>`
 * (one or more segments): `price.*`, `*.btc`, `trades.>`, `>`.
 */

const SEGMENT = /^[A-Za-z0-9_-]+$/;
const MAX_TOPIC_LENGTH = 200;

export class TopicSyntaxError extends Error {
  override readonly name = 'TopicSyntaxError';
}

export function assertTopic(topic: string): void {
  if (topic.length === 0 || topic.length > MAX_TOPIC_LENGTH) {
    throw new TopicSyntaxError(`invalid topic "${topic}": must be 1–${MAX_TOPIC_LENGTH} characters`);
  }
  for (const segment of topic.split('.')) {
    if (!SEGMENT.test(segment)) {
      throw new TopicSyntaxError(
        `invalid topic "${topic}": segments are dot-separated [A-Za-z0-9_-]+ (no empty segment, no wildcard)`,
      );
    }
  }
}

/** A compiled pattern: matches topics segment by segment (no regular expressions, no globbing). */
export interface TopicPattern {
  readonly source: string;
  /** The literal first segment (the topic family), or undefined when it is a wildcard. */
  readonly family: string | undefined;
  matches(topic: string): boolean;
}

export function compilePattern(pattern: string): TopicPattern {
  if (pattern.length === 0 || pattern.length > MAX_TOPIC_LENGTH) {
    throw new TopicSyntaxError(`invalid pattern "${pattern}": must be 1–${MAX_TOPIC_LENGTH} characters`);
  }
  const segments = pattern.split('.');
  segments.forEach((segment, index) => {
    const last = index === segments.length - 1;
    if (segment === '*' || (segment === '>' && last) || SEGMENT.test(segment)) return;
    const why = segment === '>' ? '">" is only allowed as the last segment' : 'bad segment';
    throw new TopicSyntaxError(`invalid pattern "${pattern}": ${why} "${segment}"`);
  });
  const tail = segments[segments.length - 1] === '>';
  const fixed = tail ? segments.slice(0, -1) : segments;
  const first = segments[0] as string;
  return {
    source: pattern,
    family: first === '*' || first === '>' ? undefined : first,
    matches(topic: string): boolean {
      const parts = topic.split('.');
      if (tail ? parts.length <= fixed.length : parts.length !== fixed.length) return false;
      return fixed.every((segment, i) => segment === '*' || segment === parts[i]);
    },
  };
}

/** Escapes Redis glob metacharacters so a literal (the channel prefix) matches only itself. */
export function escapeRedisGlob(literal: string): string {
  return literal.replace(/[*?[\]\\^]/g, '\\$&');
}

/**
 * The Redis PSUBSCRIBE glob covering a pattern. Redis `*` also matches dots, so the glob is a
 * superset: every message it brings is checked again with `compilePattern(...).matches`.
 */
export function toRedisGlob(pattern: string): string {
  return pattern
    .split('.')
    .map((segment) => (segment === '>' ? '*' : segment))
    .join('.');
}
