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
// examples use both) are NULL. Columns are read as text except the few the aggregation reads,
// which the CSV reader types itself (see csvTypes): measured cheaper than reading text and
// casting it per row in SQL (bench/aetherium.bench.ts).
const CSV_OPTIONS = "header = true, all_varchar = true, nullstr = ['NULL', 'null', ''], union_by_name = true";

/**
 * How the CSV reader reads ChargePeriodStart, picked from its first value.
 * - `strict`: one exact offset-free layout, parsed as TIMESTAMP with that strptime format: close
 *   to a bare typed read (DuckDB's own ISO parse is a little cheaper but drops an offset without a
 *   word). A value in any other layout fails the read, and the query runs again with `text`.
 * - `zoned`: parsed as TIMESTAMPTZ, which applies `Z` and offsets (a TIMESTAMP parse would drop an
 *   offset without a word); fast for text with an offset, slower for offset-free text (read in
 *   the connection's zone, UTC, through ICU).
 * - `text`: left as text; the SQL tells offsets from offset-free values row by row.
 */
type ChargeStartPlan = { readonly kind: 'strict'; readonly format: string } | { readonly kind: 'zoned' } | { readonly kind: 'text' };

// Offset-free layouts the strict path reads (strptime formats chosen from this list, never built
// from file content).
const STRICT_LAYOUTS: readonly [RegExp, string][] = [
  [/^\d{4}-\d{2}-\d{2} \d{2}:\d{2}:\d{2}$/, '%Y-%m-%d %H:%M:%S'],
  [/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}$/, '%Y-%m-%dT%H:%M:%S'],
];
const ZONED_LAYOUT = /^\d{4}-\d{2}-\d{2}[ T]\d{2}:\d{2}(:\d{2}(\.\d+)?)?(Z|[+-]\d{2}(:?\d{2})?)$/;

function chargeStartPlan(first: unknown): ChargeStartPlan {
  if (typeof first !== 'string') return { kind: 'text' };
  for (const [layout, format] of STRICT_LAYOUTS) if (layout.test(first)) return { kind: 'strict', format };
  return ZONED_LAYOUT.test(first) ? { kind: 'zoned' } : { kind: 'text' };
}

const CHARGE_START_TYPE = { strict: 'TIMESTAMP', zoned: 'TIMESTAMP WITH TIME ZONE', text: 'VARCHAR' } as const;

// The columns the aggregation reads as numbers or time, typed by the CSV reader when present
// (fixed names: the reader's `types` must only name columns the files have).
const CSV_MONEY = ['BilledCost', 'EffectiveCost', 'ListCost'] as const;

function csvTypes(columns: ReadonlySet<string>, plan: ChargeStartPlan | undefined): string {
  const types = CSV_MONEY.filter((column) => columns.has(column)).map((column) => `'${column}': 'DOUBLE'`);
  if (plan && plan.kind !== 'text' && columns.has('ChargePeriodStart')) types.push(`'ChargePeriodStart': '${plan.kind === 'strict' ? 'TIMESTAMP' : 'TIMESTAMPTZ'}'`);
  if (types.length === 0) return '';
  return `, types = {${types.join(', ')}}${plan?.kind === 'strict' ? ', timestampformat = $timestamp_format' : ''}`;
}

function csvRelation(types = ''): string {
  return `SELECT * FROM read_csv($csv_files, ${CSV_OPTIONS}${types})`;
}

const PARQUET_RELATION = 'SELECT * FROM read_parquet($parquet_files, union_by_name = true)';

