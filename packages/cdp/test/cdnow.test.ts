import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { gunzipSync } from 'node:zlib';
import { customerLifetimeValue } from '@almanac/oracle/churn';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createDuckDbWarehouse } from '../src/adapters/duckdb/index';
import type { CdpMessage, CdpSink, CustomerModels, EventRow, PredictionSummary, Warehouse } from '../src/index';
import { fitCustomerModels, predictCustomers, pushPredictions, rfmSummaryQuery } from '../src/index';

// Published values (datasets/README.md): Fader, Hardie & Lee (2005) BG/NBD on CDNOW and the
// Gamma-Gamma fit on its 946 repeat customers. Tolerances are those of oracle's own CDNOW test
// (packages/oracle/test/churn-cdnow.test.ts): 0.5 % relative, log-likelihood within 0.1.
const BG = { r: 0.243, alpha: 4.414, a: 0.793, b: 2.426, logLikelihood: -9582.4 };
const GG = { p: 6.25, q: 3.74, gamma: 15.44 };
const within = (actual: number, published: number) => expect(Math.abs(actual - published) / Math.abs(published)).toBeLessThan(0.005);
const RFM = { calibrationEnd: '1997-09-30', timeUnit: 'weeks' } as const;

/** Raw CDNOW transactions as `Order Completed` events, one per line of the sample. */
function cdnowEvents(): EventRow[] {
  const text = gunzipSync(readFileSync(fileURLToPath(new URL('../../../datasets/cdnow/CDNOW_sample.txt.gz', import.meta.url)))).toString('utf8');
  return text
    .trim()
    .split(/\r?\n/)
    .map((line, i) => {
      const [, sampleId, ymd, , dollars] = line.trim().split(/\s+/) as [string, string, string, string, string];
      return {
        messageId: `cdnow-${i}`,
        type: 'track',
        event: 'Order Completed',
        profileId: sampleId,
        userId: sampleId,
        anonymousId: null,
        timestampMs: Date.UTC(Number(ymd.slice(0, 4)), Number(ymd.slice(4, 6)) - 1, Number(ymd.slice(6, 8)), 15, 30),
        revenue: Number(dollars),
        properties: '{}',
      };
    });
}

