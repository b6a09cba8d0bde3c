/**
 * `@almanac/cdp/bigquery`: the warehouse on Google BigQuery (`@google-cloud/bigquery`, an
 * optional peer loaded on first use), with the same schema as the embedded DuckDB warehouse.
 *
 * @packageDocumentation
 */
import { ConfigError, errorForStatus, parse } from '@almanac/core';
import { SPECIFICATION_VERSION, callProvider, createPeerLoader } from '@almanac/core/kit';
import type { RetryPolicy } from '@almanac/core/retry';
import * as z from '@almanac/core/schema';
import type { SqlQuery, WarehouseLoad, WarehouseProvider } from '../../spec';
import { WAREHOUSE_SCHEMA_VERSION } from '../../spec';
import { createTableStatements, TABLES } from '../../warehouse/ddl';
import type { TableName } from '../../warehouse/ddl';
import { createWarehouse } from '../../warehouse/facade';
import type { Warehouse, WarehouseOptions } from '../../warehouse/facade';

export type { Warehouse, WarehouseOperationOptions, WarehouseOptions } from '../../warehouse/facade';
export type { DryRunResult, SqlDialect, SqlQuery, WarehouseCallOptions, WarehouseCapabilities, WarehouseCapability, WarehouseLoad, WarehouseProvider } from '../../spec';
export type { TableName } from '../../warehouse/ddl';


/** Options of one BigQuery query call (the subset of the SDK's `Query` the adapter sets). */
export interface BigQueryQueryOptions {
  /** GoogleSQL text with `@name` parameters. */
  readonly query: string;
  /** Named parameter values. */
  readonly params?: Readonly<Record<string, unknown>> | undefined;
  /** Parameter types, for nulls and arrays of structs. */
  readonly types?: Readonly<Record<string, unknown>> | undefined;
  /** Dataset location. */
  readonly location?: string | undefined;
  /** Validate and estimate without running. */
  readonly dryRun?: boolean | undefined;
  /** Always false: GoogleSQL. */
  readonly useLegacySql: false;
}

/** The slice of the `BigQuery` client the adapter calls (structural: no SDK type is exported). */
export interface BigQueryClientLike {
  /** Runs a query job and waits for its rows. */
  query(options: BigQueryQueryOptions): Promise<readonly unknown[]>;
  /** Creates a query job (used for dry runs). */
  createQueryJob(options: BigQueryQueryOptions): Promise<readonly unknown[]>;
}

/** Options of {@link createBigQueryWarehouse}. */
export interface BigQueryWarehouseOptions extends WarehouseOptions {
  /** Google Cloud project id. */
  readonly projectId: string;
  /** Dataset holding the CDP tables (created beforehand). */
  readonly dataset: string;
  /** Dataset location, e.g. `EU`. */
  readonly location?: string | undefined;
  /**
   * A client you built (credentials); default `new BigQuery({ projectId, autoRetry: false })` from the
   * optional peer. Build yours with `autoRetry: false` too, or each failure is retried twice over.
   */
  readonly bigquery?: BigQueryClientLike | undefined;
  /** Rows per MERGE statement. Default 1 000. */
  readonly loadBatchSize?: number | undefined;
  /** Retry policy of each idempotent call. */
  readonly retry?: RetryPolicy | undefined;
}

const optionsSchema = z.object({
  projectId: z.string().regex(/^[a-z][a-z0-9.:-]{4,62}$/, 'must be a Google Cloud project id'),
  dataset: z.string().regex(/^[A-Za-z0-9_]{1,1024}$/, 'must be letters, digits and underscores'),
  location: z.string().min(1).optional(),
  bigquery: z
    .custom<BigQueryClientLike>((value) => typeof value === 'object' && value !== null && typeof (value as BigQueryClientLike).query === 'function')
    .optional(),
  loadBatchSize: z.number().int().min(1).max(50_000).optional(),
  timeoutMs: z.number().int().positive().optional(),
});

