import { OracleRangeError, OracleTypeError } from '../errors';
import { array, finiteNumber, object, oneOf } from '../validate';
import { type EtsBoundaryHit, type EtsFit, type EtsInitialization, type EtsParameterName, fitEts } from './ets-fit';
import { type IntervalMethod, predictEts } from './ets-intervals';
import { type EtsErrorKind, type EtsSeasonKind, type EtsSpec, type EtsTrendKind, etsName } from './ets-model';
import { normalCdf, normalQuantile } from './normal';
import { detectPeriod } from './period';

export type { EtsBoundaryHit, EtsInitialization, EtsErrorKind, EtsParameterName, EtsSeasonKind, EtsTrendKind, IntervalMethod };

/** Options of {@link forecastAuto}. */
export interface AutoForecastOptions {
  /** Steps to forecast past the last value (integer ≥ 1). */
  readonly horizon: number;
  /**
   * Season length in samples: an integer ≥ 2, or 1 for non-seasonal models only. When omitted it is
   * detected with {@link detectPeriod}; no detected period means non-seasonal models only.
   */
  readonly period?: number | undefined;
  /** Two-sided prediction interval coverage in [0, 1); default 0.95. */
  readonly level?: number | undefined;
  /** Seed of the sample paths behind simulated intervals (multiplicative-season models); default 1. */
  readonly seed?: number | undefined;
  /**
   * How the forecasting model is chosen among the fitted ones. `'validation'` (default): every
   * model form is refitted on all but the last `horizon` values and the form whose forecast of those
   * values has the lowest mean absolute error is chosen (one rolling origin, Tashman 2000), then
   * forecasts with its fit on all values; when fewer than two seasons (or 3 values) would remain,
   * or no form could be refitted, the lowest-AICc model is used instead. `'aicc'`: the lowest-AICc
   * model (Hyndman et al. 2008; R's `ets`). Chosen on a development set of 14 public series kept
   * apart from the evaluation series (datasets/forecast-dev; geometric-mean MAE ratio to
   * statsmodels' Holt-Winters 0.930 with `'validation'`, 1.042 with `'aicc'`, 1.050 with
   * `combine`), though `'validation'` did better there on quarterly series and worse on monthly
   * ones, and fits every model twice. The choice can depend on `horizon`.
   */
  readonly select?: 'validation' | 'aicc' | undefined;
  /**
   * `true`: forecast with the Akaike-weighted average of every fitted model (weights
   * exp(−ΔAICc/2), normalised; Burnham & Anderson 2002, applied to exponential smoothing by
   * Kolassa 2011) instead of the best model alone, with intervals from the weighted mixture of the
   * models' predictive distributions (`select` is then unused). Default `false`: on the development set the
   * combination was less accurate than either way of choosing one model.
   */
  readonly combine?: boolean | undefined;
}

/** The model `forecastAuto` (or `forecastHoltWinters`) fitted, with its estimates. */
export interface EtsModelReport {
  /** `ETS(error,trend,season)` in Hyndman et al.'s notation, e.g. `ETS(M,Ad,M)`. */
  readonly name: string;
  /** Error form. */
  readonly error: EtsErrorKind;
  /** Trend form (`'damped'` is additive damped). */
  readonly trend: EtsTrendKind;
  /** Season form. */
  readonly season: EtsSeasonKind;
  /** Season length (1 when non-seasonal). */
  readonly period: number;
  /** Smoothing parameters: level α, trend β (0 without trend), season γ (0 without season), damping φ (1 unless damped). */
  readonly params: {
    /** Level smoothing α. */
    readonly alpha: number;
    /** Trend smoothing β (0 without trend). */
    readonly beta: number;
    /** Seasonal smoothing γ (0 without season). */
    readonly gamma: number;
    /** Damping φ (1 unless the trend is damped). */
    readonly phi: number;
  };
  /**
   * Estimated initial states (before the first value): level, trend (0 without trend) and the
   * seasonal indices, `season[j]` applying at times `t ≡ j (mod period)` (empty without season).
   */
  readonly initialStates: {
    /** Level before the first value. */
    readonly level: number;
    /** Trend before the first value (0 without trend). */
    readonly trend: number;
    /** Seasonal indices, `season[j]` for times ≡ j (mod period); empty without season. */
    readonly season: readonly number[];
  };
  /** `'estimated'`: initial states fitted jointly with the parameters; `'partial'`: long seasons, seasonal states from a decomposition refined by least squares. */
  readonly initialization: EtsInitialization;
  /** Fitted smoothing parameters on a bound of their admissible region (empty when none is). */
  readonly boundary: readonly EtsBoundaryHit[];
  /** Standard deviation of the one-step errors (of the relative errors for multiplicative-error models). */
  readonly sigma: number;
  /** Gaussian log-likelihood of the fit. */
  readonly logLik: number;
  /** Akaike's information criterion. */
  readonly aic: number;
  /** AIC with the small-sample correction (Hurvich & Tsai 1989); `Infinity` when n ≤ k + 1. */
  readonly aicc: number;
  /** Bayesian information criterion. */
  readonly bic: number;
  /** Estimated quantities counted by the criteria: parameters, initial states and σ. */
  readonly parameterCount: number;
  /** Whether every optimiser run met its tolerance within its evaluation cap. */
  readonly converged: boolean;
  /** Sum of squared one-step errors over all values. */
  readonly sse: number;
}

