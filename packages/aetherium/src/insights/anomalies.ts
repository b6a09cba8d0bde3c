import { costAnomalies } from '@almanac/oracle';
import type { CostSource } from '../facade/types';
import type { CostDimension, CostFilter, CostRange } from '../spec';
import { dailySeries } from './history';
import type { DailySeries } from './history';

/** Options of {@link detectCostAnomalies}. */
export interface DetectCostAnomaliesOptions {
  /** Days to scan (a few weeks before the days of interest give the expected cost its history). */
  readonly range: CostRange;
  /** Dimension whose values are scored separately; default `ServiceName` (`SubAccountId` per account). */
  readonly by?: CostDimension | undefined;
  /** Charges to consider. */
  readonly filter?: CostFilter | undefined;
  /** In [0, 1]; higher flags more (oracle `costAnomalies`); default 0.5. */
  readonly sensitivity?: number | undefined;
  /** Smallest |impact| to report, in currency; default 0. */
  readonly minImpact?: number | undefined;
  /** Aborts the query. */
  readonly signal?: AbortSignal | undefined;
}

/** One anomalous day of one group. */
export interface CostAnomalyFinding {
  /** UTC day, `YYYY-MM-DD`. */
  readonly date: string;
  /** The dimension scored (`ServiceName`, …). */
  readonly by: CostDimension;
  /** Its value (`(none)` for charges without one). */
  readonly group: string;
  /** Currency of the amounts. */
  readonly currency: string;
  /** Billed cost of the day. */
  readonly cost: number;
  /** Expected cost (median of the same weekday in the previous weeks). */
  readonly expected: number;
  /** `cost − expected`, in currency. */
  readonly impact: number;
  /** In [0, 1]; higher is more anomalous. */
  readonly score: number;
}

/** Result of {@link detectCostAnomalies}. */
export interface CostAnomalyReport {
  /** Anomalies, by date then group. */
  readonly anomalies: readonly CostAnomalyFinding[];
  /** The daily series they were found in, per currency and group. */
  readonly series: DailySeries;
}

/**
 * Daily cost anomalies per service (or account), per currency, with the expected cost and the
 * impact in currency: oracle's `costAnomalies` (a robust seasonal-naive model, online: a day's
 * verdict uses only earlier days) over the source's daily rows. Deterministic.
 *
 * @throws what the source's `query` throws; `ValidationError` for bad options.
 */
export async function detectCostAnomalies(source: CostSource, options: DetectCostAnomaliesOptions): Promise<CostAnomalyReport> {
  const by = options.by ?? 'ServiceName';
  const series = await dailySeries(source, options.range, by, options.filter, options.signal);
  const anomalies: CostAnomalyFinding[] = [];
  for (const [currency, groups] of Object.entries(series).sort(([a], [b]) => (a < b ? -1 : 1))) {
    const daily = Object.entries(groups).flatMap(([group, points]) => points.map((p) => ({ date: p.date, service: group, cost: p.cost })));
    if (daily.length === 0) continue;
    const found = costAnomalies(daily, {
      ...(options.sensitivity !== undefined ? { sensitivity: options.sensitivity } : {}),
      ...(options.minImpact !== undefined ? { minImpact: options.minImpact } : {}),
    });
    for (const a of found) anomalies.push(Object.freeze({ date: a.date, by, group: a.service, currency, cost: a.cost, expected: a.expected, impact: a.impact, score: a.score }));
  }
  anomalies.sort((a, b) => (a.date !== b.date ? (a.date < b.date ? -1 : 1) : a.group < b.group ? -1 : a.group > b.group ? 1 : 0));
  return Object.freeze({ anomalies: Object.freeze(anomalies), series });
}
