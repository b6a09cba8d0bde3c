import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  type BgNbdParams,
  bgNbdExpectedPurchases,
  bgNbdExpectedPurchasesNew,
  bgNbdLogLikelihood,
  bgNbdProbabilityAlive,
  fitBgNbd,
  type ParetoNbdParams,
  paretoNbdExpectedPurchases,
  paretoNbdLogLikelihood,
  paretoNbdProbabilityAlive,
  type RfmCustomer,
} from '../src/churn';
import { logGamma, mulberry32, normalSampler } from '../src/math';

const CDNOW_BG: BgNbdParams = { r: 0.243, alpha: 4.414, a: 0.793, b: 2.426 };
const CDNOW_PARETO: ParetoNbdParams = { r: 0.553, alpha: 10.578, s: 0.606, beta: 11.669 };

const positive = (min: number, max: number) => fc.double({ min, max, noNaN: true, noDefaultInfinity: true });
const bgParams = fc.record({ r: positive(0.05, 5), alpha: positive(0.1, 50), a: positive(0.05, 5), b: positive(0.05, 10) });
const paretoParams = fc.record({ r: positive(0.05, 5), alpha: positive(0.1, 50), s: positive(0.05, 5), beta: positive(0.1, 50) });
const customer: fc.Arbitrary<RfmCustomer> = fc
  .record({ x: fc.integer({ min: 0, max: 200 }), T: positive(0.1, 100), share: positive(0, 1) })
  .map(({ x, T, share }) => ({ frequency: x, recency: x === 0 ? 0 : T * share, T }));

// Eq. 10 of FHL (2005) evaluated literally, with a plain ₂F₁ series (fine for small x).
function directExpected(p: BgNbdParams, c: RfmCustomer, t: number): number {
  const { r, alpha, a, b } = p;
  const x = c.frequency;
  const z = t / (alpha + c.T + t);
  let term = 1;
  let f = 1;
  for (let n = 0; n < 5000; n++) {
    term *= ((r + x + n) * (b + x + n) * z) / ((a + b + x - 1 + n) * (n + 1));
    f += term;
    if (Math.abs(term) < 1e-17 * f) break;
  }
  const numerator = ((a + b + x - 1) / (a - 1)) * (1 - ((alpha + c.T) / (alpha + c.T + t)) ** (r + x) * f);
  const odds = x > 0 ? (a / (b + x - 1)) * ((alpha + c.T) / (alpha + c.recency)) ** (r + x) : 0;
  return numerator / (1 + odds);
}

