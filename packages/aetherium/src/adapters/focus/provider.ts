import { AbortedError, NotFoundError, ProviderError, ValidationError } from '@almanac/core';
import { parse } from '@almanac/core/validation';
import { SPECIFICATION_VERSION, callProvider, createPeerLoader } from '@almanac/core/kit';
import * as z from '@almanac/core/schema';
import { compareCostRows } from '../../model/aggregate';
import { periodEnd } from '../../model/time';
import { COST_DIMENSIONS } from '../../spec';
import type { CostRow, CostSourceCapabilities, CostSourceProvider, CostSourceRequest } from '../../spec';
import { buildAggregation } from './sql';
import type { ColumnTypes } from './sql';

/** The slice of `@duckdb/node-api` the source uses, typed structurally (no SDK type in the exports). */
export interface DuckDbModule {
  /** `DuckDBInstance`. */
  readonly DuckDBInstance: DuckDbInstanceFactory;
  /** Builds a LIST parameter. */
  listValue(items: readonly unknown[]): unknown;
}

/** `DuckDBInstance`'s static side. */
export interface DuckDbInstanceFactory {
  /** Opens a database (`:memory:` here). */
  create(path?: string, options?: Record<string, string>): Promise<DuckDbInstance>;
}

/** A read result. */
export interface DuckDbResultReader {
  /** Rows as objects of JavaScript values. */
  getRowObjectsJS(): Record<string, unknown>[];
}

/** An open DuckDB database. */
export interface DuckDbInstance {
  /** Opens a connection. */
  connect(): Promise<DuckDbConnection>;
  /** Closes the database. */
  closeSync(): void;
}

/** A DuckDB connection. */
export interface DuckDbConnection {
  /** Runs a statement with named parameters and reads the whole result. */
  runAndReadAll(sql: string, values?: Record<string, unknown>): Promise<DuckDbResultReader>;
  /** Stops the running statement. */
  interrupt(): void;
  /** Closes the connection. */
  closeSync(): void;
}

/** Options of {@link createFocusCostSourceProvider}. */
export interface FocusCostSourceProviderOptions {
  /**
   * FOCUS exports to read: local paths (or DuckDB globs such as `exports/*.parquet`) ending in
   * `.csv`, `.csv.gz` or `.parquet`. Several files are read as one table, matched by column name.
   */
  readonly files: readonly string[];
  /** Currency of the rows when the files have no `BillingCurrency` column (ISO 4217); without it such files are refused. */
  readonly defaultCurrency?: string | undefined;
  /** Provider name in errors and audit events; default `focus`. */
  readonly name?: string | undefined;
  /** DuckDB to use instead of loading `@duckdb/node-api` (tests, a custom build). */
  readonly duckdb?: DuckDbModule | undefined;
}

const optionsSchema = z
  .object({
    files: z
      .array(
        z
          .string()
          .min(1, 'must not be empty')
          .max(4096, 'must be at most 4096 characters')
          .regex(/\.(csv|csv\.gz|parquet)$/i, 'must end in .csv, .csv.gz or .parquet'),
      )
      .min(1, 'must list at least one file'),
    defaultCurrency: z.string().regex(/^[A-Z]{3}$/, 'must be an ISO 4217 code such as USD').optional(),
    name: z.string().min(1, 'must not be empty').optional(),
    duckdb: z.custom((value) => typeof (value as { DuckDBInstance?: unknown } | null)?.DuckDBInstance === 'function' || typeof (value as { DuckDBInstance?: { create?: unknown } | undefined } | null)?.DuckDBInstance?.create === 'function', 'must be the @duckdb/node-api module').optional(),
  })
  .strict();

const loadDuckDb = createPeerLoader<DuckDbModule>({
  pkg: '@duckdb/node-api',
  provider: 'focus',
  importer: () => import('@duckdb/node-api'),
  exportName: 'DuckDBInstance',
  minVersion: '1.1',
  purpose: 'aggregate FOCUS files',
});

// Empty fields and the NULL literal (upper or lower case: exports and the specification's
// examples use both) are NULL; every column is read as text and cast by the aggregation.
const CSV_OPTIONS = "header = true, all_varchar = true, nullstr = ['NULL', 'null', ''], union_by_name = true";

function sourceRelation(csv: boolean, parquet: boolean): string {
  const parts: string[] = [];
  if (csv) parts.push(`SELECT * FROM read_csv($csv_files, ${CSV_OPTIONS})`);
  if (parquet) parts.push('SELECT * FROM read_parquet($parquet_files, union_by_name = true)');
  return parts.join(' UNION ALL BY NAME ');
}

const REQUIRED = ['BilledCost', 'EffectiveCost', 'ChargePeriodStart'] as const;

function mapDuckDbError(provider: string) {
  return (error: unknown, info: { operation: string }) => {
    const message = error instanceof Error ? error.message : String(error);
    if (/INTERRUPT/i.test(message)) return new AbortedError('The aggregation was interrupted', { provider, operation: info.operation, cause: error });
    if (/No files found|Cannot open file|does not exist/i.test(message)) return new NotFoundError('A FOCUS file was not found', { provider, operation: info.operation, cause: error });
    if (/Conversion Error|Could not convert|Invalid Input Error|CSV Error|Malformed/i.test(message)) {
      return new ValidationError(undefined, [{ path: 'files', message: `could not be read as FOCUS data (${message.split('\n')[0]})` }], { provider, operation: info.operation, cause: error });
    }
    return new ProviderError(`DuckDB failed: ${message.split('\n')[0]}`, { provider, operation: info.operation, cause: error });
  };
}

