import { AlmanacError, ConfigError, ValidationError, parse, silentLogger, systemClock, toValidationIssues } from '@almanac/core';
import type { Clock, Logger, StandardSchemaV1 } from '@almanac/core';
import * as z from '@almanac/core/schema';
import { obviouslyValid } from '../messages/fast-check';
import { createMessageIds } from '../messages/ids';
import { callSchemas } from '../messages/schemas';
import type { CdpMessage, CdpMessageType } from '../messages/types';
import type { CdpSink, Outbox, SinkRejection } from '../spec';
import type { CollectResult, Collector, CollectorOptions, FlushReport, SinkFlushReport, TrackingPlan } from './types';

// Segment refuses messages over 32 KB (HTTP API "Max request size",
// https://www.twilio.com/docs/segment/connections/sources/catalog/libraries/server/http-api);
// refusing them here keeps undeliverable messages out of the outbox.
const MAX_MESSAGE_BYTES = 32 * 1024;
const DEFAULT_BATCH = 100;
// The signal of deliveries nobody can cancel (close()'s last flush runs after the stopper aborted).
const NEVER_ABORTED = new AbortController().signal;

const optionsSchema = z.object({
  outbox: z.custom<Outbox>((value) => typeof value === 'object' && value !== null && typeof (value as Outbox).append === 'function', 'must be an outbox'),
  sinks: z
    .array(
      z.custom<CdpSink>(
        (value) => typeof value === 'object' && value !== null && typeof (value as CdpSink).deliver === 'function' && typeof (value as CdpSink).name === 'string',
        'must be a sink with a name and deliver()',
      ),
    )
    .refine((sinks) => new Set(sinks.map((sink) => sink.name)).size === sinks.length, 'sink names must be unique'),
  trackingPlan: z
    .object({ events: z.record(z.string(), z.custom<StandardSchemaV1>()), policy: z.enum(['reject', 'quarantine']), allowUnplannedEvents: z.boolean().optional() })
    .optional(),
  clock: z.custom<Clock>((value) => typeof value === 'object' && value !== null && typeof (value as Clock).now === 'function').optional(),
  batchSize: z.number().int().min(1).max(100_000).optional(),
  flushIntervalMs: z.number().int().min(0).optional(),
  logger: z.custom<Logger>().optional(),
});

function planViolation(plan: TrackingPlan, message: CdpMessage): string | undefined {
  if (message.type !== 'track') return undefined;
  const schema = plan.events[message.event];
  if (!schema) return plan.allowUnplannedEvents ? undefined : `event "${message.event}" is not in the tracking plan`;
  const result = schema['~standard'].validate(message.properties ?? {});
  if (result instanceof Promise) return 'tracking-plan schemas must be synchronous';
  if (!result.issues) return undefined;
  return toValidationIssues(result, 'properties')
    .map((issue) => `${issue.path}: ${issue.message}`)
    .join('; ');
}

/**
 * Creates a collector. Each call validates its input against the Segment spec (`ValidationError`
 * naming the field), checks the tracking plan, fills `messageId` (kept when supplied, a UUID v7
 * otherwise) and `timestamp` (from `clock`), and resolves once the message is durable in the
 * outbox. Delivery (on `flush()`, or every `flushIntervalMs`) reads each sink's pending messages
 * in order, hands them over in batches, acknowledges what the sink took and quarantines what it
 * refused for good; a sink that throws keeps its messages for the next flush.
 *
 * @throws `ValidationError` for bad options.
 */
