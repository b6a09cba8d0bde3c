/**
 * The `EventBus` on RabbitMQ: {@link createRabbitMqEventBus} over `amqplib` (an optional
 * peer, loaded on first use) with publisher confirms, durable per-group queues, prefetch, retries
 * counted per event and a dead-letter queue per group. See `@almanac/core/events` for the
 * interface and how it maps onto Kafka.
 *
 * @packageDocumentation
 */
export { createRabbitMqEventBus } from './event-bus';
export type { RabbitMqEventBusOptions } from './event-bus';
