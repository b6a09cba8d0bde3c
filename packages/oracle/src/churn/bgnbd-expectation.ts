import { expm1Ratio } from '../math';
import type { BgNbdParams } from './bgnbd';

const RESCALE = 1e250;

/**
 * E[purchases in (T, T+t] | alive at T, x] under the BG/NBD: the factor of FHL (2005) eq. 10
 * that multiplies P(alive), evaluated so it is finite and accurate over the whole parameter
 * space. Internal.
 *
 * Given alive, λ ~ Gamma(r+x, α+T) and the dropout probability p ~ Beta(a, b+x), and a
 * customer with (λ, p) makes (1 − e^{−λpt})/p purchases in t on average (FHL 2005, §3), so
 *   G = E_p[(1 − (1+pu)^{−k}) / p],   u = t/(α+T), k = r+x.
 * Expanding 1/p and (1+pu)^{−k} around p = 1 (q = 1−p; (1+pu)^{−k} = (1+u)^{−k}(1−zq)^{−k},
 * z = u/(1+u)) gives coefficients that are tail probabilities of N ~ NegBin(k, z), with
 * P(N = j) = (1−z)^k (k)_j zʲ / j!, and Beta moments E[qⁿ] = (b+x)_n/(a+b+x)_n; swapping the
 * two sums:
 *   G = Σ_{j≥1} P(N = j) · W_j,   W_j = Σ_{n<j} (b+x)_n / (a+b+x)_n.
 * Every term is positive, so there is no cancellation and no division by a−1; as a, b → ∞
 * the weights tend to their limit (W_j → 1 + … ) without overflow, which is where eq. 10's
 * hypergeometric term and (1−z)^{a−1} prefactor overflow and underflow together (a = 10⁵,
 * b = 10⁶ gave NaN). The sum is accumulated with a running log scale, so (1−z)^k may
 * underflow for huge k. It needs about k·u terms, so for heavy buyers (k·u large) with a
 * small a the Euler-transformed hypergeometric series below, whose length grows with a·u,
 * is used instead.
 */
export function bgNbdExpectedGivenAlive(p: BgNbdParams, x: number, T: number, t: number): number {
  if (!(t > 0)) return 0;
  const u = t / (p.alpha + T);
  const k = p.r + x;
  const lnOnePlusU = Math.log1p(u);
  // The transformed series is exact and bounded while (1−z)^{a−1} does not underflow; prefer
  // it only when it is much shorter than the positive series and its terms do not alternate
  // (a+b−1 ≥ r; otherwise the first −(a+b−1−r) terms cancel catastrophically).
  if (k * u > 2000 && p.a * u * 10 < k * u && (p.a - 1) * lnOnePlusU < 600 && p.a + p.b - 1 >= p.r) {
    const value = eulerSeries(p, x, u, lnOnePlusU);
    if (Number.isFinite(value)) return value;
  }
  // The negative binomial N has mean k·u and standard deviation √(k·u·(1+u)); its tail decays
  // like zʲ = (1 − 1/(1+u))ʲ. Beyond a few hundred thousand terms, integrate over p instead.
  const terms = k * u + 40 * Math.sqrt(k * u * (1 + u)) + 40 * (1 + u);
  if (terms < MAX_SERIES_TERMS) {
    const value = positiveSeries(p.a, p.b + x, k, u, lnOnePlusU);
    if (Number.isFinite(value)) return value;
  }
  return betaQuadrature(p.a, p.b + x, k, u);
}

const MAX_SERIES_TERMS = 50_000;

// Gauss–Legendre 8-point nodes and weights on [−1, 1].
const GL_X = [0.1834346424956498, 0.525532409916329, 0.7966664774136267, 0.9602898564975363];
const GL_W = [0.362683783378362, 0.3137066458778873, 0.2223810344533745, 0.1012285362903763];

