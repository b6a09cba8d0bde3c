import { parse } from '@almanac/core';
import * as z from '@almanac/core/schema';
import type { SqlDialect, SqlQuery } from '../spec';

const DAY_MS = 86_400_000;

/** Options of the RFM summary. */
export interface RfmSqlOptions {
  /** Last day of the calibration period (inclusive, UTC day). */
  readonly calibrationEnd: Date | string;
  /** Unit of recency and T: `weeks` (days / 7, as in CDNOW) or `days`. */
  readonly timeUnit: 'days' | 'weeks';
  /** First day considered (inclusive); default everything. */
  readonly observationStart?: Date | string | undefined;
  /** The purchase event (a `track` event name). Default `Order Completed` (Segment's e-commerce spec). */
  readonly purchaseEvent?: string | undefined;
}

const optionsSchema = z.object({
  calibrationEnd: z.union([z.date(), z.iso.date(), z.iso.datetime({ offset: true })]),
  timeUnit: z.enum(['days', 'weeks']),
  observationStart: z.union([z.date(), z.iso.date(), z.iso.datetime({ offset: true })]).optional(),
  purchaseEvent: z.string().min(1).max(256).optional(),
});

const day = (value: Date | string) => Math.floor((value instanceof Date ? value.getTime() : Date.parse(value)) / DAY_MS);

/**
 * The per-customer RFM summary as one parameterised query, with the conventions of Fader, Hardie
 * & Lee (2005) and oracle's `rfmSummary` (which it reproduces): purchases are grouped per UTC day
 * (values summed), frequency = repeat purchase days, recency = first to last purchase day, T = first
 * purchase day to the end of calibration, monetary value = mean value of the repeat days (0
 * without repeats). Rows: `profile_id, frequency, recency, t, monetary_value`.
 *
 * @param shape - `customers` (default): one row per customer. `grouped`: distinct
 * `(frequency, recency, t)` with a count `n`, all BG/NBD needs, so millions of customers stay in
 * the warehouse. `spend`: distinct `(frequency, monetary_value)` of repeat customers with a count
 * `n`, for Gamma-Gamma. `histograms`: both in one query (computing the summary once), each row
 * tagged `histogram` = `grouped` or `spend`, the other shape's columns null.
 */
export function rfmSummaryQuery(
  dialect: SqlDialect,
  qualify: (table: 'events') => string,
  options: RfmSqlOptions,
  shape: 'customers' | 'grouped' | 'spend' | 'histograms' = 'customers',
): SqlQuery {
  const opts = parse(optionsSchema, options, { path: 'options', operation: 'rfmSummary' });
  const p = (name: string) => (dialect === 'duckdb' ? `$${name}` : `@${name}`);
  const endDay = day(opts.calibrationEnd);
  const startDay = opts.observationStart === undefined ? -1e9 : day(opts.observationStart);
  const params = {
    event: opts.purchaseEvent ?? 'Order Completed',
    since: startDay * DAY_MS,
    until: (endDay + 1) * DAY_MS,
    end_day: endDay,
    unit: opts.timeUnit === 'weeks' ? 7 : 1,
  };
  const days = `SELECT profile_id, CAST(FLOOR(ts_ms / ${DAY_MS}) AS ${dialect === 'duckdb' ? 'BIGINT' : 'INT64'}) AS purchase_day, SUM(COALESCE(revenue, 0)) AS value
    FROM ${qualify('events')} WHERE type = 'track' AND event = ${p('event')} AND ts_ms >= ${p('since')} AND ts_ms < ${p('until')}
    GROUP BY profile_id, purchase_day`;
  // One aggregation per customer: the repeat days' value is the total less the first day's
  // (MIN_BY, on both engines; purchase days are unique per customer), no window needed.
  const customers = `SELECT profile_id, COUNT(*) - 1 AS frequency, (MAX(purchase_day) - MIN(purchase_day)) / ${p('unit')} AS recency,
    (${p('end_day')} - MIN(purchase_day)) / ${p('unit')} AS t,
    CASE WHEN COUNT(*) > 1 THEN (SUM(value) - MIN_BY(value, purchase_day)) / (COUNT(*) - 1) ELSE 0 END AS monetary_value
    FROM (${days}) d GROUP BY profile_id`;
  const grouped = (from: string) => `SELECT frequency, recency, t, COUNT(*) AS n FROM ${from} GROUP BY frequency, recency, t`;
  const spend = (from: string) => `SELECT frequency, monetary_value, COUNT(*) AS n FROM ${from} WHERE frequency > 0 GROUP BY frequency, monetary_value`;
  let sql: string;
  if (shape === 'customers') sql = `${customers} ORDER BY profile_id`;
  else if (shape === 'grouped') sql = `${grouped(`(${customers}) c`)} ORDER BY frequency, recency, t`;
  else if (shape === 'spend') sql = `${spend(`(${customers}) c`)} ORDER BY frequency, monetary_value`;
  else {
    // Both histograms from one pass over the events (DuckDB computes the summary once).
    const cte = dialect === 'duckdb' ? 'WITH c AS MATERIALIZED' : 'WITH c AS';
    sql = `${cte} (${customers})
      SELECT 'grouped' AS histogram, frequency, recency, t, CAST(NULL AS ${dialect === 'duckdb' ? 'DOUBLE' : 'FLOAT64'}) AS monetary_value, n FROM (${grouped('c')}) g
      UNION ALL SELECT 'spend' AS histogram, frequency, NULL, NULL, monetary_value, n FROM (${spend('c')}) s
      ORDER BY histogram, frequency, recency, t, monetary_value`;
  }
  return { sql: sql.replace(/\s+/g, ' '), params };
}