/** One model that {@link forecastAuto} fitted, with its criterion. */
export interface EtsCandidate {
  /** Model name, e.g. `ETS(A,A,A)`. */
  readonly name: string;
  /** Its AICc (`Infinity` when it has too many parameters for the series). */
  readonly aicc: number;
  /** Akaike weight exp(−ΔAICc/2) normalised over the candidates: its weight in a combined forecast. */
  readonly weight: number;
}

/** Result of {@link forecastAuto}. */
export interface AutoForecast {
  /** Point forecasts for steps 1…`horizon` after the last value. */
  readonly forecast: number[];
  /** Lower bound of the `level` prediction interval per step. */
  readonly lower: number[];
  /** Upper bound of the `level` prediction interval per step. */
  readonly upper: number[];
  /** Coverage of the intervals. */
  readonly level: number;
  /** How the chosen model's intervals were computed: analytic variance formulas, or seeded simulation (`'simulation'` when any combined model needed it). */
  readonly intervals: IntervalMethod;
  /** The chosen model (see `selectedBy`; with `combine`, the one of highest weight). */
  readonly model: EtsModelReport;
  /** Whether the forecast is the Akaike-weighted combination of the candidates (`options.combine`). */
  readonly combined: boolean;
  /**
   * How `model` was chosen: `'validation'` (lowest error forecasting the last `horizon` values from a
   * refit without them), `'aicc'` (lowest AICc: asked for, the fallback when validation was not
   * possible, or with `combine`).
   */
  readonly selectedBy: 'validation' | 'aicc';
  /** Every model fitted, best AICc first (the chosen `model` is first only when `selectedBy` is `'aicc'`). */
  readonly candidates: readonly EtsCandidate[];
  /** Models considered but not fitted, and why (e.g. multiplicative forms on non-positive data). */
  readonly excluded: readonly {
    /** Model (or group of models) left out. */
    readonly name: string;
    /** Why it was left out. */
    readonly why: string;
  }[];
  /** How the period was obtained and why this model was chosen, in one sentence. */
  readonly reason: string;
}

/** Internal: a fitted model's report. */
export function reportOf(fit: EtsFit): EtsModelReport {
  const { spec, params } = fit;
  return {
    name: etsName(spec),
    error: spec.error,
    trend: spec.trend,
    season: spec.season,
    period: spec.season === 'none' ? 1 : spec.period,
    params: { alpha: params.alpha, beta: params.beta, gamma: params.gamma, phi: params.phi },
    initialStates: { level: fit.initial.level, trend: fit.initial.trend, season: fit.initial.season.slice() },
    initialization: fit.initialization,
    boundary: fit.boundary,
    sigma: Math.sqrt(fit.sigma2),
    logLik: fit.logLik,
    aic: fit.aic,
    aicc: fit.aicc,
    bic: fit.bic,
    parameterCount: fit.parameterCount,
    converged: fit.converged,
    sse: fit.sse,
  };
}

/** Internal: forecasts and intervals of a fit, with lower ≤ forecast ≤ upper guaranteed. */
export function predictionOf(fit: EtsFit, horizon: number, level: number, seed: number): { forecast: number[]; lower: number[]; upper: number[]; method: IntervalMethod } {
  const p = predictEts(fit, horizon, level, seed);
  return {
    forecast: p.forecast,
    lower: p.lower.map((v, h) => Math.min(v, p.forecast[h]!)),
    upper: p.upper.map((v, h) => Math.max(v, p.forecast[h]!)),
    method: p.method,
  };
}