const loadBigQuery = createPeerLoader<{ BigQuery: new (options: { projectId: string; location?: string | undefined; autoRetry?: boolean | undefined }) => BigQueryClientLike }>({
  pkg: '@google-cloud/bigquery',
  provider: 'bigquery',
  importer: () => import('@google-cloud/bigquery'),
  exportName: 'BigQuery',
});

function mapBigQueryError(error: unknown, info: { operation: string }) {
  const status = (error as { code?: unknown }).code;
  const reason = (error as { errors?: { reason?: string | undefined }[] | undefined }).errors?.[0]?.reason;
  const message = `bigquery ${info.operation} failed${reason ? ` (${reason})` : ''}: ${error instanceof Error ? error.message : String(error)}`;
  // rateLimitExceeded/backendError are retryable; invalidQuery is not (BigQuery error reference).
  return errorForStatus(typeof status === 'number' ? status : reason === 'invalidQuery' ? 400 : 500, message, { cause: error });
}

const ROW_FIELDS: Record<TableName, readonly string[]> = {
  events: ['messageId', 'type', 'event', 'profileId', 'userId', 'anonymousId', 'timestampMs', 'revenue', 'properties'],
  profiles: ['profileId', 'traits', 'updatedMs'],
  identities: ['profileId', 'idType', 'idValue'],
  predictions: ['profileId', 'churnProbability', 'churnCategory', 'expectedPurchases', 'predictedLtv', 'ltvSegment', 'computedMs'],
};

/** The MERGE that loads one batch into a table: insert-if-absent or replace, keyed like DuckDB's primary keys. */
export function bigQueryMergeStatement(table: TableName, qualified: string): string {
  const columns = TABLES[table].map(([name]) => name);
  const keys = table === 'events' ? ['message_id'] : table === 'identities' ? ['id_type', 'id_value', 'profile_id'] : ['profile_id'];
  const newest = table === 'profiles' ? 'updated_ms' : table === 'predictions' ? 'computed_ms' : keys[0];
  const source = `(SELECT * FROM UNNEST(@rows) WHERE TRUE QUALIFY ROW_NUMBER() OVER (PARTITION BY ${keys.join(', ')} ORDER BY ${newest} DESC) = 1)`;
  const on = keys.map((key) => `T.${key} = S.${key}`).join(' AND ');
  const replace = table === 'profiles' || table === 'predictions';
  const update = columns
    .filter((column) => !keys.includes(column))
    .map((column) => `${column} = S.${column}`)
    .join(', ');
  return `MERGE ${qualified} T USING ${source} S ON ${on}${replace ? ` WHEN MATCHED THEN UPDATE SET ${update}` : ''} WHEN NOT MATCHED THEN INSERT ROW`;
}

function structType(table: TableName): Record<string, string> {
  return Object.fromEntries(TABLES[table].map(([name, , bq]) => [name, bq]));
}

/**
 * The bare BigQuery warehouse adapter: GoogleSQL with named `@parameters` only, loads as one
 * `MERGE … USING UNNEST(@rows)` per batch (idempotent: keyed like DuckDB's primary keys, so a
 * retried or redelivered batch changes nothing), dry runs via a `dryRun` query job.
 *
 * @throws `ValidationError` for bad options; `ConfigError` (on first use) when the SDK is missing.
 */
