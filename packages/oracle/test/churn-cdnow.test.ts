import { beforeAll, describe, expect, it } from 'vitest';
import { readDataset } from '../../../bench/signals/datasets';
import {
  bgNbdExpectedPurchases,
  fitBgNbd,
  fitGammaGamma,
  fitParetoNbd,
  type RfmRow,
  rfmSummary,
  type SpendCustomer,
} from '../src/churn';


// Published values: Fader, Hardie & Lee (2005) for BG/NBD and Gamma-Gamma; Fader & Hardie's
// Pareto/NBD note (see datasets/README.md).
const BG = { r: 0.243, alpha: 4.414, a: 0.793, b: 2.426, logLikelihood: -9582.4 };
const PARETO = { r: 0.553, alpha: 10.578, s: 0.606, beta: 11.669, logLikelihood: -9595.0 };
const GG = { p: 6.25, q: 3.74, gamma: 15.44 };

function expectWithinRelative(actual: number, published: number, tolerance = 0.005): void {
  expect(Math.abs(actual - published) / Math.abs(published)).toBeLessThan(tolerance);
}

function readSummary(): (SpendCustomer & { id: number })[] {
  return readDataset('cdnow/cdnow_customers_summary_with_transactions.csv')
    .trim()
    .split(/\r?\n/)
    .slice(1)
    .map((line) => {
      const [id, x, tx, T, zbar] = line.split(',').map(Number) as [number, number, number, number, number];
      return { id, frequency: x, recency: tx, T, monetaryValue: zbar };
    });
}

function readTransactions(): { customerId: number; at: string; value: number }[] {
  return readDataset('cdnow/CDNOW_sample.txt')
    .trim()
    .split(/\r?\n/)
    .map((line) => {
      const [, sampleId, ymd, , dollars] = line.trim().split(/\s+/) as [string, string, string, string, string];
      return { customerId: Number(sampleId), at: `${ymd.slice(0, 4)}-${ymd.slice(4, 6)}-${ymd.slice(6, 8)}`, value: Number(dollars) };
    });
}

describe('CDNOW reference (datasets/cdnow)', () => {
  let summary: (SpendCustomer & { id: number })[] = [];
  let rebuilt: RfmRow<number>[] = [];
  beforeAll(() => {
    summary = readSummary();
    rebuilt = rfmSummary(readTransactions(), { calibrationEnd: '1997-09-30', timeUnit: 'weeks' });
  });

  it('BG/NBD fit reproduces the published parameters and log-likelihood', () => {
    const fit = fitBgNbd(summary);
    expect(fit.converged).toBe(true);
    expectWithinRelative(fit.r, BG.r);
    expectWithinRelative(fit.alpha, BG.alpha);
    expectWithinRelative(fit.a, BG.a);
    expectWithinRelative(fit.b, BG.b);
    expect(Math.abs(fit.logLikelihood - BG.logLikelihood)).toBeLessThan(0.1);
    // FHL (2005, §4): a customer with x = 2, tₓ = 30.43, T = 38.86 is expected to make
    // 1.226 purchases in the next 39 weeks.
    expect(bgNbdExpectedPurchases(fit, { frequency: 2, recency: 30.43, T: 38.86 }, 39)).toBeCloseTo(1.226, 2);
  });

  it('Pareto/NBD fit reproduces the published parameters and log-likelihood', () => {
    const fit = fitParetoNbd(summary);
    expect(fit.converged).toBe(true);
    expectWithinRelative(fit.r, PARETO.r);
    expectWithinRelative(fit.alpha, PARETO.alpha);
    expectWithinRelative(fit.s, PARETO.s);
    expectWithinRelative(fit.beta, PARETO.beta);
    expect(Math.abs(fit.logLikelihood - PARETO.logLikelihood)).toBeLessThan(0.1);
  });

  it('Gamma-Gamma fit on the 946 repeat customers reproduces p, q, γ', () => {
    expect(summary.filter((c) => c.frequency > 0)).toHaveLength(946);
    const fit = fitGammaGamma(summary);
    expect(fit.converged).toBe(true);
    expectWithinRelative(fit.p, GG.p);
    expectWithinRelative(fit.q, GG.q);
    expectWithinRelative(fit.gamma, GG.gamma);
  });

  it('rfmSummary rebuilt from raw transactions matches the published summary', () => {
    expect(rebuilt).toHaveLength(summary.length);
    const byId = new Map(rebuilt.map((row) => [row.customerId, row]));
    for (const c of summary) {
      const row = byId.get(c.id);
      expect(row, `customer ${c.id}`).toBeDefined();
      if (!row) continue;
      expect(row.frequency).toBe(c.frequency);
      // The CSV rounds to two decimals.
      expect(Math.abs(row.recency - c.recency)).toBeLessThanOrEqual(0.005 + 1e-9);
      expect(Math.abs(row.T - c.T)).toBeLessThanOrEqual(0.005 + 1e-9);
      expect(Math.abs(row.monetaryValue - c.monetaryValue)).toBeLessThanOrEqual(0.005 + 1e-9);
    }
  });

  it('models fitted on the rebuilt summary reproduce the published values', () => {
    const bg = fitBgNbd(rebuilt);
    expectWithinRelative(bg.r, BG.r);
    expectWithinRelative(bg.alpha, BG.alpha);
    expectWithinRelative(bg.a, BG.a);
    expectWithinRelative(bg.b, BG.b);
    expect(Math.abs(bg.logLikelihood - BG.logLikelihood)).toBeLessThan(0.1);
    const pareto = fitParetoNbd(rebuilt);
    expectWithinRelative(pareto.r, PARETO.r);
    expectWithinRelative(pareto.alpha, PARETO.alpha);
    expectWithinRelative(pareto.s, PARETO.s);
    expectWithinRelative(pareto.beta, PARETO.beta);
    expect(Math.abs(pareto.logLikelihood - PARETO.logLikelihood)).toBeLessThan(0.1);
    const gg = fitGammaGamma(rebuilt);
    expectWithinRelative(gg.p, GG.p);
    expectWithinRelative(gg.q, GG.q);
    expectWithinRelative(gg.gamma, GG.gamma);
  });

  it('fits are deterministic', () => {
    expect(fitBgNbd(summary)).toEqual(fitBgNbd(summary));
  });
});
