// Lanczos approximation (g = 7, n = 9; Numerical Recipes 3rd ed. §6.1 / Godfrey's coefficients):
// about 15 significant digits over the positive reals, which the likelihoods below need.
const LANCZOS_G = 7;
const LANCZOS = [
  0.99999999999980993, 676.5203681218851, -1259.1392167224028, 771.32342877765313, -176.61502916214059,
  12.507343278686905, -0.13857109526572012, 9.9843695780195716e-6, 1.5056327351493116e-7,
] as const;
const HALF_LOG_TWO_PI = 0.5 * Math.log(2 * Math.PI);

/**
 * Natural log of |Γ(x)| by the Lanczos approximation (Lanczos 1964, g = 7), with the
 * reflection formula Γ(x)Γ(1−x) = π / sin(πx) below 0.5. Returns `Infinity` at the poles
 * (0, −1, −2, …).
 */
export function logGamma(x: number): number {
  if (Number.isNaN(x)) return Number.NaN;
  if (x < 0.5) {
    if (Number.isInteger(x)) return Number.POSITIVE_INFINITY;
    return Math.log(Math.PI / Math.abs(Math.sin(Math.PI * x))) - logGamma(1 - x);
  }
  const z = x - 1;
  let sum = LANCZOS[0];
  for (let i = 1; i < LANCZOS.length; i++) sum += (LANCZOS[i] as number) / (z + i);
  const t = z + LANCZOS_G + 0.5;
  return HALF_LOG_TWO_PI + (z + 0.5) * Math.log(t) - t + Math.log(sum);
}

/** Natural log of the Beta function, ln B(a, b) = lnΓ(a) + lnΓ(b) − lnΓ(a + b). */
export function logBeta(a: number, b: number): number {
  return logGamma(a) + logGamma(b) - logGamma(a + b);
}
