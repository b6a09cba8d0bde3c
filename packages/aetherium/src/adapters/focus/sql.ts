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
 * A UTC TIMESTAMP from a FOCUS date/time column. Text with a zone offset after the date goes
 * through TIMESTAMPTZ (which applies the offset); plain or `Z` text is cast directly, which is
 * correct for it and much cheaper (FOCUS date/times are UTC). Typed columns are cast.
 */
function timestampExpr(column: string, type: string): string {
  if (type.toUpperCase() !== 'VARCHAR') return `CAST(${column} AS TIMESTAMP)`;
  return `CASE WHEN strpos(substr(${column}, 11), '+') > 0 OR strpos(substr(${column}, 11), '-') > 0 THEN CAST(CAST(${column} AS TIMESTAMPTZ) AS TIMESTAMP) ELSE CAST(${column} AS TIMESTAMP) END`;
}

/** A `[start, end)` bound as DuckDB reads a TIMESTAMP literal (UTC, no zone). */
export function timestampParam(iso: string): string {
  return iso.replace('T', ' ').replace(/Z$/, '');
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
  const chargeStart = timestampExpr(COLUMN_SQL.ChargePeriodStart, columns.get('ChargePeriodStart') ?? 'VARCHAR');
  const currency = has('BillingCurrency') ? column('BillingCurrency') : options.defaultCurrency !== undefined ? `CAST(${param(options.defaultCurrency)} AS VARCHAR)` : 'CAST(NULL AS VARCHAR)';

  const where = [`${chargeStart} >= CAST(${param(timestampParam(request.start))} AS TIMESTAMP)`, `${chargeStart} < CAST(${param(timestampParam(request.end))} AS TIMESTAMP)`];
  const { tags, ...dimensions } = request.filter;
  for (const [dimension, values] of Object.entries(dimensions) as [CostDimension, readonly string[] | undefined][]) {
    if (!values) continue;
    where.push(`${keyExpr(dimension)} IN (${values.map(param).join(', ')})`);
  }
  for (const [key, values] of Object.entries(tags ?? {})) where.push(`${tag(key)} IN (${values.map(param).join(', ')})`);

  const groups = request.groupBy.map((key, index) => `${keyExpr(key)} AS g${index}`);
  const sql = [
    'SELECT',
    `  date_trunc(${TRUNC_UNIT[request.granularity]}, ${chargeStart}) AS period,`,
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
