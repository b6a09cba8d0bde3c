import { logGamma } from '../math';
import { bgNbdExpectedGivenAlive as expectedGivenAlive } from './bgnbd-expectation';
import { object } from '../validate';
import { fitDiagnostics, fitTransactionModel } from './fit';
import { type AggregatedCustomers, aggregateCustomers, checkCustomer, checkCustomers, horizon, positive, type RfmCustomer } from './customers';

/** BG/NBD parameters (Fader, Hardie & Lee 2005): purchase rate λ ~ Gamma(r, α), dropout probability p ~ Beta(a, b). */
export interface BgNbdParams {
  /** Shape of the Gamma distribution of purchase rates. */
  r: number;
  /** Scale (rate) of the Gamma distribution of purchase rates, in the customers' time unit. */
  alpha: number;
  /** First shape of the Beta distribution of the dropout probability. */
  a: number;
  /** Second shape of the Beta distribution of the dropout probability. */
  b: number;
}

/** A fitted BG/NBD model: maximum-likelihood parameters and the fit's diagnostics. */
export interface BgNbdFit extends BgNbdParams {
  /** Log-likelihood at the parameters (FHL 2005, eq. 6 summed over customers). */
  logLikelihood: number;
  /**
   * Whether the optimiser met its tolerance at an interior solution: false when it ran out
   * of budget or a shape parameter is at a boundary (see `warnings`).
   */
  converged: boolean;
  /**
   * Why the fit should not be trusted as is, each boundary case starting with `boundary:`
   * (e.g. `boundary: dropout negligible …` or a and b diverging); empty for a clean fit.
   * Refit with `options.penalizer` (e.g. 0.001–0.1) to regularise a small cohort.
   */
  warnings: string[];
}

/** Options of {@link fitBgNbd}. */
export interface BgNbdFitOptions {
  /** Starting point; by default r = a = b = 1 and α = mean T / (mean x + 1), the rate implied by the data. */
  initial?: Partial<BgNbdParams> | undefined;
  /** Objective evaluation budget of the Nelder–Mead search (default 20 000). */
  maxEvaluations?: number | undefined;
  /**
   * L2 penalty on the ln-parameters added to the mean negative log-likelihood,
   * penalizer · Σ (ln θ)² (like lifetimes' `penalizer_coef`, on ln-parameters), ≥ 0
   * (default 0). Pulls small cohorts away from boundary solutions; the reported
   * `logLikelihood` is the unpenalised one.
   */
  penalizer?: number | undefined;
  /**
   * How many customers each entry of `customers` stands for (finite, > 0; default 1 each), as
   * lifetimes' `weights`: pass the distinct (x, tₓ, T) histories of a large cohort with their
   * counts instead of one entry per customer. The fit is the same as with the entries repeated.
   */
  weights?: readonly number[] | undefined;
}

/** Validates BG/NBD parameters (all finite and > 0). */
export function checkBgNbdParams(field: string, value: unknown): BgNbdParams {
  const o = object(field, value);
  return { r: positive(field, o, 'r'), alpha: positive(field, o, 'alpha'), a: positive(field, o, 'a'), b: positive(field, o, 'b') };
}

/**
 * Total BG/NBD log-likelihood (FHL 2005, eq. 6) over aggregated customers, in log space:
 * ln L = lnΓ(r+x) − lnΓ(r) + r ln α + ln B(a, b+x) − ln B(a, b)
 *        + ln[(α+T)^{−(r+x)} + 𝟙{x>0} a/(b+x−1) (α+tₓ)^{−(r+x)}],
 * so frequencies in the tens of thousands do not overflow.
 */
