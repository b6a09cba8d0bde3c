import { OracleRangeError } from '../errors';
import { finiteNumber, object, oneOf } from '../validate';
import { type EtsModelReport, finiteSeries, intervalLevel, predictionOf, reportOf } from './auto';
import type { EtsBoundaryHit } from './ets-fit';
import { fitEts } from './ets-fit';
import type { IntervalMethod } from './ets-intervals';
import type { EtsErrorKind, EtsParameters, EtsSpec, EtsTrendKind } from './ets-model';
import { detectPeriod } from './period';

/** Seasonal form of {@link forecastHoltWinters}. */
export type SeasonalKind = 'additive' | 'multiplicative' | 'none';

/** Options of {@link forecastHoltWinters}. */
export interface HoltWintersOptions {
  /** Steps to forecast past the last value (integer ≥ 1). */
  readonly horizon: number;
  /** Season length in samples (≥ 2); detected with {@link detectPeriod} when omitted. */
  readonly period?: number | undefined;
  /** Default `'additive'`; falls back to `'none'` when no period is given or detected. */
  readonly seasonal?: SeasonalKind | undefined;
  /** Level smoothing in [0, 1]; fitted when omitted. */
  readonly alpha?: number | undefined;
  /** Trend smoothing in [0, 1]; fitted when omitted. */
  readonly beta?: number | undefined;
  /** Seasonal smoothing in [0, 1]; fitted when omitted. */
  readonly gamma?: number | undefined;
  /** Two-sided prediction interval coverage in [0, 1); default 0.95. */
  readonly level?: number | undefined;
  /** Trend form: `'additive'` (default, Holt's linear trend), `'damped'` (additive damped, Gardner & McKenzie 1985) or `'none'`. */
  readonly trend?: EtsTrendKind | undefined;
  /** Damping φ in [0.8, 0.98] for `trend: 'damped'`; fitted when omitted. */
  readonly phi?: number | undefined;
  /**
   * Error form: default `'additive'` (parameters minimise the squared one-step errors), except
   * `'multiplicative'` (relative errors, ETS(M,·,M)) for a multiplicative season.
   */
  readonly error?: EtsErrorKind | undefined;
  /** Seed of the sample paths behind simulated intervals (multiplicative season); default 1. */
  readonly seed?: number | undefined;
}

/** Smoothing parameters and model form actually used. */
export interface HoltWintersParams {
  /** Level smoothing in [0, 1]: `options.alpha` if given, else the fitted value. */
  readonly alpha: number;
  /** Trend smoothing in [0, 1]: `options.beta` if given, else the fitted value. */
  readonly beta: number;
  /** Seasonal smoothing in [0, 1]: `options.gamma` if given, else fitted; 0 for a non-seasonal model. */
  readonly gamma: number;
  /** Season length (1 when non-seasonal). */
  readonly period: number;
  /**
   * Model form used: `options.seasonal`, or `'none'` when no period was given and none was
   * detected (so a requested seasonal model can come back non-seasonal).
   */
  readonly seasonal: SeasonalKind;
  /** Standard deviation of one-step-ahead errors (relative errors for the multiplicative form). */
  readonly sigma: number;
  /** Trend form used (`'additive'` unless `options.trend` says otherwise). */
  readonly trend: EtsTrendKind;
  /** Damping φ (1 unless `trend` is `'damped'`). */
  readonly phi: number;
  /** Error form used. */
  readonly error: EtsErrorKind;
}

/** Result of {@link forecastHoltWinters}: one entry per horizon step. */
export interface HoltWintersForecast {
  /** Point forecasts for steps 1…`horizon` after the last value. */
  readonly forecast: number[];
  /** Lower bound of the `level` prediction interval per step. */
  readonly lower: number[];
  /** Upper bound of the `level` prediction interval per step. */
  readonly upper: number[];
  /** Smoothing parameters, period and form the forecast was made with (given or fitted). */
  readonly params: HoltWintersParams;
  /** Sum of squared one-step-ahead errors over the fitted history (every value: the initial states are estimated). */
  readonly sse: number;
  /** The fitted ETS model: name, estimated initial states, criteria, convergence. */
  readonly model: EtsModelReport;
  /** Fitted parameters that ended on a bound of their range (empty when none did). */
  readonly boundary: readonly EtsBoundaryHit[];
  /** How the intervals were computed: analytic formulas, or seeded simulation (multiplicative season). */
  readonly intervals: IntervalMethod;
}

function optionalUnit(o: Record<string, unknown>, key: string): number | undefined {
  return o[key] === undefined ? undefined : finiteNumber(`options.${key}`, o[key], { min: 0, max: 1 });
}

