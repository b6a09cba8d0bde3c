import { parse, systemClock } from '@almanac/core';
import type { Clock } from '@almanac/core';
import {
  bgNbdExpectedPurchases,
  churnActions,
  churnModelFromBgNbd,
  DEFAULT_CHURN_THRESHOLDS,
  fitBgNbd,
  fitGammaGamma,
  gammaGammaExpectedAverageValue,
  scoreChurn,
} from '@almanac/oracle/churn';
import type { BgNbdFit, ChurnCategory, ChurnContribution, ChurnThresholds, GammaGammaFit, RfmCustomer, SpendObservation } from '@almanac/oracle/churn';
import * as z from '@almanac/core/schema';
import type { PredictionRow } from '../spec';
import type { Warehouse } from '../warehouse/facade';
import { rfmSummaryQuery } from './rfm';
import type { RfmSqlOptions } from './rfm';

/** The fitted models of a customer base. */
export interface CustomerModels {
  /** BG/NBD fit (transactions and dropout). */
  readonly bgNbd: BgNbdFit;
  /** Gamma-Gamma fit (spend per transaction). */
  readonly gammaGamma: GammaGammaFit;
  /** Customers in the summary. */
  readonly customers: number;
  /** Customers with at least one repeat purchase (the Gamma-Gamma sample). */
  readonly repeatCustomers: number;
}

/** Options of {@link fitCustomerModels}. */
export interface FitOptions extends RfmSqlOptions {
  /** Aborts the queries. */
  readonly signal?: AbortSignal | undefined;
}

const num = (value: unknown) => Number(value);

/**
 * Fits BG/NBD and Gamma-Gamma on the RFM summary computed inside the warehouse. Only aggregates
 * leave it: distinct `(frequency, recency, T)` with counts for BG/NBD and distinct
 * `(frequency, monetary value)` with counts for Gamma-Gamma, so the cost in memory is the number
 * of distinct histories, not of customers.
 */
export async function fitCustomerModels(warehouse: Warehouse, options: FitOptions): Promise<CustomerModels> {
  const qualify = (table: 'events') => warehouse.qualify(table);
  const rows = await warehouse.query(rfmSummaryQuery(warehouse.dialect, qualify, options, 'histograms'), { signal: options.signal });
  const grouped = rows.filter((row) => row['histogram'] === 'grouped');
  const spend = rows.filter((row) => row['histogram'] === 'spend');
  // Each distinct history goes to oracle once with its count as weight (lifetimes' `weights`),
  // so memory and fitting cost follow the distinct histories, not the customers.
  const histories: RfmCustomer[] = grouped.map((row) => ({ frequency: num(row['frequency']), recency: num(row['recency']), T: num(row['t']) }));
  const counts = grouped.map((row) => num(row['n']));
  const spenders: SpendObservation[] = spend.map((row) => ({ frequency: num(row['frequency']), monetaryValue: num(row['monetary_value']) }));
  const spendCounts = spend.map((row) => num(row['n']));
  const sum = (values: readonly number[]) => values.reduce((total, n) => total + n, 0);
  return {
    bgNbd: fitBgNbd(histories, { weights: counts }),
    gammaGamma: fitGammaGamma(spenders, { weights: spendCounts }),
    customers: sum(counts),
    repeatCustomers: sum(spendCounts),
  };
}

/**
 * Churn risk of a customer: oracle's categories for customers with a repeat purchase, and
 * `one-time` for those without one, whom the BG/NBD cannot score (it lets customers drop out only
 * after a repeat purchase, so it would call every one-time buyer certainly alive).
 */
export type CustomerChurnCategory = ChurnCategory | 'one-time';

/** LTV segment names, best first. */
export type LtvSegment = 'top' | 'high' | 'medium' | 'low';

/** One customer's prediction with its explanation. */
export interface CustomerPrediction {
  /** Profile id. */
  readonly profileId: string;
  /** P(churn) = 1 − P(alive) under the BG/NBD; null for one-time buyers (see {@link CustomerChurnCategory}). */
  readonly churnProbability: number | null;
  /** Risk category from the thresholds, or `one-time`. */
  readonly churnCategory: CustomerChurnCategory;
  /** Drivers of the churn score (oracle's decomposition of the dropout log-odds). */
  readonly contributions: readonly ChurnContribution[];
  /** Expected purchases over the horizon. */
  readonly expectedPurchases: number;
  /** Discounted expected value over the horizon (BG/NBD purchases × Gamma-Gamma spend). */
  readonly predictedLtv: number;
  /** LTV segment. */
  readonly ltvSegment: LtvSegment;
}

