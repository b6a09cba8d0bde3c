import type { Clock, Logger } from '@almanac/core';
import { createOperationRunner } from '@almanac/core/kit';
import type { CapabilitySupport, OperationAuditEvent } from '@almanac/core/kit';
import * as z from '@almanac/core/schema';
import { WAREHOUSE_CAPABILITY_METHODS } from '../spec';
import type {
  DryRunResult,
  MessageLinesLoad,
  SqlDialect,
  SqlQuery,
  WarehouseCapabilities,
  WarehouseCapability,
  WarehouseLoad,
  WarehouseProvider,
} from '../spec';

/** Options of {@link createWarehouse}. */
export interface WarehouseOptions {
  /** Deadline of each operation in ms. Default 300 000 (loads and model queries are long). */
  readonly timeoutMs?: number | undefined;
  /** Clock of deadlines and durations. */
  readonly clock?: Clock | undefined;
  /** Diagnostics. */
  readonly logger?: Logger | undefined;
  /** One event per operation (duration, outcome, error code). */
  readonly onAudit?: ((event: OperationAuditEvent) => void) | undefined;
}

/** Per-call options. */
export interface WarehouseOperationOptions {
  /** Aborts the call (`AbortedError`). */
  readonly signal?: AbortSignal | undefined;
  /** Deadline of this call in ms (`TimeoutError`). */
  readonly timeoutMs?: number | undefined;
}

/**
 * The warehouse facade: the same calls over DuckDB or BigQuery, validated, bounded by deadlines,
 * mapped to core's errors and reported as one span and one audit event per operation.
 */
export interface Warehouse {
  /** Provider name. */
  readonly name: string;
  /** The adapter behind the facade. */
  readonly provider: WarehouseProvider;
  /** The SQL dialect queries compile to. */
  readonly dialect: SqlDialect;
  /** What the provider declares. */
  readonly capabilities: WarehouseCapabilities;
  /** How a schema table is named in this warehouse's SQL. */
  qualify(table: 'events' | 'profiles' | 'identities' | 'predictions'): string;
  /** Whether a capability is usable. */
  supports(capability: WarehouseCapability): boolean;
  /** How each capability is served. Frozen. */
  describeCapabilities(): Readonly<Record<WarehouseCapability, CapabilitySupport>>;
  /** Creates the tables when missing (`ConfigError` at another schema version). */
  ensureSchema(options?: WarehouseOperationOptions): Promise<void>;
  /** Loads rows in batches; idempotent. */
  load(rows: WarehouseLoad, options?: WarehouseOperationOptions): Promise<void>;
  /**
   * Loads messages given as JSON lines when the provider can (see
   * {@link WarehouseProvider.loadMessageLines}): false, having loaded nothing, when it cannot or
   * a message needs `load`. Optional on hand-made warehouses; the facade always has it.
   */
  loadMessageLines?(batch: MessageLinesLoad, options?: WarehouseOperationOptions): Promise<boolean>;
  /** Runs a parameterised query. */
  query(query: SqlQuery, options?: WarehouseOperationOptions): Promise<readonly Record<string, unknown>[]>;
  /** Validates a query without running it (needs `dryRun`). */
  dryRun(query: SqlQuery, options?: WarehouseOperationOptions): Promise<DryRunResult>;
  /** Releases the provider's connections. */
  close(): Promise<void>;
}

const callSchema = z.object({ signal: z.custom<AbortSignal>().optional(), timeoutMs: z.number().int().positive().optional() }).optional();
const paramValue = z.union([z.string(), z.number().refine(Number.isFinite, 'must be finite'), z.boolean(), z.null()]);
const querySchema = z.object({
  query: z.object({
    sql: z.string().min(1, 'must not be empty'),
    params: z.record(z.string().regex(/^[A-Za-z_][A-Za-z0-9_]*$/, 'parameter names are identifiers'), paramValue),
  }),
  options: callSchema,
});
// Rows are checked for shape only (an array of objects): loads carry tens of thousands of rows
// built by this package, and per-field validation per row would cost more than the load itself.
const rowsArray = z
  .custom<readonly Record<string, unknown>[]>(
    (value) => Array.isArray(value) && value.every((row) => typeof row === 'object' && row !== null && !Array.isArray(row)),
    'must be an array of row objects',
  )
  .optional();