/** Internal: validated series. */
export function finiteSeries(values: unknown): number[] {
  const y = array<number>('values', values);
  for (let i = 0; i < y.length; i++) finiteNumber(`values[${i}]`, y[i]);
  return y;
}

/** Internal: validated interval level in [0, 1). */
export function intervalLevel(o: Record<string, unknown>): number {
  const level = o['level'] === undefined ? 0.95 : finiteNumber('options.level', o['level'], { min: 0 });
  if (level >= 1) throw new OracleRangeError('options.level', `must be < 1, got ${level}`);
  return level;
}

const TRENDS: readonly EtsTrendKind[] = ['none', 'additive', 'damped'];

/**
 * Automatic exponential smoothing: fits the ETS models of Hyndman et al. ("Forecasting with
 * Exponential Smoothing", 2008; the model set of R's `ets`) and forecasts with one of them: by
 * default the form that best forecasts the last `horizon` values when every form is refitted
 * without them (`select: 'validation'`; the lowest-AICc model when the series is too short to hold
 * them out), or the lowest-AICc model (`select: 'aicc'`); see `select` for how the default was
 * chosen on series apart from the evaluation ones. Each model's smoothing parameters and initial states are estimated jointly by maximum
 * likelihood (see `forecastHoltWinters`). Candidates: additive error with no, additive or
 * damped trend and no or additive season; for strictly positive series also multiplicative error
 * with no, additive or multiplicative season. Seasonal models need a period ≥ 2 (given, else
 * detected with {@link detectPeriod}) and two full periods of values. Prediction intervals come from
 * the chosen model's own error variance: analytic for additive seasons, seeded simulation for
 * multiplicative ones, so the result is deterministic. Models are fitted from simple to nested
 * (no trend, then trend, then damped; additive then multiplicative error), each starting also from
 * the fits of the models it nests, so a model never fits worse than a special case of it. With
 * `combine: true` the forecast is the Akaike-weighted average of every candidate instead (each
 * candidate reports its `weight`), with intervals from the weighted mixture of their predictive
 * distributions.
 *
 * Needs at least 3 values.
 *
 * @example
 * ```ts
 * const f = forecastAuto(monthlySales, { period: 12, horizon: 12, level: 0.8 });
 * f.model.name; // e.g. 'ETS(M,Ad,M)'
 * f.reason;     // why that model
 * ```
 */
export function forecastAuto(values: readonly number[], options: AutoForecastOptions): AutoForecast {
  const y = finiteSeries(values);
  const o = object('options', options);
  const horizon = finiteNumber('options.horizon', o['horizon'], { integer: true });
  if (horizon <= 0) throw new OracleRangeError('options.horizon', `must be >= 1, got ${horizon}`);
  const level = intervalLevel(o);
  const seed = o['seed'] === undefined ? 1 : finiteNumber('options.seed', o['seed'], { integer: true });
  const combine = o['combine'] === undefined ? false : o['combine'];
  if (typeof combine !== 'boolean') throw new OracleTypeError('options.combine', `expected a boolean, got ${typeof combine}`);
  const select = o['select'] === undefined ? 'validation' : oneOf('options.select', o['select'], ['validation', 'aicc'] as const);
  if (y.length < 3) throw new OracleRangeError('values', `needs at least 3 values, got ${y.length}`);
  let period = 1;
  let periodNote: string;
  if (o['period'] !== undefined) {
    period = finiteNumber('options.period', o['period'], { integer: true, min: 1 });
    periodNote = period === 1 ? 'non-seasonal (period 1 given)' : `period ${period} (given)`;
  } else {
    const detected = detectPeriod(y);
    if (detected === undefined) periodNote = 'no period detected';
    else {
      period = detected;
      periodNote = `period ${period} (detected from the autocorrelation)`;
    }
  }
  const { fits, excluded, shortNote, criterionName, key } = fitAutoCandidates(y, period);
  if (shortNote !== undefined) periodNote += shortNote;
  const best = fits[0]!;
  const runnerUp = fits[1];
  const validated = select === 'validation' && !combine ? validatedChoice(y, period, horizon, fits) : undefined;
  const chosen = validated === undefined ? best : fits[validated.index]!;
  const aiccNote =
    `${etsName(best.spec)} has the lowest ${criterionName} (${key(best).toFixed(1)}) of ${fits.length} fitted models` +
    (runnerUp === undefined ? '' : `; next ${etsName(runnerUp.spec)} at +${(key(runnerUp) - key(best)).toFixed(1)}`);
  const why =
    validated !== undefined
      ? `${etsName(chosen.spec)} forecast the last ${horizon} values best (MAE ${validated.mae.toPrecision(4)}) of the ${validated.count} model forms refitted without them; ${aiccNote}`
      : aiccNote + (select === 'validation' && !combine ? ` (chosen by it: too few values to validate on the last ${horizon}, needs ${horizon + Math.max(2 * period, 3)})` : '');
  const reason =
    why +
    `; ${periodNote}` +
    (chosen.boundary.length > 0 ? `; on a bound: ${chosen.boundary.map((b) => `${b.parameter} (${b.bound})`).join(', ')}` : '');
  const raw = fits.map((f) => Math.exp(-0.5 * (key(f) - key(best))));
  const total = raw.reduce((a, b) => a + b, 0);
  const weights = raw.map((w) => w / total);
  const p = combine ? combinedPrediction(fits, weights, horizon, level, seed) : predictionOf(chosen, horizon, level, seed);
  const used = combine ? weights.filter((w) => w >= MIN_WEIGHT).length : 1;
  return {
    forecast: p.forecast,
    lower: p.lower,
    upper: p.upper,
    level,
    intervals: p.method,
    model: reportOf(chosen),
    combined: combine,
    selectedBy: validated === undefined ? 'aicc' : 'validation',
    candidates: fits.map((f, i) => ({ name: etsName(f.spec), aicc: f.aicc, weight: weights[i]! })),
    excluded,
    reason: combine ? `${reason}; forecast combines the ${used} model${used === 1 ? '' : 's'} of Akaike weight ≥ ${MIN_WEIGHT} (${etsName(best.spec)} ${weights[0]!.toFixed(2)})` : reason,
  };
}

