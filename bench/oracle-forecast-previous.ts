// The oracle's forecastHoltWinters as it was before issue 21 (commit 35f7352), kept callable for the
// bench's "vs previous" column only. Not part of any package.
import { OracleRangeError } from '../packages/oracle/src/errors';
import { nelderMead } from '../packages/oracle/src/math/optimize';
import { array, finiteNumber, object, oneOf } from '../packages/oracle/src/validate';
import { normalQuantile } from '../packages/oracle/src/forecast/normal';
import { detectPeriod } from '../packages/oracle/src/forecast/period';

/** Seasonal form of {@link forecastHoltWinters}. */
export type SeasonalKind = 'additive' | 'multiplicative' | 'none';

/** Options of {@link forecastHoltWinters}. */
export interface HoltWintersOptions {
  /** Steps to forecast past the last value (integer ≥ 1). */
  readonly horizon: number;
  /** Season length in samples (≥ 2); detected with {@link detectPeriod} when omitted. */
  readonly period?: number;
  /** Default `'additive'`; falls back to `'none'` when no period is given or detected. */
  readonly seasonal?: SeasonalKind;
  /** Level smoothing in [0, 1]; fitted when omitted. */
  readonly alpha?: number;
  /** Trend smoothing in [0, 1]; fitted when omitted. */
  readonly beta?: number;
  /** Seasonal smoothing in [0, 1]; fitted when omitted. */
  readonly gamma?: number;
  /** Two-sided prediction interval coverage in [0, 1); default 0.95. */
  readonly level?: number;
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
  /** Sum of squared one-step-ahead errors over the fitted history. */
  readonly sse: number;
}

/** Final filter state and fit statistics. */
interface FilterRun {
  level: number;
  trend: number;
  season: number[];
  sse: number;
  /** Σ (error / one-step forecast)², used by the multiplicative intervals. */
  relSse: number;
  errors: number;
}

// Parameters stay inside (ε, 1 − ε) so the logit transform and the admissible region agree.
const EPS = 1e-4;
const logit = (p: number): number => Math.log(p / (1 - p));
const logistic = (x: number): number => EPS + (1 - 2 * EPS) / (1 + Math.exp(-x));

function mean(y: readonly number[], from: number, to: number): number {
  let s = 0;
  for (let i = from; i < to; i++) s += y[i]!;
  return s / (to - from);
}

/**
 * Runs the Holt-Winters recursions (Holt 1957, Winters 1960; component form of Hyndman et al. 2008
 * §2.3) from a classical-decomposition start: level and trend from the first two seasons' means,
 * seasonal indices from the detrended first season. Returns `undefined` if a multiplicative level
 * or season turns non-positive.
 */
function filter(y: readonly number[], m: number, kind: SeasonalKind, alpha: number, beta: number, gamma: number): FilterRun | undefined {
  const n = y.length;
  const season = new Array<number>(m).fill(kind === 'multiplicative' ? 1 : 0);
  let level: number;
  let trend: number;
  let start: number;
  if (kind !== 'none') {
    const first = mean(y, 0, m);
    trend = (mean(y, m, 2 * m) - first) / m;
    for (let i = 0; i < m; i++) {
      const base = first + trend * (i - (m - 1) / 2);
      season[i] = kind === 'additive' ? y[i]! - base : base > 0 ? y[i]! / base : 1;
    }
    level = first + (trend * (m - 1)) / 2;
    start = m;
  } else {
    // Level and trend from the first two values; errors start at the third.
    trend = y[1]! - y[0]!;
    level = y[1]!;
    start = 2;
  }
  let sse = 0;
  let relSse = 0;
  for (let t = start; t < n; t++) {
    const idx = t % m;
    const s = season[idx]!;
    const x = y[t]!;
    if (kind === 'multiplicative') {
      const fitted = (level + trend) * s;
      const err = x - fitted;
      sse += err * err;
      relSse += fitted > 0 ? (err / fitted) ** 2 : 0;
      const newLevel = (alpha * x) / s + (1 - alpha) * (level + trend);
      if (!(newLevel > 0)) return undefined;
      trend = beta * (newLevel - level) + (1 - beta) * trend;
      season[idx] = (gamma * x) / newLevel + (1 - gamma) * s;
      if (!(season[idx]! > 0)) return undefined;
      level = newLevel;
    } else {
      const fitted = level + trend + s;
      const err = x - fitted;
      sse += err * err;
      relSse += fitted !== 0 ? (err / fitted) ** 2 : 0;
      const newLevel = alpha * (x - s) + (1 - alpha) * (level + trend);
      trend = beta * (newLevel - level) + (1 - beta) * trend;
      if (kind === 'additive') season[idx] = gamma * (x - newLevel) + (1 - gamma) * s;
      level = newLevel;
    }
  }
  return { level, trend, season, sse, relSse, errors: n - start };
}

interface Fixed {
  alpha?: number;
  beta?: number;
  gamma?: number;
}

/**
 * Smoothing parameters minimising the one-step-ahead SSE: Nelder–Mead on the logits of the free
 * parameters (so they stay in (0, 1)), started from the best point of a small fixed grid, so the
 * fit is deterministic and less prone to the local minima of the SSE surface.
 */
