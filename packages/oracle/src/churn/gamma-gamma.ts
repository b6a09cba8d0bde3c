import { OracleRangeError } from '../errors';
import { logGamma, nelderMead } from '../math';
import { array, finiteNumber, object } from '../validate';
import { checkWeights, positive } from './customers';
import { fitDiagnostics, logPenalty, outOfRange, readPenalizer } from './fit';

/**
 * Gamma-Gamma spend parameters (Fader, Hardie & Lee 2005, "RFM and CLV: Using Iso-Value
 * Curves for Customer Base Analysis"; Fader & Hardie's note "The Gamma-Gamma Model of
 * Monetary Value", 2013): transaction values ~ Gamma(p, ν), ν ~ Gamma(q, γ).
 */
export interface GammaGammaParams {
  /** Shape of the per-transaction value distribution. */
  p: number;
  /** Shape of the Gamma distribution of ν across customers. */
  q: number;
  /** Scale of the Gamma distribution of ν across customers. */
  gamma: number;
}

/** A fitted Gamma-Gamma model with its log-likelihood and convergence flag. */
export interface GammaGammaFit extends GammaGammaParams {
  /** Log-likelihood of the observed mean spends (Fader & Hardie 2013 note, summed over customers). */
  logLikelihood: number;
  /**
   * Whether the optimiser met its tolerance at an interior solution: false when it ran out
   * of budget or a shape parameter is at a boundary (see `warnings`).
   */
  converged: boolean;
  /** Why the fit should not be trusted as is, each boundary case starting with `boundary:`; empty for a clean fit. */
  warnings: string[];
}

/** A customer as seen by the spend model: repeat purchases x and their mean value z̄. */
export interface SpendObservation {
  /** Number of repeat purchases x. */
  frequency: number;
  /** Mean value of those purchases z̄ (> 0 when `frequency` > 0). */
  monetaryValue: number;
}

/** Options of {@link fitGammaGamma}. */
export interface GammaGammaFitOptions {
  /** Starting point (default p = q = γ = 1). */
  initial?: Partial<GammaGammaParams> | undefined;
  /** Objective evaluation budget of the Nelder–Mead search (default 20 000). */
  maxEvaluations?: number | undefined;
  /**
   * L2 penalty on the ln-parameters added to the mean negative log-likelihood,
   * penalizer · Σ (ln θ)², ≥ 0 (default 0); the reported `logLikelihood` is unpenalised.
   */
  penalizer?: number | undefined;
  /**
   * How many customers each entry of `customers` stands for (finite, > 0; default 1 each), as
   * lifetimes' `weights`: pass distinct (x, z̄) with their counts instead of one entry per
   * customer. The fit is the same as with the entries repeated.
   */
  weights?: readonly number[] | undefined;
}

/** Validates Gamma-Gamma parameters (all finite and > 0). */
export function checkGammaGammaParams(field: string, value: unknown): GammaGammaParams {
  const o = object(field, value);
  return { p: positive(field, o, 'p'), q: positive(field, o, 'q'), gamma: positive(field, o, 'gamma') };
}

function checkObservation(field: string, value: unknown): SpendObservation {
  const o = object(field, value);
  const frequency = finiteNumber(`${field}.frequency`, o['frequency'], { min: 0, integer: true });
  const monetaryValue = finiteNumber(`${field}.monetaryValue`, o['monetaryValue'], { min: 0 });
  if (frequency > 0 && monetaryValue === 0) {
    throw new OracleRangeError(`${field}.monetaryValue`, 'must be > 0 when frequency > 0');
  }
  return { frequency, monetaryValue };
}

/**
 * Repeat customers reduced to what the likelihood needs: customers per distinct x, the sums
 * that enter linearly, and per row the weight and total spend x·z̄.
 */
interface SpendData {
  total: number;
  xs: Float64Array;
  xWeight: Float64Array;
  /** Σ w x ln z̄, Σ w ln z̄ and Σ w x ln x. */
  sumXLnM: number;
  sumLnM: number;
  sumXLnX: number;
  weight: Float64Array;
  weightX: Float64Array;
  spend: Float64Array;
}

function spendData(repeat: readonly SpendObservation[], weights: Float64Array | undefined): SpendData {
  const byX = new Map<number, number>();
  let total = 0;
  let sumXLnM = 0;
  let sumLnM = 0;
  let sumXLnX = 0;
  const n = repeat.length;
  const weight = new Float64Array(n);
  const weightX = new Float64Array(n);
  const spend = new Float64Array(n);
  for (let i = 0; i < n; i++) {
    const { frequency: x, monetaryValue: m } = repeat[i] as SpendObservation;
    const w = weights ? (weights[i] as number) : 1;
    total += w;
    byX.set(x, (byX.get(x) ?? 0) + w);
    sumXLnM += w * x * Math.log(m);
    sumLnM += w * Math.log(m);
    sumXLnX += w * x * Math.log(x);
    weight[i] = w;
    weightX[i] = w * x;
    spend[i] = x * m;
  }
  const xs = Float64Array.from([...byX.keys()].sort((p, q) => p - q));
  return { total, xs, xWeight: Float64Array.from(xs, (x) => byX.get(x) as number), sumXLnM, sumLnM, sumXLnX, weight, weightX, spend };
}

