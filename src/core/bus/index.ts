export {
  BusClosedError,
  consoleBusLogger,
  type Bus,
  type BusHandler,
  type BusLogger,
  type BusMessage,
  type Unsubscribe,
} from './bus.ts';
export { createBus, type BusOptions } from './create-bus.ts';
export * from './market-data-topics.ts';
export { MemoryBus } from './memory-bus.ts';
export { RedisBus, DEFAULT_BUS_PREFIX, type RedisBusOptions } from './redis-bus.ts';
export { TopicSyntaxError, assertTopic, compilePattern, type TopicPattern } from './topic-pattern.ts';
export {
  TopicValidationError,
  alertMessageSchema,
  alertSeveritySchema,
  familyOf,
  healthMessageSchema,
  healthStatusSchema,
  isTopicFamily,
  parseTopicPayload,
  topicSchemas,
  type AlertMessage,
  type AnyTopicPayload,
  type HealthMessage,
  type HealthStatus,
  type PayloadFor,
  type TopicFamily,
  type TopicInputs,
  type TopicPayloads,
} from './topics.ts';
