import { expm1Ratio, log1pExp, logAddExp, logGamma, logHyp2f1, logSumExp } from '../math';
import { object } from '../validate';
import { fitDiagnostics, fitTransactionModel } from './fit';
import { type AggregatedCustomers, aggregateCustomers, checkCustomer, checkCustomers, horizon, positive, type RfmCustomer } from './customers';

/** Pareto/NBD parameters (Schmittlein, Morrison & Colombo 1987): purchase rate λ ~ Gamma(r, α), dropout rate μ ~ Gamma(s, β). */
export interface ParetoNbdParams {
  /** Shape of the Gamma distribution of purchase rates. */
  r: number;
  /** Rate of the Gamma distribution of purchase rates. */
  alpha: number;
  /** Shape of the Gamma distribution of dropout rates. */
  s: number;
  /** Rate of the Gamma distribution of dropout rates. */
  beta: number;
}

/** A fitted Pareto/NBD model with its log-likelihood and convergence flag. */
export interface ParetoNbdFit extends ParetoNbdParams {
  /** Log-likelihood at the parameters (Fader & Hardie 2005 note, summed over customers). */
  logLikelihood: number;
  /**
   * Whether the optimiser met its tolerance at an interior solution: false when it ran out
   * of budget or a shape parameter is at a boundary (see `warnings`).
   */
  converged: boolean;
  /** Why the fit should not be trusted as is, each boundary case starting with `boundary:`; empty for a clean fit. */
  warnings: string[];
}

/** Options of {@link fitParetoNbd}. */
export interface ParetoNbdFitOptions {
  /** Starting point; by default r = s = 1 and α = β = mean T / (mean x + 1). */
  initial?: Partial<ParetoNbdParams> | undefined;
  /** Objective evaluation budget of the Nelder–Mead search (default 20 000). */
  maxEvaluations?: number | undefined;
  /**
   * L2 penalty on the ln-parameters added to the mean negative log-likelihood,
   * penalizer · Σ (ln θ)², ≥ 0 (default 0); the reported `logLikelihood` is unpenalised.
   */
  penalizer?: number | undefined;
}

function checkParams(field: string, value: unknown): ParetoNbdParams {
  const o = object(field, value);
  return { r: positive(field, o, 'r'), alpha: positive(field, o, 'alpha'), s: positive(field, o, 's'), beta: positive(field, o, 'beta') };
}

// ln A₀ of Fader & Hardie's "A Note on Deriving the Pareto/NBD Model and Related
// Expressions" (2005), i.e. ln ∫_{tₓ}^{T} (α+τ)^{−(r+x)} (β+τ)^{−(s+1)} dτ · (r+s+x).
// The ₂F₁ argument (|α−β|)/(max(α,β)+t) is in [0, 1), and all series terms are positive, so
// logHyp2f1 sums it in log space.
function logA0(p: ParetoNbdParams, x: number, tx: number, T: number): number {
  if (tx >= T) return Number.NEGATIVE_INFINITY;
  const { r, alpha, s, beta } = p;
  const big = Math.max(alpha, beta);
  const diff = Math.abs(alpha - beta);
  const second = alpha >= beta ? s + 1 : r + x;
  const rsx = r + s + x;
  // The series needs about (b·z + 40)/(1 − z) terms (b its second parameter); when that is
  // large (one rate parameter dwarfs the other and the ages, or a huge shape), integrate instead.
  const zMax = diff / (big + tx);
  // Both paths compute the same integral (test/churn-pareto-quadrature.test.ts checks each against
  // an independent quadrature), so mutating this switch changes the cost, never the value.
  // Stryker disable next-line ConditionalExpression,EqualityOperator,ArithmeticOperator: equivalent (cost only)
  if ((second * zMax + 40) / (1 - zMax) > 20_000) return Math.log(rsx) + paretoLogIntegral(p, x, tx, T);
  const at = (t: number): number => logHyp2f1(rsx, second, rsx + 1, diff / (big + t)) - rsx * Math.log(big + t);
  const hi = at(tx);
  const lo = at(T);
  // The series does not converge (or overflows) when the argument is within ~1e-5 of 1
  // (one rate parameter dwarfs the other and the ages); integrate directly instead.
  if (!Number.isFinite(hi) || !Number.isFinite(lo)) return Math.log(rsx) + paretoLogIntegral(p, x, tx, T);
  // Rounding can invert two nearly equal terms when tₓ ≈ T; the difference is then ~0.
  if (!(hi > lo)) return Number.isNaN(hi) || Number.isNaN(lo) ? Number.NaN : Number.NEGATIVE_INFINITY;
  return hi + Math.log(-Math.expm1(lo - hi));
}

const MAX_PANELS = 5_000;
const GL_X = [0.1834346424956498, 0.525532409916329, 0.7966664774136267, 0.9602898564975363];
const GL_W = [0.362683783378362, 0.3137066458778873, 0.2223810344533745, 0.1012285362903763];