describe('BG/NBD', () => {
  it('conditional expectation agrees with the literal eq. 10', () => {
    const cases: [BgNbdParams, RfmCustomer, number][] = [
      [CDNOW_BG, { frequency: 2, recency: 30.43, T: 38.86 }, 39],
      [CDNOW_BG, { frequency: 0, recency: 0, T: 38.86 }, 10],
      [CDNOW_BG, { frequency: 7, recency: 35, T: 38.86 }, 52],
      [{ r: 2, alpha: 3, a: 1.7, b: 0.4 }, { frequency: 3, recency: 5, T: 12 }, 8],
    ];
    for (const [p, c, t] of cases) {
      const expected = directExpected(p, c, t);
      expect(Math.abs(bgNbdExpectedPurchases(p, c, t) - expected)).toBeLessThan(1e-10 * Math.max(1, expected));
    }
  });

  it('is continuous at a = 1, where eq. 10 is 0/0', () => {
    const c = { frequency: 4, recency: 20, T: 30 };
    const at1 = bgNbdExpectedPurchases({ ...CDNOW_BG, a: 1 }, c, 26);
    const below = bgNbdExpectedPurchases({ ...CDNOW_BG, a: 1 - 1e-6 }, c, 26);
    const above = bgNbdExpectedPurchases({ ...CDNOW_BG, a: 1 + 1e-6 }, c, 26);
    expect(Number.isFinite(at1)).toBe(true);
    expect(at1).toBeCloseTo((below + above) / 2, 8);
  });

  it('eq. 7 (new customer) equals eq. 10 at x = tₓ = T = 0 and E[X(t)] grows like the rate early on', () => {
    expect(bgNbdExpectedPurchasesNew(CDNOW_BG, 39)).toBeCloseTo(directExpected(CDNOW_BG, { frequency: 0, recency: 0, T: 0 }, 39), 10);
    // For tiny t, E[X(t)] ≈ E[λ] t = (r/α) t.
    expect(bgNbdExpectedPurchasesNew(CDNOW_BG, 1e-4) / 1e-4).toBeCloseTo(CDNOW_BG.r / CDNOW_BG.alpha, 4);
    expect(bgNbdExpectedPurchasesNew(CDNOW_BG, 0)).toBe(0);
  });

  it('P(alive) is in [0, 1] and exactly 1 without repeat purchases', () => {
    fc.assert(
      fc.property(bgParams, customer, (p, c) => {
        const alive = bgNbdProbabilityAlive(p, c);
        expect(alive).toBeGreaterThanOrEqual(0);
        expect(alive).toBeLessThanOrEqual(1);
        if (c.frequency === 0) expect(alive).toBe(1);
      }),
    );
  });

  it('P(alive) falls as the customer stays inactive longer', () => {
    fc.assert(
      fc.property(bgParams, customer, positive(0.1, 50), (p, c, extra) => {
        fc.pre(c.frequency > 0);
        expect(bgNbdProbabilityAlive(p, { ...c, T: c.T + extra })).toBeLessThanOrEqual(bgNbdProbabilityAlive(p, c));
      }),
    );
  });

  it('expected purchases are non-negative and non-decreasing in t', () => {
    fc.assert(
      fc.property(bgParams, customer, positive(0, 100), positive(0, 100), (p, c, t1, dt) => {
        const e1 = bgNbdExpectedPurchases(p, c, t1);
        const e2 = bgNbdExpectedPurchases(p, c, t1 + dt);
        expect(e1).toBeGreaterThanOrEqual(0);
        expect(e2).toBeGreaterThanOrEqual(e1 - 1e-9 * Math.max(1, e1));
      }),
    );
  });

  it('handles huge frequencies without overflow', () => {
    const heavy = { frequency: 10_000, recency: 38, T: 39 };
    const ll = bgNbdLogLikelihood(CDNOW_BG, [heavy, { frequency: 0, recency: 0, T: 39 }]);
    expect(Number.isFinite(ll)).toBe(true);
    const alive = bgNbdProbabilityAlive(CDNOW_BG, heavy);
    expect(alive).toBeGreaterThan(0);
    expect(alive).toBeLessThanOrEqual(1);
    const e = bgNbdExpectedPurchases(CDNOW_BG, heavy, 39);
    expect(Number.isFinite(e)).toBe(true);
    // A customer buying ~256 times a week keeps roughly that pace (times P(alive)).
    expect(e / alive / 39).toBeGreaterThan(100);
    expect(bgNbdProbabilityAlive(CDNOW_BG, { frequency: 10_000, recency: 1, T: 39 })).toBe(0);
  });

  it('the fit on simulated BG/NBD data beats the true parameters and recovers the mean rate', () => {
    const truth: BgNbdParams = { r: 0.6, alpha: 5, a: 0.8, b: 2.5 };
    const customers = simulateBgNbd(truth, 4000, 40, 11);
    const fit = fitBgNbd(customers);
    expect(fit.converged).toBe(true);
    expect(fit.logLikelihood).toBeGreaterThanOrEqual(bgNbdLogLikelihood(truth, customers) - 1e-6);
    expect(Math.abs(fit.r / fit.alpha - truth.r / truth.alpha) / (truth.r / truth.alpha)).toBeLessThan(0.15);
  });
});

// Gamma draws by Marsaglia & Tsang (2000), with the boost for shape < 1.
function gammaSampler(uniform: () => number): (shape: number, rate: number) => number {
  const normal = normalSampler(uniform);
  const draw = (shape: number): number => {
    if (shape < 1) return draw(shape + 1) * uniform() ** (1 / shape);
    const d = shape - 1 / 3;
    const c = 1 / Math.sqrt(9 * d);
    for (;;) {
      const x = normal();
      const v = (1 + c * x) ** 3;
      if (v <= 0) continue;
      const u = uniform();
      if (Math.log(u) < 0.5 * x * x + d - d * v + d * Math.log(v)) return d * v;
    }
  };
  return (shape, rate) => draw(shape) / rate;
}

function simulateBgNbd(p: BgNbdParams, n: number, T: number, seed: number): RfmCustomer[] {
  const uniform = mulberry32(seed);
  const gamma = gammaSampler(uniform);
  const out: RfmCustomer[] = [];
  for (let i = 0; i < n; i++) {
    const lambda = gamma(p.r, p.alpha);
    const ga = gamma(p.a, 1);
    const dropout = ga / (ga + gamma(p.b, 1));
    let t = 0;
    let x = 0;
    let last = 0;
    for (;;) {
      t += -Math.log(1 - uniform()) / lambda;
      if (t > T) break;
      x++;
      last = t;
      if (uniform() < dropout) break;
    }
    out.push({ frequency: x, recency: last, T });
  }
  return out;
}

