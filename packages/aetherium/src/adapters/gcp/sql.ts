import type { CostDimension, CostGroupKey, CostSourceRequest } from '../../spec';
import { TAG_KEY_PATTERN } from '../../spec';

/**
 * The few places where BigQuery's SQL and the dialect the tests run it in differ. The query's
 * shape (subqueries, grouping, parameters) stays the same.
 */
export interface BillingSqlDialect {
  /** A parameter reference: `@name` in BigQuery. */
  param(name: string): string;
  /** Truncation of a TIMESTAMP to the UTC hour, day or month. */
  trunc(expression: string, unit: 'HOUR' | 'DAY' | 'MONTH'): string;
  /** `expression` is one of the values of an ARRAY<STRING> parameter. */
  inArray(expression: string, param: string): string;
  /** `FROM UNNEST(<array>) AS <alias>` for a correlated subquery over a repeated field. */
  unnest(array: string, alias: string): string;
}

/** BigQuery Standard SQL. */
export const BIGQUERY_DIALECT: BillingSqlDialect = Object.freeze({
  param: (name: string) => `@${name}`,
  trunc: (expression: string, unit: 'HOUR' | 'DAY' | 'MONTH') => `TIMESTAMP_TRUNC(${expression}, ${unit})`,
  inArray: (expression: string, param: string) => `${expression} IN UNNEST(${param})`,
  unnest: (array: string, alias: string) => `UNNEST(${array}) AS ${alias}`,
});

// FOCUS dimension → billing export column (a fixed list: no request string reaches the SQL text).
const DIMENSION_SQL: Readonly<Partial<Record<CostDimension, string>>> = {
  ServiceName: 'service.description',
  SubAccountId: 'project.id',
  RegionId: 'location.region',
  // cost_type (regular, tax, adjustment, rounding error) → FOCUS ChargeCategory.
  ChargeCategory: "CASE cost_type WHEN 'regular' THEN 'Usage' WHEN 'tax' THEN 'Tax' WHEN 'adjustment' THEN 'Adjustment' WHEN 'rounding error' THEN 'Adjustment' ELSE cost_type END",
};

/** Dimensions the billing export can group and filter by. */
export const GCP_DIMENSIONS: readonly CostDimension[] = Object.freeze(Object.keys(DIMENSION_SQL) as CostDimension[]);

/** A statement and its named parameters. */
export interface BillingStatement {
  /** SQL text: identifiers from fixed lists only. */
  readonly sql: string;
  /** Named parameters: instants as `Date`, strings, string arrays, numbers. */
  readonly params: Record<string, Date | string | string[]>;
}

const DAY_MS = 86_400_000;

// usage_start_time is a UTC TIMESTAMP; the billing export has hourly usage rows, so hours are exact.
const TRUNC_UNIT = { hourly: 'HOUR', daily: 'DAY', monthly: 'MONTH' } as const;

/**
 * The aggregation over a billing export table. Partitions are pruned with `_PARTITIONTIME`
 * widened by `slackDays` on both sides (partitions follow the export, not exactly the usage
 * time, and late rows land in later partitions); rows are then selected exactly by
 * `usage_start_time`. Credits are summed per row in a correlated subquery over the row's own
 * `credits` array, so a row with several credits is counted once (no join fan-out); the net
 * cost is `cost + credits`.
 *
 * @param table - the table reference, already validated and quoted by the caller.
 */
export function buildBillingAggregation(request: CostSourceRequest, table: string, slackDays: number, dialect: BillingSqlDialect = BIGQUERY_DIALECT): BillingStatement {
  const params: Record<string, Date | string | string[]> = {};
  let n = 0;
  const param = (value: Date | string | string[], prefix = 'p'): string => {
    const name = `${prefix}${n++}`;
    params[name] = value;
    return dialect.param(name);
  };
  const tag = (key: string): string => {
    if (!TAG_KEY_PATTERN.test(key)) throw new TypeError('tag key outside the allowed alphabet');
    return `(SELECT ANY_VALUE(l.value) FROM ${dialect.unnest('labels', 'l')} WHERE l.key = ${param(key)})`;
  };
  const keyExpr = (key: CostGroupKey): string => {
    if (key.startsWith('Tag:')) return tag(key.slice(4));
    const sql = DIMENSION_SQL[key as CostDimension];
    if (sql === undefined) throw new TypeError('dimension outside the allow-list');
    return sql;
  };
  const startMs = Date.parse(request.start);
  const endMs = Date.parse(request.end);
  const start = param(new Date(startMs), 'start');
  const end = param(new Date(endMs), 'end');
  const where = [
    `_PARTITIONTIME >= ${param(new Date(startMs - slackDays * DAY_MS), 'partition_start')}`,
    `_PARTITIONTIME < ${param(new Date(endMs + slackDays * DAY_MS), 'partition_end')}`,
    `usage_start_time >= ${start}`,
    `usage_start_time < ${end}`,
  ];
  const { tags, ...dimensions } = request.filter;
  for (const [dimension, values] of Object.entries(dimensions) as [CostDimension, readonly string[] | undefined][]) {
    if (values) where.push(dialect.inArray(keyExpr(dimension), param([...values], 'f')));
  }
  for (const [key, values] of Object.entries(tags ?? {})) where.push(dialect.inArray(tag(key), param([...values], 'f')));
  const net = `cost + IFNULL((SELECT SUM(c.amount) FROM ${dialect.unnest('credits', 'c')}), 0)`;
  const sql = [
    'SELECT',
    `  ${dialect.trunc('usage_start_time', TRUNC_UNIT[request.granularity])} AS period,`,
    ...request.groupBy.map((key, index) => `  ${keyExpr(key)} AS g${index},`),
    '  currency,',
    `  SUM(${net}) AS net_cost,`,
    '  SUM(cost) AS gross_cost',
    `FROM ${table}`,
    `WHERE ${where.join('\n  AND ')}`,
    `GROUP BY ${['period', ...request.groupBy.map((_, index) => `g${index}`), 'currency'].join(', ')}`,
  ].join('\n');
  return { sql, params };
}