function fitParameters(y: readonly number[], m: number, kind: SeasonalKind, fixed: Fixed): { alpha: number; beta: number; gamma: number } {
  const names = (['alpha', 'beta', 'gamma'] as const).filter((k) => fixed[k] === undefined && (k !== 'gamma' || kind !== 'none'));
  const resolve = (x: readonly number[]): { alpha: number; beta: number; gamma: number } => {
    const p = { alpha: fixed.alpha ?? 0, beta: fixed.beta ?? 0, gamma: kind === 'none' ? 0 : (fixed.gamma ?? 0) };
    names.forEach((k, i) => {
      p[k] = logistic(x[i]!);
    });
    return p;
  };
  if (names.length === 0) return resolve([]);
  const objective = (x: readonly number[]): number => {
    const p = resolve(x);
    return filter(y, m, kind, p.alpha, p.beta, p.gamma)?.sse ?? Number.POSITIVE_INFINITY;
  };
  const grid: Record<'alpha' | 'beta' | 'gamma', number[]> = { alpha: [0.1, 0.3, 0.6, 0.9], beta: [0.01, 0.1], gamma: [0.05, 0.3] };
  let starts: number[][] = [[]];
  for (const k of names) starts = starts.flatMap((s) => grid[k].map((v) => [...s, logit(v)]));
  let x0 = starts[0]!;
  let best = Number.POSITIVE_INFINITY;
  for (const s of starts) {
    const v = objective(s);
    if (v < best) {
      best = v;
      x0 = s;
    }
  }
  const result = nelderMead(objective, x0, { step: 1, maxEvaluations: 400 * names.length, restarts: 1 });
  return resolve(result.x);
}

function optionalUnit(o: Record<string, unknown>, key: string): number | undefined {
  return o[key] === undefined ? undefined : finiteNumber(`options.${key}`, o[key], { min: 0, max: 1 });
}

/**
 * Holt-Winters exponential smoothing forecast (Holt 1957; Winters 1960) with additive trend and
 * additive, multiplicative or no seasonality. Smoothing parameters not given are fitted by
 * minimising the one-step-ahead squared error (Nelder–Mead on logit-transformed parameters from a
 * deterministic grid start). Prediction intervals use the residual variance σ² (SSE over the
 * one-step errors minus fitted parameters) widened with the horizon by the ETS(A,A,A) closed form of
 * Hyndman et al., "Forecasting with Exponential Smoothing" (2008), Table 6.1:
 * `σ_h² = σ²(1 + Σ_{j<h} c_j²)`, `c_j = α(1 + jβ) + γ(1 − α)·[j ≡ 0 mod m]`. For the multiplicative
 * form this is an approximation: σ is estimated from relative one-step errors and scaled by the
 * point forecast (the small-σ approximation of the class-3 models, ibid. §6.4).
 *
 * Needs at least 3 values, or two full seasons when seasonal. Multiplicative seasonality requires
 * strictly positive values.
 */
export function previousForecastHoltWinters(values: readonly number[], options: HoltWintersOptions): HoltWintersForecast {
  const y = array<number>('values', values);
  for (let i = 0; i < y.length; i++) finiteNumber(`values[${i}]`, y[i]);
  const o = object('options', options);
  const horizon = finiteNumber('options.horizon', o['horizon'], { integer: true });
  if (horizon <= 0) throw new OracleRangeError('options.horizon', `must be >= 1, got ${horizon}`);
  let kind: SeasonalKind = o['seasonal'] === undefined ? 'additive' : oneOf('options.seasonal', o['seasonal'], ['additive', 'multiplicative', 'none'] as const);
  const level = o['level'] === undefined ? 0.95 : finiteNumber('options.level', o['level'], { min: 0 });
  if (level >= 1) throw new OracleRangeError('options.level', `must be < 1, got ${level}`);
  const fixed: Fixed = {};
  for (const k of ['alpha', 'beta', 'gamma'] as const) {
    const v = optionalUnit(o, k);
    if (v !== undefined) fixed[k] = v;
  }
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

  const p = fitParameters(y, m, kind, fixed);
  const run = filter(y, m, kind, p.alpha, p.beta, p.gamma);
  if (run === undefined) throw new OracleRangeError('values', 'the multiplicative model is not admissible for these values and parameters');
  const fitted = (['alpha', 'beta', 'gamma'] as const).filter((k) => fixed[k] === undefined).length;
  const dof = Math.max(1, run.errors - fitted);
  const sigma = Math.sqrt((kind === 'multiplicative' ? run.relSse : run.sse) / dof);
  const z = level === 0 ? 0 : normalQuantile((1 + level) / 2);
  const forecast: number[] = [];
  const lower: number[] = [];
  const upper: number[] = [];
  let cumulative = 1;
  for (let h = 1; h <= horizon; h++) {
    if (h > 1) {
      const j = h - 1;
      const c = p.alpha * (1 + j * p.beta) + (m > 1 && j % m === 0 ? p.gamma * (1 - p.alpha) : 0);
      cumulative += c * c;
    }
    const s = run.season[(y.length - 1 + h) % m]!;
    const base = run.level + h * run.trend;
    const mean = kind === 'multiplicative' ? base * s : base + s;
    const sd = (kind === 'multiplicative' ? Math.abs(mean) : 1) * sigma * Math.sqrt(cumulative);
    forecast.push(mean);
    lower.push(mean - z * sd);
    upper.push(mean + z * sd);
  }
  return { forecast, lower, upper, params: { alpha: p.alpha, beta: p.beta, gamma: p.gamma, period: m, seasonal: kind, sigma }, sse: run.sse };
}
