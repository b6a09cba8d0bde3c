import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  bgNbdExpectedPurchases,
  bgNbdExpectedPurchasesNew,
  bgNbdLogLikelihood,
  bgNbdProbabilityAlive,
  churnModelFromBgNbd,
  customerLifetimeValue,
  fitBgNbd,
  fitGammaGamma,
  fitParetoNbd,
  gammaGammaExpectedAverageValue,
  paretoNbdExpectedPurchases,
  paretoNbdLogLikelihood,
  paretoNbdProbabilityAlive,
  scoreChurn,
} from '../src/churn';
import { betaQuadrature } from '../src/churn/bgnbd-expectation';

// Log-uniform over [lo, hi]: parameters live on every scale, and the failures were at the far ends.
const logUniform = (lo: number, hi: number) => fc.double({ min: Math.log(lo), max: Math.log(hi), noNaN: true }).map(Math.exp);
const shape = logUniform(1e-4, 1e8);
const customer = fc
  .record({ frequency: fc.oneof(fc.constant(0), fc.integer({ min: 1, max: 20_000 })), T: logUniform(1e-3, 1e4), share: fc.double({ min: 0, max: 1, noNaN: true }) })
  .map(({ frequency, T, share }) => ({ frequency, recency: frequency === 0 ? 0 : T * share, T }));

// The seeded cohort the quickstart used without ../shared: its BG/NBD fit is a boundary solution.
function syntheticCohort(): { frequency: number; recency: number; T: number; monetaryValue: number }[] {
  let seed = 7;
  const random = () => {
    seed = (seed * 1103515245 + 12345) % 2147483648;
    return seed / 2147483648;
  };
  return Array.from({ length: 500 }, () => {
    const T = 20 + random() * 19;
    const frequency = random() < 0.6 ? 0 : Math.floor(random() * 8);
    const recency = frequency === 0 ? 0 : random() * T;
    return { frequency, recency, T, monetaryValue: frequency === 0 ? 0 : 10 + random() * 40 };
  });
}

describe('churn closed forms are finite over the whole parameter space', () => {
  it('bgNbdExpectedPurchases with a, b large matches the exact value (was NaN)', () => {
    const p = { r: 1, alpha: 1, a: 1e5, b: 1e6 };
    // References: FHL (2005) eq. 10 in 50-digit arithmetic (mpmath hyp2f1).
    expect(bgNbdExpectedPurchases(p, { frequency: 3, recency: 5, T: 10 }, 5)).toBeCloseTo(0.7723249952773987, 13);
    expect(bgNbdExpectedPurchases(p, { frequency: 0, recency: 0, T: 10 }, 5)).toBeCloseTo(0.4365079427567523, 13);
    const degenerate = { r: 0.11667421078579997, alpha: 0.5586660148636013, a: 2800886.8936062646, b: 15095430.507751763 };
    expect(bgNbdExpectedPurchases(degenerate, { frequency: 5, recency: 12, T: 37 }, 52)).toBeCloseTo(0.07867525726430029, 13);
  });

  it('tends to the model’s limit as a, b → ∞ with a/(a+b) fixed (a point mass for the dropout probability)', () => {
    // With p fixed, E = P(alive) · (1 − (1 + p·t/(α+T))^{−(r+x)}) / p (FHL 2005, §3).
    const c = { frequency: 4, recency: 20, T: 30 };
    const r = 0.5;
    const alpha = 3;
    const p0 = 0.2;
    const limit = (1 - (1 + (p0 * 26) / (alpha + 30)) ** -(r + 4)) / p0;
    const aliveLimit = 1 / (1 + (p0 / (1 - p0)) * ((alpha + 30) / (alpha + 20)) ** (r + 4));
    let previousGap = Number.POSITIVE_INFINITY;
    for (const scale of [1e2, 1e4, 1e6, 1e9, 1e12]) {
      const value = bgNbdExpectedPurchases({ r, alpha, a: p0 * scale, b: (1 - p0) * scale }, c, 26);
      const gap = Math.abs(value - limit * aliveLimit);
      expect(gap).toBeLessThanOrEqual(previousGap);
      previousGap = gap;
    }
    expect(previousGap).toBeLessThan(1e-9);
  });

  it('the p-quadrature used in extreme corners agrees with the series where both apply', () => {
    // G for CDNOW's parameters and FHL's example customer (x = 2, tₓ = 30.43, T = 38.86, t = 39), times P(alive) = 1.226.
    const p = { r: 0.243, alpha: 4.414, a: 0.793, b: 2.426 };
    const c = { frequency: 2, recency: 30.43, T: 38.86 };
    const series = bgNbdExpectedPurchases(p, c, 39) / bgNbdProbabilityAlive(p, c);
    expect(betaQuadrature(p.a, p.b + 2, p.r + 2, 39 / (p.alpha + c.T))).toBeCloseTo(series, 11);
    // A tiny a with a heavy buyer over a long horizon: 270468.8327661744 in 60-digit arithmetic.
    expect(betaQuadrature(0.0011562003697964778, 741.0138256431188, 741.8352616618089, 704.3829062362092 / (1.87953421387127 + 0.04145954401286081)) / 270468.8327661744).toBeCloseTo(1, 10);
  });

  it('no exported churn or CLV function returns NaN or ±Infinity for finite valid inputs', () => {
    fc.assert(
      fc.property(
        fc.record({ r: shape, alpha: shape, a: shape, b: shape }),
        fc.record({ r: shape, alpha: shape, s: shape, beta: shape }),
        fc.record({ p: shape, q: logUniform(1 + 1e-6, 1e8), gamma: shape }),
        customer,
        logUniform(1e-4, 1e4),
        logUniform(1e-2, 1e6),
        (bg, pareto, gg, c, t, spend) => {
          const monetaryValue = c.frequency === 0 ? 0 : spend;
          const values = {
            bgNbdExpectedPurchases: bgNbdExpectedPurchases(bg, c, t),
            bgNbdExpectedPurchasesNew: bgNbdExpectedPurchasesNew(bg, t),
            bgNbdProbabilityAlive: bgNbdProbabilityAlive(bg, c),
            bgNbdLogLikelihood: bgNbdLogLikelihood(bg, [c]),
            paretoNbdExpectedPurchases: paretoNbdExpectedPurchases(pareto, c, t),
            paretoNbdProbabilityAlive: paretoNbdProbabilityAlive(pareto, c),
            paretoNbdLogLikelihood: paretoNbdLogLikelihood(pareto, [c]),
            gammaGammaExpectedAverageValue: gammaGammaExpectedAverageValue(gg, { frequency: c.frequency, monetaryValue }),
            customerLifetimeValue: customerLifetimeValue({
              bgNbd: bg,
              gammaGamma: gg,
              customer: { ...c, monetaryValue },
              horizonMonths: 12,
              monthlyDiscountRate: 0.01,
              timeUnitsPerMonth: 4.345,
            }),
            scoreChurn: scoreChurn(churnModelFromBgNbd(bg), c).probability,
          };
          for (const [name, value] of Object.entries(values)) expect(Number.isFinite(value), `${name} = ${value}`).toBe(true);
          expect(values.bgNbdProbabilityAlive).toBeGreaterThanOrEqual(0);
          expect(values.bgNbdProbabilityAlive).toBeLessThanOrEqual(1);
          expect(values.paretoNbdProbabilityAlive).toBeGreaterThanOrEqual(0);
          expect(values.paretoNbdProbabilityAlive).toBeLessThanOrEqual(1);
          expect(values.bgNbdExpectedPurchases).toBeGreaterThanOrEqual(0);
          expect(values.paretoNbdExpectedPurchases).toBeGreaterThanOrEqual(0);
        },
      ),
      { numRuns: 300, seed: 20261203 },
    );
  });

  it('fits of small random cohorts return finite parameters and finite predictions', () => {
    fc.assert(
      fc.property(fc.array(customer, { minLength: 1, maxLength: 12 }), (cohort) => {
        const bg = fitBgNbd(cohort, { maxEvaluations: 800 });
        const pareto = fitParetoNbd(cohort, { maxEvaluations: 800 });
        for (const v of [bg.r, bg.alpha, bg.a, bg.b, bg.logLikelihood, pareto.r, pareto.alpha, pareto.s, pareto.beta, pareto.logLikelihood]) {
          expect(Number.isFinite(v)).toBe(true);
        }
        expect(Number.isFinite(bgNbdExpectedPurchases(bg, cohort[0] as (typeof cohort)[number], 10))).toBe(true);
        expect(Number.isFinite(paretoNbdExpectedPurchases(pareto, cohort[0] as (typeof cohort)[number], 10))).toBe(true);
        if (!bg.converged) expect(bg.warnings.length).toBeGreaterThan(0);
      }),
      { numRuns: 10, seed: 7 },
    );
  });
});

