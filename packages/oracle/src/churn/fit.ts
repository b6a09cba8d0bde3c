import { nelderMead } from '../math';
import { finiteNumber, object } from '../validate';
import { type AggregatedCustomers, aggregateCustomers, checkCustomers, positive, type RfmCustomer } from './customers';

/**
 * Fits a transaction model with positive parameters `names` (BG/NBD, Pareto/NBD) by maximum
 * likelihood: restarted Nelder–Mead on ln-parameters, so positivity holds without
 * constraints, over customers collapsed to distinct (x, tₓ, T) rows. Starting values come
 * from `options.initial` or `fallback(scale)`, with `scale` = mean T / (mean x + 1), a
 * moment-style guess for the rate parameters. Internal: shared by `fitBgNbd` and
 * `fitParetoNbd`.
 */
export function fitTransactionModel<K extends string>(
  customers: readonly RfmCustomer[],
  options: object,
  names: readonly K[],
  fallback: (scale: number) => Record<K, number>,
  logLikelihood: (params: Record<K, number>, data: AggregatedCustomers) => number,
): Record<K, number> & { logLikelihood: number; converged: boolean } {
  const list = checkCustomers('customers', customers);
  const opts = object('options', options);
  const maxEvaluations =
    opts['maxEvaluations'] === undefined ? 20_000 : finiteNumber('options.maxEvaluations', opts['maxEvaluations'], { min: 1, integer: true });
  const data = aggregateCustomers(list);
  let meanX = 0;
  let meanT = 0;
  for (const c of list) {
    meanX += c.frequency / list.length;
    meanT += c.T / list.length;
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
  const result = nelderMead((v) => -logLikelihood(unpack(v), data) / data.total, x0, { maxEvaluations });
  const params = unpack(result.x);
  return { ...params, logLikelihood: logLikelihood(params, data), converged: result.converged };
}