/**
 * The FOCUS file source: aggregates CSV or Parquet exports of any provider with DuckDB (the
 * optional peer `@duckdb/node-api`, loaded on the first query), so multi-GB exports aggregate
 * in seconds without loading rows into JavaScript. Every value from a request reaches DuckDB
 * as a bound parameter; identifiers come from a fixed list.
 *
 * @throws `ValidationError` naming the field for bad options. Queries fail with `NotFoundError`
 * for a missing file, `ValidationError` (`files`) for files that are not FOCUS data or lack a
 * required column, `ConfigError` when `@duckdb/node-api` is not installed.
 */
export function createFocusCostSourceProvider(options: FocusCostSourceProviderOptions): CostSourceProvider {
  parse(optionsSchema, options, { provider: 'focus', operation: 'createFocusCostSourceProvider', path: 'options' });
  const name = options.name ?? 'focus';
  const csvFiles = options.files.filter((file) => !/\.parquet$/i.test(file));
  const parquetFiles = options.files.filter((file) => /\.parquet$/i.test(file));
  const capabilities: CostSourceCapabilities = Object.freeze({
    hourlyCosts: true,
    dailyCosts: true,
    monthlyCosts: true,
    groupByTag: true,
    filterByTag: true,
    forecast: false,
    dimensions: COST_DIMENSIONS,
    maxGroupBy: 10,
  });

  async function aggregate(request: CostSourceRequest, signal: AbortSignal): Promise<CostRow[]> {
    const duckdb = options.duckdb ?? (await loadDuckDb());
    const instance = await duckdb.DuckDBInstance.create(':memory:');
    const connection = await instance.connect();
    const interrupt = () => connection.interrupt();
    signal.addEventListener('abort', interrupt, { once: true });
    try {
      const files: Record<string, unknown> = {};
      if (csvFiles.length > 0) files['csv_files'] = duckdb.listValue(csvFiles);
      if (parquetFiles.length > 0) files['parquet_files'] = duckdb.listValue(parquetFiles);
      const relation = sourceRelation(csvFiles.length > 0, parquetFiles.length > 0);
      const described = (await connection.runAndReadAll(`DESCRIBE ${relation}`, files)).getRowObjectsJS();
      const columns: ColumnTypes = new Map(described.map((row) => [String(row['column_name']), String(row['column_type'])]));
      const missing = REQUIRED.filter((column) => !columns.has(column));
      if (!columns.has('BillingCurrency') && options.defaultCurrency === undefined) missing.push('BillingCurrency' as never);
      if (missing.length > 0) {
        throw new ValidationError(undefined, [{ path: 'files', message: `lack the FOCUS column${missing.length > 1 ? 's' : ''} ${missing.join(', ')}` }], { provider: name, operation: 'query' });
      }
      const statement = buildAggregation(request, columns, { defaultCurrency: options.defaultCurrency });
      const result = await connection.runAndReadAll(`WITH src AS (${relation})\n${statement.sql}`, { ...files, ...statement.params });
      const rows = result.getRowObjectsJS().map((record): CostRow => {
        const period = record['period'] as Date;
        const currency = record['currency'];
        if (typeof currency !== 'string') {
          throw new ValidationError(undefined, [{ path: 'files', message: 'hold charges without BillingCurrency' }], { provider: name, operation: 'query' });
        }
        const groups: Record<string, string | null> = {};
        request.groupBy.forEach((key, index) => {
          const value = record[`g${index}`];
          groups[key] = value === null || value === undefined ? null : String(value);
        });
        const periodStartMs = period.getTime();
        const periodEndMs = periodEnd(periodStartMs, request.granularity);
        return Object.freeze({
          periodStart: new Date(periodStartMs).toISOString(),
          periodEnd: new Date(periodEndMs).toISOString(),
          groups: Object.freeze(groups),
          billedCost: Number(record['billed'] ?? 0),
          effectiveCost: Number(record['effective'] ?? 0),
          listCost: Number(record['list_missing']) > 0 ? null : Number(record['list'] ?? 0),
          currency,
        });
      });
      return rows.sort((a, b) => compareCostRows(a, b, request.groupBy));
    } finally {
      signal.removeEventListener('abort', interrupt);
      connection.closeSync();
      instance.closeSync();
    }
  }

  return Object.freeze({
    name,
    specificationVersion: SPECIFICATION_VERSION,
    capabilities,
    query: (request) =>
      callProvider((signal) => aggregate(request, signal), {
        provider: name,
        operation: 'query',
        idempotent: true,
        signal: request.signal,
        mapError: mapDuckDbError(name),
        // Local files: a failure repeats, so retrying only delays the error.
        classify: () => ({ retry: false }),
      }),
  } satisfies CostSourceProvider);
}