describe('CDNOW end to end: raw transactions → DuckDB → RFM in SQL → BG/NBD + Gamma-Gamma → predictions', () => {
  let warehouse: Warehouse;
  let models: CustomerModels;
  let summary: PredictionSummary;
  let predictions: Awaited<ReturnType<typeof predictCustomers>>['predictions'];
  beforeAll(async () => {
    warehouse = createDuckDbWarehouse();
    await warehouse.ensureSchema();
    await warehouse.load({ events: cdnowEvents() });
    models = await fitCustomerModels(warehouse, RFM);
    ({ predictions, summary } = await predictCustomers(warehouse, models, { ...RFM, horizonMonths: 12, monthlyDiscountRate: 0.01 }));
  }, 120_000);
  afterAll(() => warehouse.close());

  it('the summary computed in SQL matches the published CDNOW summary', async () => {
    const published = readFileSync(fileURLToPath(new URL('../../../datasets/cdnow/cdnow_customers_summary_with_transactions.csv', import.meta.url)), 'utf8')
      .trim()
      .split(/\r?\n/)
      .slice(1)
      .map((line) => line.split(',').map(Number) as [number, number, number, number, number]);
    const rows = await warehouse.query(rfmSummaryQuery('duckdb', (t) => t, RFM));
    expect(rows).toHaveLength(2357);
    const byId = new Map(rows.map((row) => [Number(row['profile_id']), row]));
    for (const [id, x, tx, T, zbar] of published) {
      const row = byId.get(id);
      expect(Number(row?.['frequency'])).toBe(x);
      expect(Math.abs(Number(row?.['recency']) - tx)).toBeLessThanOrEqual(0.005 + 1e-9);
      expect(Math.abs(Number(row?.['t']) - T)).toBeLessThanOrEqual(0.005 + 1e-9);
      expect(Math.abs(Number(row?.['monetary_value']) - zbar)).toBeLessThanOrEqual(0.005 + 1e-9);
    }
  });

  it('reproduces the published BG/NBD and Gamma-Gamma parameters', () => {
    expect(models.customers).toBe(2357);
    expect(models.repeatCustomers).toBe(946);
    within(models.bgNbd.r, BG.r);
    within(models.bgNbd.alpha, BG.alpha);
    within(models.bgNbd.a, BG.a);
    within(models.bgNbd.b, BG.b);
    expect(Math.abs(models.bgNbd.logLikelihood - BG.logLikelihood)).toBeLessThan(0.1);
    within(models.gammaGamma.p, GG.p);
    within(models.gammaGamma.q, GG.q);
    within(models.gammaGamma.gamma, GG.gamma);
  });

  it('writes one prediction per customer back to the warehouse; LTV equals oracle customerLifetimeValue', async () => {
    const [count] = await warehouse.query({ sql: 'SELECT COUNT(*) AS n, COUNT(DISTINCT ltv_segment) AS segments FROM predictions', params: {} });
    expect(count).toEqual({ n: 2357, segments: 4 });
    const rows = await warehouse.query(rfmSummaryQuery('duckdb', (t) => t, RFM));
    for (const row of rows.slice(0, 50)) {
      const p = predictions.find((candidate) => candidate.profileId === String(row['profile_id']));
      const expected = customerLifetimeValue({
        bgNbd: models.bgNbd,
        gammaGamma: models.gammaGamma,
        customer: { frequency: Number(row['frequency']), recency: Number(row['recency']), T: Number(row['t']), monetaryValue: Number(row['monetary_value']) },
        horizonMonths: 12,
        monthlyDiscountRate: 0.01,
        timeUnitsPerMonth: 4.345,
      });
      expect(p?.predictedLtv).toBeCloseTo(expected, 9);
    }
  });

  it('LTV falls as churn risk rises for the same customer as the last purchase recedes', async () => {
    // Six customers with the same first purchase (38 weeks before the end), 4 repeat purchases of
    // $40, and their last purchase 1, 5, 10, 20, 30 and 36 weeks before the end.
    const synthetic = createDuckDbWarehouse();
    await synthetic.ensureSchema();
    const end = Date.UTC(1997, 8, 30, 12);
    const weeksBeforeEnd = [1, 5, 10, 20, 30, 36];
    const events: EventRow[] = weeksBeforeEnd.flatMap((gap, k) => {
      const first = end - 38 * 7 * 86_400_000;
      const last = end - gap * 7 * 86_400_000;
      return [0, 1, 2, 3, 4].map((j) => ({
        messageId: `s${k}-${j}`,
        type: 'track',
        event: 'Order Completed',
        profileId: `c${k}`,
        userId: `c${k}`,
        anonymousId: null,
        timestampMs: j === 0 ? first : last - (4 - j) * 86_400_000,
        revenue: 40,
        properties: '{}',
      }));
    });
    await synthetic.load({ events });
    const { predictions: ordered } = await predictCustomers(synthetic, models, RFM);
    await synthetic.close();
    const byCustomer = weeksBeforeEnd.map((_, k) => ordered.find((p) => p.profileId === `c${k}`) as (typeof ordered)[number]);
    for (let k = 1; k < byCustomer.length; k++) {
      expect(byCustomer[k]?.churnProbability).toBeGreaterThan(byCustomer[k - 1]?.churnProbability as number);
      expect(byCustomer[k]?.predictedLtv).toBeLessThan(byCustomer[k - 1]?.predictedLtv as number);
    }
    expect(byCustomer[0]?.churnCategory).toBe('low');
    expect(byCustomer[5]?.churnCategory).toBe('high');
  });

  it('LTV falls as churn risk rises on average across categories; one-time buyers are not called safe', () => {
    const byCategory = (category: string) => predictions.filter((p) => p.churnCategory === category);
    expect(byCategory('one-time').length).toBe(2357 - 946);
    expect(byCategory('one-time').every((p) => p.churnProbability === null)).toBe(true);
    const mean = (list: { predictedLtv: number }[]) => list.reduce((sum, p) => sum + p.predictedLtv, 0) / list.length;
    expect(byCategory('high').length).toBeGreaterThan(0);
    expect(byCategory('medium').length).toBeGreaterThan(0);
    expect(mean(byCategory('high'))).toBeLessThan(mean(byCategory('medium')));
    expect(mean(byCategory('medium'))).toBeLessThan(mean(byCategory('low')));
    expect(summary.churn.high.meanLtv).toBeLessThan(summary.churn.medium.meanLtv);
    expect(summary.churn.medium.meanLtv).toBeLessThan(summary.churn.low.meanLtv);
  });

  it('explains churn scores and summarises for dashboards', () => {
    const risky = predictions.find((p) => p.churnCategory === 'high');
    expect(risky?.contributions.map((c) => c.feature).sort()).toEqual(['frequency', 'timeSinceLastPurchase']);
    const total = summary.churn.low.customers + summary.churn.medium.customers + summary.churn.high.customers + summary.churn['one-time'].customers;
    expect(total).toBe(2357);
    expect(summary.ltv.top.minLtv).toBeGreaterThanOrEqual(summary.ltv.high.maxLtv);
    expect(summary.ltv.high.minLtv).toBeGreaterThanOrEqual(summary.ltv.medium.maxLtv);
    expect(summary.ltv.top.customers).toBe(Math.round(0.1 * 2357));
    expect(summary.actions.high.length).toBeGreaterThan(0);
  });

  it('pushPredictions sends every prediction as traits, in pages', async () => {
    const sent: CdpMessage[] = [];
    const sink: CdpSink = {
      name: 'capture',
      maxBatchSize: 500,
      async deliver(messages) {
        sent.push(...messages);
        return { rejected: [] };
      },
    };
    expect(await pushPredictions(warehouse, sink, { pageSize: 1000 })).toBe(2357);
    expect(new Set(sent.map((m) => m.userId)).size).toBe(2357);
    const first = sent[0];
    expect(first?.type === 'identify' ? Object.keys(first.traits ?? {}).sort() : []).toEqual([
      'churn_probability',
      'churn_risk',
      'expected_purchases',
      'ltv_segment',
      'predicted_ltv',
      'recommended_churn_actions',
    ]);
  });
});