export function createBigQueryWarehouseProvider(options: BigQueryWarehouseOptions): WarehouseProvider {
  parse(optionsSchema, options, { path: 'options', operation: 'createBigQueryWarehouse' });
  const { projectId, dataset, location } = options;
  const batchSize = options.loadBatchSize ?? 1000;
  let client: Promise<BigQueryClientLike> | undefined;
  const getClient = () => {
    client ??= options.bigquery
      ? Promise.resolve(options.bigquery)
      : // The SDK's own retries are off: callProvider retries (idempotent calls only), once.
        loadBigQuery().then(({ BigQuery }) => new BigQuery({ projectId, autoRetry: false, ...(location ? { location } : {}) }));
    return client;
  };
  const qualify = (table: string) => `\`${projectId}.${dataset}.${table}\``;

  const call = <T>(operation: string, signal: AbortSignal | undefined, fn: (bq: BigQueryClientLike) => Promise<T>) =>
    callProvider(async () => fn(await getClient()), { provider: 'bigquery', operation, idempotent: true, signal, retry: options.retry, mapError: mapBigQueryError });

  const run = (bq: BigQueryClientLike, query: string, params?: Record<string, unknown>, types?: Record<string, unknown>) =>
    bq.query({ query, params, types, location, useLegacySql: false });

  return {
    name: 'bigquery',
    specificationVersion: SPECIFICATION_VERSION,
    capabilities: { dryRun: true },
    dialect: 'bigquery',
    qualify,
    ensureSchema: ({ signal } = {}) =>
      call('ensureSchema', signal, async (bq) => {
        for (const statement of createTableStatements('bigquery', qualify)) await run(bq, statement);
        const [rows] = (await run(bq, `SELECT meta_value FROM ${qualify('cdp_meta')} WHERE meta_key = @key`, { key: 'schema_version' })) as [Record<string, unknown>[]];
        if (rows.length === 0) {
          await run(bq, `INSERT INTO ${qualify('cdp_meta')} (meta_key, meta_value) VALUES (@key, @value)`, { key: 'schema_version', value: String(WAREHOUSE_SCHEMA_VERSION) });
        } else if (rows[0]?.['meta_value'] !== String(WAREHOUSE_SCHEMA_VERSION)) {
          throw new ConfigError(`warehouse schema version ${String(rows[0]?.['meta_value'])} found, ${WAREHOUSE_SCHEMA_VERSION} expected`, [
            { path: 'cdp_meta.schema_version', message: `expected ${WAREHOUSE_SCHEMA_VERSION}` },
          ]);
        }
      }),
    load: (rows: WarehouseLoad, { signal } = {}) =>
      call('load', signal, async (bq) => {
        for (const table of Object.keys(TABLES) as TableName[]) {
          const list = (rows[table] ?? []) as unknown as readonly Record<string, unknown>[];
          const fields = ROW_FIELDS[table];
          const columns = TABLES[table].map(([name]) => name);
          for (let start = 0; start < list.length; start += batchSize) {
            const batch = list.slice(start, start + batchSize).map((row) =>
              Object.fromEntries(columns.map((column, c) => [column, row[fields[c] as string] ?? null])),
            );
            await run(bq, bigQueryMergeStatement(table, qualify(table)), { rows: batch }, { rows: [structType(table)] });
          }
        }
      }),
    query: (query: SqlQuery, { signal } = {}) =>
      call('query', signal, async (bq) => {
        const [rows] = (await run(bq, query.sql, { ...query.params })) as [Record<string, unknown>[]];
        return rows;
      }),
    dryRun: (query: SqlQuery, { signal } = {}) =>
      call('dryRun', signal, async (bq) => {
        const [job] = (await bq.createQueryJob({ query: query.sql, params: { ...query.params }, location, dryRun: true, useLegacySql: false })) as [
          { metadata?: { statistics?: { totalBytesProcessed?: string | number | undefined } | undefined } | undefined },
        ];
        const bytes = job?.metadata?.statistics?.totalBytesProcessed;
        return bytes === undefined ? {} : { totalBytesProcessed: Number(bytes) };
      }),
    async close() {
      // The SDK client holds no connections of its own.
    },
  };
}

/** The BigQuery warehouse: `createWarehouse(createBigQueryWarehouseProvider(options), options)`. */
export function createBigQueryWarehouse(options: BigQueryWarehouseOptions): Warehouse {
  return createWarehouse(createBigQueryWarehouseProvider(options), options);
}