/** Options of {@link predictCustomers}. */
export interface PredictOptions extends RfmSqlOptions {
  /** Projection horizon in months. Default 12. */
  readonly horizonMonths?: number | undefined;
  /** Discount rate per month. Default 0.01. */
  readonly monthlyDiscountRate?: number | undefined;
  /** Churn category cut-offs. Default oracle's `DEFAULT_CHURN_THRESHOLDS`. */
  readonly thresholds?: ChurnThresholds | undefined;
  /** Shares of customers in the `top`, `high` and `medium` LTV segments (the rest are `low`). Default 0.1, 0.2, 0.3. */
  readonly ltvShares?: LtvShares | undefined;
  /** Rows per predictions load. Default 50 000. */
  readonly batchSize?: number | undefined;
  /** Stamps `computedMs`. */
  readonly clock?: Clock | undefined;
  /** Aborts. */
  readonly signal?: AbortSignal | undefined;
}

/** Shares of customers per LTV segment. */
export interface LtvShares {
  /** Share in `top`. */
  readonly top: number;
  /** Share in `high`. */
  readonly high: number;
  /** Share in `medium`. */
  readonly medium: number;
}

/** Customers and mean predicted LTV of one churn category. */
export interface ChurnStats {
  /** Customers in it. */
  readonly customers: number;
  /** Their mean predicted LTV. */
  readonly meanLtv: number;
}

/** Customers and LTV range of one LTV segment. */
export interface LtvStats {
  /** Customers in it. */
  readonly customers: number;
  /** Lowest predicted LTV. */
  readonly minLtv: number;
  /** Highest predicted LTV. */
  readonly maxLtv: number;
  /** Mean predicted LTV. */
  readonly meanLtv: number;
}

/** What {@link predictCustomers} returns. */
export interface PredictionResult {
  /** One prediction per customer. */
  readonly predictions: readonly CustomerPrediction[];
  /** The dashboard summary. */
  readonly summary: PredictionSummary;
}

/** Counts per category and segment, and the mean LTV of each: plain data for dashboards. */
export interface PredictionSummary {
  /** Customers scored. */
  readonly customers: number;
  /** Churn-risk distribution: customers and mean predicted LTV per category (one-time buyers apart). */
  readonly churn: Readonly<Record<CustomerChurnCategory, ChurnStats>>;
  /** LTV segments: customers, LTV range and mean per segment. */
  readonly ltv: Readonly<Record<LtvSegment, LtvStats>>;
  /** Recommended actions per churn category (oracle's `churnActions`). */
  readonly actions: Readonly<Record<ChurnCategory, readonly string[]>>;
}

const predictSchema = z.object({
  horizonMonths: z.number().int().min(1).max(120).optional(),
  monthlyDiscountRate: z.number().min(0).max(1).optional(),
  ltvShares: z
    .object({ top: z.number().min(0).max(1), high: z.number().min(0).max(1), medium: z.number().min(0).max(1) })
    .refine((s) => s.top + s.high + s.medium <= 1, 'shares must sum to at most 1')
    .optional(),
  batchSize: z.number().int().min(1).optional(),
});

/**
 * Scores every customer of the summary with the fitted models and writes the predictions back to
 * the warehouse (`predictions` table), returning the dashboard summary. Churn probability and the
 * horizon's discounted expected purchases depend only on `(frequency, recency, T)`, so they are
 * computed once per distinct history; the predicted LTV multiplies the latter by the customer's
 * Gamma-Gamma expected spend. Both fall as the time since the last purchase grows, so predicted
 * LTV falls as churn risk rises (the test suite checks it).
 */