export function bgNbdLogLikelihoodAggregated(p: BgNbdParams, data: AggregatedCustomers): number {
  const { r, alpha, a, b } = p;
  const { xs, ts, txs } = data;
  // The sum is regrouped so large cohorts cost one exp and one log1p per distinct repeat
  // history: ln[(α+T)^{−(r+x)} + d (α+tₓ)^{−(r+x)}] = −(r+x) ln(α+T) + softplus(ln d − (r+x) ln[(α+tₓ)/(α+T)]),
  // the first part summed per distinct T (and per distinct x for the Gamma terms), the second
  // over the rows with x > 0 only (it vanishes at x = 0).
  const base = r * Math.log(alpha) - logGamma(r) + logGamma(a + b) - logGamma(b);
  const lnA = Math.log(a);
  const lnDrop = new Float64Array(xs.length);
  let ll = 0;
  for (let k = 0; k < xs.length; k++) {
    const x = xs[k] as number;
    ll += (data.xWeight[k] as number) * (base + logGamma(r + x) + logGamma(b + x) - logGamma(a + b + x));
    lnDrop[k] = x > 0 ? lnA - Math.log(b + x - 1) : Number.NEGATIVE_INFINITY;
  }
  const lnT = new Float64Array(ts.length);
  for (let t = 0; t < ts.length; t++) {
    lnT[t] = Math.log(alpha + (ts[t] as number));
    ll -= (lnT[t] as number) * (r * (data.tWeight[t] as number) + (data.tWeightX[t] as number));
  }
  const lnTx = new Float64Array(txs.length);
  for (let t = 0; t < txs.length; t++) lnTx[t] = Math.log(alpha + (txs[t] as number));
  const { xIndex, txIndex, tIndex, weight } = data.repeat;
  for (let i = 0; i < weight.length; i++) {
    const k = xIndex[i] as number;
    const d = (lnDrop[k] as number) - (r + (xs[k] as number)) * ((lnTx[txIndex[i] as number] as number) - (lnT[tIndex[i] as number] as number));
    ll += (weight[i] as number) * (d > 0 ? d + Math.log1p(Math.exp(-d)) : Math.log1p(Math.exp(d)));
  }
  return ll;
}

/** BG/NBD log-likelihood of a customer set at given parameters (FHL 2005, eq. 6). */
export function bgNbdLogLikelihood(params: BgNbdParams, customers: readonly RfmCustomer[]): number {
  const p = checkBgNbdParams('params', params);
  return bgNbdLogLikelihoodAggregated(p, aggregateCustomers(checkCustomers('customers', customers)));
}

/**
 * Fits the BG/NBD model by maximum likelihood (Fader, Hardie & Lee 2005, "Counting Your
 * Customers the Easy Way", eq. 6). Optimises ln-parameters with a restarted Nelder–Mead
 * search so positivity holds without constraints; customers are collapsed to distinct
 * (x, tₓ, T) rows first. Deterministic. On the CDNOW sample it reproduces the published
 * r = 0.243, α = 4.414, a = 0.793, b = 2.426, LL = −9582.4.
 */
export function fitBgNbd(customers: readonly RfmCustomer[], options: BgNbdFitOptions = {}): BgNbdFit {
  const weights = typeof options === 'object' && options !== null ? options.weights : undefined;
  const fit = fitTransactionModel(customers, options, ['r', 'alpha', 'a', 'b'], (scale) => ({ r: 1, alpha: scale, a: 1, b: 1 }), bgNbdLogLikelihoodAggregated, weights);
  const { r, alpha, a, b, logLikelihood } = fit;
  const mean = a / (a + b);
  const extra: string[] = [];
  const show = (v: number): string => v.toPrecision(3);
  // The dropout probability p ~ Beta(a, b): a and b diverging together collapse it to a
  // point; a negligible mean means the data carry no evidence of dropout at all.
  if (mean < 1e-5) extra.push(`boundary: dropout negligible (mean dropout probability a/(a+b) = ${show(mean)}, a = ${show(a)}, b = ${show(b)})`);
  else if (a > 1e5 || b > 1e5) {
    extra.push(`boundary: a = ${show(a)} and b = ${show(b)} diverge: every customer has the same dropout probability ${show(mean)} and the likelihood is flat in a + b`);
  } else if (a < 1e-5 || b < 1e-5) extra.push(`boundary: a = ${show(a)}, b = ${show(b)}: the dropout probability piles up at 0 or 1`);
  const diagnostics = fitDiagnostics(
    fit.converged,
    { r },
    (_, direction) => (direction === 'large' ? 'purchase rates do not vary across customers' : 'purchase rates collapse towards 0'),
    extra,
  );
  return { r, alpha, a, b, logLikelihood, ...diagnostics };
}