/** Internal: the candidate fits of {@link forecastAuto}, best criterion first. */
export interface AutoCandidates {
  /** Every model fitted, best criterion first. */
  readonly fits: EtsFit[];
  /** Models considered but not fitted, and why. */
  readonly excluded: { name: string; why: string }[];
  /** Appended to the period note when the series is too short for a season. */
  readonly shortNote: string | undefined;
  /** `'AICc'`, or AIC when no model has a finite AICc. */
  readonly criterionName: string;
  /** The criterion of a fit (AICc, or AIC when no model has a finite AICc). */
  readonly key: (f: EtsFit) => number;
}

/**
 * Internal: fits the ETS models of {@link forecastAuto} to `y` with season length `period`
 * (1: non-seasonal), from simple to nested, sorted by AICc. Exported for the bench, which compares
 * ways of turning these fits into one forecast.
 */
export function fitAutoCandidates(y: readonly number[], period: number): AutoCandidates {
  let shortNote: string | undefined;
  const excluded: { name: string; why: string }[] = [];
  const seasons: EtsSeasonKind[] = ['none'];
  if (period >= 2) {
    if (y.length >= 2 * period) seasons.push('additive', 'multiplicative');
    else {
      excluded.push({ name: 'seasonal models', why: `need two full periods (${2 * period} values), got ${y.length}` });
      shortNote = ', too short for a season';
    }
  }
  const positive = y.every((v) => v > 0);
  const specs: EtsSpec[] = [];
  for (const season of seasons) {
    for (const trend of TRENDS) {
      for (const error of ['additive', 'multiplicative'] as const) {
        const spec: EtsSpec = { error, trend, season, period: season === 'none' ? 1 : period };
        // Additive errors with a multiplicative season are numerically unstable (Hyndman et al. 2008 §15.1; excluded by R's ets).
        if (error === 'additive' && season === 'multiplicative') continue;
        if (error === 'multiplicative' && !positive) {
          excluded.push({ name: etsName(spec), why: 'multiplicative forms need strictly positive values' });
          continue;
        }
        specs.push(spec);
      }
    }
  }
  const fits: EtsFit[] = [];
  for (const spec of specs) {
    // Models already fitted seed the ones nesting them, so a model never fits worse than a special case of it.
    const fit = fitEts(y, spec, { starts: fits });
    if (fit === undefined) excluded.push({ name: etsName(spec), why: 'no admissible fit' });
    else fits.push(fit);
  }
  if (fits.length === 0) throw new OracleRangeError('values', 'no exponential smoothing model could be fitted to these values');
  const anyFinite = fits.some((f) => Number.isFinite(f.aicc));
  const key = (f: EtsFit): number => (anyFinite ? f.aicc : f.aic);
  fits.sort((a, b) => key(a) - key(b));
  const criterionName = anyFinite ? 'AICc' : 'AIC (too few values for AICc)';
  return { fits, excluded, shortNote, criterionName, key };
}