// ln ∫_{tₓ}^{T} (α+τ)^{−(r+x)} (β+τ)^{−(s+1)} dτ by composite Gauss–Legendre in log space
// over v = ln(min(α,β) + τ), where the integrand (times e^v) varies smoothly even when the
// smaller rate parameter is tiny next to the ages.
export function paretoLogIntegral(p: ParetoNbdParams, x: number, tx: number, T: number): number {
  const m = p.r + x;
  const n = p.s + 1;
  const c = Math.min(p.alpha, p.beta);
  const lo = Math.log(c + tx);
  const hi = Math.log(c + T);
  // The integrand decays like e^{−(m+n−1)v}: panels start at a width it barely changes over
  // and grow geometrically, so heavy buyers (large m) are resolved where their mass is.
  let width = Math.min((hi - lo) / 64, 0.5 / (m + n));
  // Geometric growth needs a few hundred panels at most; a width that is 0 or NaN (parameters
  // at ±∞, or a bug) must not spin for ever inside an optimiser, so the count is capped and an
  // unfinished integral is NaN, which the fit treats as an infeasible point.
  if (!(width > 0)) return Number.NaN;
  const logs: number[] = [];
  let panels = 0;
  for (let start = lo; start < hi; start += width, width *= 1.25) {
    if (++panels > MAX_PANELS) return Number.NaN;
    const w = Math.min(width, hi - start);
    const mid = start + w / 2;
    for (let i = 0; i < 4; i++) {
      for (const sign of [-1, 1]) {
        const v = mid + (sign * w * (GL_X[i] as number)) / 2;
        const tau = Math.exp(v);
        logs.push(Math.log(((GL_W[i] as number) * w) / 2) + v - m * Math.log(p.alpha - c + tau) - n * Math.log(p.beta - c + tau));
      }
    }
  }
  return logSumExp(logs);
}

// ln of the ratio P(dead)/P(alive): ln[s/(r+s+x)] + (r+x) ln(α+T) + s ln(β+T) + ln A₀.
function logDeadOdds(p: ParetoNbdParams, x: number, tx: number, T: number): number {
  return Math.log(p.s / (p.r + p.s + x)) + (p.r + x) * Math.log(p.alpha + T) + p.s * Math.log(p.beta + T) + logA0(p, x, tx, T);
}

function logLikelihoodAggregated(p: ParetoNbdParams, data: AggregatedCustomers): number {
  const { r, alpha, s, beta } = p;
  const base = r * Math.log(alpha) + s * Math.log(beta) - logGamma(r);
  const lnS = Math.log(s);
  let ll = 0;
  for (let i = 0; i < data.weight.length; i++) {
    const x = data.xs[data.xIndex[i] as number] as number;
    const tx = data.txs[data.txIndex[i] as number] as number;
    const T = data.ts[data.tIndex[i] as number] as number;
    const alive = -(r + x) * Math.log(alpha + T) - s * Math.log(beta + T);
    const dead = lnS - Math.log(r + s + x) + logA0(p, x, tx, T);
    ll += (data.weight[i] as number) * (base + logGamma(r + x) + logAddExp(alive, dead));
  }
  return ll;
}

/** Pareto/NBD log-likelihood of a customer set at given parameters (Fader & Hardie 2005 note). */
export function paretoNbdLogLikelihood(params: ParetoNbdParams, customers: readonly RfmCustomer[]): number {
  return logLikelihoodAggregated(checkParams('params', params), aggregateCustomers(checkCustomers('customers', customers)));
}

/**
 * Fits the Pareto/NBD model (Schmittlein, Morrison & Colombo 1987) by maximum likelihood,
 * using the closed-form likelihood of Fader & Hardie's 2005 note with the
 * Gauss hypergeometric function summed in log space. Restarted Nelder–Mead on
 * ln-parameters over distinct (x, tₓ, T) rows; deterministic. On CDNOW it reproduces
 * r = 0.553, α = 10.578, s = 0.606, β = 11.669, LL = −9595.0.
 */
export function fitParetoNbd(customers: readonly RfmCustomer[], options: ParetoNbdFitOptions = {}): ParetoNbdFit {
  const fit = fitTransactionModel(customers, options, ['r', 'alpha', 's', 'beta'], (scale) => ({ r: 1, alpha: scale, s: 1, beta: scale }), logLikelihoodAggregated);
  const { r, alpha, s, beta, logLikelihood } = fit;
  const diagnostics = fitDiagnostics(fit.converged, { r, s }, (name, direction) => {
    const what = name === 'r' ? 'purchase' : 'dropout';
    return direction === 'large' ? `${what} rates do not vary across customers` : `${what} rates collapse towards 0`;
  });
  return { r, alpha, s, beta, logLikelihood, ...diagnostics };
}

/**
 * Probability that a customer is still alive at T under the Pareto/NBD (Fader & Hardie
 * 2005 note): 1 / (1 + s/(r+s+x) (α+T)^{r+x} (β+T)^s A₀), evaluated on the log-odds.
 */
export function paretoNbdProbabilityAlive(params: ParetoNbdParams, customer: RfmCustomer): number {
  const p = checkParams('params', params);
  const c = checkCustomer('customer', customer);
  return Math.exp(-log1pExp(logDeadOdds(p, c.frequency, c.recency, c.T)));
}

/**
 * Expected purchases in the next `t` time units given (x, tₓ, T) under the Pareto/NBD
 * (Schmittlein, Morrison & Colombo 1987; Fader & Hardie 2005 note):
 * P(alive) · (r+x)(β+T) / ((α+T)(s−1)) · [1 − ((β+T)/(β+T+t))^{s−1}], continuous at s = 1
 * where it becomes (r+x)(β+T)/(α+T) · ln((β+T+t)/(β+T)).
 */
export function paretoNbdExpectedPurchases(params: ParetoNbdParams, customer: RfmCustomer, t: number): number {
  const p = checkParams('params', params);
  const c = checkCustomer('customer', customer);
  const time = horizon('t', t);
  if (time === 0) return 0;
  const alive = Math.exp(-log1pExp(logDeadOdds(p, c.frequency, c.recency, c.T)));
  const growth = -expm1Ratio(p.s - 1, -Math.log1p(time / (p.beta + c.T)));
  return Math.max(0, alive * ((p.r + c.frequency) * (p.beta + c.T) * growth) / (p.alpha + c.T));
}
