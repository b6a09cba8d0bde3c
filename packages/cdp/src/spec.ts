/**
 * The contracts of `@almanac/cdp`: where messages wait ({@link Outbox}), where they go
 * ({@link CdpSink}), and the warehouse every store implements ({@link WarehouseProvider}).
 *
 * Rules every implementation follows:
 * - Every error comes from `@almanac/core`'s hierarchy; secrets (write keys, credentials) never
 *   appear in messages, logs or errors.
 * - Every network call takes an `AbortSignal` and honours it.
 * - Delivery is at least once: a sink may see a message twice after a crash, always with the same
 *   `messageId`, and must deduplicate on it (Segment and the warehouses do).
 */
import { defineCapabilityMethods } from '@almanac/core/kit';
import type { ProviderContract, SpecificationVersion } from '@almanac/core/kit';
import type { CdpMessage } from './messages/types';

/** One stored message and its position in the outbox. */
export interface OutboxRecord {
  /** Position: strictly increasing in append order, never reused. */
  readonly seq: number;
  /** The message. */
  readonly message: CdpMessage;
}

/**
 * Records of one {@link Outbox.readEncoded} call: the messages as the JSON text the outbox
 * stored, one per line, unparsed (a sink that hands JSON to an engine never parses them in JS).
 */
export interface EncodedBatch {
  /** How many messages `lines` holds. */
  readonly count: number;
  /** Sequence number of the last message (what to acknowledge); 0 when `count` is 0. */
  readonly lastSeq: number;
  /**
   * `JSON.stringify`-equivalent text of each message, in order, separated by `\n`. A line
   * break inside a message's JSON can only be whitespace between tokens, so it is given as a space.
   */
  readonly lines: string;
}

/** A message set aside instead of delivered, with why. */
export interface QuarantinedMessage {
  /** The message. */
  readonly message: CdpMessage;
  /** Who set it aside: `collector` (tracking plan) or the sink's name. */
  readonly by: string;
  /** Why, e.g. the tracking-plan issues or the provider's 400 reason. */
  readonly reason: string;
  /** When, ms since the epoch. */
  readonly atMs: number;
}

/** Counters of an outbox, for health checks. */
export interface OutboxStats {
  /** Messages appended and not yet acknowledged by every consumer. */
  readonly pending: number;
  /** Highest sequence number appended (0 when empty). */
  readonly lastSeq: number;
  /** Acknowledged position per consumer. */
  readonly acked: Readonly<Record<string, number>>;
  /** Records skipped on open because they were torn or failed their checksum. */
  readonly skippedRecords: number;
  /** Segment files currently on disk (0 for the memory outbox). */
  readonly segments: number;
}

/**
 * Where messages wait until every sink has them. `append` resolves only once the messages are
 * durable (for the file outbox: written and fsynced), so an acknowledged call survives a crash.
 * Each consumer (one per sink) reads from its own acknowledged position; a record is removed once
 * every registered consumer has acknowledged it.
 */
export interface Outbox {
  /** Kind, e.g. `file` or `memory`. */
  readonly kind: string;
  /** Declares the consumers whose acknowledgements gate removal (the collector's sink names). */
  registerConsumers(names: readonly string[]): Promise<void>;
  /**
   * Appends messages; resolves once they are durable. Returns their sequence numbers. `json`,
   * when given, is `JSON.stringify` of each message, already computed by the caller (the
   * collector measures every message), so a serialising outbox need not encode it again.
   */
  append(messages: readonly CdpMessage[], json?: readonly string[]): Promise<readonly number[]>;
  /**
   * Appends one message given only as its JSON text (`JSON.stringify` of a valid message);
   * resolves once it is durable. Optional: the collector uses it when present. The promise may
   * be shared by every append of the same group commit (nothing is allocated per call).
   */
  appendJson?(json: string): Promise<void>;
  /** Up to `max` records after `consumer`'s acknowledged position, in order. */
  read(consumer: string, max: number): Promise<readonly OutboxRecord[]>;
  /**
   * Like `read`, but the messages stay JSON text (see {@link EncodedBatch}). Optional: the
   * collector uses it when both the outbox and the sink ({@link CdpSink.deliverEncoded}) can.
   */
  readEncoded?(consumer: string, max: number): Promise<EncodedBatch>;
  /** Marks every record up to and including `seq` as delivered to `consumer` (durably). */
  ack(consumer: string, seq: number): Promise<void>;
  /** Stores messages that will never be delivered, with their reason (durably). */
  quarantine(entries: readonly QuarantinedMessage[]): Promise<void>;
  /** Everything quarantined so far, oldest first. */
  listQuarantined(): Promise<readonly QuarantinedMessage[]>;
  /** Counters. */
  stats(): OutboxStats;
  /** Flushes and releases files; later calls fail with `ConfigError`. */
  close(): Promise<void>;
}

