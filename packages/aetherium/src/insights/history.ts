import type { CostSource } from '../facade/types';
import { collectCosts } from '../facade/create-cost-source';
import type { CostDimension, CostFilter, CostRange } from '../spec';

/** One day of cost of one group, in one currency. */
export interface DailyPoint {
  /** UTC day, `YYYY-MM-DD`. */
  readonly date: string;
  /** Billed cost of that day. */
  readonly cost: number;
}

/** Daily billed cost per group value, per currency: `currency → group → points` (days without a row absent). */
export type DailySeries = Record<string, Record<string, DailyPoint[]>>;

/** Label of the rows whose group value is null. */
export const NO_VALUE = '(none)';

/** Reads daily billed cost per `by` value and currency. */
export async function dailySeries(source: CostSource, range: CostRange, by: CostDimension, filter: CostFilter | undefined, signal: AbortSignal | undefined): Promise<DailySeries> {
  const rows = await collectCosts(source.query({ range, granularity: 'daily', groupBy: [by], filter }, { signal }));
  const out: DailySeries = {};
  for (const row of rows) {
    const byGroup = out[row.currency] ?? {};
    out[row.currency] = byGroup;
    const key = row.groups[by] ?? NO_VALUE;
    const points = byGroup[key] ?? [];
    byGroup[key] = points;
    points.push({ date: row.periodStart.slice(0, 10), cost: row.billedCost });
  }
  return out;
}
