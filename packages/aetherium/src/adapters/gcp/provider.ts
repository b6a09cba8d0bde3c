import { AuthError, PermissionError, ProviderError, RateLimitError, ValidationError, errorForStatus } from '@almanac/core';
import type { AlmanacError, Clock, Logger } from '@almanac/core';
import { parse } from '@almanac/core/validation';
import { SPECIFICATION_VERSION, callProvider, createPeerLoader } from '@almanac/core/kit';
import * as z from '@almanac/core/schema';
import { compareCostRows } from '../../model/aggregate';
import { periodEnd } from '../../model/time';
import type { CostRow, CostSourceCapabilities, CostSourceProvider, CostSourceRequest } from '../../spec';
import { GCP_DIMENSIONS, buildBillingAggregation } from './sql';

/**
 * The slice of `@google-cloud/bigquery`'s `BigQuery` client the source calls, typed
 * structurally. `query` runs a statement with named parameters (the jobs.query API) and resolves
 * to `[rows]`.
 */
export interface BigQueryLike {
  /** Runs one query. */
  query(options: { query: string; params: Record<string, unknown>; location?: string | undefined; useLegacySql: false; jobTimeoutMs?: number | undefined }): Promise<readonly [readonly Record<string, unknown>[], ...unknown[]]>;
}

/** Options of {@link createGcpCostSourceProvider}. */
export interface GcpCostSourceProviderOptions {
  /** Project holding the billing export dataset. */
  readonly projectId: string;
  /** Dataset of the billing export. */
  readonly dataset: string;
  /** Table of the export, e.g. `gcp_billing_export_v1_0123AB_4567CD_89EFAB` (standard or detailed usage cost). */
  readonly table: string;
  /** A ready client (`new BigQuery({...})`); without it one is built with Application Default Credentials. */
  readonly bigquery?: BigQueryLike | undefined;
  /** Dataset location (e.g. `EU`), passed to the query. */
  readonly location?: string | undefined;
  /**
   * Days added on both sides of the range when pruning `_PARTITIONTIME` partitions; default 3.
   * Partitions follow the export time, so rows of a day can land in the next days' partitions.
   */
  readonly partitionSlackDays?: number | undefined;
  /** Clock of retry backoff. */
  readonly clock?: Clock | undefined;
  /** Told about retries at debug level. */
  readonly logger?: Logger | undefined;
}

// https://cloud.google.com/resource-manager/docs/creating-managing-projects (ids; domain-scoped `example.com:proj` too),
// https://cloud.google.com/bigquery/docs/datasets#dataset-naming, https://cloud.google.com/bigquery/docs/tables#table_naming
const PROJECT = /^([a-z][a-z0-9.-]{0,62}:)?[a-z][a-z0-9-]{4,28}[a-z0-9]$/;
const DATASET = /^[A-Za-z0-9_]{1,1024}$/;
const TABLE = /^[\p{L}\p{M}\p{N}\p{Pc}\p{Pd}\p{Zs}]{1,1024}$/u;

const optionsSchema = z
  .object({
    projectId: z.string().regex(PROJECT, 'must be a Google Cloud project id'),
    dataset: z.string().regex(DATASET, 'must be a BigQuery dataset name (letters, digits, underscores)'),
    // Backticks and dots cannot appear in a table name, so the quoted reference cannot be escaped.
    table: z.string().regex(TABLE, 'must be a BigQuery table name').refine((value) => !value.includes('`'), 'must not contain a backtick'),
    bigquery: z.custom<BigQueryLike>((value) => typeof (value as BigQueryLike | null)?.query === 'function', 'must have query()').optional(),
    location: z.string().regex(/^[A-Za-z0-9-]{1,64}$/, 'must be a BigQuery location such as EU').optional(),
    partitionSlackDays: z.number().int('must be an integer').min(0, 'must be at least 0').max(60, 'must be at most 60').optional(),
    clock: z.custom<Clock>((value) => typeof (value as Clock | null)?.now === 'function', 'must be a Clock').optional(),
    logger: z.custom<Logger>((value) => typeof value === 'object' && value !== null, 'must be a Logger').optional(),
  })
  .strict();

