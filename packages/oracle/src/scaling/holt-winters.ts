// Small deterministic additive Holt-Winters model for capacity planning. Internal: the package's
// general forecasting lives elsewhere; this one only needs a mean and an upper bound per step.

/** Fitted model state at the last observation. */
export interface SeasonalFit {
  /** Season length in samples (1 = no seasonality). */
  readonly period: number;
  readonly alpha: number;
  readonly beta: number;
  readonly gamma: number;
  readonly level: number;
  readonly trend: number;
  /** Seasonal components indexed by `t mod period`. */
  readonly season: readonly number[];
  /** Index of the last observation. */
  readonly last: number;
  /** RMSE of one-step-ahead errors. */
  readonly sigma: number;
}

const ALPHAS = [0.05, 0.1, 0.2, 0.3, 0.5, 0.7, 0.9];
const BETAS = [0, 0.01, 0.05, 0.1, 0.2];
const GAMMAS = [0.05, 0.1, 0.2, 0.3, 0.5];

function mean(xs: readonly number[], from: number, to: number): number {
  let s = 0;
  for (let i = from; i < to; i++) s += xs[i]!;
  return s / (to - from);
}

function run(y: readonly number[], m: number, alpha: number, beta: number, gamma: number): SeasonalFit & { sse: number } {
  const n = y.length;
  let level: number;
  let trend: number;
  const season = new Array<number>(m).fill(0);
  let start: number;
  if (m > 1) {
    const first = mean(y, 0, m);
    trend = n >= 2 * m ? (mean(y, m, 2 * m) - first) / m : 0;
    for (let i = 0; i < m; i++) season[i] = y[i]! - first;
    // The first season's mean sits mid-season; move the level to its last sample.
    level = first + (trend * (m - 1)) / 2;
    start = m;
  } else {
    level = y[0]!;
    trend = n > 1 ? y[1]! - y[0]! : 0;
    start = 1;
  }
  let sse = 0;
  for (let t = start; t < n; t++) {
    const s = season[t % m]!;
    const err = y[t]! - (level + trend + s);
    sse += err * err;
    const newLevel = alpha * (y[t]! - s) + (1 - alpha) * (level + trend);
    trend = beta * (newLevel - level) + (1 - beta) * trend;
    if (m > 1) season[t % m] = gamma * (y[t]! - newLevel) + (1 - gamma) * s;
    level = newLevel;
  }
  const count = Math.max(1, n - start);
  return { period: m, alpha, beta, gamma: m > 1 ? gamma : 0, level, trend, season, last: n - 1, sigma: Math.sqrt(sse / count), sse };
}

/** Fits by grid search over smoothing parameters, minimising one-step squared error (deterministic). */
export function fitHoltWinters(y: readonly number[], period: number): SeasonalFit {
  const gammas = period > 1 ? GAMMAS : [0];
  let best: (SeasonalFit & { sse: number }) | undefined;
  for (const a of ALPHAS) {
    for (const b of BETAS) {
      for (const g of gammas) {
        const fit = run(y, period, a, b, g);
        if (best === undefined || fit.sse < best.sse) best = fit;
      }
    }
  }
  return best!;
}

/**
 * Mean and standard deviation `h` steps past the last observation. The variance follows the
 * ETS(A,A,A) closed form: σ²(1 + Σ_{j<h} c_j²), c_j = α(1 + jβ) + γ(1 − α)·[j ≡ 0 mod m].
 */
export function forecastStep(fit: SeasonalFit, h: number): { mean: number; sd: number } {
  const m = fit.period;
  const mean = fit.level + h * fit.trend + (m > 1 ? fit.season[(fit.last + h) % m]! : 0);
  let v = 1;
  for (let j = 1; j < h; j++) {
    const c = fit.alpha * (1 + j * fit.beta) + (m > 1 && j % m === 0 ? fit.gamma * (1 - fit.alpha) : 0);
    v += c * c;
  }
  return { mean, sd: fit.sigma * Math.sqrt(v) };
}

/** Lag-k autocorrelation after removing a least-squares line, so trends do not pose as seasons. */
export function detrendedAutocorrelation(y: readonly number[], lag: number): number {
  const n = y.length;
  if (lag <= 0 || lag >= n) return 0;
  const tMean = (n - 1) / 2;
  const yMean = mean(y, 0, n);
  let sxy = 0;
  let sxx = 0;
  for (let t = 0; t < n; t++) {
    sxy += (t - tMean) * (y[t]! - yMean);
    sxx += (t - tMean) * (t - tMean);
  }
  const slope = sxx === 0 ? 0 : sxy / sxx;
  const r = y.map((v, t) => v - yMean - slope * (t - tMean));
  let num = 0;
  let den = 0;
  for (let t = 0; t < n; t++) {
    den += r[t]! * r[t]!;
    if (t + lag < n) num += r[t]! * r[t + lag]!;
  }
  return den === 0 ? 0 : num / den;
}

/** Standard normal quantile (Acklam's rational approximation, |error| < 1.2e-9). */
export function normalQuantile(p: number): number {
  const a = [-39.69683028665376, 220.9460984245205, -275.9285104469687, 138.357751867269, -30.66479806614716, 2.506628277459239];
  const b = [-54.47609879822406, 161.5858368580409, -155.6989798598866, 66.80131188771972, -13.28068155288572];
  const c = [-0.007784894002430293, -0.3223964580411365, -2.400758277161838, -2.549732539343734, 4.374664141464968, 2.938163982698783];
  const d = [0.007784695709041462, 0.3224671290700398, 2.445134137142996, 3.754408661907416];
  const lo = 0.02425;
  if (p < lo) {
    const q = Math.sqrt(-2 * Math.log(p));
    return (((((c[0]! * q + c[1]!) * q + c[2]!) * q + c[3]!) * q + c[4]!) * q + c[5]!) / ((((d[0]! * q + d[1]!) * q + d[2]!) * q + d[3]!) * q + 1);
  }
  if (p > 1 - lo) return -normalQuantile(1 - p);
  const q = p - 0.5;
  const r = q * q;
  return ((((((a[0]! * r + a[1]!) * r + a[2]!) * r + a[3]!) * r + a[4]!) * r + a[5]!) * q) / (((((b[0]! * r + b[1]!) * r + b[2]!) * r + b[3]!) * r + b[4]!) * r + 1);
}