/** A message a sink refused for good (e.g. Segment's 400), with the reason. */
export interface SinkRejection {
  /** The refused message's id. */
  readonly messageId: string;
  /** The provider's reason. */
  readonly reason: string;
}

/** What a sink reports for one delivered batch. */
export interface SinkResult {
  /** Messages refused for good; everything else in the batch was accepted. */
  readonly rejected: readonly SinkRejection[];
}

/** Options of {@link CdpSink.deliver}. */
export interface SinkDeliverOptions {
  /** Aborts the delivery. */
  readonly signal: AbortSignal;
}

/**
 * A destination of messages. `deliver` either accepts the batch (possibly refusing some messages
 * for good, reported in `rejected`) or throws, in which case the whole batch is delivered again
 * later. It may receive a message again after a crash, always with the same `messageId`.
 */
export interface CdpSink {
  /** Unique name; it keys the sink's position in the outbox, so keep it stable across restarts. */
  readonly name: string;
  /** Largest batch the sink wants (messages). */
  readonly maxBatchSize?: number | undefined;
  /** Delivers one batch, in outbox order. */
  deliver(messages: readonly CdpMessage[], options: SinkDeliverOptions): Promise<SinkResult>;
  /**
   * Delivers one batch given as the outbox's JSON text, unparsed; same contract as `deliver`.
   * Optional: a sink that can hand JSON straight to its destination saves parsing every message.
   */
  deliverEncoded?(batch: EncodedBatch, options: SinkDeliverOptions): Promise<SinkResult>;
}

/** The SQL dialects audiences and RFM summaries compile to. */
export type SqlDialect = 'duckdb' | 'bigquery';

/** Version of the warehouse tables; stored in the `cdp_meta` table and checked on open. */
export const WAREHOUSE_SCHEMA_VERSION = 1;

/** One row of the `events` table. */
export interface EventRow {
  /** Segment `messageId`: the primary key, so a redelivery is a no-op. */
  readonly messageId: string;
  /** Call type. */
  readonly type: string;
  /** Event name (`track`), page name (`page`) or null. */
  readonly event: string | null;
  /** Resolved profile id (user id, else anonymous id). */
  readonly profileId: string;
  /** User id, if any. */
  readonly userId: string | null;
  /** Anonymous id, if any. */
  readonly anonymousId: string | null;
  /** Event time, ms since the epoch. */
  readonly timestampMs: number;
  /** Numeric `properties.revenue`, else null. */
  readonly revenue: number | null;
  /** Properties (or traits) as JSON text. */
  readonly properties: string;
}

/** One row of the `profiles` table. */
export interface ProfileRow {
  /** Profile id. */
  readonly profileId: string;
  /** Traits as JSON text (the golden record). */
  readonly traits: string;
  /** Last update, ms since the epoch. */
  readonly updatedMs: number;
}

/** One row of the `identities` table: an id of some type that belongs to a profile. */
export interface IdentityRow {
  /** Profile id. */
  readonly profileId: string;
  /** Id type, e.g. `user_id`, `anonymous_id`, `email`, `discord`. */
  readonly idType: string;
  /** The id. */
  readonly idValue: string;
}

/** One row of the `predictions` table. */
export interface PredictionRow {
  /** Profile id. */
  readonly profileId: string;
  /** P(churn) in [0, 1]; null when the model cannot score the customer (one-time buyers under BG/NBD). */
  readonly churnProbability: number | null;
  /** `low`, `medium`, `high` or `one-time`. */
  readonly churnCategory: string;
  /** Expected purchases over the horizon. */
  readonly expectedPurchases: number;
  /** Predicted lifetime value over the horizon. */
  readonly predictedLtv: number;
  /** LTV segment, e.g. `top`, `high`, `medium`, `low`. */
  readonly ltvSegment: string;
  /** When computed, ms since the epoch. */
  readonly computedMs: number;
}

