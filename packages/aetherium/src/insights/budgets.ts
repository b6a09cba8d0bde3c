import { ValidationError } from '@almanac/core';
import type { Clock } from '@almanac/core';
import { forecastCost } from '@almanac/oracle';
import { collectCosts } from '../facade/create-cost-source';
import type { CostSource } from '../facade/types';
import { DAY, periodEnd, startOfUtcMonth } from '../model/time';
import type { CostFilter } from '../spec';
import { historyEnd } from './forecast';

/** A monthly budget. */
export interface Budget {
  /** Name shown in results. */
  readonly name: string;
  /** Amount per calendar month (UTC), in `currency`. */
  readonly amount: number;
  /** ISO 4217 currency of the amount; only charges in it count. */
  readonly currency: string;
  /** Charges the budget covers; all when absent. */
  readonly filter?: CostFilter | undefined;
  /** Fractions of `amount` that raise an alert; default `[0.8, 1]`. */
  readonly alertThresholds?: readonly number[] | undefined;
}

/** Options of {@link checkBudgets}. */
export interface CheckBudgetsOptions {
  /** The day being checked (ISO date or instant; its UTC day is not yet counted); default today on `clock`. */
  readonly asOf?: string | undefined;
  /** Days of history the month-end forecast is fitted on; default 56. */
  readonly historyDays?: number | undefined;
  /** Interval coverage of the forecast; default 0.8. */
  readonly level?: number | undefined;
  /** Clock giving "today" when `asOf` is absent. */
  readonly clock?: Clock | undefined;
  /** Aborts the queries. */
  readonly signal?: AbortSignal | undefined;
}

/** `ok`, `at-risk` (the interval's upper end crosses the amount), `forecast-exceeds` (the expected month total does) or `exceeded` (the month-to-date cost does). */
export type BudgetState = 'ok' | 'at-risk' | 'forecast-exceeds' | 'exceeded';

/** A budget's month, `[start, end)`. */
export interface BudgetPeriod {
  /** First instant of the month (UTC), ISO. */
  readonly start: string;
  /** First instant of the next month, ISO. */
  readonly end: string;
}

/** Where one budget stands. */
export interface BudgetStatus {
  /** The budget's name. */
  readonly name: string;
  /** Currency of the amounts. */
  readonly currency: string;
  /** Budget amount. */
  readonly amount: number;
  /** The month, `[start, end)`, ISO instants. */
  readonly period: BudgetPeriod;
  /** Billed cost from the start of the month to `asOf`. */
  readonly actual: number;
  /** `actual` + the expected cost of the remaining days. */
  readonly projected: number;
  /** `actual` + the upper bound of the remaining days. */
  readonly projectedHigh: number;
  /** Days of the month not yet counted. */
  readonly daysRemaining: number;
  /** The verdict (forecast-based early warning before the money is spent). */
  readonly state: BudgetState;
  /** Thresholds the actual cost has crossed. */
  readonly crossed: readonly number[];
  /** Thresholds the projected cost will cross, not yet crossed. */
  readonly forecastToCross: readonly number[];
}

function check(budgets: readonly Budget[]): void {
  const issues: { path: string; message: string }[] = [];
  if (!Array.isArray(budgets)) issues.push({ path: 'budgets', message: 'must be an array' });
  else
    budgets.forEach((b, i) => {
      if (typeof b?.name !== 'string' || b.name === '') issues.push({ path: `budgets.${i}.name`, message: 'must be a non-empty string' });
      if (!(typeof b?.amount === 'number' && Number.isFinite(b.amount) && b.amount > 0)) issues.push({ path: `budgets.${i}.amount`, message: 'must be a number > 0' });
      if (typeof b?.currency !== 'string' || !/^[A-Z]{3}$/.test(b.currency)) issues.push({ path: `budgets.${i}.currency`, message: 'must be an ISO 4217 code such as USD' });
      (b?.alertThresholds ?? []).forEach((t: number, j: number) => {
        if (!(typeof t === 'number' && t > 0 && t <= 10)) issues.push({ path: `budgets.${i}.alertThresholds.${j}`, message: 'must be a fraction in (0, 10]' });
      });
    });
  if (issues.length > 0) throw new ValidationError(undefined, issues, { operation: 'checkBudgets' });
}

/**
 * Checks monthly budgets against the month-to-date cost and a forecast of the rest of the month
 * (oracle's `forecastCost` on the budget's daily history), so a budget is flagged while there is
 * still time to act. Deterministic for the same data and `asOf`.
 *
 * @throws `ValidationError` naming the field (`budgets.0.amount`); what the source's `query` throws.
 */
export async function checkBudgets(source: CostSource, budgets: readonly Budget[], options: CheckBudgetsOptions = {}): Promise<BudgetStatus[]> {
  check(budgets);
  const asOf = historyEnd(options.asOf, options.clock, 'options.asOf');
  const monthStart = startOfUtcMonth(asOf);
  const monthEnd = periodEnd(monthStart, 'monthly');
  const daysRemaining = Math.round((monthEnd - asOf) / DAY);
  const historyDays = options.historyDays ?? 56;
  const level = options.level ?? 0.8;
  const out: BudgetStatus[] = [];
  for (const budget of budgets) {
    const history = await collectCosts(
      source.query({ range: { start: new Date(Math.min(monthStart, asOf - historyDays * DAY)).toISOString(), end: new Date(asOf).toISOString() }, granularity: 'daily', groupBy: [], filter: budget.filter }, { signal: options.signal }),
    );
    const days = history.filter((row) => row.currency === budget.currency);
    const actual = days.filter((row) => Date.parse(row.periodStart) >= monthStart).reduce((sum, row) => sum + row.billedCost, 0);
    let expected = 0;
    let high = 0;
    const fit = days.filter((row) => Date.parse(row.periodStart) >= asOf - historyDays * DAY);
    if (daysRemaining > 0 && fit.length > 0) {
      // Pad to the day before asOf so the forecast starts at asOf even when the last days had no cost.
      const daily = fit.map((row) => ({ date: row.periodStart.slice(0, 10), service: 'total', cost: row.billedCost }));
      const last = new Date(asOf - DAY).toISOString().slice(0, 10);
      if (!daily.some((d) => d.date === last)) daily.push({ date: last, service: 'total', cost: 0 });
      const result = forecastCost(daily, { horizonDays: daysRemaining, level });
      expected = result.total.forecast.reduce((a, b) => a + b, 0);
      high = result.total.upper.reduce((a, b) => a + b, 0);
    }
    const projected = actual + expected;
    const projectedHigh = actual + high;
    const thresholds = [...(budget.alertThresholds ?? [0.8, 1])].sort((a, b) => a - b);
    const state: BudgetState = actual >= budget.amount ? 'exceeded' : projected >= budget.amount ? 'forecast-exceeds' : projectedHigh >= budget.amount ? 'at-risk' : 'ok';
    out.push(
      Object.freeze({
        name: budget.name,
        currency: budget.currency,
        amount: budget.amount,
        period: { start: new Date(monthStart).toISOString(), end: new Date(monthEnd).toISOString() },
        actual,
        projected,
        projectedHigh,
        daysRemaining,
        state,
        crossed: thresholds.filter((t) => actual >= t * budget.amount),
        forecastToCross: thresholds.filter((t) => actual < t * budget.amount && projected >= t * budget.amount),
      }),
    );
  }
  return out;
}