// P(alive) from the defining integral A₀ = ∫_{tₓ}^{T} (α+τ)^{−(r+x)} (β+τ)^{−(s+1)} dτ (Simpson's rule),
// independent of the hypergeometric closed form.
function paretoAliveByQuadrature(p: ParetoNbdParams, c: RfmCustomer): number {
  const { r, alpha, s, beta } = p;
  const x = c.frequency;
  // Scaled by the alive term (α+T)^{−(r+x)}(β+T)^{−s} so huge x cannot underflow.
  const f = (tau: number) =>
    Math.exp(-(r + x) * Math.log((alpha + tau) / (alpha + c.T)) - (s + 1) * Math.log(beta + tau) + s * Math.log(beta + c.T));
  const steps = 20_000;
  const h = (c.T - c.recency) / steps;
  let sum = f(c.recency) + f(c.T);
  for (let k = 1; k < steps; k++) sum += (k % 2 === 1 ? 4 : 2) * f(c.recency + k * h);
  return 1 / (1 + (s * sum * h) / 3);
}

describe('Pareto/NBD', () => {
  it('P(alive) agrees with direct integration for α < β, α > β and α = β', () => {
    const params: ParetoNbdParams[] = [CDNOW_PARETO, { r: 1.2, alpha: 20, s: 0.4, beta: 3 }, { r: 0.8, alpha: 6, s: 1.5, beta: 6 }];
    const customers: RfmCustomer[] = [
      { frequency: 0, recency: 0, T: 38.86 },
      { frequency: 2, recency: 30.43, T: 38.86 },
      { frequency: 9, recency: 4, T: 50 },
    ];
    for (const p of params) {
      for (const c of customers) expect(paretoNbdProbabilityAlive(p, c)).toBeCloseTo(paretoAliveByQuadrature(p, c), 8);
    }
  });

  it('log-likelihood matches the closed form for a single x = 0 customer with T = 0', () => {
    // With T = 0 the customer is alive with certainty: ln L = r ln α − r ln α + s ln β − s ln β = 0.
    expect(paretoNbdLogLikelihood(CDNOW_PARETO, [{ frequency: 0, recency: 0, T: 0 }])).toBeCloseTo(0, 12);
    expect(logGamma(1)).toBeCloseTo(0, 12);
  });

  it('P(alive) is in [0, 1] and expectations are non-negative and non-decreasing', () => {
    fc.assert(
      fc.property(paretoParams, customer, positive(0, 100), positive(0, 100), (p, c, t1, dt) => {
        const alive = paretoNbdProbabilityAlive(p, c);
        expect(alive).toBeGreaterThanOrEqual(0);
        expect(alive).toBeLessThanOrEqual(1);
        const e1 = paretoNbdExpectedPurchases(p, c, t1);
        const e2 = paretoNbdExpectedPurchases(p, c, t1 + dt);
        expect(e1).toBeGreaterThanOrEqual(0);
        expect(e2).toBeGreaterThanOrEqual(e1 - 1e-9 * Math.max(1, e1));
      }),
      { numRuns: 60 },
    );
  });

  it('expectation is continuous at s = 1', () => {
    const c = { frequency: 3, recency: 20, T: 30 };
    const at1 = paretoNbdExpectedPurchases({ ...CDNOW_PARETO, s: 1 }, c, 39);
    const near = paretoNbdExpectedPurchases({ ...CDNOW_PARETO, s: 1 + 1e-7 }, c, 39);
    expect(at1).toBeCloseTo(near, 6);
  });

  it('handles huge frequencies without overflow', () => {
    const heavy = { frequency: 10_000, recency: 38, T: 39 };
    expect(Number.isFinite(paretoNbdLogLikelihood(CDNOW_PARETO, [heavy]))).toBe(true);
    // ~256 purchases a week, then a silent week: almost surely gone.
    const alive = paretoNbdProbabilityAlive(CDNOW_PARETO, heavy);
    expect(Math.log(alive)).toBeCloseTo(Math.log(paretoAliveByQuadrature(CDNOW_PARETO, heavy)), 4);
    expect(Number.isFinite(paretoNbdExpectedPurchases(CDNOW_PARETO, heavy, 39))).toBe(true);
    const recent = { frequency: 10_000, recency: 38.999, T: 39 };
    expect(paretoNbdProbabilityAlive(CDNOW_PARETO, recent)).toBeCloseTo(paretoAliveByQuadrature(CDNOW_PARETO, recent), 8);
    expect(paretoNbdExpectedPurchases(CDNOW_PARETO, recent, 1)).toBeGreaterThan(200);
  });
});
