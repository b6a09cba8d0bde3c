// Point forecasts and prediction intervals of a fitted ETS model. Internal.
import { mulberry32, normalSampler } from '../math/random';
import type { EtsFit } from './ets-fit';
import { impulseWeights, pointForecasts } from './ets-model';
import { normalQuantile } from './normal';

/** How the prediction intervals were computed. */
export type IntervalMethod = 'analytic' | 'simulation';

/** Forecasts with their interval bounds. */
export interface EtsPrediction {
  forecast: number[];
  lower: number[];
  upper: number[];
  method: IntervalMethod;
}

/** Sample paths of the simulated intervals: enough for stable 2.5 % / 97.5 % quantiles. */
export const DEFAULT_SIMULATIONS = 2000;

function quantile(sorted: Float64Array, q: number): number {
  const pos = q * (sorted.length - 1);
  const lo = Math.floor(pos);
  const hi = Math.min(sorted.length - 1, lo + 1);
  return sorted[lo]! + (sorted[hi]! - sorted[lo]!) * (pos - lo);
}

/**
 * Forecasts `horizon` steps ahead with a `level` two-sided interval from the model's own error
 * variance (Hyndman, Koehler, Ord & Snyder 2008, ch. 6):
 *
 * - class 1 (additive error and components): exact Gaussian intervals, variance
 *   σ²(1 + Σ_{j<h} c_j²) with c_j = w′F^{j−1}g (Table 6.1 gives them per model);
 * - class 2 (multiplicative error, additive components): v_h = (1 + σ²)θ_h − μ_h², θ_1 = μ_1²,
 *   θ_h = μ_h² + σ² Σ_{j<h} c_j² θ_{h−j} (§6.3), with normal quantiles;
 * - multiplicative season (class 3, no closed form for every model): empirical quantiles of
 *   `simulations` sample paths drawn from the fitted model with a seeded generator.
 */
export function predictEts(fit: EtsFit, horizon: number, level: number, seed: number, simulations = DEFAULT_SIMULATIONS): EtsPrediction {
  const { spec, params } = fit;
  const forecast = pointForecasts(spec, params, fit.final, fit.n, horizon);
  const sigma2 = fit.sigma2;
  if (level === 0) return { forecast, lower: forecast.slice(), upper: forecast.slice(), method: 'analytic' };
  if (spec.season !== 'multiplicative') {
    const z = normalQuantile((1 + level) / 2);
    const c = impulseWeights(spec, params, horizon);
    const lower: number[] = [];
    const upper: number[] = [];
    if (spec.error === 'additive') {
      let sum = 1;
      for (let h = 1; h <= horizon; h++) {
        if (h > 1) sum += c[h - 2]! ** 2;
        const sd = Math.sqrt(sigma2 * sum);
        lower.push(forecast[h - 1]! - z * sd);
        upper.push(forecast[h - 1]! + z * sd);
      }
    } else {
      const theta: number[] = [];
      for (let h = 1; h <= horizon; h++) {
        const mu = forecast[h - 1]!;
        let t = mu * mu;
        for (let j = 1; j < h; j++) t += sigma2 * c[j - 1]! ** 2 * theta[h - j - 1]!;
        theta.push(t);
        const sd = Math.sqrt(Math.max(0, (1 + sigma2) * t - mu * mu));
        lower.push(mu - z * sd);
        upper.push(mu + z * sd);
      }
    }
    return { forecast, lower, upper, method: 'analytic' };
  }
  return { forecast, ...simulate(fit, horizon, level, seed, simulations), method: 'simulation' };
}

/** Quantiles of simulated future paths of a multiplicative-season model. */
function simulate(fit: EtsFit, horizon: number, level: number, seed: number, paths: number): { lower: number[]; upper: number[] } {
  const { spec, params: p } = fit;
  const m = spec.period;
  const phi = spec.trend === 'damped' ? p.phi : 1;
  const beta = spec.trend === 'none' ? 0 : p.beta;
  const sigma = Math.sqrt(fit.sigma2);
  const draw = normalSampler(mulberry32(seed));
  const values = Array.from({ length: horizon }, () => new Float64Array(paths));
  const season = new Float64Array(m);
  for (let path = 0; path < paths; path++) {
    let l = fit.final.level;
    let b = spec.trend === 'none' ? 0 : fit.final.trend;
    for (let j = 0; j < m; j++) season[j] = fit.final.season[j]!;
    for (let h = 1; h <= horizon; h++) {
      const j = (fit.n - 1 + h) % m;
      const lb = l + phi * b;
      const st = season[j]!;
      const mu = lb * st;
      const e = spec.error === 'additive' ? sigma * draw() : mu * sigma * draw();
      const yNext = mu + e;
      values[h - 1]![path] = Number.isFinite(yNext) ? yNext : mu;
      // A path whose level or season leaves the positive region keeps its last states.
      if (st > 0 && lb > 0) {
        l = lb + (p.alpha * e) / st;
        b = phi * b + (beta * e) / st;
        season[j] = Math.max(1e-12, st + (p.gamma * e) / lb);
      }
    }
  }
  const lower: number[] = [];
  const upper: number[] = [];
  for (const v of values) {
    v.sort();
    lower.push(quantile(v, (1 - level) / 2));
    upper.push(quantile(v, (1 + level) / 2));
  }
  return { lower, upper };
}
