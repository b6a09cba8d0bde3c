/** ln(e^a + e^b) without overflow; `-Infinity` operands are neutral. */
export function logAddExp(a: number, b: number): number {
  if (a === Number.NEGATIVE_INFINITY) return b;
  if (b === Number.NEGATIVE_INFINITY) return a;
  return a > b ? a + Math.log1p(Math.exp(b - a)) : b + Math.log1p(Math.exp(a - b));
}

/**
 * ln(e^a − e^b) for a ≥ b; `-Infinity` when equal and `NaN` when b > a, because callers
 * use it for differences that must be non-negative (e.g. the Pareto/NBD A₀ term).
 */
export function logSubExp(a: number, b: number): number {
  if (b === Number.NEGATIVE_INFINITY) return a;
  if (a < b) return Number.NaN;
  if (a === b) return Number.NEGATIVE_INFINITY;
  return a + Math.log(-Math.expm1(b - a));
}

/** ln Σ e^{xᵢ}, shifting by the maximum so no term overflows. `-Infinity` for an empty list. */
export function logSumExp(values: readonly number[]): number {
  let max = Number.NEGATIVE_INFINITY;
  for (const v of values) if (v > max) max = v;
  if (max === Number.NEGATIVE_INFINITY || !Number.isFinite(max)) return max;
  let sum = 0;
  for (const v of values) sum += Math.exp(v - max);
  return max + Math.log(sum);
}

/** ln(1 + e^x), exact for large |x| (the softplus). */
export function log1pExp(x: number): number {
  return x > 0 ? x + Math.log1p(Math.exp(-x)) : Math.log1p(Math.exp(x));
}

/** Logistic function 1 / (1 + e^{−x}), evaluated on the side that cannot overflow. */
export function sigmoid(x: number): number {
  if (x >= 0) return 1 / (1 + Math.exp(-x));
  const e = Math.exp(x);
  return e / (1 + e);
}

/** (e^{kx} − 1)/k, continuous at k = 0 where it equals x (used when a shape parameter crosses 1). */
export function expm1Ratio(k: number, x: number): number {
  const kx = k * x;
  if (Math.abs(kx) < 1e-12) return x * (1 + kx / 2);
  return Math.expm1(kx) / k;
}
