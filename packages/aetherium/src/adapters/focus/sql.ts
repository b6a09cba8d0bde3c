import type { CostDimension, CostGroupKey, CostSourceRequest } from '../../spec';
import { COST_DIMENSIONS, TAG_KEY_PATTERN } from '../../spec';

/** A statement and its named parameters: user values only ever travel as parameters. */
export interface SqlStatement {
  readonly sql: string;
  readonly params: Record<string, string | string[]>;
}

/** What DESCRIBE told about the files: column name → DuckDB type. */
export type ColumnTypes = ReadonlyMap<string, string>;

// Identifiers come from this fixed list only (never from a request), double-quoted.
const COLUMN_SQL: Readonly<Record<CostDimension | 'BilledCost' | 'EffectiveCost' | 'ListCost' | 'BillingCurrency' | 'ChargePeriodStart' | 'Tags', string>> = {
  ServiceName: '"ServiceName"',
  ServiceCategory: '"ServiceCategory"',
  SubAccountId: '"SubAccountId"',
  RegionId: '"RegionId"',
  ChargeCategory: '"ChargeCategory"',
  BilledCost: '"BilledCost"',
  EffectiveCost: '"EffectiveCost"',
  ListCost: '"ListCost"',
  BillingCurrency: '"BillingCurrency"',
  ChargePeriodStart: '"ChargePeriodStart"',
  Tags: '"Tags"',
};

// Charges go to the period of their ChargePeriodStart, truncated in UTC (the timestamps are UTC).
const TRUNC_UNIT = { hourly: "'hour'", daily: "'day'", monthly: "'month'" } as const;

/**
 * How a FOCUS date/time column becomes a UTC TIMESTAMP, and how it is compared with a bound.
 * The connection runs with `TimeZone = 'UTC'` (FOCUS date/times are UTC), and no expression
 * goes through ICU per row: ICU's TIMESTAMPTZ → TIMESTAMP cast and its `date_trunc` cost more
 * than parsing the file. A TIMESTAMPTZ becomes a TIMESTAMP through its epoch, an integer.
 */
interface ChargeStartSql {
  /** The column as a UTC TIMESTAMP. */
  readonly value: string;
  /** `[start, end)` conditions, on the raw column when its type allows (cheaper, and a Parquet scan can prune with them). */
  readonly range: (start: string, end: string) => string[];
}

function chargeStartSql(column: string, type: string): ChargeStartSql {
  const upper = type.toUpperCase();
  if (upper === 'TIMESTAMP WITH TIME ZONE') {
    // The bound carries its own offset, so the comparison does not depend on the session zone.
    return { value: `make_timestamp(epoch_us(${column}))`, range: (start, end) => [`${column} >= CAST(${start} AS TIMESTAMPTZ)`, `${column} < CAST(${end} AS TIMESTAMPTZ)`] };
  }
  if (upper === 'TIMESTAMP' || upper === 'TIMESTAMP_NS' || upper === 'TIMESTAMP_MS' || upper === 'TIMESTAMP_S') {
    return { value: `CAST(${column} AS TIMESTAMP)`, range: (start, end) => [`${column} >= CAST(${start} AS TIMESTAMP)`, `${column} < CAST(${end} AS TIMESTAMP)`] };
  }
  // Text: an offset after the date (`+hh:mm`, `-hh:mm`) goes through TIMESTAMPTZ, which applies it
  // (a TIMESTAMP cast would drop it silently); plain or `Z` text is cast directly, which is correct
  // for it and much cheaper.
  const value =
    upper === 'VARCHAR'
      ? `CASE WHEN contains(substr(${column}, 11), '+') OR contains(substr(${column}, 11), '-') THEN make_timestamp(epoch_us(CAST(${column} AS TIMESTAMPTZ))) ELSE CAST(${column} AS TIMESTAMP) END`
      : `CAST(${column} AS TIMESTAMP)`;
  return { value, range: (start, end) => [`${value} >= CAST(${start} AS TIMESTAMP)`, `${value} < CAST(${end} AS TIMESTAMP)`] };
}