function describeRows(rows: Record<string, unknown>[]): Map<string, string> {
  return new Map(rows.map((row) => [String(row['column_name']), String(row['column_type'])]));
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
      // FOCUS date/times are UTC; DuckDB's session zone (the host's by default) decides how
      // offset-free text becomes a TIMESTAMPTZ. A build without ICU has no such setting, and its
      // TIMESTAMPTZ is UTC already.
      await connection.runAndReadAll("SET TimeZone = 'UTC'").catch(() => undefined);
      // Each statement gets exactly the parameters it names (DuckDB refuses unused ones).
      const csvParams = csvFiles.length > 0 ? { csv_files: duckdb.listValue(csvFiles) } : {};
      const parquetParams = parquetFiles.length > 0 ? { parquet_files: duckdb.listValue(parquetFiles) } : {};
      // Schemas: the CSV files' first row (their columns, all text, and the first
      // ChargePeriodStart, which picks how the reader parses that column: see chargeStartPlan),
      // and the Parquet footers. Neither reads more than the start of a file.
      let csvColumns = new Map<string, string>();
      let plan: ChargeStartPlan | undefined;
      if (csvFiles.length > 0) {
        const [first] = (await connection.runAndReadAll(`${csvRelation()} LIMIT 1`, csvParams)).getRowObjectsJS();
        csvColumns = first ? new Map(Object.keys(first).map((column) => [column, 'VARCHAR'])) : describeRows((await connection.runAndReadAll(`DESCRIBE ${csvRelation()}`, csvParams)).getRowObjectsJS());
        if (csvColumns.has('ChargePeriodStart')) plan = chargeStartPlan(first?.['ChargePeriodStart']);
      }
      const parquetColumns = parquetFiles.length > 0 ? describeRows((await connection.runAndReadAll(`DESCRIBE ${PARQUET_RELATION}`, parquetParams)).getRowObjectsJS()) : new Map<string, string>();
      const names = new Set([...csvColumns.keys(), ...parquetColumns.keys()]);
      const missing: string[] = REQUIRED.filter((column) => !names.has(column));
      if (!names.has('BillingCurrency') && options.defaultCurrency === undefined) missing.push('BillingCurrency');
      if (missing.length > 0) {
        throw new ValidationError(undefined, [{ path: 'files', message: `lack the FOCUS column${missing.length > 1 ? 's' : ''} ${missing.join(', ')}` }], { provider: name, operation: 'query' });
      }
      const run = async (chosen: ChargeStartPlan | undefined) => {
        const parts: string[] = [];
        const values: Record<string, unknown> = { ...csvParams, ...parquetParams };
        if (csvFiles.length > 0) {
          parts.push(csvRelation(csvTypes(new Set(csvColumns.keys()), chosen)));
          if (chosen?.kind === 'strict') values['timestamp_format'] = chosen.format;
        }
        if (parquetFiles.length > 0) parts.push(PARQUET_RELATION);
        const relation = parts.join(' UNION ALL BY NAME ');
        let columns: ColumnTypes;
        if (parquetFiles.length === 0) {
          const typed = new Map(csvColumns);
          for (const column of CSV_MONEY) if (typed.has(column)) typed.set(column, 'DOUBLE');
          if (chosen && typed.has('ChargePeriodStart')) typed.set('ChargePeriodStart', CHARGE_START_TYPE[chosen.kind]);
          columns = typed;
        } else if (csvFiles.length === 0) {
          columns = parquetColumns;
        } else {
          // Mixed: the union's types are DuckDB's to decide (another sniff, no scan).
          columns = describeRows((await connection.runAndReadAll(`DESCRIBE ${relation}`, values)).getRowObjectsJS());
        }
        const statement = buildAggregation(request, columns, { defaultCurrency: options.defaultCurrency });
        return connection.runAndReadAll(`WITH src AS (${relation})\n${statement.sql}`, { ...values, ...statement.params });
      };
      let result: DuckDbResultReader;
      try {
        result = await run(plan);
      } catch (error) {
        // A ChargePeriodStart in another layout than the first one's (an offset, fractions): read
        // the column as text. (Were DuckDB to word the error otherwise, the query fails loudly
        // as not FOCUS data rather than reading a value wrong.)
        if (plan?.kind !== 'strict' || !/converting column "ChargePeriodStart"/.test(error instanceof Error ? error.message : String(error))) throw error;
        result = await run({ kind: 'text' });
      }
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
