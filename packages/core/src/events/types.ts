/** Options of {@link EventBus.publish}. */
export interface PublishOptions {
  /**
   * Partitioning key, carried to handlers as `event.key`. Kafka adapters use it as the record
   * key (order per key). The memory and RabbitMQ buses deliver a group's events in publish
   * order but run up to `prefetch` handlers at once and put retries at the back, so handling is
   * in order only with one member, `prefetch: 1` and no failures.
   */
  key?: string | undefined;
  /** The event's id, which consumers deduplicate on; default a fresh UUIDv7. Reuse it when re-publishing the same event. */
  id?: string | undefined;
  /** String headers carried with the event (no secrets: brokers log them). */
  headers?: Readonly<Record<string, string>> | undefined;
  /** Stops waiting for the broker's confirmation; the event may or may not have been stored. */
  signal?: AbortSignal | undefined;
}

/** What {@link EventBus.publish} resolves once the bus has stored the event. */
export interface PublishReceipt {
  /** The event's id. */
  readonly id: string;
}

/** One delivery of an event to a handler. */
export interface EventEnvelope<T = unknown> {
  /** Unique per event (not per delivery): deduplicate on it, delivery is at least once. */
  readonly id: string;
  /** The topic it was published to. */
  readonly topic: string;
  /** The partitioning key, when one was given. */
  readonly key: string | undefined;
  /** The payload as published (JSON round-tripped by brokers). */
  readonly data: T;
  /** Headers given at publish. */
  readonly headers: Readonly<Record<string, string>>;
  /** When it was published, epoch milliseconds. */
  readonly publishedAt: number;
  /** 1 on the first delivery to this group, 2 on the first retry after a failure, and so on. */
  readonly attempt: number;
}

/** Context passed to an {@link EventHandler}. */
export interface EventHandlerContext {
  /** Aborts when the subscription closes while the handler runs. */
  readonly signal: AbortSignal;
}

/**
 * Handles one delivery. Resolving acknowledges the event; throwing (or rejecting) counts a
 * failed attempt: the event is delivered again until `maxAttempts`, then dead-lettered.
 */
export type EventHandler<T = unknown> = (event: EventEnvelope<T>, context: EventHandlerContext) => Promise<void> | void;

/** Options of {@link EventBus.subscribe}. */
export interface SubscribeOptions {
  /**
   * Consumer group: each event of the topic goes to one subscriber of every group. Instances
   * of one service share a group (work is split); different services use different groups.
   */
  group: string;
  /** Deliveries in flight at once for this subscriber (RabbitMQ prefetch). Default 10. */
  prefetch?: number | undefined;
  /** Failed attempts after which an event goes to the group's dead-letter queue. Default 5. */
  maxAttempts?: number | undefined;
}

/** A live subscription. */
export interface Subscription {
  /** Stops receiving; handlers still running are aborted and their events delivered again later. */
  close(): Promise<void>;
}

/**
 * Publish/subscribe with consumer groups, at-least-once delivery with acknowledgement and a
 * dead-letter queue per group. Shaped so a log-based broker fits too:
 *
 * | EventBus | RabbitMQ (`@almanac/core/rabbitmq`) | Kafka |
 * | --- | --- | --- |
 * | topic | routing key on one durable direct exchange | topic |
 * | `key` | header `x-almanac-key` | record key (partition, order per key) |
 * | group | one durable queue per topic and group | consumer group |
 * | ack (handler resolves) | `basic.ack` | offset commit after the handler |
 * | retry (handler throws) | republish with attempt + 1, then ack | re-process, attempt header |
 * | dead letter after N | `nack` to the DLX, queue `<queue>.dlq` | produce to `<topic>.<group>.dlq` |
 * | `prefetch` | `basic.qos` | `max.poll.records` / in-flight limit |
 *
 * An event published while a topic has no group yet is not kept for groups that subscribe later.
 */
export interface EventBus {
  /** Stores `event` under `topic`; resolves once the bus holds it (RabbitMQ: after the publisher confirm). */
  publish<T>(topic: string, event: T, options?: PublishOptions): Promise<PublishReceipt>;
  /** Delivers the topic's events to `handler` as one member of `options.group`. */
  subscribe<T>(topic: string, handler: EventHandler<T>, options: SubscribeOptions): Promise<Subscription>;
  /** Closes every subscription and the connection. */
  close(): Promise<void>;
}