/**
 * Internal: validation choice of {@link forecastAuto}. Refits every model form on all but the last
 * `horizon` values and returns the index (in `fits`, the fits on all values) of the form whose
 * forecast of those values has the lowest MAE, that MAE and how many forms were compared; undefined
 * when fewer than max(2·period, 3) values would remain or no refitted form is among `fits`.
 */
export function validatedChoice(y: readonly number[], period: number, horizon: number, fits: readonly EtsFit[]): { index: number; mae: number; count: number } | undefined {
  if (y.length - horizon < Math.max(2 * period, 3)) return undefined;
  const head = y.slice(0, -horizon);
  const tail = y.slice(-horizon);
  let early: EtsFit[];
  try {
    early = fitAutoCandidates(head, period).fits;
  } catch (error) {
    // No form fits the shortened series: fall back to the criterion. Only that refusal is
    // expected here; anything else is a defect and must surface, not silently change the choice.
    if (error instanceof OracleRangeError) return undefined;
    throw error;
  }
  let choice: { index: number; mae: number; count: number } | undefined;
  let count = 0;
  for (const f of early) {
    const index = fits.findIndex((g) => etsName(g.spec) === etsName(f.spec));
    if (index < 0) continue;
    count++;
    // Level 0: point forecasts only (they do not depend on the level or seed; intervals do).
    const p = predictEts(f, horizon, 0, 1).forecast;
    let sum = 0;
    for (let i = 0; i < horizon; i++) sum += Math.abs(tail[i]! - p[i]!);
    const mae = sum / horizon;
    if (choice === undefined || mae < choice.mae) choice = { index, mae, count: 0 };
  }
  return choice === undefined ? undefined : { ...choice, count };
}

/** Models below this Akaike weight are left out of a combination (and the rest renormalised). */
const MIN_WEIGHT = 0.001;

/**
 * Akaike-weighted combination: the point forecast is the weighted mean, and the interval bounds
 * are the α/2 and 1 − α/2 quantiles of the weighted mixture of the models' predictive
 * distributions, each represented by a split normal through its own forecast and bounds (exact
 * for the analytic models, a two-sided fit of the simulated ones), found by bisection.
 */
function combinedPrediction(fits: readonly EtsFit[], weights: readonly number[], horizon: number, level: number, seed: number): ReturnType<typeof predictionOf> {
  const members = fits.map((fit, i) => ({ fit, w: weights[i]! })).filter((x) => x.w >= MIN_WEIGHT);
  const total = members.reduce((a, x) => a + x.w, 0);
  const preds = members.map((x) => ({ w: x.w / total, p: predictionOf(x.fit, horizon, level, seed) }));
  const z = normalQuantile(0.5 + level / 2);
  const forecast: number[] = [];
  const lower: number[] = [];
  const upper: number[] = [];
  for (let h = 0; h < horizon; h++) {
    const mean = preds.reduce((a, x) => a + x.w * x.p.forecast[h]!, 0);
    forecast.push(mean);
    if (!(z > 0)) {
      lower.push(mean);
      upper.push(mean);
      continue;
    }
    const cdf = (v: number): number => {
      let c = 0;
      for (const x of preds) {
        const f = x.p.forecast[h]!;
        const s = v < f ? (f - x.p.lower[h]!) / z : (x.p.upper[h]! - f) / z;
        c += x.w * (s > 0 ? normalCdf((v - f) / s) : v < f ? 0 : 1);
      }
      return c;
    };
    const quantile = (q: number): number => {
      let lo = Math.min(...preds.map((x) => x.p.lower[h]!));
      let hi = Math.max(...preds.map((x) => x.p.upper[h]!));
      for (let i = 0; i < 100 && hi - lo > 1e-12 * Math.max(1, Math.abs(hi)); i++) {
        const mid = (lo + hi) / 2;
        if (cdf(mid) < q) lo = mid;
        else hi = mid;
      }
      return (lo + hi) / 2;
    };
    lower.push(Math.min(mean, quantile((1 - level) / 2)));
    upper.push(Math.max(mean, quantile((1 + level) / 2)));
  }
  return { forecast, lower, upper, method: preds.some((x) => x.p.method === 'simulation') ? 'simulation' : 'analytic' };
}
