// Pareto/NBD log-likelihood against an independent quadrature of its latent-variable form
// (Fader & Hardie, "A Note on Deriving the Pareto/NBD Model and Related Expressions", 2005):
//   L = Γ(r+x)/Γ(r) · α^r β^s · [ (α+T)^−(r+x) (β+T)^−s + s ∫_{tₓ}^{T} (α+τ)^−(r+x) (β+τ)^−(s+1) dτ ]
// The reference uses neither ₂F₁ nor the code's Gauss–Legendre panels: Γ(r+x)/Γ(r) is a
// product (x is an integer) and the integral is composite Simpson in u = ln(τ + 1) on 20,001
// points. Covers both of the code's paths: the ₂F₁ series (moderate parameters) and the direct
// integral it switches to when one rate parameter dwarfs the other (the series would need more
// than 20,000 terms), which the pinned-value tests never reach.
import { describe, expect, it } from 'vitest';
import { type ParetoNbdParams, paretoNbdLogLikelihood } from '../src/churn';

function referenceLogLikelihood({ r, alpha, s, beta }: ParetoNbdParams, x: number, tx: number, T: number): number {
  let logRatio = 0;
  for (let k = 0; k < x; k++) logRatio += Math.log(r + k);
  const atT = -(r + x) * Math.log(alpha + T) - s * Math.log(beta + T);
  let integral = 0;
  if (T > tx) {
    const steps = 20_000;
    const a = Math.log(tx + 1);
    const b = Math.log(T + 1);
    const h = (b - a) / steps;
    const f = (u: number) => {
      const tau = Math.exp(u) - 1;
      return Math.exp(u - (r + x) * Math.log(alpha + tau) - (s + 1) * Math.log(beta + tau) - atT);
    };
    let sum = f(a) + f(b);
    for (let i = 1; i < steps; i++) sum += (i % 2 === 1 ? 4 : 2) * f(a + i * h);
    integral = (sum * h) / 3;
  }
  // Scaled by e^atT so neither term underflows: ln[e^atT (1 + s·I/e^atT)].
  return logRatio + r * Math.log(alpha) + s * Math.log(beta) + atT + Math.log1p(s * integral);
}

const cases: ReadonlyArray<readonly [string, ParetoNbdParams, number, number, number]> = [
  // ₂F₁ series path.
  ['moderate (CDNOW-like)', { r: 0.553, alpha: 10.578, s: 0.606, beta: 11.669 }, 2, 30.43, 38.86],
  ['moderate, α < β', { r: 1.2, alpha: 3, s: 0.8, beta: 40 }, 4, 20, 52],
  ['moderate, α > β', { r: 0.9, alpha: 30, s: 0.7, beta: 5 }, 3, 18, 40],
  ['moderate, α > β, tₓ = 0', { r: 2.5, alpha: 12, s: 1.1, beta: 1.5 }, 0, 0, 26],
  // Direct-integral path: α ≫ β and the ages, so zMax = (α−β)/(α+tₓ) is within ~1e-4 of 1.
  ['α dwarfs β and the ages', { r: 2, alpha: 5e5, s: 0.5, beta: 0.01 }, 3, 10, 40],
  ['β dwarfs α and the ages', { r: 0.7, alpha: 0.02, s: 1.5, beta: 2e5 }, 1, 5, 30],
  ['heavy buyer, α ≫ β', { r: 3, alpha: 2e5, s: 0.9, beta: 0.5 }, 25, 35, 36],
  ['no repeat purchase, α ≫ β', { r: 0.4, alpha: 1e6, s: 0.3, beta: 0.05 }, 0, 0, 50],
];

describe('paretoNbdLogLikelihood against an independent quadrature', () => {
  for (const [name, params, x, tx, T] of cases) {
    it(`${name}: x=${x}, tₓ=${tx}, T=${T}`, () => {
      const value = paretoNbdLogLikelihood(params, [{ frequency: x, recency: tx, T }]);
      const reference = referenceLogLikelihood(params, x, tx, T);
      expect(Number.isFinite(reference)).toBe(true);
      expect(Math.abs(value - reference)).toBeLessThan(1e-6 * Math.max(1, Math.abs(reference)));
    });
  }

  it('sums customers: the likelihood of two is the sum of each', () => {
    const params = { r: 2, alpha: 5e5, s: 0.5, beta: 0.01 };
    const both = paretoNbdLogLikelihood(params, [
      { frequency: 3, recency: 10, T: 40 },
      { frequency: 1, recency: 2, T: 25 },
    ]);
    expect(Math.abs(both - referenceLogLikelihood(params, 3, 10, 40) - referenceLogLikelihood(params, 1, 2, 25))).toBeLessThan(1e-5);
  });
});