describe('degenerate fits say so', () => {
  it('a BG/NBD fit where a and b diverge reports converged: false with a boundary warning', () => {
    const fit = fitBgNbd(syntheticCohort());
    expect(fit.a).toBeGreaterThan(1e5);
    expect(fit.converged).toBe(false);
    expect(fit.warnings.some((w) => w.startsWith('boundary:') && w.includes('dropout probability'))).toBe(true);
    // The predictions stay finite at the boundary.
    expect(Number.isFinite(bgNbdExpectedPurchases(fit, { frequency: 5, recency: 12, T: 37 }, 52))).toBe(true);
  });

  it('reports negligible dropout when nobody appears to leave', () => {
    // Every customer bought steadily up to the end of calibration: no evidence of dropout.
    const steady = Array.from({ length: 200 }, (_, i) => ({ frequency: 5 + (i % 7), recency: 40, T: 40 }));
    const fit = fitBgNbd(steady);
    expect(fit.converged).toBe(false);
    expect(fit.warnings.some((w) => w.startsWith('boundary:'))).toBe(true);
  });

  it('a Gamma-Gamma fit with no spend heterogeneity reports q at its boundary', () => {
    // Every customer's mean spend is the same: ν does not vary and q → ∞.
    const spend = Array.from({ length: 300 }, (_, i) => ({ frequency: 1 + (i % 9), monetaryValue: 30 }));
    const fit = fitGammaGamma(spend);
    expect(fit.converged).toBe(false);
    expect(fit.warnings.some((w) => w.startsWith('boundary: q'))).toBe(true);
  });

  it('penalizer regularises the boundary fit into an interior one', () => {
    const cohort = syntheticCohort();
    const fit = fitBgNbd(cohort, { penalizer: 0.01 });
    expect(fit.converged).toBe(true);
    expect(fit.warnings).toEqual([]);
    expect(fit.a).toBeLessThan(100);
    expect(fit.b).toBeLessThan(100);
    // The reported log-likelihood is the unpenalised one, so it is below the unpenalised optimum.
    expect(fit.logLikelihood).toBeLessThan(fitBgNbd(cohort).logLikelihood);
    expect(fitGammaGamma(cohort, { penalizer: 0.01 }).converged).toBe(true);
  });

  it('rejects a negative penalizer naming the option', () => {
    expect(() => fitBgNbd(syntheticCohort(), { penalizer: -1 })).toThrow(/options\.penalizer/);
    expect(() => fitGammaGamma([{ frequency: 1, monetaryValue: 1 }], { penalizer: Number.NaN })).toThrow(/options\.penalizer/);
  });
});
