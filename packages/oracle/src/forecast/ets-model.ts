// The ETS state space recursions (Hyndman, Koehler, Ord & Snyder, "Forecasting with Exponential
// Smoothing", 2008, Table 2.3), shared by fitting, forecasting and simulation. Internal.

/** Error form of an ETS model: additive (`A`) or multiplicative (`M`, relative errors). */
export type EtsErrorKind = 'additive' | 'multiplicative';
/** Trend form of an ETS model: none (`N`), additive (`A`) or additive damped (`Ad`). */
export type EtsTrendKind = 'none' | 'additive' | 'damped';
/** Season form of an ETS model: none (`N`), additive (`A`) or multiplicative (`M`). */
export type EtsSeasonKind = 'none' | 'additive' | 'multiplicative';

/** The structure of one ETS model. */
export interface EtsSpec {
  readonly error: EtsErrorKind;
  readonly trend: EtsTrendKind;
  readonly season: EtsSeasonKind;
  /** Season length; 1 when `season` is `'none'`. */
  readonly period: number;
}

/** Smoothing parameters (β, γ, φ unused by models without that component). */
export interface EtsParameters {
  readonly alpha: number;
  readonly beta: number;
  readonly gamma: number;
  readonly phi: number;
}

/** Level, trend and seasonal states; `season[j]` is the index used at times `t ≡ j (mod period)`. */
export interface EtsStates {
  readonly level: number;
  readonly trend: number;
  readonly season: readonly number[];
}

/** What one pass of the recursions over a series yields. */
export interface EtsRun {
  /** Σ e², e = y − μ (one-step errors). */
  sse: number;
  /** Σ (e / μ)², the relative errors of the multiplicative-error likelihood. */
  relSse: number;
  /** Σ log |μ|, the Jacobian term of the multiplicative-error likelihood. */
  sumLogMu: number;
  /** States after the last value. */
  final: EtsStates;
}

const letter = { none: 'N', additive: 'A', damped: 'Ad', multiplicative: 'M' } as const;

/** `ETS(A,Ad,M)`-style name (error, trend, season). */
export function etsName(spec: Pick<EtsSpec, 'error' | 'trend' | 'season'>): string {
  return `ETS(${letter[spec.error]},${letter[spec.trend]},${letter[spec.season]})`;
}

/**
 * Runs the recursions from `initial` over `y`. In terms of the raw one-step error e = y − μ the
 * state updates of the additive- and multiplicative-error forms are the same (ibid. Table 2.3,
 * with e = μ·ε for multiplicative errors), so one pass serves both; only the likelihood differs.
 * Returns `undefined` when a multiplicative component or forecast turns non-positive or anything
 * non-finite appears (an inadmissible path). `fitted`, when given, receives the one-step forecasts.
 */
export function runEts(y: ArrayLike<number>, spec: EtsSpec, p: EtsParameters, initial: EtsStates, fitted?: Float64Array): EtsRun | undefined {
  const m = spec.season === 'none' ? 1 : spec.period;
  const phi = spec.trend === 'damped' ? p.phi : 1;
  const beta = spec.trend === 'none' ? 0 : p.beta;
  const multSeason = spec.season === 'multiplicative';
  const multError = spec.error === 'multiplicative';
  let l = initial.level;
  let b = spec.trend === 'none' ? 0 : initial.trend;
  const s = spec.season === 'none' ? [0] : initial.season.slice(0, m);
  let sse = 0;
  let relSse = 0;
  let sumLogMu = 0;
  for (let t = 0; t < y.length; t++) {
    const j = t % m;
    const lb = l + phi * b;
    const st = s[j]!;
    const mu = multSeason ? lb * st : lb + st;
    if (fitted) fitted[t] = mu;
    const e = y[t]! - mu;
    sse += e * e;
    if (multError) {
      if (!(mu > 0)) return undefined;
      relSse += (e / mu) ** 2;
      sumLogMu += Math.log(mu);
    }
    if (multSeason) {
      if (!(st > 0) || !(lb > 0)) return undefined;
      l = lb + (p.alpha * e) / st;
      b = phi * b + (beta * e) / st;
      s[j] = st + (p.gamma * e) / lb;
    } else {
      l = lb + p.alpha * e;
      b = phi * b + beta * e;
      if (m > 1) s[j] = st + p.gamma * e;
    }
  }
  if (!Number.isFinite(sse) || !Number.isFinite(l) || !Number.isFinite(b)) return undefined;
  if (multSeason && s.some((v) => !(v > 0))) return undefined;
  // Store the season so that final.season[j] is the index for times ≡ j (mod m) going forward.
  return { sse, relSse, sumLogMu, final: { level: l, trend: b, season: m > 1 ? s : [] } };
}

/** Σ_{i=1..h} φ^i (h when undamped, 0 without a trend). */
export function dampedSum(spec: EtsSpec, phi: number, h: number): number {
  if (spec.trend === 'none') return 0;
  if (spec.trend === 'additive') return h;
  let sum = 0;
  let power = 1;
  for (let i = 1; i <= h; i++) {
    power *= phi;
    sum += power;
  }
  return sum;
}

/**
 * Point forecasts for steps 1…horizon after `n` values, from the states after the last value
 * (the conditional mean for additive-season models, the usual "point forecast" otherwise).
 */
export function pointForecasts(spec: EtsSpec, p: EtsParameters, final: EtsStates, n: number, horizon: number): number[] {
  const m = spec.season === 'none' ? 1 : spec.period;
  const phi = spec.trend === 'damped' ? p.phi : 1;
  const out: number[] = [];
  let trendSum = 0;
  let power = 1;
  for (let h = 1; h <= horizon; h++) {
    if (spec.trend !== 'none') {
      power *= phi;
      trendSum += power;
    }
    const base = final.level + trendSum * final.trend;
    const s = m > 1 ? final.season[(n - 1 + h) % m]! : spec.season === 'multiplicative' ? 1 : 0;
    out.push(spec.season === 'multiplicative' ? base * s : base + s);
  }
  return out;
}

/**
 * c_j = w′F^{j−1}g, j = 1…count: the weight of a one-step error on the forecast j steps later in
 * the linear (additive-component) form of the model, from its impulse response. The class 1 and 2
 * variance formulas (ibid. §6.2–6.3) are sums of these.
 */
export function impulseWeights(spec: EtsSpec, p: EtsParameters, count: number): number[] {
  const m = spec.season === 'none' ? 1 : spec.period;
  const phi = spec.trend === 'damped' ? p.phi : 1;
  const beta = spec.trend === 'none' ? 0 : p.beta;
  // A unit error at step 0 moves level by α, trend by β and the season of step 0 by γ.
  let l = p.alpha;
  let b = beta;
  const out: number[] = [];
  for (let j = 1; j <= count; j++) {
    const seasonal = m > 1 && j % m === 0 ? p.gamma : 0;
    out.push(l + phi * b + seasonal);
    l += phi * b;
    b *= phi;
  }
  return out;
}
