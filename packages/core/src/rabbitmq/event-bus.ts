import { Buffer } from 'node:buffer';
import { abortReason } from '../clock';
import { AbortedError, AlmanacError, ProviderError, RateLimitError, TimeoutError, ValidationError } from '../errors';
import type { ValidationIssue } from '../errors';
import type { EventBus, EventEnvelope, EventHandler, PublishReceipt, Subscription } from '../events/types';
import { checkPublish, checkSubscribe } from '../events/validate';
import type { ResolvedSubscribeOptions } from '../events/validate';
import { uuidv7 } from '../ids';
import { createPeerLoader } from '../kit/peer';
import { silentLogger } from '../logger/types';
import type { Logger } from '../logger/types';
import { cryptoRandom } from '../retry/policy';
import type { AmqpChannel, AmqpConnection, AmqpMessage, AmqpModule } from './amqp-types';

/** Options of {@link createRabbitMqEventBus}. */
export interface RabbitMqEventBusOptions {
  /** `amqp://user:password@host:port/vhost` (or `amqps://`). The password never appears in errors or logs. */
  url: string;
  /**
   * Name of the durable direct exchange events are published to; queues are named
   * `<exchange>.<topic>.<group>`, dead letters go through `<exchange>.dlx` to `<queue>.dlq`.
   * Default `almanac.events`.
   */
  exchange?: string | undefined;
  /** How long `publish` keeps trying (reconnecting, re-publishing) before a `TimeoutError`, in milliseconds. Default 30 000. */
  publishTimeoutMs?: number | undefined;
  /** Most `publish` calls waiting for the broker at once; beyond it `publish` rejects with a retryable `RateLimitError`. Default 1 000. */
  maxPendingPublishes?: number | undefined;
  /** Longest wait between reconnect attempts, in milliseconds; waits grow from 100 ms with jitter. Default 5 000. */
  maxReconnectDelayMs?: number | undefined;
  /** Told (warn) about lost connections and reconnect failures; never the URL. */
  logger?: Logger | undefined;
}

interface Member {
  readonly topic: string;
  readonly queue: string;
  readonly handler: EventHandler<unknown>;
  readonly settings: ResolvedSubscribeOptions;
  readonly controller: AbortController;
  channel: AmqpChannel | undefined;
}

const HEADER_KEY = 'x-almanac-key';
const HEADER_ATTEMPT = 'x-almanac-attempt';
const HEADER_PUBLISHED_AT = 'x-almanac-published-at';
const RESERVED_HEADER = /^(x-almanac-|x-death$|x-first-death-|x-last-death-)/;

const EXCHANGE_NAME = /^[A-Za-z0-9][A-Za-z0-9._-]{0,99}$/;