const loadBigQuery = createPeerLoader<{ BigQuery: new (options: Record<string, unknown>) => BigQueryLike }>({
  pkg: '@google-cloud/bigquery',
  provider: 'gcp',
  importer: () => import('@google-cloud/bigquery'),
  exportName: 'BigQuery',
  minVersion: '7.0',
  purpose: 'read the Cloud Billing export',
});

function mapBigQueryError(error: unknown, info: { operation: string }): AlmanacError {
  const e = error as { code?: number | undefined; message?: string | undefined; errors?: { reason?: string | undefined }[] | undefined };
  const reason = e?.errors?.[0]?.reason ?? '';
  const message = `BigQuery ${info.operation} failed${reason ? ` (${reason})` : ''}: ${e?.message ?? String(error)}`;
  const options = { provider: 'gcp', operation: info.operation, cause: error };
  if (reason === 'rateLimitExceeded' || reason === 'quotaExceeded' || e?.code === 429) return new RateLimitError(message, options);
  if (reason === 'accessDenied' || e?.code === 403) return new PermissionError(message, options);
  if (e?.code === 401) return new AuthError(message, options);
  if (reason === 'invalidQuery' || reason === 'invalid') return new ValidationError(message, [], options);
  if (typeof e?.code === 'number') return errorForStatus(e.code, message, options);
  return new ProviderError(message, options);
}

/**
 * The Google Cloud source over the Cloud Billing export in BigQuery (standard or detailed usage
 * cost table), through `@google-cloud/bigquery` (an optional peer loaded on first use).
 * Parameterised SQL only; the table reference is validated and quoted; `billedCost` and
 * `effectiveCost` are the net cost (`cost` + the row's credits); `listCost` is `null`.
 *
 * @throws `ValidationError` naming the field for bad options.
 */
export function createGcpCostSourceProvider(options: GcpCostSourceProviderOptions): CostSourceProvider {
  parse(optionsSchema, options, { provider: 'gcp', operation: 'createGcpCostSourceProvider', path: 'options' });
  const table = `\`${options.projectId}.${options.dataset}.${options.table}\``;
  const slack = options.partitionSlackDays ?? 3;
  let client: Promise<BigQueryLike> | undefined;
  const getClient = () => {
    if (options.bigquery) return Promise.resolve(options.bigquery);
    client ??= loadBigQuery().then(({ BigQuery }) => new BigQuery({ projectId: options.projectId }));
    return client;
  };

  const capabilities: CostSourceCapabilities = Object.freeze({
    hourlyCosts: true,
    dailyCosts: true,
    monthlyCosts: true,
    groupByTag: true,
    filterByTag: true,
    forecast: false,
    dimensions: GCP_DIMENSIONS,
    maxGroupBy: 10,
  });

  async function query(request: CostSourceRequest): Promise<CostRow[]> {
    const statement = buildBillingAggregation(request, table, slack);
    const bigquery = await getClient();
    const [records] = await callProvider(
      () => bigquery.query({ query: statement.sql, params: statement.params, useLegacySql: false, ...(options.location ? { location: options.location } : {}) }),
      { provider: 'gcp', operation: 'query', idempotent: true, signal: request.signal, clock: options.clock, logger: options.logger, mapError: mapBigQueryError },
    );
    return records
      .map((record): CostRow => {
        const period = record['period'] as { value?: string | undefined } | Date | string;
        const raw = period instanceof Date ? period.toISOString() : typeof period === 'string' ? period : String(period?.value);
        const startMs = Date.parse(raw.endsWith('Z') || /[+-]\d\d:?\d\d$/.test(raw) ? raw : `${raw.replace(' ', 'T')}Z`);
        const groups: Record<string, string | null> = {};
        request.groupBy.forEach((key, index) => {
          const value = record[`g${index}`];
          groups[key] = value === null || value === undefined ? null : String(value);
        });
        const net = Number(record['net_cost'] ?? 0);
        return Object.freeze({
          periodStart: new Date(startMs).toISOString(),
          periodEnd: new Date(periodEnd(startMs, request.granularity)).toISOString(),
          groups: Object.freeze(groups),
          billedCost: net,
          effectiveCost: net,
          listCost: null,
          currency: String(record['currency']),
        });
      })
      .sort((a, b) => compareCostRows(a, b, request.groupBy));
  }

  return Object.freeze({ name: 'gcp', specificationVersion: SPECIFICATION_VERSION, capabilities, query } satisfies CostSourceProvider);
}