/**
 * G = E_p[(1 − (1+pu)^{−k})/p] for p ~ Beta(a, b') by adaptive Gauss–Legendre quadrature
 * over d = θ − θ*, θ = logit p and θ* = ln(a/b') its mode, where the Beta density is
 * log-concave for every a, b' > 0. Its log relative to the mode,
 *   Δℓ(d) = a·d − (a+b') ln(1 + μ(e^d − 1))      (d ≤ 0, μ = a/(a+b')),
 *         = −b'·d − (a+b') ln(1 + (1−μ)(e^{−d} − 1))  (d ≥ 0),
 * is evaluated without the cancellation of aθ − (a+b') ln(1+e^θ), which for a ≈ 10⁷ would
 * leave noise that no tolerance can meet. The range is cut where Δℓ < −60, and the
 * unnormalised density is integrated alongside, so the Beta function is never needed. Used
 * for the extreme corners (t ≫ α+T, or huge k·u) where the series would need millions of
 * terms. Exported for tests only.
 */
export function betaQuadrature(a: number, bx: number, k: number, u: number): number {
  const mu = a / (a + bx);
  const nu = bx / (a + bx);
  const mode = Math.log(a) - Math.log(bx);
  const delta = (d: number): number =>
    d >= 0 ? -bx * d - (a + bx) * Math.log1p(nu * Math.expm1(-d)) : a * d - (a + bx) * Math.log1p(mu * Math.expm1(d));
  const width = Math.sqrt(1 / a + 1 / bx);
  const edge = (direction: 1 | -1): number => {
    let step = width;
    // Doubling reaches 1e300 in about a thousand steps from any positive width; the count cap
    // also ends the search for a width of 0 (parameters at ±∞), which would never grow.
    for (let i = 0; i < 2_000 && delta(direction * step) > -60 && step < 1e300; i++) step *= 2;
    let lo = 0;
    let hi = step;
    for (let i = 0; i < 60; i++) {
      const mid = (lo + hi) / 2;
      if (delta(direction * mid) > -60) lo = mid;
      else hi = mid;
    }
    return direction * hi;
  };
  const f = (d: number): number => {
    const theta = mode + d;
    const prob = theta > 0 ? 1 / (1 + Math.exp(-theta)) : Math.exp(theta - Math.log1p(Math.exp(theta)));
    const pu = prob * u;
    if (pu < 1e-10) return k * u * (1 - ((k + 1) * pu) / 2);
    return -Math.expm1(-k * Math.log1p(pu)) / prob;
  };
  // One panel: [∫ f·e^{Δℓ}, ∫ e^{Δℓ}].
  const panel = (lo: number, hi: number): [number, number] => {
    const half = (hi - lo) / 2;
    const mid = (hi + lo) / 2;
    let num = 0;
    let den = 0;
    for (let i = 0; i < 4; i++) {
      for (const sign of [-1, 1]) {
        const d = mid + sign * half * (GL_X[i] as number);
        const density = Math.exp(delta(d)) * (GL_W[i] as number) * half;
        num += f(d) * density;
        den += density;
      }
    }
    return [num, den];
  };
  // Bisect a panel until halving it changes its integrals by < 1e-12 of the mass near the
  // mode (a lower bound on the total); the smooth log-concave density needs few panels, and
  // the budget only guards against pathological rounding.
  const near = panel(-width, width)[1];
  const tolerance = 1e-12 * near;
  // Start from panels that grow geometrically away from the two places where the integrand
  // changes shape: the mode (d = 0, on the density's scale) and p ≈ 1/(k·u), where f turns
  // from its plateau k·u into 1/p (on the unit scale of θ). Adaptive bisection alone can
  // miss a feature that falls between the nodes of both a panel and its halves.
  const left = edge(-1);
  const right = edge(1);
  const breaks = new Set<number>([left, 0, right]);
  const bend = -Math.log(k * u) - mode;
  for (const [centre, unit] of [
    [0, width],
    [bend, 1],
  ] as const) {
    if (centre > left && centre < right) breaks.add(centre);
    for (let step = unit; step < right - left; step *= 2) {
      if (centre - step > left && centre - step < right) breaks.add(centre - step);
      if (centre + step > left && centre + step < right) breaks.add(centre + step);
    }
  }
  const sorted = [...breaks].sort((p, q) => p - q);
  const stack: [number, number, number, number][] = [];
  for (let i = 1; i < sorted.length; i++) {
    const lo = sorted[i - 1] as number;
    const hi = sorted[i] as number;
    stack.push([lo, hi, ...panel(lo, hi)]);
  }
  let num = 0;
  let den = 0;
  let budget = 4000;
  while (stack.length > 0) {
    const [lo, hi, n0, d0] = stack.pop() as [number, number, number, number];
    const mid = (lo + hi) / 2;
    const [n1, d1] = panel(lo, mid);
    const [n2, d2] = panel(mid, hi);
    budget--;
    const ratio = Math.max(1, Math.abs(n0 / (d0 || 1)));
    if (budget <= 0 || (Math.abs(d1 + d2 - d0) <= tolerance && Math.abs(n1 + n2 - n0) <= tolerance * ratio)) {
      num += n1 + n2;
      den += d1 + d2;
    } else {
      stack.push([lo, mid, n1, d1], [mid, hi, n2, d2]);
    }
  }
  return num / den;
}