export async function predictCustomers(
  warehouse: Warehouse,
  models: CustomerModels,
  options: PredictOptions,
): Promise<PredictionResult> {
  parse(predictSchema, options, { path: 'options', operation: 'predictCustomers' });
  const horizonMonths = options.horizonMonths ?? 12;
  const rate = options.monthlyDiscountRate ?? 0.01;
  const unitsPerMonth = options.timeUnit === 'weeks' ? 4.345 : 30;
  const shares = options.ltvShares ?? { top: 0.1, high: 0.2, medium: 0.3 };
  const churnModel = churnModelFromBgNbd(models.bgNbd, { thresholds: options.thresholds ?? DEFAULT_CHURN_THRESHOLDS });
  const clock = options.clock ?? systemClock;
  const rows = await warehouse.query(
    rfmSummaryQuery(warehouse.dialect, (table) => warehouse.qualify(table), options, 'customers'),
    { signal: options.signal },
  );

  const perHistory = new Map<string, { score: ReturnType<typeof scoreChurn>; purchases: number; discounted: number }>();
  const scored = rows.map((row) => {
    const history = { frequency: num(row['frequency']), recency: num(row['recency']), T: num(row['t']) };
    const key = `${history.frequency}|${history.recency}|${history.T}`;
    let cached = perHistory.get(key);
    if (!cached) {
      let discounted = 0;
      let previous = 0;
      for (let m = 1; m <= horizonMonths; m++) {
        const cumulative = bgNbdExpectedPurchases(models.bgNbd, history, m * unitsPerMonth);
        discounted += (cumulative - previous) / (1 + rate) ** m;
        previous = cumulative;
      }
      cached = { score: scoreChurn(churnModel, history), purchases: previous, discounted };
      perHistory.set(key, cached);
    }
    const value = gammaGammaExpectedAverageValue(models.gammaGamma, { frequency: history.frequency, monetaryValue: num(row['monetary_value']) });
    return { profileId: String(row['profile_id']), cached, ltv: cached.discounted * value, oneTime: history.frequency === 0 };
  });

  // Segments by rank of predicted LTV: the top share is `top`, and so on.
  const order = scored.map((_, i) => i).sort((i, j) => (scored[j] as { ltv: number }).ltv - (scored[i] as { ltv: number }).ltv);
  const segmentOf = new Array<LtvSegment>(scored.length);
  const cutTop = Math.round(shares.top * scored.length);
  const cutHigh = cutTop + Math.round(shares.high * scored.length);
  const cutMedium = cutHigh + Math.round(shares.medium * scored.length);
  order.forEach((index, rank) => {
    segmentOf[index] = rank < cutTop ? 'top' : rank < cutHigh ? 'high' : rank < cutMedium ? 'medium' : 'low';
  });

  const predictions: CustomerPrediction[] = scored.map((s, i) => ({
    profileId: s.profileId,
    churnProbability: s.oneTime ? null : s.cached.score.probability,
    churnCategory: s.oneTime ? 'one-time' : s.cached.score.category,
    contributions: s.cached.score.contributions,
    expectedPurchases: s.cached.purchases,
    predictedLtv: s.ltv,
    ltvSegment: segmentOf[i] as LtvSegment,
  }));

  const computedMs = clock.now();
  const batchSize = options.batchSize ?? 50_000;
  for (let start = 0; start < predictions.length; start += batchSize) {
    const batch: PredictionRow[] = predictions.slice(start, start + batchSize).map((p) => ({
      profileId: p.profileId,
      churnProbability: p.churnProbability,
      churnCategory: p.churnCategory,
      expectedPurchases: p.expectedPurchases,
      predictedLtv: p.predictedLtv,
      ltvSegment: p.ltvSegment,
      computedMs,
    }));
    await warehouse.load({ predictions: batch }, { signal: options.signal });
  }
  return { predictions, summary: summarise(predictions) };
}

function summarise(predictions: readonly CustomerPrediction[]): PredictionSummary {
  const churn: Record<CustomerChurnCategory, { customers: number; meanLtv: number }> = {
    low: { customers: 0, meanLtv: 0 },
    medium: { customers: 0, meanLtv: 0 },
    high: { customers: 0, meanLtv: 0 },
    'one-time': { customers: 0, meanLtv: 0 },
  };
  const ltv: Record<LtvSegment, { customers: number; minLtv: number; maxLtv: number; meanLtv: number }> = {
    top: { customers: 0, minLtv: Number.POSITIVE_INFINITY, maxLtv: 0, meanLtv: 0 },
    high: { customers: 0, minLtv: Number.POSITIVE_INFINITY, maxLtv: 0, meanLtv: 0 },
    medium: { customers: 0, minLtv: Number.POSITIVE_INFINITY, maxLtv: 0, meanLtv: 0 },
    low: { customers: 0, minLtv: Number.POSITIVE_INFINITY, maxLtv: 0, meanLtv: 0 },
  };
  for (const p of predictions) {
    const c = churn[p.churnCategory];
    c.customers += 1;
    c.meanLtv += p.predictedLtv;
    const s = ltv[p.ltvSegment];
    s.customers += 1;
    s.meanLtv += p.predictedLtv;
    s.minLtv = Math.min(s.minLtv, p.predictedLtv);
    s.maxLtv = Math.max(s.maxLtv, p.predictedLtv);
  }
  for (const c of Object.values(churn)) c.meanLtv = c.customers > 0 ? c.meanLtv / c.customers : 0;
  for (const s of Object.values(ltv)) {
    s.meanLtv = s.customers > 0 ? s.meanLtv / s.customers : 0;
    if (s.customers === 0) s.minLtv = 0;
  }
  return {
    customers: predictions.length,
    churn,
    ltv,
    actions: { low: churnActions('low'), medium: churnActions('medium'), high: churnActions('high') },
  };
}
