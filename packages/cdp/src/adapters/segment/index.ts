/**
 * `@almanac/cdp/segment`: a collector sink that delivers to Segment's HTTP Tracking API
 * (`POST /v1/batch`), within its documented limits.
 *
 * @packageDocumentation
 */
import { createHash } from 'node:crypto';
import { ValidationError, createRedactor, parse, systemClock } from '@almanac/core';
import type { Clock, Logger } from '@almanac/core';
import { createHttpClient } from '@almanac/core/http';
import type { FetchLike } from '@almanac/core/http';
import type { RetryPolicy } from '@almanac/core/retry';
import * as z from '@almanac/core/schema';
import type { CdpMessage } from '../../messages/types';
import type { CdpSink, SinkRejection, SinkResult } from '../../spec';

export type { CdpMessage } from '../../messages/types';
export type { CdpSink, SinkDeliverOptions, SinkRejection, SinkResult } from '../../spec';

// Limits of the HTTP Tracking API ("Max request size"): 32 KB per message, 500 KB per batch
// request; larger ones get 400 Bad Request.
// https://www.twilio.com/docs/segment/connections/sources/catalog/libraries/server/http-api
/** Largest message Segment accepts, in bytes (32 KB). */
export const SEGMENT_MAX_MESSAGE_BYTES = 32 * 1024;
/** Largest batch request Segment accepts, in bytes (500 KB). */
export const SEGMENT_MAX_BATCH_BYTES = 500 * 1024;
const ENVELOPE_BYTES = 64; // {"batch":[...],"sentAt":"…"} around the messages

/** Options of {@link createSegmentSink}. */
export interface SegmentSinkOptions {
  /** The source's write key (sent as HTTP Basic user name; never logged or put in errors). */
  readonly writeKey: string;
  /** API origin. Default `https://api.segment.io` (EU workspaces: `https://events.eu1.segmentapis.com`). */
  readonly host?: string | undefined;
  /** Sink name, keying its position in the outbox. Default `segment`. */
  readonly name?: string | undefined;
  /** Most messages per request. Default 100. */
  readonly maxBatchSize?: number | undefined;
  /** Retry policy of each request (core's `withRetry`, honouring `Retry-After`). Default 5 attempts. */
  readonly retry?: RetryPolicy | undefined;
  /** Per-attempt timeout in ms. Default 15 000. */
  readonly timeoutMs?: number | undefined;
  /** Injectable `fetch`. */
  readonly fetch?: FetchLike | undefined;
  /** Clock of backoff sleeps. */
  readonly clock?: Clock | undefined;
  /** Debug lines of the HTTP client (redacted: the write key never appears). */
  readonly logger?: Logger | undefined;
}

const optionsSchema = z.object({
  writeKey: z.string().min(1, 'must not be empty'),
  host: z.url({ protocol: /^https?$/ }).optional(),
  name: z.string().min(1).optional(),
  maxBatchSize: z.number().int().min(1).max(2500).optional(),
  retry: z.custom<RetryPolicy>().optional(),
  timeoutMs: z.number().int().positive().optional(),
  fetch: z.custom<FetchLike>((value) => typeof value === 'function').optional(),
  clock: z.custom<Clock>().optional(),
  logger: z.custom<Logger>().optional(),
});

/** What {@link planSegmentBatches} returns. */
export interface SegmentBatchPlan {
  /** Requests to send, in order, each within 500 KB and `maxBatchSize` messages. */
  readonly batches: CdpMessage[][];
  /** Messages over 32 KB, refused without sending. */
  readonly oversize: SinkRejection[];
}

/** Splits messages into requests within Segment's byte limits; oversize messages are refused. */
export function planSegmentBatches(messages: readonly CdpMessage[], maxBatchSize: number): SegmentBatchPlan {
  const batches: CdpMessage[][] = [];
  const oversize: SinkRejection[] = [];
  let current: CdpMessage[] = [];
  let bytes = ENVELOPE_BYTES;
  for (const message of messages) {
    const size = Buffer.byteLength(JSON.stringify(message)) + 1;
    if (size > SEGMENT_MAX_MESSAGE_BYTES) {
      oversize.push({ messageId: message.messageId, reason: `message is ${size} bytes; Segment accepts at most 32 KB` });
      continue;
    }
    if (current.length > 0 && (bytes + size > SEGMENT_MAX_BATCH_BYTES || current.length >= maxBatchSize)) {
      batches.push(current);
      current = [];
      bytes = ENVELOPE_BYTES;
    }
    current.push(message);
    bytes += size;
  }
  if (current.length > 0) batches.push(current);
  return { batches, oversize };
}

/**
 * A sink that posts batches to Segment's `/v1/batch` with the write key as Basic auth. Each
 * request is retried with exponential backoff on 429/5xx and network failures, honouring
 * `Retry-After` (core's HTTP client): repeating it is safe because Segment deduplicates on
 * `messageId`. A 400 (Segment's answer to a malformed or oversize message) is narrowed down by
 * splitting the batch in halves, so only the offending messages are quarantined, with Segment's
 * reason; the others are delivered.
 *
 * @throws `ValidationError` for bad options (the write key is never quoted).
 */
export function createSegmentSink(options: SegmentSinkOptions): CdpSink {
  parse(optionsSchema, options, { path: 'options', operation: 'createSegmentSink' });
  const writeKey = options.writeKey;
  const maxBatchSize = options.maxBatchSize ?? 100;
  const clock = options.clock ?? systemClock;
  const http = createHttpClient({
    baseUrl: options.host ?? 'https://api.segment.io',
    provider: 'segment',
    auth: { scheme: 'Basic', getToken: async () => Buffer.from(`${writeKey}:`).toString('base64') },
    retry: options.retry ?? { maxAttempts: 5, baseDelayMs: 500, maxDelayMs: 30_000 },
    timeoutMs: options.timeoutMs ?? 15_000,
    fetch: options.fetch,
    clock: options.clock,
    logger: options.logger,
    userAgent: 'almanac-cdp',
    // The raw key too, not only the Basic token: a server may echo it back in an error body.
    redactor: createRedactor({ secrets: [writeKey] }),
  });

  async function post(batch: readonly CdpMessage[], signal: AbortSignal): Promise<void> {
    const ids = batch.map((message) => message.messageId);
    await http.post('/v1/batch', {
      json: { batch, sentAt: new Date(clock.now()).toISOString() },
      signal,
      responseType: 'text',
      // Segment deduplicates on messageId, so a repeated batch cannot count twice: this key is
      // what lets the client retry the POST.
      idempotencyKey: createHash('sha256').update(ids.join('\n')).digest('hex').slice(0, 32),
    });
  }

  async function send(batch: readonly CdpMessage[], signal: AbortSignal, rejected: SinkRejection[]): Promise<void> {
    try {
      await post(batch, signal);
    } catch (error) {
      if (!ValidationError.isInstance(error)) throw error;
      if (batch.length === 1) {
        rejected.push({ messageId: (batch[0] as CdpMessage).messageId, reason: `segment 400: ${error.message}` });
        return;
      }
      const half = Math.ceil(batch.length / 2);
      await send(batch.slice(0, half), signal, rejected);
      await send(batch.slice(half), signal, rejected);
    }
  }

  return {
    name: options.name ?? 'segment',
    maxBatchSize,
    async deliver(messages, { signal }): Promise<SinkResult> {
      const { batches, oversize } = planSegmentBatches(messages, maxBatchSize);
      const rejected: SinkRejection[] = [...oversize];
      for (const batch of batches) await send(batch, signal, rejected);
      return { rejected };
    },
  };
}
