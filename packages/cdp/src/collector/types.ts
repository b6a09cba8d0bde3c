import type { Clock, Logger, StandardSchemaV1 } from '@almanac/core';
import type {
  AliasMessage,
  CallInput,
  CdpMessage,
  GroupMessage,
  IdentifyMessage,
  PageMessage,
  TrackMessage,
} from '../messages/types';
import type { CdpSink, Outbox, QuarantinedMessage } from '../spec';

/**
 * Schemas per event name that `track` properties must satisfy (any Standard Schema validator:
 * zod, valibot, arktype…), and what happens to a violation.
 */
export interface TrackingPlan {
  /** Properties schema per event name. */
  readonly events: Readonly<Record<string, StandardSchemaV1>>;
  /**
   * `reject`: the call throws `ValidationError` naming the fields and nothing is stored.
   * `quarantine`: the message is stored in the outbox's quarantine with the reason, never
   * delivered, and the call resolves with `status: 'quarantined'`.
   */
  readonly policy: 'reject' | 'quarantine';
  /** Whether events missing from `events` are accepted. Default `false` (a violation). */
  readonly allowUnplannedEvents?: boolean | undefined;
}

/** Options of `createCollector`. */
export interface CollectorOptions {
  /** Where messages wait until delivered (`createFileOutbox` or `createMemoryOutbox`). */
  readonly outbox: Outbox;
  /** Where messages go; each keeps its own position in the outbox (names must be unique). */
  readonly sinks: readonly CdpSink[];
  /** Optional per-event property schemas. */
  readonly trackingPlan?: TrackingPlan | undefined;
  /** Source of timestamps and of delivery backoff sleeps. Default the system clock. */
  readonly clock?: Clock | undefined;
  /** Messages read from the outbox per delivery, at most the sink's `maxBatchSize`. Default 100. */
  readonly batchSize?: number | undefined;
  /** Deliver in the background every this many ms (0 = only on `flush()`). Default 0. */
  readonly flushIntervalMs?: number | undefined;
  /** Diagnostics: delivery failures at warn level (sink, error code; never message contents). */
  readonly logger?: Logger | undefined;
}

/** Per-call options. */
export interface CollectorCallOptions {
  /** Aborts waiting for durability (the message may still be stored). */
  readonly signal?: AbortSignal | undefined;
}

/** What a call resolves with, once the message is durable. */
export interface CollectResult {
  /** The message id (the caller's or a new UUID v7). */
  readonly messageId: string;
  /** `accepted` (stored for delivery) or `quarantined` (tracking-plan violation, never delivered). */
  readonly status: 'accepted' | 'quarantined';
}

/** Outcome of a flush for one sink. */
export interface SinkFlushReport {
  /** Sink name. */
  readonly sink: string;
  /** Messages the sink accepted. */
  readonly delivered: number;
  /** Messages it refused for good (now in quarantine). */
  readonly quarantined: number;
  /** The error that stopped delivery to it (messages stay in the outbox), if any. */
  readonly error?: Error | undefined;
}

/** Outcome of `flush()`. */
export interface FlushReport {
  /** One entry per sink, in the order of `sinks`. */
  readonly sinks: readonly SinkFlushReport[];
}

/** Options of `flush()`. */
export interface FlushOptions {
  /** Aborts delivery between batches and inside the sink call. */
  readonly signal?: AbortSignal | undefined;
}

/**
 * Collects Segment-spec messages: validates them, gives each a `messageId` and a timestamp,
 * stores them durably in the outbox, and delivers them to every sink at least once.
 */
export interface Collector {
  /** Records who a user is. */
  identify(input: CallInput<IdentifyMessage>, options?: CollectorCallOptions): Promise<CollectResult>;
  /** Records an action. */
  track(input: CallInput<TrackMessage>, options?: CollectorCallOptions): Promise<CollectResult>;
  /** Records a page view. */
  page(input: CallInput<PageMessage>, options?: CollectorCallOptions): Promise<CollectResult>;
  /** Records group membership. */
  group(input: CallInput<GroupMessage>, options?: CollectorCallOptions): Promise<CollectResult>;
  /** Records that `previousId` and `userId` are the same user. */
  alias(input: CallInput<AliasMessage>, options?: CollectorCallOptions): Promise<CollectResult>;
  /** Delivers everything pending to every sink; resolves when done or when a sink failed. */
  flush(options?: FlushOptions): Promise<FlushReport>;
  /** Stops background delivery, runs a last flush, and closes the outbox. */
  close(options?: FlushOptions): Promise<FlushReport>;
  /** Everything quarantined (tracking-plan violations and sink refusals). */
  listQuarantined(): Promise<readonly QuarantinedMessage[]>;
}

export type { CdpMessage };
