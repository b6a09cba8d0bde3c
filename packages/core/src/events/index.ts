/**
 * Events: the {@link EventBus} interface (topics, consumer groups, at-least-once delivery
 * with acknowledgement, dead letters after N failed attempts) and the embedded in-process
 * bus. `@almanac/core/rabbitmq` has one over RabbitMQ; the interface maps onto Kafka too
 * (see {@link EventBus}).
 *
 * @packageDocumentation
 */
export type {
  EventBus,
  EventEnvelope,
  EventHandler,
  EventHandlerContext,
  PublishOptions,
  PublishReceipt,
  SubscribeOptions,
  Subscription,
} from './types';
export { createMemoryEventBus } from './memory-event-bus';
export type { MemoryEventBus, MemoryEventBusOptions } from './memory-event-bus';