export async function createCollector(options: CollectorOptions): Promise<Collector> {
  parse(optionsSchema, options, { path: 'options', operation: 'createCollector' });
  const { outbox, sinks, trackingPlan } = options;
  const clock = options.clock ?? systemClock;
  const logger = options.logger ?? silentLogger;
  const batchSize = options.batchSize ?? DEFAULT_BATCH;
  await outbox.registerConsumers(sinks.map((sink) => sink.name));

  const newMessageId = createMessageIds();
  let closed = false;
  let chain: Promise<unknown> = Promise.resolve();
  const stopper = new AbortController();

  // Calls arrive thousands per millisecond: the ISO text of the clock's millisecond is reused.
  let stampMs = Number.NaN;
  let stampText = '';
  const now = (): string => {
    const ms = clock.now();
    if (ms !== stampMs) {
      stampText = new Date(ms).toISOString();
      stampMs = ms;
    }
    return stampText;
  };

  // Not async: a plain call costs one promise (the outbox's group commit), not three.
  function collect(type: CdpMessageType, input: unknown): Promise<CollectResult> {
    try {
      if (closed) throw new ConfigError('the collector is closed', [{ path: 'collector', message: 'closed' }]);
      const parsed = (obviouslyValid(type, input) ? input : parse(callSchemas[type], input, { path: 'input', operation: type })) as Record<string, unknown>;
      // One copy: defined fields (as zod's output would have them), then the filled-in ones.
      const message = {} as Record<string, unknown>;
      for (const key in parsed) if (parsed[key] !== undefined) message[key] = parsed[key];
      const stamp = parsed['timestamp'];
      const messageId = (parsed['messageId'] as string | undefined) ?? newMessageId();
      message['type'] = type;
      message['messageId'] = messageId;
      message['timestamp'] = stamp instanceof Date ? stamp.toISOString() : stamp ? new Date(stamp as string).toISOString() : now();
      const json = JSON.stringify(message);
      // UTF-8 takes at most 3 bytes per UTF-16 unit, so short texts need no exact count.
      const bytes = json.length * 3 <= MAX_MESSAGE_BYTES ? json.length : Buffer.byteLength(json);
      if (bytes > MAX_MESSAGE_BYTES) {
        throw new ValidationError(undefined, [{ path: 'input', message: `encodes to ${bytes} bytes; Segment accepts at most 32 KB per message` }], { operation: type });
      }
      const violation = trackingPlan ? planViolation(trackingPlan, message as unknown as CdpMessage) : undefined;
      if (violation !== undefined) {
        if (trackingPlan?.policy === 'reject') {
          throw new ValidationError(`tracking plan: ${violation}`, [{ path: 'input.properties', message: violation }], { operation: type });
        }
        const quarantined: CollectResult = { messageId, status: 'quarantined' };
        return outbox
          .quarantine([{ message: message as unknown as CdpMessage, by: 'collector', reason: `tracking plan: ${violation}`, atMs: clock.now() }])
          .then(() => quarantined);
      }
      const accepted: CollectResult = { messageId, status: 'accepted' };
      // One promise per call: the outbox's group promise (when it has appendJson) settles it.
      if (outbox.appendJson) return outbox.appendJson(json).then(() => accepted);
      return outbox.append([message as unknown as CdpMessage], [json]).then(() => accepted);
    } catch (error) {
      return Promise.reject(error);
    }
  }

  async function quarantineRejected(sink: CdpSink, messages: readonly CdpMessage[], rejected: readonly SinkRejection[]): Promise<void> {
    const byId = new Map(messages.map((message) => [message.messageId, message]));
    await outbox.quarantine(
      rejected.flatMap((rejection) => {
        const message = byId.get(rejection.messageId);
        return message ? [{ message, by: sink.name, reason: rejection.reason, atMs: clock.now() }] : [];
      }),
    );
  }

  async function deliverTo(sink: CdpSink, signal: AbortSignal | undefined): Promise<SinkFlushReport> {
    let delivered = 0;
    let quarantined = 0;
    const max = Math.min(batchSize, sink.maxBatchSize ?? batchSize);
    try {
      // Outbox and sink both take JSON text: no message is parsed on the way (the sink's engine does it).
      if (outbox.readEncoded && sink.deliverEncoded) {
        for (;;) {
          signal?.throwIfAborted();
          const batch = await outbox.readEncoded(sink.name, max);
          if (batch.count === 0) break;
          const result = await sink.deliverEncoded(batch, { signal: signal ?? NEVER_ABORTED });
          if (result.rejected.length > 0) await quarantineRejected(sink, batch.lines.split('\n').map((line) => JSON.parse(line) as CdpMessage), result.rejected);
          await outbox.ack(sink.name, batch.lastSeq);
          quarantined += result.rejected.length;
          delivered += batch.count - result.rejected.length;
        }
        return { sink: sink.name, delivered, quarantined };
      }
      for (;;) {
        signal?.throwIfAborted();
        const records = await outbox.read(sink.name, max);
        if (records.length === 0) break;
        const messages = records.map((record) => record.message);
        const result = await sink.deliver(messages, { signal: signal ?? NEVER_ABORTED });
        if (result.rejected.length > 0) await quarantineRejected(sink, messages, result.rejected);
        await outbox.ack(sink.name, (records[records.length - 1] as { seq: number }).seq);
        quarantined += result.rejected.length;
        delivered += records.length - result.rejected.length;
      }
      return { sink: sink.name, delivered, quarantined };
    } catch (error) {
      const code = AlmanacError.isInstance(error) ? error.code : 'unknown';
      logger.warn('cdp delivery stopped', { sink: sink.name, code });
      return { sink: sink.name, delivered, quarantined, error: error instanceof Error ? error : new Error(String(error)) };
    }
  }

  function flush(signal?: AbortSignal): Promise<FlushReport> {
    // One delivery at a time: a second flush waits for the running one, then runs.
    const run = chain.then(async () => ({ sinks: await Promise.all(sinks.map((sink) => deliverTo(sink, signal))) }));
    chain = run.catch(() => undefined);
    return run;
  }

  if ((options.flushIntervalMs ?? 0) > 0) {
    void (async () => {
      while (!stopper.signal.aborted) {
        try {
          await clock.sleep(options.flushIntervalMs as number, stopper.signal);
          await flush(stopper.signal);
        } catch {
          // Aborted by close(); failures are in the flush report and the logger.
        }
      }
    })();
  }

  return {
    identify: (input) => collect('identify', input),
    track: (input) => collect('track', input),
    page: (input) => collect('page', input),
    group: (input) => collect('group', input),
    alias: (input) => collect('alias', input),
    flush: (flushOptions) => flush(flushOptions?.signal),
    async close(closeOptions) {
      closed = true;
      stopper.abort();
      const report = await flush(closeOptions?.signal);
      await outbox.close();
      return report;
    },
    listQuarantined: () => outbox.listQuarantined(),
  };
}
