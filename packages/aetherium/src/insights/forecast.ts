import { ValidationError, systemClock } from '@almanac/core';
import type { Clock } from '@almanac/core';
import { forecastCost } from '@almanac/oracle';
import type { CostSource } from '../facade/types';
import { parseInstant, startOfUtcDay, DAY } from '../model/time';
import type { CostDimension, CostFilter } from '../spec';
import { dailySeries } from './history';
import type { DailyPoint } from './history';

/** Options of {@link forecast}. */
export interface SourceForecastOptions {
  /** Days to forecast after the last day of history (integer, 1 to 366). */
  readonly horizonDays: number;
  /** End of history (exclusive): an ISO date or instant, truncated to its UTC day; default today (UTC) on `clock`. */
  readonly asOf?: string | undefined;
  /** Days of history before `asOf`; default 90. */
  readonly historyDays?: number | undefined;
  /** Two-sided interval coverage in (0, 1); default 0.8. */
  readonly level?: number | undefined;
  /** Dimension forecast separately (the total is their sum); default `ServiceName`. */
  readonly by?: CostDimension | undefined;
  /** Charges to consider. */
  readonly filter?: CostFilter | undefined;
  /** Clock giving "today" when `asOf` is absent. */
  readonly clock?: Clock | undefined;
  /** Aborts the query. */
  readonly signal?: AbortSignal | undefined;
}

/** A forecast series: one entry per future day. */
export interface ForecastSeries {
  /** UTC days, `YYYY-MM-DD`. */
  readonly dates: readonly string[];
  /** Expected cost per day. */
  readonly forecast: readonly number[];
  /** Lower bound of the interval per day. */
  readonly lower: readonly number[];
  /** Upper bound of the interval per day. */
  readonly upper: readonly number[];
}

/** The forecast of one currency. */
export interface SourceForecast {
  /** Currency of every amount. */
  readonly currency: string;
  /** Interval coverage. */
  readonly level: number;
  /** Observed daily total (days without cost are absent). */
  readonly history: readonly DailyPoint[];
  /** Forecast of the daily total. */
  readonly total: ForecastSeries;
  /** Forecast per group value. */
  readonly groups: Readonly<Record<string, ForecastSeries>>;
  /** Sum of the expected daily totals over the horizon. */
  readonly expectedTotal: number;
}

/** `asOf` (or today on the clock) as the UTC midnight ending the history. */
export function historyEnd(asOf: string | undefined, clock: Clock | undefined, field: string): number {
  if (asOf === undefined) return startOfUtcDay((clock ?? systemClock).now());
  const ms = parseInstant(asOf);
  if (ms === undefined) throw new ValidationError(undefined, [{ path: field, message: 'must be an ISO date or date/time' }], { operation: 'forecast' });
  return startOfUtcDay(ms);
}

/**
 * Forecasts daily cost from the source's history, one result per currency: oracle's
 * `forecastCost` (exponential smoothing chosen by `forecastAuto`, weekly season when there are two weeks of
 * history) per service, the total with an interval. Deterministic for the same history.
 *
 * @throws `ValidationError` naming the field for bad options; what the source's `query` throws.
 */
export async function forecast(source: CostSource, options: SourceForecastOptions): Promise<SourceForecast[]> {
  const issues: { path: string; message: string }[] = [];
  if (!Number.isInteger(options?.horizonDays) || options.horizonDays < 1 || options.horizonDays > 366) issues.push({ path: 'options.horizonDays', message: 'must be an integer from 1 to 366' });
  const historyDays = options?.historyDays ?? 90;
  if (!Number.isInteger(historyDays) || historyDays < 1 || historyDays > 3660) issues.push({ path: 'options.historyDays', message: 'must be an integer from 1 to 3660' });
  const level = options?.level ?? 0.8;
  if (!(level > 0 && level < 1)) issues.push({ path: 'options.level', message: 'must be in (0, 1)' });
  if (issues.length > 0) throw new ValidationError(undefined, issues, { operation: 'forecast' });
  const end = historyEnd(options.asOf, options.clock, 'options.asOf');
  const range = { start: new Date(end - historyDays * DAY).toISOString(), end: new Date(end).toISOString() };
  const series = await dailySeries(source, range, options.by ?? 'ServiceName', options.filter, options.signal);
  const out: SourceForecast[] = [];
  for (const [currency, groups] of Object.entries(series).sort(([a], [b]) => (a < b ? -1 : 1))) {
    const daily = Object.entries(groups).flatMap(([group, points]) => points.map((p) => ({ date: p.date, service: group, cost: p.cost })));
    if (daily.length === 0) continue;
    const result = forecastCost(daily, { horizonDays: options.horizonDays, level });
    const totals = new Map<string, number>();
    for (const point of daily) totals.set(point.date, (totals.get(point.date) ?? 0) + point.cost);
    out.push(
      Object.freeze({
        currency,
        level,
        history: [...totals.entries()].sort(([a], [b]) => (a < b ? -1 : 1)).map(([date, cost]) => ({ date, cost })),
        total: result.total,
        groups: result.services,
        expectedTotal: result.total.forecast.reduce((a, b) => a + b, 0),
      }),
    );
  }
  return out;
}