/**
 * Holt-Winters exponential smoothing forecast (Holt 1957; Winters 1960) in its state space form
 * (ETS, Hyndman, Koehler, Ord & Snyder, "Forecasting with Exponential Smoothing", 2008): additive,
 * damped or no trend with additive, multiplicative or no season. Smoothing parameters not given and
 * the initial level, trend and seasonal states are estimated jointly over the whole series by
 * maximum likelihood, as statsmodels' `initialization_method='estimated'` does: for additive errors
 * this minimises the sum of squared one-step errors, with the initial states solved exactly by least
 * squares for every candidate parameter vector and a bounded Nelder–Mead search (with an evaluation
 * cap) over the parameters in the usual region 0 < β ≤ α < 1, 0 < γ ≤ 1 − α. Parameters that end on
 * a bound are listed in `boundary`. Prediction intervals come from the model's own error variance:
 * analytic (Hyndman et al. 2008, ch. 6) for additive and no season, seeded simulation for a
 * multiplicative one. {@link forecastAuto} chooses the model form instead.
 *
 * Needs at least 3 values, or two full seasons when seasonal. Multiplicative seasonality requires
 * strictly positive values.
 *
 * @example
 * ```ts
 * const f = forecastHoltWinters(monthly, { period: 12, horizon: 12 });
 * f.forecast;          // 12 point forecasts
 * f.boundary;          // e.g. [{ parameter: 'gamma', bound: 'lower', … }]
 * ```
 */
export function forecastHoltWinters(values: readonly number[], options: HoltWintersOptions): HoltWintersForecast {
  const y = finiteSeries(values);
  const o = object('options', options);
  const horizon = finiteNumber('options.horizon', o['horizon'], { integer: true });
  if (horizon <= 0) throw new OracleRangeError('options.horizon', `must be >= 1, got ${horizon}`);
  let kind: SeasonalKind = o['seasonal'] === undefined ? 'additive' : oneOf('options.seasonal', o['seasonal'], ['additive', 'multiplicative', 'none'] as const);
  const trend: EtsTrendKind = o['trend'] === undefined ? 'additive' : oneOf('options.trend', o['trend'], ['additive', 'damped', 'none'] as const);
  const level = intervalLevel(o);
  const seed = o['seed'] === undefined ? 1 : finiteNumber('options.seed', o['seed'], { integer: true });
  const fixed: { alpha?: number | undefined; beta?: number | undefined; gamma?: number | undefined; phi?: number | undefined } = {};
  for (const k of ['alpha', 'beta', 'gamma'] as const) {
    const v = optionalUnit(o, k);
    if (v !== undefined) fixed[k] = v;
  }
  if (o['phi'] !== undefined) fixed.phi = finiteNumber('options.phi', o['phi'], { min: 0.8, max: 0.98 });
  if (y.length < 3) throw new OracleRangeError('values', `needs at least 3 values, got ${y.length}`);
  if (kind === 'multiplicative') {
    const bad = y.findIndex((v) => !(v > 0));
    if (bad >= 0) throw new OracleRangeError(`values[${bad}]`, `multiplicative seasonality needs positive values, got ${y[bad]}`);
  }
  let m = 1;
  if (kind !== 'none') {
    if (o['period'] !== undefined) {
      m = finiteNumber('options.period', o['period'], { integer: true, min: 2 });
      if (y.length < 2 * m) throw new OracleRangeError('values', `needs two full periods (${2 * m} values) for period ${m}, got ${y.length}`);
    } else {
      const detected = detectPeriod(y);
      if (detected === undefined) kind = 'none';
      else m = detected;
    }
  }
  if (kind === 'none') m = 1;
  const error: EtsErrorKind =
    o['error'] === undefined ? (kind === 'multiplicative' ? 'multiplicative' : 'additive') : oneOf('options.error', o['error'], ['additive', 'multiplicative'] as const);
  if (error === 'multiplicative') {
    const bad = y.findIndex((v) => !(v > 0));
    if (bad >= 0) throw new OracleRangeError(`values[${bad}]`, `multiplicative errors need positive values, got ${y[bad]}`);
  }
  const spec: EtsSpec = { error, trend, season: kind, period: m };
  const fit = fitEts(y, spec, { fixed: fixed as Partial<EtsParameters> });
  if (fit === undefined) throw new OracleRangeError('values', `the ${kind === 'multiplicative' ? 'multiplicative ' : ''}model is not admissible for these values and parameters`);
  const p = predictionOf(fit, horizon, level, seed);
  const params = fit.params;
  return {
    forecast: p.forecast,
    lower: p.lower,
    upper: p.upper,
    params: {
      alpha: params.alpha,
      beta: trend === 'none' ? 0 : params.beta,
      gamma: kind === 'none' ? 0 : params.gamma,
      period: m,
      seasonal: kind,
      sigma: Math.sqrt(fit.sigma2),
      trend,
      phi: params.phi,
      error,
    },
    sse: fit.sse,
    model: reportOf(fit),
    boundary: fit.boundary,
    intervals: p.method,
  };
}