// Σ over customers of ln f(z̄ | x) (Fader & Hardie 2013 note):
// lnΓ(px+q) − lnΓ(px) − lnΓ(q) + q ln γ + (px−1) ln z̄ + px ln x − (px+q) ln(γ + x z̄),
// regrouped so large cohorts cost one log per customer: the Gamma terms per distinct x, the
// terms linear in p from sums computed once, and only ln(γ + x z̄) per row.
function logLikelihood(params: GammaGammaParams, data: SpendData): number {
  const { p, q, gamma } = params;
  let ll = data.total * (q * Math.log(gamma) - logGamma(q)) + p * (data.sumXLnM + data.sumXLnX) - data.sumLnM;
  for (let k = 0; k < data.xs.length; k++) {
    const px = p * (data.xs[k] as number);
    ll += (data.xWeight[k] as number) * (logGamma(px + q) - logGamma(px));
  }
  let sumWX = 0;
  let sumW = 0;
  const { weight, weightX, spend } = data;
  for (let i = 0; i < spend.length; i++) {
    const lnS = Math.log(gamma + (spend[i] as number));
    sumWX += (weightX[i] as number) * lnS;
    sumW += (weight[i] as number) * lnS;
  }
  return ll - p * sumWX - q * sumW;
}

/**
 * Fits the Gamma-Gamma spend model by maximum likelihood on customers' mean repeat-purchase
 * values (Fader, Hardie & Lee 2005b; Fader & Hardie 2013 note). Customers with
 * `frequency` 0 carry no spend information and are skipped, so the output of
 * `rfmSummary` can be passed as is; at least one customer must have `frequency` > 0.
 * On CDNOW's 946 repeat customers it gives p = 6.25, q = 3.74, γ = 15.44.
 * Like the original, it assumes spend is independent of purchase frequency.
 */
export function fitGammaGamma(customers: readonly SpendObservation[], options: GammaGammaFitOptions = {}): GammaGammaFit {
  const list = array('customers', customers);
  const checked = list.map((c, i) => checkObservation(`customers[${i}]`, c));
  const keep = checked.map((c) => c.frequency > 0);
  const repeat = checked.filter((_, i) => keep[i]);
  if (repeat.length === 0) throw new OracleRangeError('customers', 'expected at least one customer with frequency > 0');
  const opts = object('options', options);
  const allWeights = checkWeights('options.weights', opts['weights'], list.length);
  const weights = allWeights ? allWeights.filter((_, i) => keep[i]) : undefined;
  const maxEvaluations =
    opts['maxEvaluations'] === undefined ? 20_000 : finiteNumber('options.maxEvaluations', opts['maxEvaluations'], { min: 1, integer: true });
  const init = opts['initial'] === undefined ? {} : object('options.initial', opts['initial']);
  const start = (key: keyof GammaGammaParams): number => (init[key] === undefined ? 1 : positive('options.initial', init, key));
  const data = spendData(repeat, weights);
  const unpack = (v: readonly number[]): GammaGammaParams => ({
    p: Math.exp(v[0] as number),
    q: Math.exp(v[1] as number),
    gamma: Math.exp(v[2] as number),
  });
  const x0 = [start('p'), start('q'), start('gamma')].map(Math.log);
  const penalizer = readPenalizer(opts);
  const result = nelderMead(
    (v) => (outOfRange(v) ? Number.POSITIVE_INFINITY : -logLikelihood(unpack(v), data) / data.total + logPenalty(penalizer, v)),
    x0,
    { maxEvaluations },
  );
  const params = unpack(result.x);
  const diagnostics = fitDiagnostics(result.converged, { p: params.p, q: params.q }, (name, direction) => {
    if (name === 'q') {
      return direction === 'large'
        ? 'spend rates ν do not vary across customers, so every customer is predicted the population mean spend'
        : 'the population mean spend is undefined (q must exceed 1)';
    }
    return direction === 'large' ? 'transaction values do not vary around a customer’s mean' : 'transaction values are degenerate';
  });
  return { ...params, logLikelihood: logLikelihood(params, data), ...diagnostics };
}

/**
 * Expected mean transaction value of a customer, E[M | p, q, γ, x, z̄] = p(γ + x z̄)/(px + q − 1)
 * (Fader, Hardie & Lee 2005b; Fader & Hardie 2013 note): a credibility-weighted blend of the population mean
 * pγ/(q−1) and the customer's own mean z̄. Defined only for q > 1 (finite population mean).
 */
export function gammaGammaExpectedAverageValue(params: GammaGammaParams, customer: SpendObservation): number {
  const g = checkGammaGammaParams('params', params);
  const c = checkObservation('customer', customer);
  if (!(g.q > 1)) throw new OracleRangeError('params.q', `must be > 1 for a finite expected value, got ${g.q}`);
  return (g.p * (g.gamma + c.frequency * c.monetaryValue)) / (g.p * c.frequency + g.q - 1);
}