/** Rows to load, by table. */
export interface WarehouseLoad {
  /** Events (deduplicated on `messageId`). */
  readonly events?: readonly EventRow[] | undefined;
  /** Profiles (replaced by `profileId`). */
  readonly profiles?: readonly ProfileRow[] | undefined;
  /** Identities (deduplicated on all three columns). */
  readonly identities?: readonly IdentityRow[] | undefined;
  /** Predictions (replaced by `profileId`). */
  readonly predictions?: readonly PredictionRow[] | undefined;
}

/** Input of {@link WarehouseProvider.loadMessageLines}. */
export interface MessageLinesLoad {
  /** Messages as JSON text, one per line. */
  readonly lines: string;
  /** Identity rows computed by the caller (observations beyond the user and anonymous ids). */
  readonly identities: readonly IdentityRow[];
}

/** A parameterised statement: SQL text with placeholders, and the values bound to them. */
export interface SqlQuery {
  /** SQL with `$name` (DuckDB) or `@name` (BigQuery) placeholders only; never inlined values. */
  readonly sql: string;
  /** Values by placeholder name. */
  readonly params: Readonly<Record<string, string | number | boolean | null>>;
}

/** Cancellation common to every warehouse call. */
export interface WarehouseCallOptions {
  /** Aborts the call. */
  readonly signal?: AbortSignal | undefined;
}

/** What a warehouse supports beyond the required calls. */
export interface WarehouseCapabilities {
  /** Validating a query and estimating its cost without running it (`dryRun`). */
  readonly dryRun: boolean;
}

/** Name of one warehouse capability. */
export type WarehouseCapability = keyof WarehouseCapabilities;

/** What a dry run reports. */
export interface DryRunResult {
  /** Bytes the query would process, when the warehouse says. */
  readonly totalBytesProcessed?: number | undefined;
}

/**
 * What a warehouse adapter implements: the same four tables (`events`, `profiles`,
 * `identities`, `predictions`, schema {@link WAREHOUSE_SCHEMA_VERSION}) on every engine, batched
 * loads, and parameterised queries only.
 */
export interface WarehouseProvider extends ProviderContract {
  /** Provider name, e.g. `duckdb`. */
  readonly name: string;
  /** `'v1'`. */
  readonly specificationVersion: SpecificationVersion;
  /** Optional features. */
  readonly capabilities: WarehouseCapabilities;
  /** SQL dialect queries must be compiled to. */
  readonly dialect: SqlDialect;
  /** How a schema table is named in SQL, e.g. `events` or `` `project.dataset.events` ``. */
  qualify(table: 'events' | 'profiles' | 'identities' | 'predictions'): string;
  /** Creates the tables when missing; `ConfigError` when they exist at another schema version. */
  ensureSchema(options?: WarehouseCallOptions): Promise<void>;
  /** Loads rows in batches; idempotent (see {@link WarehouseLoad}). */
  load(rows: WarehouseLoad, options?: WarehouseCallOptions): Promise<void>;
  /**
   * Loads messages given as JSON text (one per line, see {@link EncodedBatch}): one `events` row
   * each (deduplicated on `messageId`) and their `user_id`/`anonymous_id` identities, plus the
   * `identities` rows given, all in one transaction. Resolves false, having loaded nothing,
   * when a message needs the JS path (the caller then parses and calls `load`). Optional.
   */
  loadMessageLines?(batch: MessageLinesLoad, options?: WarehouseCallOptions): Promise<boolean>;
  /** Runs a parameterised query and returns plain rows (numbers as JS numbers). */
  query(query: SqlQuery, options?: WarehouseCallOptions): Promise<readonly Record<string, unknown>[]>;
  /** Validates a query without running it (`dryRun`). */
  dryRun?(query: SqlQuery, options?: WarehouseCallOptions): Promise<DryRunResult>;
  /** Releases connections. */
  close(): Promise<void>;
}

/** Optional warehouse methods each capability needs. */
export const WAREHOUSE_CAPABILITY_METHODS = defineCapabilityMethods<WarehouseProvider>()({
  /** `dryRun` needs the `dryRun` method. */
  dryRun: ['dryRun'],
});
