import { describe, expect, it } from 'vitest';
import { readDataset } from '../../../bench/signals/datasets';
import { fitBgNbd, fitGammaGamma, type SpendCustomer } from '../src/churn';
import { OracleRangeError } from '../src/errors';

// `weights` (as lifetimes' fit(…, weights=)) lets a large cohort be fitted from its histogram of
// distinct histories: the fit must be the one on the customers themselves.

function readSummary(): SpendCustomer[] {
  return readDataset('cdnow/cdnow_customers_summary_with_transactions.csv')
    .trim()
    .split(/\r?\n/)
    .slice(1)
    .map((line) => {
      const [, x, tx, T, zbar] = line.split(',').map(Number) as [number, number, number, number, number];
      return { frequency: x, recency: tx, T, monetaryValue: zbar };
    });
}

/** Distinct entries with their counts, in first-seen order. */
function histogram<T>(items: readonly T[], key: (item: T) => string): { items: T[]; weights: number[] } {
  const index = new Map<string, number>();
  const out: { items: T[]; weights: number[] } = { items: [], weights: [] };
  for (const item of items) {
    const k = key(item);
    const at = index.get(k);
    if (at === undefined) {
      index.set(k, out.items.length);
      out.items.push(item);
      out.weights.push(1);
    } else out.weights[at] = (out.weights[at] as number) + 1;
  }
  return out;
}

const close = (actual: number, expected: number, relative = 1e-6) => expect(Math.abs(actual - expected)).toBeLessThanOrEqual(relative * Math.abs(expected));

describe('fits on weighted histories', () => {
  const customers = readSummary();

  it('BG/NBD on the (x, tₓ, T) histogram with counts equals the fit on every customer (CDNOW)', () => {
    const { items, weights } = histogram(customers, (c) => `${c.frequency}|${c.recency}|${c.T}`);
    expect(items.length).toBeLessThan(customers.length); // the histogram really collapses customers
    const plain = fitBgNbd(customers);
    const weighted = fitBgNbd(items, { weights });
    for (const key of ['r', 'alpha', 'a', 'b'] as const) close(weighted[key], plain[key]);
    close(weighted.logLikelihood, plain.logLikelihood, 1e-9);
    expect(weighted.converged).toBe(true);
  });

  it('Gamma-Gamma on distinct (x, z̄) with counts equals the fit on every customer; doubled weights double the log-likelihood only', () => {
    // Round spend to whole dollars so many customers share (x, z̄).
    const spenders = customers.filter((c) => c.frequency > 0).map((c) => ({ frequency: c.frequency, monetaryValue: Math.max(1, Math.round(c.monetaryValue)) }));
    const { items, weights } = histogram(spenders, (c) => `${c.frequency}|${c.monetaryValue}`);
    expect(items.length).toBeLessThan(spenders.length);
    const plain = fitGammaGamma(spenders);
    const weighted = fitGammaGamma(items, { weights });
    for (const key of ['p', 'q', 'gamma'] as const) close(weighted[key], plain[key], 1e-5);
    close(weighted.logLikelihood, plain.logLikelihood, 1e-9);
    // Doubling every weight doubles the log-likelihood and leaves the maximum where it is.
    const doubled = fitGammaGamma(items, { weights: weights.map((w) => 2 * w) });
    close(doubled.logLikelihood, 2 * plain.logLikelihood, 1e-9);
    close(doubled.p, plain.p, 1e-5);
  });

  it('customers with frequency 0 and their weights are skipped by Gamma-Gamma', () => {
    const base = fitGammaGamma([
      { frequency: 2, monetaryValue: 10 },
      { frequency: 1, monetaryValue: 30 },
      { frequency: 3, monetaryValue: 12 },
    ], { weights: [3, 1, 2] });
    const withZero = fitGammaGamma([
      { frequency: 2, monetaryValue: 10 },
      { frequency: 0, monetaryValue: 0 },
      { frequency: 1, monetaryValue: 30 },
      { frequency: 3, monetaryValue: 12 },
    ], { weights: [3, 100, 1, 2] });
    expect(withZero.logLikelihood).toBe(base.logLikelihood);
  });

  it('rejects weights of the wrong length or not > 0, naming the field', () => {
    const few = customers.slice(0, 3);
    expect(() => fitBgNbd(few, { weights: [1, 2] })).toThrow(OracleRangeError);
    expect(() => fitBgNbd(few, { weights: [1, 0, 1] })).toThrow(/options\.weights\[1\]/);
    expect(() => fitBgNbd(few, { weights: [1, Number.NaN, 1] })).toThrow(/options\.weights\[1\]/);
    expect(() => fitGammaGamma([{ frequency: 1, monetaryValue: 5 }], { weights: [-1] })).toThrow(/options\.weights\[0\]/);
    expect(() => fitGammaGamma([{ frequency: 1, monetaryValue: 5 }], { weights: 'many' as never })).toThrow(/options\.weights/);
  });
});