function checkOptions(options: RabbitMqEventBusOptions): void {
  if (typeof options !== 'object' || options === null) throw new ValidationError(undefined, [{ path: 'options', message: 'must be an object' }]);
  const issues: ValidationIssue[] = [];
  if (typeof options.url !== 'string' || !/^amqps?:\/\//.test(options.url)) issues.push({ path: 'options.url', message: 'must be an amqp:// or amqps:// URL' });
  if (options.exchange !== undefined && (typeof options.exchange !== 'string' || !EXCHANGE_NAME.test(options.exchange))) {
    issues.push({ path: 'options.exchange', message: 'must be 1-100 letters, digits, ".", "_" or "-"' });
  }
  for (const field of ['publishTimeoutMs', 'maxPendingPublishes', 'maxReconnectDelayMs'] as const) {
    const value = options[field];
    if (value !== undefined && (!Number.isSafeInteger(value) || value < 1)) issues.push({ path: `options.${field}`, message: 'must be a positive integer' });
  }
  if (issues.length > 0) throw new ValidationError(undefined, issues);
}

function amqpError(error: unknown, operation: string): AlmanacError {
  if (AlmanacError.isInstance(error)) return error;
  // amqplib messages name the failure (ECONNREFUSED, "Channel closed", a 406 PRECONDITION_FAILED
  // with the queue name); they carry neither URLs with credentials nor payloads.
  const detail = (error instanceof Error ? error.message : String(error)).split('\n')[0]?.slice(0, 200);
  return new ProviderError(`RabbitMQ ${operation} failed: ${detail}`, { provider: 'rabbitmq', operation, retryable: true, cause: error });
}

function sleep(ms: number, signal?: AbortSignal): Promise<void> {
  return new Promise((resolve, reject) => {
    if (signal?.aborted) return reject(abortReason(signal));
    const onAbort = () => {
      clearTimeout(timer);
      reject(abortReason(signal as AbortSignal));
    };
    const timer = setTimeout(() => {
      signal?.removeEventListener('abort', onAbort);
      resolve();
    }, ms);
    signal?.addEventListener('abort', onAbort, { once: true });
  });
}

function publishConfirmed(
  channel: AmqpChannel,
  exchange: string,
  routingKey: string,
  content: Uint8Array,
  properties: Record<string, unknown>,
  signal?: AbortSignal,
): Promise<void> {
  return new Promise((resolve, reject) => {
    const onAbort = () => reject(abortReason(signal as AbortSignal));
    signal?.addEventListener('abort', onAbort, { once: true });
    const done = (error: unknown) => {
      signal?.removeEventListener('abort', onAbort);
      if (error) reject(error);
      else resolve();
    };
    try {
      // The callback runs on the broker's ack (stored; persistent messages on disk), on its nack,
      // or with "channel closed" when the connection drops first: then the caller publishes again.
      channel.publish(exchange, routingKey, content, properties, done);
    } catch (error) {
      done(error);
    }
  });
}

function headerString(value: unknown): string | undefined {
  if (typeof value === 'string') return value;
  if (value instanceof Uint8Array) return new TextDecoder().decode(value);
  return undefined;
}

function decode(message: AmqpMessage, topic: string): EventEnvelope {
  const headers = message.properties.headers ?? {};
  const id = headerString(message.properties.messageId);
  if (!id) throw new Error('message without messageId');
  const attempt = Number(headers[HEADER_ATTEMPT] ?? 1);
  const userHeaders: Record<string, string> = {};
  for (const [name, value] of Object.entries(headers)) {
    const text = headerString(value);
    if (!RESERVED_HEADER.test(name) && text !== undefined) userHeaders[name] = text;
  }
  return {
    id,
    topic,
    key: headerString(headers[HEADER_KEY]),
    data: JSON.parse(new TextDecoder().decode(message.content)) as unknown,
    headers: userHeaders,
    publishedAt: Number(headers[HEADER_PUBLISHED_AT] ?? 0),
    attempt: Number.isSafeInteger(attempt) && attempt >= 1 ? attempt : 1,
  };
}

/**
 * Creates an {@link EventBus} on RabbitMQ over `amqplib` (an optional peer, loaded on first
 * use). Topology, all durable: events go to one direct exchange with the topic as routing key;
 * each group has its own queue bound to it (so every group gets every event and the members of
 * a group share the work), dead-lettering to `<exchange>.dlx` → `<queue>.dlq`.
 *
 * - `publish` uses a confirm channel and persistent messages: it resolves only once the broker
 *   has the event. When the connection drops first (broker restart), the bus reconnects with
 *   backoff and publishes again under the same id, until `publishTimeoutMs`; consumers
 *   deduplicate on `id`, so nothing is lost and repeats are harmless.
 * - Each subscriber has its own channel with `prefetch` unacknowledged deliveries. A handler
 *   that resolves acks; one that throws has the event re-published to its queue with the attempt
 *   counted (confirmed, then the original acked), and after `maxAttempts` the event is rejected
 *   into the dead-letter queue. An event that is not JSON or has no id goes there at once.
 *   A consumer that dies before acking gets its deliveries redelivered by the broker.
 * - Lost connections are re-established with backoff, and every subscription resumes.
 *
 * An event published before any group of its topic subscribed is not kept (no queue is bound).
 */
export function createRabbitMqEventBus(options: RabbitMqEventBusOptions): EventBus {
  checkOptions(options);
  const { url } = options;
  const exchange = options.exchange ?? 'almanac.events';
  const dlx = `${exchange}.dlx`;
  const publishTimeoutMs = options.publishTimeoutMs ?? 30_000;
  const maxPending = options.maxPendingPublishes ?? 1_000;
  const maxDelay = options.maxReconnectDelayMs ?? 5_000;
  const logger = options.logger ?? silentLogger;
  const loadAmqp = createPeerLoader<AmqpModule>({
    pkg: 'amqplib',
    provider: 'rabbitmq',
    importer: () => import('amqplib'),
    exportName: 'connect',
    minVersion: '0.10.4',
    requiredBy: '@almanac/core/rabbitmq',
    purpose: 'connect to RabbitMQ',
  });

  const members = new Set<Member>();
  let connection: AmqpConnection | undefined;
  let publisher: AmqpChannel | undefined;
  let connecting: Promise<void> | undefined;
  let closed = false;
  let pending = 0;

  const backoff = (attempt: number) => {
    const ceiling = Math.min(maxDelay, 100 * 2 ** Math.min(attempt, 16));
    return Math.floor(ceiling / 2 + (cryptoRandom() * ceiling) / 2);
  };

  const startConsumer = async (member: Member, conn: AmqpConnection) => {
    const channel = await conn.createConfirmChannel();
    channel.on('error', (error) => logger.warn('rabbitmq consumer channel error', { provider: 'rabbitmq', queue: member.queue, error: amqpError(error, 'consume').message }));
    channel.on('close', () => {
      if (member.channel === channel) member.channel = undefined;
    });
    const dlq = `${member.queue}.dlq`;
    await channel.assertQueue(dlq, { durable: true });
    await channel.bindQueue(dlq, dlx, member.queue);
    await channel.assertQueue(member.queue, { durable: true, arguments: { 'x-dead-letter-exchange': dlx, 'x-dead-letter-routing-key': member.queue } });
    await channel.bindQueue(member.queue, exchange, member.topic);
    await channel.prefetch(member.settings.prefetch);
    member.channel = channel;
    await channel.consume(
      member.queue,
      (message) => {
        if (message) void deliver(member, channel, message);
      },
      { noAck: false },
    );
  };

  const deliver = async (member: Member, channel: AmqpChannel, message: AmqpMessage) => {
    const settle = (action: () => void) => {
      try {
        action();
      } catch {
        // The channel closed meanwhile: the broker redelivers the message.
      }
    };
    let envelope: EventEnvelope;
    try {
      envelope = decode(message, member.topic);
    } catch {
      settle(() => channel.nack(message, false, false));
      return;
    }
    try {
      await member.handler(envelope, { signal: member.controller.signal });
    } catch {
      if (member.controller.signal.aborted || member.channel !== channel) return;
      if (envelope.attempt >= member.settings.maxAttempts) {
        settle(() => channel.nack(message, false, false));
        return;
      }
      const headers = { ...message.properties.headers, [HEADER_ATTEMPT]: envelope.attempt + 1 };
      try {
        await publishConfirmed(channel, '', member.queue, message.content, {
          persistent: true,
          messageId: envelope.id,
          contentType: 'application/json',
          headers,
        });
        settle(() => channel.ack(message));
      } catch {
        // The retry copy was not stored: leave the original unacknowledged for redelivery.
      }
      return;
    }
    settle(() => channel.ack(message));
  };

  const connectOnce = async () => {
    const amqp = await loadAmqp();
    let conn: AmqpConnection;
    try {
      conn = await amqp.connect(url, { timeout: 10_000 });
    } catch (error) {
      throw amqpError(error, 'connect');
    }
    conn.on('error', (error) => logger.warn('rabbitmq connection error', { provider: 'rabbitmq', error: amqpError(error, 'connection').message }));
    conn.on('close', () => {
      if (connection !== conn) return;
      connection = undefined;
      publisher = undefined;
      if (!closed) {
        logger.warn('rabbitmq connection lost, reconnecting', { provider: 'rabbitmq' });
        void ensureConnected().catch(() => undefined);
      }
    });
    try {
      const channel = await conn.createConfirmChannel();
      channel.on('error', () => undefined);
      channel.on('close', () => {
        // A closed publishing channel on a live connection: start over on a fresh connection.
        if (publisher === channel && connection === conn) void conn.close().catch(() => undefined);
      });
      await channel.assertExchange(exchange, 'direct', { durable: true });
      await channel.assertExchange(dlx, 'direct', { durable: true });
      for (const member of members) await startConsumer(member, conn);
      connection = conn;
      publisher = channel;
    } catch (error) {
      await conn.close().catch(() => undefined);
      throw amqpError(error, 'connect');
    }
  };

  const ensureConnected = (): Promise<void> => {
    if (connection && publisher) return Promise.resolve();
    connecting ??= (async () => {
      for (let attempt = 0; ; attempt++) {
        if (closed) throw new AbortedError('The event bus is closed', { provider: 'rabbitmq', operation: 'connect' });
        try {
          await connectOnce();
          return;
        } catch (error) {
          logger.warn('rabbitmq connect failed, retrying', { provider: 'rabbitmq', attempt, error: amqpError(error, 'connect').message });
          await sleep(backoff(attempt));
        }
      }
    })().finally(() => {
      connecting = undefined;
    });
    return connecting;
  };

  const waitFor = <T>(promise: Promise<T>, signal: AbortSignal): Promise<T> =>
    new Promise<T>((resolve, reject) => {
      if (signal.aborted) return reject(abortReason(signal));
      const onAbort = () => reject(abortReason(signal));
      signal.addEventListener('abort', onAbort, { once: true });
      promise.then(resolve, reject).finally(() => signal.removeEventListener('abort', onAbort));
    });

  return {
    async publish(topic, event, publishOptions): Promise<PublishReceipt> {
      const json = checkPublish(topic, event, publishOptions);
      if (closed) throw new AbortedError('The event bus is closed', { provider: 'rabbitmq', operation: 'publish' });
      const callerSignal = publishOptions?.signal;
      if (callerSignal?.aborted) throw abortReason(callerSignal);
      if (pending >= maxPending) {
        throw new RateLimitError(`${maxPending} publishes are already waiting for RabbitMQ`, { provider: 'rabbitmq', operation: 'publish' });
      }
      const id = publishOptions?.id ?? uuidv7();
      const deadline = new AbortController();
      const timer = setTimeout(
        () => deadline.abort(new TimeoutError(`RabbitMQ did not confirm the event within ${publishTimeoutMs} ms`, { provider: 'rabbitmq', operation: 'publish' })),
        publishTimeoutMs,
      );
      const signal = callerSignal ? AbortSignal.any([callerSignal, deadline.signal]) : deadline.signal;
      const content = Buffer.from(json, 'utf8');
      const properties = {
        persistent: true,
        messageId: id,
        contentType: 'application/json',
        headers: {
          ...publishOptions?.headers,
          ...(publishOptions?.key === undefined ? {} : { [HEADER_KEY]: publishOptions.key }),
          [HEADER_PUBLISHED_AT]: Date.now(),
        },
      };
      pending++;
      try {
        for (let attempt = 0; ; attempt++) {
          await waitFor(ensureConnected(), signal);
          try {
            await publishConfirmed(publisher as AmqpChannel, exchange, topic, content, properties, signal);
            return { id };
          } catch (error) {
            if (signal.aborted) throw abortReason(signal);
            // A programming error (bad arguments) would fail the same way every time.
            if (error instanceof TypeError) throw amqpError(error, 'publish');
            // Nacked, or the channel closed before the confirm: publish again (same id).
            logger.warn('rabbitmq publish not confirmed, retrying', { provider: 'rabbitmq', attempt, error: amqpError(error, 'publish').message });
            await sleep(backoff(attempt), signal);
          }
        }
      } finally {
        pending--;
        clearTimeout(timer);
      }
    },

    async subscribe<T>(topic: string, handler: EventHandler<T>, subscribeOptions: Parameters<EventBus['subscribe']>[2]): Promise<Subscription> {
      const settings = checkSubscribe(topic, handler, subscribeOptions);
      if (closed) throw new AbortedError('The event bus is closed', { provider: 'rabbitmq', operation: 'subscribe' });
      const member: Member = {
        topic,
        queue: `${exchange}.${topic}.${settings.group}`,
        handler: handler as EventHandler<unknown>,
        settings,
        controller: new AbortController(),
        channel: undefined,
      };
      await ensureConnected();
      // Joined before the consumer starts, so a reconnect meanwhile resumes it too.
      members.add(member);
      try {
        if (connection && !member.channel) await startConsumer(member, connection);
      } catch (error) {
        members.delete(member);
        throw amqpError(error, 'subscribe');
      }
      return {
        async close() {
          if (!members.delete(member)) return;
          member.controller.abort(new AbortedError('Subscription closed', { provider: 'rabbitmq', operation: 'subscribe' }));
          const channel = member.channel;
          member.channel = undefined;
          // Unacknowledged deliveries go back to the queue when the channel closes.
          await channel?.close().catch(() => undefined);
        },
      };
    },

    async close() {
      if (closed) return;
      closed = true;
      for (const member of members) {
        member.controller.abort(new AbortedError('Event bus closed', { provider: 'rabbitmq', operation: 'close' }));
        member.channel = undefined;
      }
      members.clear();
      const conn = connection;
      connection = undefined;
      publisher = undefined;
      await conn?.close().catch(() => undefined);
    },
  };
}