function positiveSeries(a: number, bx: number, k: number, u: number, lnOnePlusU: number): number {
  const z = u / (1 + u);
  // term = P(N = j) / e^{lnScale}; starts at j = 0 with P(N = 0) = (1+u)^{−k}.
  let lnScale = -k * lnOnePlusU;
  let term = 1;
  let sum = 0;
  let weight = 1; // (b+x)_n / (a+b+x)_n at n = j − 1
  let cumulative = 0; // W_j
  for (let j = 1; j <= 2 * MAX_SERIES_TERMS; j++) {
    cumulative += weight;
    weight *= (bx + j - 1) / (a + bx + j - 1);
    term *= ((k + j - 1) * z) / j;
    sum += term * cumulative;
    if (sum > RESCALE || term > RESCALE) {
      const s = Math.max(sum, term);
      lnScale += Math.log(s);
      term /= s;
      sum /= s;
    }
    // Past the mode the ratio of consecutive terms is at most max((k+j)z/(j+1), z)·(j+1)/j
    // (W grows by at most a factor (j+1)/j), so the rest is bounded by a geometric tail.
    const bound = (Math.max(((k + j) * z) / (j + 1), z) * (j + 1)) / j;
    if ((bound < 1 && term * cumulative * bound <= 1e-17 * (1 - bound) * sum) || (term === 0 && sum > 0)) {
      return sum === 0 ? 0 : Math.exp(lnScale + Math.log(sum));
    }
  }
  return Number.NaN;
}

// FHL (2005) eq. 10 after Euler's transformation
// ₂F₁(A,B;C;z) = (1−z)^{C−A−B} ₂F₁(C−A, C−B; C; z) (Abramowitz & Stegun 15.3.3):
//   (1−z)^{r+x} ₂F₁(r+x, b+x; a+b+x−1; z) = (1−z)^{a−1} ₂F₁(a+b−1−r, a−1; a+b+x−1; z),
// with z = t/(α+T+t). The transformed series has bounded terms for any x (the original
// grows like (1−z)^{−x}), and splitting off its leading 1 makes the (a−1) division exact:
//   G = (a+b+x−1)(1 − (1−z)^{a−1})/(a−1) − (1−z)^{a−1} H,
//   H = Σ_{n≥1} (a+b−1−r)_n (a)_{n−1} zⁿ / ((a+b+x)_{n−1} n!).
function eulerSeries(p: BgNbdParams, x: number, u: number, lnOnePlusU: number): number {
  const { r, a, b } = p;
  const lnOneMinusZ = -lnOnePlusU;
  const z = u / (1 + u);
  const c = a + b + x - 1;
  const aPrime = a + b - 1 - r;
  let term = aPrime * z;
  let h = term;
  for (let n = 1; n < 1_000_000 && term !== 0; n++) {
    const ratio = ((aPrime + n) * (a - 1 + n) * z) / ((c + n) * (n + 1));
    if (aPrime + n > 0) {
      const bound = Math.max(ratio, z);
      if (bound < 1 && Math.abs(term) * bound <= 1e-16 * (1 - bound) * Math.abs(h)) break;
    }
    term *= ratio;
    h += term;
  }
  const pow = Math.exp((a - 1) * lnOneMinusZ);
  return c * -expm1Ratio(a - 1, lnOneMinusZ) - pow * h;
}