const loadSchema = z.object({
  rows: z.object({ events: rowsArray, profiles: rowsArray, identities: rowsArray, predictions: rowsArray }),
  options: callSchema,
});
const linesSchema = z.object({ batch: z.object({ lines: z.string(), identities: rowsArray.unwrap() }), options: callSchema });
const noInput = z.object({ options: callSchema });

/**
 * Wraps a warehouse adapter in the {@link Warehouse} facade (core's operation runner).
 *
 * @throws `ConfigError` when `provider` is not a v1 warehouse provider.
 */
export function createWarehouse(provider: WarehouseProvider, options: WarehouseOptions = {}): Warehouse {
  const runner = createOperationRunner({
    domain: 'cdp',
    provider,
    capabilityMethods: WAREHOUSE_CAPABILITY_METHODS,
    defaultTimeoutMs: 300_000,
    timeoutMs: options.timeoutMs,
    clock: options.clock,
    logger: options.logger,
    onAudit: options.onAudit,
  });
  const support = Object.freeze({ dryRun: runner.supports('dryRun') ? 'native' : false }) as Readonly<Record<WarehouseCapability, CapabilitySupport>>;
  return Object.freeze({
    name: provider.name,
    provider,
    dialect: provider.dialect,
    capabilities: provider.capabilities,
    qualify: (table: 'events' | 'profiles' | 'identities' | 'predictions') => provider.qualify(table),
    supports: (capability: WarehouseCapability) => runner.supports(capability),
    describeCapabilities: () => support,
    ensureSchema: (call?: WarehouseOperationOptions) =>
      runner.run('ensureSchema', { options: call }, noInput, (_input, { signal }) => provider.ensureSchema({ signal }), {
        signal: call?.signal,
        timeoutMs: call?.timeoutMs,
        idempotent: true,
      }),
    load: (rows: WarehouseLoad, call?: WarehouseOperationOptions) =>
      runner.run(
        'load',
        { rows, options: call },
        loadSchema,
        (_input, { signal, annotate }) => {
          annotate({ events: rows.events?.length ?? 0, profiles: rows.profiles?.length ?? 0 });
          return provider.load(rows, { signal });
        },
        { signal: call?.signal, timeoutMs: call?.timeoutMs, idempotent: true },
      ),
    loadMessageLines: (batch: MessageLinesLoad, call?: WarehouseOperationOptions) =>
      runner.run(
        'loadMessageLines',
        { batch, options: call },
        linesSchema,
        (_input, { signal }) => (provider.loadMessageLines ? provider.loadMessageLines(batch, { signal }) : Promise.resolve(false)),
        { signal: call?.signal, timeoutMs: call?.timeoutMs, idempotent: true },
      ),
    query: (query: SqlQuery, call?: WarehouseOperationOptions) =>
      runner.run('query', { query, options: call }, querySchema, (input, { signal }) => provider.query(input.query, { signal }), {
        signal: call?.signal,
        timeoutMs: call?.timeoutMs,
        idempotent: true,
      }),
    dryRun: (query: SqlQuery, call?: WarehouseOperationOptions) =>
      runner.run(
        'dryRun',
        { query, options: call },
        querySchema,
        (input, { signal }) => runner.require('dryRun', 'dryRun').dryRun(input.query, { signal }),
        { signal: call?.signal, timeoutMs: call?.timeoutMs, idempotent: true, capability: 'dryRun' },
      ),
    close: () => provider.close(),
  });
}
