import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  type BgNbdParams,
  bgNbdExpectedPurchases,
  customerLifetimeValue,
  fitGammaGamma,
  type GammaGammaParams,
  gammaGammaExpectedAverageValue,
} from '../src/churn';
import { logGamma, mulberry32, normalSampler } from '../src/math';

const BG: BgNbdParams = { r: 0.243, alpha: 4.414, a: 0.793, b: 2.426 };
const GG: GammaGammaParams = { p: 6.25, q: 3.74, gamma: 15.44 };
const customer = { frequency: 2, recency: 30.43, T: 38.86, monetaryValue: 22.35 };

describe('Gamma-Gamma expected average value', () => {
  it('is the population mean pγ/(q−1) without repeat purchases', () => {
    expect(gammaGammaExpectedAverageValue(GG, { frequency: 0, monetaryValue: 0 })).toBeCloseTo((GG.p * GG.gamma) / (GG.q - 1), 12);
  });

  it('lies between the population mean and the customer mean, approaching the latter as x grows', () => {
    const population = (GG.p * GG.gamma) / (GG.q - 1);
    fc.assert(
      fc.property(fc.integer({ min: 1, max: 1000 }), fc.double({ min: 0.01, max: 1000, noNaN: true }), (x, m) => {
        const e = gammaGammaExpectedAverageValue(GG, { frequency: x, monetaryValue: m });
        expect(e).toBeGreaterThanOrEqual(Math.min(population, m) * (1 - 1e-12));
        expect(e).toBeLessThanOrEqual(Math.max(population, m) * (1 + 1e-12));
        const more = gammaGammaExpectedAverageValue(GG, { frequency: x + 10, monetaryValue: m });
        expect(Math.abs(more - m)).toBeLessThanOrEqual(Math.abs(e - m) + 1e-9);
      }),
    );
  });

  it('refuses q ≤ 1, where the mean is infinite', () => {
    expect(() => gammaGammaExpectedAverageValue({ ...GG, q: 1 }, { frequency: 1, monetaryValue: 5 })).toThrow(/params\.q/);
  });
});

describe('fitGammaGamma', () => {
  it('beats the true parameters on simulated data and recovers the population mean spend', () => {
    // Simulate z̄ = mean of x Gamma(p, ν) draws with ν ~ Gamma(q, γ): x·z̄ ~ Gamma(px, ν).
    const uniform = mulberry32(5);
    const normal = normalSampler(uniform);
    const gamma = (shape: number): number => {
      if (shape < 1) return gamma(shape + 1) * uniform() ** (1 / shape);
      const d = shape - 1 / 3;
      const c = 1 / Math.sqrt(9 * d);
      for (;;) {
        const x = normal();
        const v = (1 + c * x) ** 3;
        if (v > 0 && Math.log(uniform()) < 0.5 * x * x + d - d * v + d * Math.log(v)) return d * v;
      }
    };
    const truth = { p: 5, q: 4, gamma: 20 };
    const customers = Array.from({ length: 3000 }, (_, i) => {
      const x = 1 + (i % 6);
      const nu = gamma(truth.q) / truth.gamma;
      return { frequency: x, monetaryValue: gamma(truth.p * x) / nu / x };
    });
    const fit = fitGammaGamma([...customers, { frequency: 0, monetaryValue: 0 }]);
    expect(fit.converged).toBe(true);
    const ll = (g: GammaGammaParams) =>
      customers.reduce((s, { frequency: x, monetaryValue: m }) => {
        const px = g.p * x;
        return s + logGamma(px + g.q) - logGamma(px) - logGamma(g.q) + g.q * Math.log(g.gamma) + (px - 1) * Math.log(m) + px * Math.log(x) - (px + g.q) * Math.log(g.gamma + x * m);
      }, 0);
    expect(fit.logLikelihood).toBeCloseTo(ll(fit), 6);
    expect(fit.logLikelihood).toBeGreaterThanOrEqual(ll(truth) - 1e-6);
    const mean = (g: GammaGammaParams) => (g.p * g.gamma) / (g.q - 1);
    expect(Math.abs(mean(fit) - mean(truth)) / mean(truth)).toBeLessThan(0.1);
  });

  it('needs at least one repeat customer', () => {
    expect(() => fitGammaGamma([{ frequency: 0, monetaryValue: 0 }])).toThrow(/customers/);
  });
});

describe('customerLifetimeValue', () => {
  const base = { bgNbd: BG, gammaGamma: GG, customer, horizonMonths: 12, monthlyDiscountRate: 0.01, timeUnitsPerMonth: 4.345 };

  it('without discounting equals expected purchases over the horizon times expected value', () => {
    const clv = customerLifetimeValue({ ...base, monthlyDiscountRate: 0 });
    const purchases = bgNbdExpectedPurchases(BG, customer, 12 * 4.345);
    expect(clv).toBeCloseTo(purchases * gammaGammaExpectedAverageValue(GG, customer), 9);
  });

  it('matches the month-by-month discounted sum', () => {
    let expected = 0;
    const value = gammaGammaExpectedAverageValue(GG, customer);
    for (let m = 1; m <= 12; m++) {
      const month = bgNbdExpectedPurchases(BG, customer, m * 4.345) - bgNbdExpectedPurchases(BG, customer, (m - 1) * 4.345);
      expected += (month * value) / 1.01 ** m;
    }
    expect(customerLifetimeValue(base)).toBeCloseTo(expected, 10);
  });

  it('grows with the horizon, shrinks with the discount rate, and is 0 for a zero horizon', () => {
    expect(customerLifetimeValue({ ...base, horizonMonths: 0 })).toBe(0);
    expect(customerLifetimeValue({ ...base, horizonMonths: 24 })).toBeGreaterThan(customerLifetimeValue(base));
    expect(customerLifetimeValue({ ...base, monthlyDiscountRate: 0.05 })).toBeLessThan(customerLifetimeValue(base));
  });
});
