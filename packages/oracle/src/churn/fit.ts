import { OracleRangeError } from '../errors';
import { nelderMead } from '../math';
import { finiteNumber, object } from '../validate';
import { type AggregatedCustomers, aggregateCustomers, checkCustomers, checkWeights, positive, type RfmCustomer } from './customers';

/**
 * A shape parameter beyond these bounds is a boundary solution: the mixing distribution has
 * collapsed to a point (→ ∞) or to a spike at zero (→ 0), and the likelihood is flat along
 * that direction, so the optimiser stops wherever its tolerance runs out (2.8·10⁶ or 10¹⁵).
 * Scale parameters (α, β, γ) depend on the caller's time and money units and are not judged.
 */
const SHAPE_MAX = 1e5;
const SHAPE_MIN = 1e-5;

/**
 * Fits search ln-parameters within ±ln 10³⁰: far beyond any meaningful value (the boundary
 * warnings fire at 10⁵), but it keeps a boundary solution's parameters, and every prediction
 * made from them, finite. Internal.
 */
export function outOfRange(logParams: readonly number[]): boolean {
  for (const v of logParams) if (!(Math.abs(v) <= LOG_PARAM_LIMIT)) return true;
  return false;
}

const LOG_PARAM_LIMIT = 30 * Math.LN10;

/** Diagnostics shared by the model fits. Internal. */
export interface FitDiagnostics {
  converged: boolean;
  warnings: string[];
}

/** Reads `options.penalizer` (≥ 0, default 0). Internal. */
export function readPenalizer(opts: Record<string, unknown>): number {
  if (opts['penalizer'] === undefined) return 0;
  const value = finiteNumber('options.penalizer', opts['penalizer']);
  if (value < 0) throw new OracleRangeError('options.penalizer', `must be >= 0, got ${value}`);
  return value;
}

/** L2 penalty on ln-parameters, added to the mean negative log-likelihood. Internal. */
export function logPenalty(penalizer: number, logParams: readonly number[]): number {
  if (penalizer === 0) return 0;
  let sum = 0;
  for (const v of logParams) sum += v * v;
  return penalizer * sum;
}

/**
 * Warnings for shape parameters at a boundary, each starting with `boundary:`, plus one when
 * the optimiser ran out of budget. `explain` names what a diverging or vanishing shape means
 * for the model. Internal.
 */
export function fitDiagnostics(
  optimiserConverged: boolean,
  shapes: Readonly<Record<string, number>>,
  explain: (name: string, direction: 'large' | 'small') => string,
  extra: readonly string[] = [],
): FitDiagnostics {
  const warnings: string[] = [...extra];
  for (const [name, value] of Object.entries(shapes)) {
    if (value > SHAPE_MAX) warnings.push(`boundary: ${name} = ${value.toPrecision(3)} diverges; ${explain(name, 'large')}`);
    else if (value < SHAPE_MIN) warnings.push(`boundary: ${name} = ${value.toPrecision(3)} vanishes; ${explain(name, 'small')}`);
  }
  if (!optimiserConverged) warnings.push('the optimiser did not meet its tolerance within maxEvaluations');
  return { converged: optimiserConverged && warnings.length === 0, warnings };
}

/**
 * Fits a transaction model with positive parameters `names` (BG/NBD, Pareto/NBD) by maximum
 * likelihood: restarted Nelder–Mead on ln-parameters, so positivity holds without
 * constraints, over customers collapsed to distinct (x, tₓ, T) rows. Starting values come
 * from `options.initial` or `fallback(scale)`, with `scale` = mean T / (mean x + 1), a
 * moment-style guess for the rate parameters. `options.penalizer` adds
 * penalizer · Σ (ln θ)² to the mean negative log-likelihood (as lifetimes' `penalizer_coef`,
 * on ln-parameters), pulling small cohorts away from boundary solutions. `weights` (validated
 * here) counts each customer that many times, so a histogram of histories fits like the
 * customers it stands for. Internal: shared by `fitBgNbd` and `fitParetoNbd`.
 */
export function fitTransactionModel<K extends string>(
  customers: readonly RfmCustomer[],
  options: object,
  names: readonly K[],
  fallback: (scale: number) => Record<K, number>,
  logLikelihood: (params: Record<K, number>, data: AggregatedCustomers) => number,
  weightsInput?: unknown,
): Record<K, number> & { logLikelihood: number; converged: boolean } {
  const list = checkCustomers('customers', customers);
  const weights = checkWeights('options.weights', weightsInput, list.length);
  const opts = object('options', options);
  const maxEvaluations =
    opts['maxEvaluations'] === undefined ? 20_000 : finiteNumber('options.maxEvaluations', opts['maxEvaluations'], { min: 1, integer: true });
  const penalizer = readPenalizer(opts);
  const data = aggregateCustomers(list, weights);
  let meanX = 0;
  let meanT = 0;
  for (let i = 0; i < list.length; i++) {
    const c = list[i] as RfmCustomer;
    const w = weights ? (weights[i] as number) : 1;
    meanX += (c.frequency * w) / data.total;
    meanT += (c.T * w) / data.total;
  }
  const defaults = fallback(Math.max(meanT, 1e-3) / (meanX + 1));
  const init = opts['initial'] === undefined ? {} : object('options.initial', opts['initial']);
  const x0 = names.map((key) => Math.log(init[key] === undefined ? defaults[key] : positive('options.initial', init, key)));
  const unpack = (v: readonly number[]): Record<K, number> => {
    const params = {} as Record<K, number>;
    names.forEach((key, i) => {
      params[key] = Math.exp(v[i] as number);
    });
    return params;
  };
  // Mean per-customer log-likelihood keeps the tolerances independent of the sample size.
  const result = nelderMead(
    (v) => (outOfRange(v) ? Number.POSITIVE_INFINITY : -logLikelihood(unpack(v), data) / data.total + logPenalty(penalizer, v)),
    x0,
    { maxEvaluations },
  );
  const params = unpack(result.x);
  return { ...params, logLikelihood: logLikelihood(params, data), converged: result.converged };
}