// ln of the odds that a customer has dropped out, ln[a/(b+x−1)] + (r+x) ln[(α+T)/(α+tₓ)]
// (FHL 2008 note "Computing P(alive) Using the BG/NBD Model"); −∞ when x = 0 since BG/NBD dropout follows a purchase.
function logDropoutOdds(p: BgNbdParams, x: number, tx: number, T: number): number {
  if (x === 0) return Number.NEGATIVE_INFINITY;
  return Math.log(p.a / (p.b + x - 1)) + (p.r + x) * (Math.log1p((T - tx) / (p.alpha + tx)));
}

/** Decomposition of the BG/NBD dropout log-odds, used to explain churn scores. */
export function bgNbdDropoutLogOdds(params: BgNbdParams, customer: RfmCustomer): { frequencyTerm: number; inactivityTerm: number } {
  const p = checkBgNbdParams('params', params);
  const c = checkCustomer('customer', customer);
  if (c.frequency === 0) return { frequencyTerm: Number.NEGATIVE_INFINITY, inactivityTerm: 0 };
  return {
    frequencyTerm: Math.log(p.a / (p.b + c.frequency - 1)),
    inactivityTerm: (p.r + c.frequency) * Math.log1p((c.T - c.recency) / (p.alpha + c.recency)),
  };
}

/**
 * Probability that a customer is still alive at T under the BG/NBD (Fader, Hardie & Lee
 * 2005; their note "Computing P(alive) Using the BG/NBD Model", 2008): 1 / (1 + 𝟙{x>0} a/(b+x−1)
 * ((α+T)/(α+tₓ))^{r+x}). Exactly 1 when `frequency` is 0 — in BG/NBD a customer can only
 * drop out right after a repeat purchase. Evaluated from the log-odds (an overflowing
 * exponential gives exactly 0), so it stays in [0, 1] for any frequency.
 */
export function bgNbdProbabilityAlive(params: BgNbdParams, customer: RfmCustomer): number {
  const p = checkBgNbdParams('params', params);
  const c = checkCustomer('customer', customer);
  return 1 / (1 + Math.exp(logDropoutOdds(p, c.frequency, c.recency, c.T)));
}

/**
 * Expected number of repeat purchases in the next `t` time units of a customer with history
 * (x, tₓ, T) — Fader, Hardie & Lee (2005), eq. 10: P(alive) · E_p[(1 − (1+pt/(α+T))^{−(r+x)})/p]
 * with p ~ Beta(a, b+x), summed as a series of positive terms (or, for heavy buyers, the
 * Euler-transformed hypergeometric series), so it is finite and accurate for every valid
 * parameter set: no overflow for large x or large a and b (where eq. 10 as written gives
 * NaN), no division by zero at a = 1. Non-negative and increasing in `t`.
 */
export function bgNbdExpectedPurchases(params: BgNbdParams, customer: RfmCustomer, t: number): number {
  const p = checkBgNbdParams('params', params);
  const c = checkCustomer('customer', customer);
  const time = horizon('t', t);
  const alive = 1 / (1 + Math.exp(logDropoutOdds(p, c.frequency, c.recency, c.T)));
  return Math.max(0, alive * expectedGivenAlive(p, c.frequency, c.T, time));
}

/**
 * Expected number of purchases in (0, t] by a randomly chosen new customer — Fader,
 * Hardie & Lee (2005), eq. 7: (a+b−1)/(a−1) · [1 − (α/(α+t))^r ₂F₁(r, b; a+b−1; t/(α+t))],
 * which is eq. 10 at x = tₓ = T = 0 and shares its stable evaluation.
 */
export function bgNbdExpectedPurchasesNew(params: BgNbdParams, t: number): number {
  const p = checkBgNbdParams('params', params);
  const time = horizon('t', t);
  return Math.max(0, expectedGivenAlive(p, 0, 0, time));
}
