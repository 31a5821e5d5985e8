/**
 * The one schema module for bus topics. A topic's family is its first segment (`health` in
 * `health.main_app`); each family has one zod schema, checked when a message is published and
 * again when it arrives from Redis.
 *
 * Adding a family is one line in `topicSchemas` (define the schema next to its producer or
 * here). Registered: health, alerts, price/index/market (market-data-topics.ts) and strikes
 * (strikes-topics.ts). Planned: trades, account, settings — unknown (publishing to them throws) until their issue
 * registers a schema.
 *
 * Conventions: times are epoch ms (UTC), money integer centi-cents (see src/domain/units.ts).
 * Snapshot families carry their own sequence number in the payload.
 */
import { z } from 'zod';
import { indexMessageSchema, marketMessageSchema, priceMessageSchema } from './market-data-topics.ts';
import { strikesMessageSchema } from './strikes-topics.ts';
import { assertTopic } from './topic-pattern.ts';

const epochMs = z.number().int().nonnegative();

export const healthStatusSchema = z.enum(['healthy', 'degraded', 'down']);
export type HealthStatus = z.infer<typeof healthStatusSchema>;

/** `health.<service>`: a service's current health, as its /health reports it. */
export const healthMessageSchema = z.object({
  service: z.string().min(1),
  status: healthStatusSchema,
  /** Readiness checks, e.g. { name: 'last tick', ok: false, detail: 'age 14 s > 10 s' }. */
  checks: z.array(z.object({ name: z.string().min(1), ok: z.boolean(), detail: z.string().optional() })),
  at: epochMs,
});
export type HealthMessage = z.infer<typeof healthMessageSchema>;

export const alertSeveritySchema = z.enum(['info', 'warning', 'critical']);

/** `alerts.<source>`: something a human should know; `dedupeKey` lets consumers collapse repeats. */
export const alertMessageSchema = z.object({
  severity: alertSeveritySchema,
  source: z.string().min(1),
  message: z.string().min(1),
  at: epochMs,
  dedupeKey: z.string().min(1),
});
export type AlertMessage = z.infer<typeof alertMessageSchema>;

/** family → schema. One line per family. */
export const topicSchemas = {
  health: healthMessageSchema,
  alerts: alertMessageSchema,
  price: priceMessageSchema,
  index: indexMessageSchema,
  market: marketMessageSchema,
  strikes: strikesMessageSchema,
} satisfies Record<string, z.ZodType>;

export type TopicFamily = keyof typeof topicSchemas;
/** What a publisher passes, per family (before defaults/transforms). */
export type TopicInputs = { [F in TopicFamily]: z.input<(typeof topicSchemas)[F]> };
/** What a subscriber receives, per family. */
export type TopicPayloads = { [F in TopicFamily]: z.output<(typeof topicSchemas)[F]> };
export type AnyTopicPayload = TopicPayloads[TopicFamily];

type FamilyOf<T extends string> = T extends `${infer F}.${string}` ? F : T;

/**
 * Payload type for a topic or pattern literal: `'health.main_app'` → HealthMessage. A wildcard
 * first segment or a non-literal string gives the union of all payloads; an unknown literal
 * family gives `never` (a compile error at the call site).
 */
export type PayloadFor<T extends string, Map = TopicPayloads> = string extends T
  ? Map[keyof Map]
  : FamilyOf<T> extends keyof Map
    ? Map[FamilyOf<T>]
    : FamilyOf<T> extends '*' | '>'
      ? Map[keyof Map]
      : never;

export class TopicValidationError extends Error {
  override readonly name = 'TopicValidationError';
}

export function familyOf(topic: string): string {
  const dot = topic.indexOf('.');
  return dot === -1 ? topic : topic.slice(0, dot);
}

export function isTopicFamily(family: string): family is TopicFamily {
  return Object.hasOwn(topicSchemas, family);
}

export function assertKnownFamily(family: string, what: string): asserts family is TopicFamily {
  if (!isTopicFamily(family)) {
    const known = Object.keys(topicSchemas).join(', ');
    throw new TopicValidationError(`unknown topic family "${family}" in ${what} (known: ${known})`);
  }
}

/**
 * Checks a topic name and its payload against the family's schema; returns the parsed payload
 * (unknown keys stripped). Throws TopicSyntaxError / TopicValidationError naming the problem.
 */
export function parseTopicPayload(topic: string, payload: unknown): AnyTopicPayload {
  assertTopic(topic);
  const family = familyOf(topic);
  assertKnownFamily(family, `topic "${topic}"`);
  const result = topicSchemas[family].safeParse(payload);
  if (!result.success) {
    const problems = result.error.issues
      .map((issue) => `${issue.path.length > 0 ? issue.path.join('.') : '(payload)'}: ${issue.message}`)
      .join('; ');
    throw new TopicValidationError(`invalid payload for topic "${topic}": ${problems}`);
  }
  return result.data;
}
