// The slice of amqplib's promise API the event bus calls, typed structurally so no SDK type
// reaches the exports (amqplib 0.10 and 2.x both fit).

/** A delivered message. */
export interface AmqpMessage {
  content: Uint8Array;
  fields: { deliveryTag: number; redelivered: boolean; routingKey: string };
  properties: { messageId?: unknown; headers?: Record<string, unknown> | undefined; timestamp?: unknown; contentType?: unknown };
}

/** A confirm channel. */
export interface AmqpChannel {
  assertExchange(name: string, type: string, options: Record<string, unknown>): Promise<unknown>;
  assertQueue(name: string, options: Record<string, unknown>): Promise<unknown>;
  bindQueue(queue: string, exchange: string, pattern: string): Promise<unknown>;
  prefetch(count: number): Promise<unknown>;
  consume(queue: string, onMessage: (message: AmqpMessage | null) => void, options: Record<string, unknown>): Promise<{ consumerTag: string }>;
  ack(message: AmqpMessage): void;
  nack(message: AmqpMessage, allUpTo?: boolean, requeue?: boolean): void;
  publish(exchange: string, routingKey: string, content: Uint8Array, options: Record<string, unknown>, callback: (error: unknown) => void): boolean;
  close(): Promise<void>;
  on(event: 'close' | 'error', listener: (error?: unknown) => void): unknown;
}

/** A connection. */
export interface AmqpConnection {
  createConfirmChannel(): Promise<AmqpChannel>;
  close(): Promise<void>;
  on(event: 'close' | 'error' | 'blocked' | 'unblocked', listener: (arg?: unknown) => void): unknown;
}

/** The module. */
export interface AmqpModule {
  connect(url: string, socketOptions?: Record<string, unknown>): Promise<AmqpConnection>;
}
