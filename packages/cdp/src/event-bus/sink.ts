import { ValidationError } from '@almanac/core';
import type { ValidationIssue } from '@almanac/core';
import type { EventBus } from '@almanac/core/events';
import type { CdpMessage } from '../messages/types';
import type { CdpSink, SinkRejection } from '../spec';
import { profileKey } from '../warehouse/rows';

/** Options of {@link createEventBusSink}. */
export interface EventBusSinkOptions {
  /** Topic the messages are published to. Default `cdp.messages`. */
  readonly topic?: string | undefined;
  /** Sink name (its position in the outbox; keep it stable). Default `event-bus:<topic>`. */
  readonly name?: string | undefined;
  /** Most messages per delivery. Default 500. */
  readonly maxBatchSize?: number | undefined;
}

// The bus's own rule for topic names (checked again by every publish).
const TOPIC = /^[A-Za-z0-9][A-Za-z0-9._-]{0,199}$/;

function checkOptions(bus: unknown, options: EventBusSinkOptions): void {
  const issues: ValidationIssue[] = [];
  if (typeof bus !== 'object' || bus === null || typeof (bus as EventBus).publish !== 'function') issues.push({ path: 'bus', message: 'must be an EventBus (with publish)' });
  if (typeof options !== 'object' || options === null) issues.push({ path: 'options', message: 'must be an object' });
  else {
    const { topic, name, maxBatchSize } = options;
    if (topic !== undefined && (typeof topic !== 'string' || !TOPIC.test(topic))) {
      issues.push({ path: 'options.topic', message: 'must be 1-200 letters, digits, ".", "_" or "-", starting with a letter or digit' });
    }
    if (name !== undefined && (typeof name !== 'string' || name.length === 0 || name.length > 200)) issues.push({ path: 'options.name', message: 'must be 1-200 characters' });
    if (maxBatchSize !== undefined && !(Number.isInteger(maxBatchSize) && maxBatchSize >= 1 && maxBatchSize <= 100_000)) {
      issues.push({ path: 'options.maxBatchSize', message: 'must be an integer from 1 to 100000' });
    }
  }
  if (issues.length > 0) throw new ValidationError(undefined, issues, { operation: 'createEventBusSink' });
}

/**
 * A collector sink that publishes every message to an `@almanac/core/events` `EventBus`
 * (the memory bus, or RabbitMQ's with publisher confirms): one event per message, event id =
 * `messageId`, key = the profile key (user id, else anonymous id), header `cdp-type` = the call
 * type, payload = the message as stored in the outbox.
 *
 * At least once, with the outbox's semantics: a batch is acknowledged in the outbox only after
 * every `publish` of it resolved (the bus holds the events); if any publish fails, the whole batch
 * stays in the outbox and is published again on the next flush, so subscribers may see an event
 * twice, always with the same id, and deduplicate on `event.id`. A message the bus refuses as
 * invalid (`ValidationError`, e.g. a caller-supplied `messageId` longer than the bus's 200
 * characters) would fail every retry, so it is quarantined with the reason instead of blocking
 * the messages behind it.
 *
 * @throws `ValidationError` for bad options.
 */
export function createEventBusSink(bus: EventBus, options: EventBusSinkOptions = {}): CdpSink {
  checkOptions(bus, options);
  const topic = options.topic ?? 'cdp.messages';
  return {
    name: options.name ?? `event-bus:${topic}`,
    maxBatchSize: options.maxBatchSize ?? 500,
    async deliver(messages: readonly CdpMessage[], { signal }) {
      // Every publish is started in outbox order (the bus stores them in that order), then all are
      // awaited, so one slow confirm does not serialise the batch.
      const outcomes = await Promise.allSettled(
        messages.map((message) => bus.publish(topic, message, { id: message.messageId, key: profileKey(message), headers: { 'cdp-type': message.type }, signal })),
      );
      const rejected: SinkRejection[] = [];
      let failure: unknown;
      outcomes.forEach((outcome, i) => {
        if (outcome.status === 'fulfilled') return;
        if (ValidationError.isInstance(outcome.reason)) {
          const issues = outcome.reason.issues.map((issue) => `${issue.path}: ${issue.message}`).join('; ');
          rejected.push({ messageId: (messages[i] as CdpMessage).messageId, reason: `event bus refused the message: ${issues || outcome.reason.message}` });
        } else failure ??= outcome.reason;
      });
      if (failure !== undefined) throw failure;
      return { rejected };
    },
  };
}