/** A `[start, end)` bound as DuckDB reads a TIMESTAMP literal (UTC, no zone); with `+00` for a TIMESTAMPTZ. */
export function timestampParam(iso: string, withZone = false): string {
  const plain = iso.replace('T', ' ').replace(/Z$/, '');
  return withZone ? `${plain}+00` : plain;
}

/**
 * The aggregation, over a relation `src` that the caller defines (the files). Dimensions and tag
 * keys are checked here again against the allow-list and the tag-key alphabet, so a request
 * that bypassed the facade cannot reach the SQL text.
 */
export function buildAggregation(request: CostSourceRequest, columns: ColumnTypes, options: { defaultCurrency?: string | undefined }): SqlStatement {
  const params: Record<string, string | string[]> = {};
  let n = 0;
  const param = (value: string): string => {
    const name = `p${n++}`;
    params[name] = value;
    return `$${name}`;
  };
  const has = (column: string) => columns.has(column);
  const column = (name: keyof typeof COLUMN_SQL) => (has(name) ? `CAST(${COLUMN_SQL[name]} AS VARCHAR)` : 'CAST(NULL AS VARCHAR)');
  const tagsType = columns.get('Tags') ?? '';
  const tagsJson = !has('Tags') ? 'CAST(NULL AS JSON)' : /^(MAP|STRUCT)/i.test(tagsType) ? `to_json(${COLUMN_SQL.Tags})` : `CAST(${COLUMN_SQL.Tags} AS JSON)`;
  const tag = (key: string) => {
    if (!TAG_KEY_PATTERN.test(key)) throw new TypeError('tag key outside the allowed alphabet');
    // The key cannot hold a quote or a backslash (TAG_KEY_PATTERN), so the JSON path is well formed.
    return `json_extract_string(${tagsJson}, ${param(`$."${key}"`)})`;
  };
  const keyExpr = (key: CostGroupKey): string => {
    if (key.startsWith('Tag:')) return tag(key.slice(4));
    if (!COST_DIMENSIONS.includes(key as CostDimension)) throw new TypeError('dimension outside the allow-list');
    return column(key as CostDimension);
  };
  const money = (name: 'BilledCost' | 'EffectiveCost' | 'ListCost') => (has(name) ? `CAST(${COLUMN_SQL[name]} AS DOUBLE)` : 'CAST(NULL AS DOUBLE)');
  const chargeStartType = columns.get('ChargePeriodStart') ?? 'VARCHAR';
  const chargeStart = chargeStartSql(COLUMN_SQL.ChargePeriodStart, chargeStartType);
  const zoned = chargeStartType.toUpperCase() === 'TIMESTAMP WITH TIME ZONE';
  const currency = has('BillingCurrency') ? column('BillingCurrency') : options.defaultCurrency !== undefined ? `CAST(${param(options.defaultCurrency)} AS VARCHAR)` : 'CAST(NULL AS VARCHAR)';

  const where = chargeStart.range(param(timestampParam(request.start, zoned)), param(timestampParam(request.end, zoned)));
  const { tags, ...dimensions } = request.filter;
  for (const [dimension, values] of Object.entries(dimensions) as [CostDimension, readonly string[] | undefined][]) {
    if (!values) continue;
    where.push(`${keyExpr(dimension)} IN (${values.map(param).join(', ')})`);
  }
  for (const [key, values] of Object.entries(tags ?? {})) where.push(`${tag(key)} IN (${values.map(param).join(', ')})`);

  const groups = request.groupBy.map((key, index) => `${keyExpr(key)} AS g${index}`);
  const sql = [
    'SELECT',
    `  date_trunc(${TRUNC_UNIT[request.granularity]}, ${chargeStart.value}) AS period,`,
    ...groups.map((g) => `  ${g},`),
    `  ${currency} AS currency,`,
    `  SUM(${money('BilledCost')}) AS billed,`,
    `  SUM(${money('EffectiveCost')}) AS effective,`,
    `  SUM(${money('ListCost')}) AS list,`,
    `  COUNT(*) - COUNT(${money('ListCost')}) AS list_missing,`,
    '  COUNT(*) AS charges',
    'FROM src',
    `WHERE ${where.join('\n  AND ')}`,
    `GROUP BY ${['period', ...request.groupBy.map((_, index) => `g${index}`), 'currency'].join(', ')}`,
  ].join('\n');
  return { sql, params };
}
