const MAX_TERMS = 200_000;
const RESCALE = 1e280;

/**
 * ln ₂F₁(a, b; c; z) for a, b, c > 0 and 0 ≤ z < 1 by summing the Gauss series
 * (Abramowitz & Stegun 15.1.1). All terms are positive, so the sum is accumulated with a
 * running log scale instead of in plain doubles: with a or b in the thousands (customers
 * with huge frequencies) the partial sums exceed 1e308 long before the series converges.
 * Returns `NaN` outside the domain or if the series has not converged after 200 000 terms
 * (z extremely close to 1), which optimisers treat as an infeasible point.
 */
export function logHyp2f1(a: number, b: number, c: number, z: number): number {
  if (!(a > 0 && b > 0 && c > 0 && z >= 0 && z < 1)) return Number.NaN;
  if (z === 0) return 0;
  let logScale = 0;
  let term = 1;
  let sum = 1;
  for (let n = 0; n < MAX_TERMS; n++) {
    term *= ((a + n) * (b + n) * z) / ((c + n) * (n + 1));
    sum += term;
    if (sum > RESCALE) {
      logScale += Math.log(sum);
      term /= sum;
      sum = 1;
    }
    // The term ratio tends to z monotonically from one side, so once it is below 1 the tail
    // is bounded by a geometric series with ratio max(current ratio, z).
    const ratio = Math.max(((a + n + 1) * (b + n + 1) * z) / ((c + n + 1) * (n + 2)), z);
    if (ratio < 1 && term * ratio < sum * 1e-17 * (1 - ratio)) return logScale + Math.log(sum);
  }
  return Number.NaN;
}
