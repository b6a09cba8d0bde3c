// Maximum-likelihood fitting of one ETS model: smoothing parameters and initial states jointly.
// Internal; forecastHoltWinters and forecastAuto are the faces.
import { solveLinear } from '../math/linalg';
import { nelderMead } from '../math/optimize';
import { type EtsParameters, type EtsSpec, type EtsStates, runEts } from './ets-model';

/** A smoothing parameter of an ETS model. */
export type EtsParameterName = 'alpha' | 'beta' | 'gamma' | 'phi';

/** A fitted smoothing parameter that ended on (within 0.1 % of the range of) one of its bounds. */
export interface EtsBoundaryHit {
  /** Which parameter. */
  readonly parameter: EtsParameterName;
  /** `'lower'` or `'upper'` end of its admissible range. */
  readonly bound: 'lower' | 'upper';
  /** The fitted value. */
  readonly value: number;
  /** The bound it sits on: for β the upper bound is α, for γ it is 1 − α (the usual region). */
  readonly limit: number;
}

/** How the initial states were obtained. */
export type EtsInitialization = 'estimated' | 'partial';

/** One fitted ETS model. */
export interface EtsFit {
  readonly spec: EtsSpec;
  readonly params: EtsParameters;
  readonly initial: EtsStates;
  readonly final: EtsStates;
  readonly n: number;
  /** Σ e² of the one-step errors over all values. */
  readonly sse: number;
  /** One-step error variance (relative errors for multiplicative-error models), Σ/(n − free parameters). */
  readonly sigma2: number;
  readonly logLik: number;
  readonly aic: number;
  readonly aicc: number;
  readonly bic: number;
  /** Estimated quantities: smoothing parameters, initial states and σ. */
  readonly parameterCount: number;
  readonly boundary: EtsBoundaryHit[];
  /** `'partial'`: seasonal initial states from a decomposition, refined once (long seasons). */
  readonly initialization: EtsInitialization;
  /** Every optimiser run met its tolerance within its evaluation cap. */
  readonly converged: boolean;
}

/** Options of {@link fitEts}. */
export interface EtsFitOptions {
  /** Parameters held at the given value instead of estimated. */
  readonly fixed?: Partial<EtsParameters> | undefined;
  /** Evaluation cap of each optimiser run (default 100 per free coordinate, at least 200). */
  readonly evaluationsPerDimension?: number | undefined;
  /**
   * Fits of nested or sibling models to start from as well (forecastAuto passes the models it has
   * already fitted): a fit without trend is this model with β = 0 and b₀ = 0, an additive-error fit
   * has the same recursions as its multiplicative-error twin, an undamped trend is φ → 1. Starts of
   * another season form or period are ignored.
   */
  readonly starts?: readonly EtsStart[] | undefined;
}

/** A starting point for {@link fitEts}: another model's fitted parameters and initial states. */
export interface EtsStart {
  readonly spec: EtsSpec;
  readonly params: EtsParameters;
  readonly initial: EtsStates;
}

// Smoothing parameters range over the closed unit interval, as in statsmodels (R's ets keeps 1e-4
// away from the ends); fits on a bound are reported rather than pushed off it.
const LO = 0;
const HI = 1;
const PHI_LO = 0.8;
const PHI_HI = 0.98;
const EDGE = 1e-3;
/** Longest season whose initial states join the joint optimisation of nonlinear models. */
const JOINT_SEASON_MAX = 13;
/** Rounds of parameters-then-states for nonlinear models. */
const NONLINEAR_ROUNDS = 4;
/** Gauss–Newton iterations per state refinement. */
const GAUSS_NEWTON_ITERATIONS = 6;
/** Work cap (n·K²) of the least-squares profile of the initial states per evaluation. */
const PROFILE_WORK_MAX = 120_000;
/** Work cap of the one full least-squares refinement of long seasons. */
const REFINE_WORK_MAX = 30_000_000;
/** Levenberg–Marquardt iterations of the joint refinement of nonlinear models. */
const POLISH_ITERATIONS = 60;

const clamp01 = (u: number): number => (u < 0 ? 0 : u > 1 ? 1 : u);

interface ParameterMap {
  readonly names: EtsParameterName[];
  decode(u: readonly number[]): EtsParameters;
  /** Inverse of `decode` on the free parameters (coordinates clamped to [0, 1]). */
  encode(p: EtsParameters): number[];
  boundary(u: readonly number[], p: EtsParameters): EtsBoundaryHit[];
}

/**
 * The free smoothing parameters as coordinates u ∈ [0, 1]: α = lo + (hi − lo)u, and in the usual
 * region (Hyndman et al. 2008 §5.2, also statsmodels' default) β ∈ [lo, α], γ ∈ [lo, 1 − α];
 * φ ∈ [0.8, 0.98]. When the caller fixes any parameter the others get independent [lo, hi] ranges.
 */
function parameterMap(spec: EtsSpec, fixed: Partial<EtsParameters>): ParameterMap {
  const names: EtsParameterName[] = [];
  if (fixed.alpha === undefined) names.push('alpha');
  if (spec.trend !== 'none' && fixed.beta === undefined) names.push('beta');
  if (spec.season !== 'none' && fixed.gamma === undefined) names.push('gamma');
  if (spec.trend === 'damped' && fixed.phi === undefined) names.push('phi');
  const usual = fixed.alpha === undefined && fixed.beta === undefined && fixed.gamma === undefined;
  const ranges = (alpha: number): Record<EtsParameterName, [number, number]> => ({
    alpha: [LO, HI],
    beta: usual ? [LO, Math.max(LO, alpha)] : [LO, HI],
    gamma: usual ? [LO, Math.max(LO, 1 - alpha)] : [LO, HI],
    phi: [PHI_LO, PHI_HI],
  });
  const decode = (u: readonly number[]): EtsParameters => {
    const at = (k: EtsParameterName): number | undefined => {
      const i = names.indexOf(k);
      return i < 0 ? undefined : clamp01(u[i]!);
    };
    const ua = at('alpha');
    const alpha = fixed.alpha ?? LO + (HI - LO) * ua!;
    const r = ranges(alpha);
    const value = (k: EtsParameterName, given: number | undefined, otherwise: number): number => {
      if (given !== undefined) return given;
      const x = at(k);
      return x === undefined ? otherwise : r[k][0] + (r[k][1] - r[k][0]) * x;
    };
    return {
      alpha,
      beta: spec.trend === 'none' ? 0 : value('beta', fixed.beta, 0),
      gamma: spec.season === 'none' ? 0 : value('gamma', fixed.gamma, 0),
      phi: spec.trend === 'damped' ? value('phi', fixed.phi, 1) : 1,
    };
  };
  const boundary = (u: readonly number[], p: EtsParameters): EtsBoundaryHit[] => {
    const r = ranges(p.alpha);
    const hits: EtsBoundaryHit[] = [];
    names.forEach((k, i) => {
      const x = clamp01(u[i]!);
      if (x <= EDGE) hits.push({ parameter: k, bound: 'lower', value: p[k], limit: r[k][0] });
      else if (x >= 1 - EDGE) hits.push({ parameter: k, bound: 'upper', value: p[k], limit: r[k][1] });
    });
    return hits;
  };
  const encode = (p: EtsParameters): number[] => {
    const r = ranges(fixed.alpha ?? p.alpha);
    return names.map((k) => {
      const [lo, hi] = r[k];
      return hi > lo ? clamp01((p[k] - lo) / (hi - lo)) : 0;
    });
  };
  return { names, decode, encode, boundary };
}

/** Penalty of coordinates outside [0, 1], so the simplex stays in the box (the objective is clamped). */
function outside(u: readonly number[], count: number): number {
  let d = 0;
  for (let i = 0; i < count; i++) d += u[i]! < 0 ? -u[i]! : u[i]! > 1 ? u[i]! - 1 : 0;
  return 10 * d;
}

function mean(y: ArrayLike<number>, from: number, to: number): number {
  let s = 0;
  for (let i = from; i < to; i++) s += y[i]!;
  return s / (to - from);
}

/** Least-squares line through (t, v[t]), t = 0…len−1: [intercept, slope]. */
function line(v: ArrayLike<number>, len: number): [number, number] {
  if (len < 2) return [v[0]!, 0];
  const tm = (len - 1) / 2;
  const vm = mean(v, 0, len);
  let sxy = 0;
  let sxx = 0;
  for (let t = 0; t < len; t++) {
    sxy += (t - tm) * (v[t]! - vm);
    sxx += (t - tm) ** 2;
  }
  const slope = sxy / sxx;
  return [vm - slope * tm, slope];
}

/**
 * Classical-decomposition start (Hyndman et al. 2008 §2.6.1, as R's `ets` does): seasonal indices
 * from the detrended (centred moving average) first cycles, level and trend from a line through the
 * first two deseasonalised cycles (first ten values without a season).
 */
export function heuristicStates(y: ArrayLike<number>, spec: EtsSpec): EtsStates {
  const n = y.length;
  const m = spec.season === 'none' ? 1 : spec.period;
  const mult = spec.season === 'multiplicative';
  const season: number[] = [];
  const adjusted = new Float64Array(n);
  for (let t = 0; t < n; t++) adjusted[t] = y[t]!;
  if (m > 1) {
    const len = Math.min(n, Math.max(2 * m, 4 * m));
    const half = Math.floor(m / 2);
    const sums = new Array<number>(m).fill(0);
    const counts = new Array<number>(m).fill(0);
    for (let t = half; t + half < len; t++) {
      // Centred moving average of order m (2×m when m is even).
      const ma = m % 2 === 1 ? mean(y, t - half, t + half + 1) : (mean(y, t - half, t + half) + mean(y, t - half + 1, t + half + 1)) / 2;
      const j = t % m;
      if (mult) {
        if (ma > 0 && y[t]! > 0) {
          sums[j]! += y[t]! / ma;
          counts[j]!++;
        }
      } else {
        sums[j]! += y[t]! - ma;
        counts[j]!++;
      }
    }
    for (let j = 0; j < m; j++) season.push(counts[j]! > 0 ? sums[j]! / counts[j]! : mult ? 1 : 0);
    const centre = season.reduce((a, b) => a + b, 0) / m;
    for (let j = 0; j < m; j++) season[j] = mult ? (centre > 0 ? season[j]! / centre : 1) : season[j]! - centre;
    for (let t = 0; t < n; t++) adjusted[t] = mult ? y[t]! / season[t % m]! : y[t]! - season[t % m]!;
  }
  const len = m > 1 ? Math.min(n, 2 * m) : Math.min(n, 10);
  if (spec.trend === 'none') return { level: mean(adjusted, 0, len), trend: 0, season };
  const [a, b] = line(adjusted, len);
  // The level before the first value: its one-step forecast l0 + φ·b0 is the line at t = 0.
  return { level: a - b, trend: b, season };
}

/**
 * Solves (A + ridge·I)·θ = −v for the symmetric positive semi-definite normal matrix A, given by
 * its upper triangle (row-major, k×k), by Cholesky factorisation in place (Golub & Van Loan
 * Alg. 4.2.1): no allocation beyond θ, since it runs at every evaluation of the optimiser.
 * Falls back to pivoted elimination when A is not numerically positive definite.
 */
function choleskySolve(A: Float64Array, v: Float64Array, k: number, ridge: number): number[] | undefined {
  const original = A.slice();
  for (let i = 0; i < k; i++) {
    let d = A[i * k + i]! + ridge;
    for (let p = 0; p < i; p++) d -= A[p * k + i]! ** 2;
    if (!(d > 0)) {
      const rows = Array.from({ length: k }, (_, r) => Array.from({ length: k }, (_, c) => (r <= c ? original[r * k + c]! : original[c * k + r]!) + (r === c ? ridge : 0)));
      return solveLinear(
        rows,
        Array.from(v, (x) => -x),
      );
    }
    const root = Math.sqrt(d);
    A[i * k + i] = root;
    for (let j = i + 1; j < k; j++) {
      let x = A[i * k + j]!;
      for (let p = 0; p < i; p++) x -= A[p * k + i]! * A[p * k + j]!;
      A[i * k + j] = x / root;
    }
  }
  const theta = new Array<number>(k);
  // Rᵀz = −v, then Rθ = z.
  for (let i = 0; i < k; i++) {
    let x = -v[i]!;
    for (let p = 0; p < i; p++) x -= A[p * k + i]! * theta[p]!;
    theta[i] = x / A[i * k + i]!;
  }
  for (let i = k - 1; i >= 0; i--) {
    let x = theta[i]!;
    for (let j = i + 1; j < k; j++) x -= A[i * k + j]! * theta[j]!;
    theta[i] = x / A[i * k + i]!;
  }
  return theta;
}

interface Profiled {
  readonly sse: number;
  readonly initial: EtsStates;
}

/**
 * Initial states minimising Σe² for given parameters, exactly, for linear (additive-component)
 * recursions: the one-step errors are affine in the initial state x₀ (e = ẽ + R·x₀, with ẽ the
 * errors from x₀ = 0 and R's columns the responses to unit states; Hyndman et al. 2008 §5.1.1), so
 * x₀ solves a least-squares problem. The seasonal states are constrained to sum to zero (otherwise
 * level and season trade off exactly). With `season` given, the seasonal states stay at it and only
 * level and trend are solved for.
 */
export function profileStates(y: ArrayLike<number>, spec: EtsSpec, p: EtsParameters, season?: readonly number[]): Profiled | undefined {
  const n = y.length;
  const m = spec.season === 'none' ? 1 : spec.period;
  const hasTrend = spec.trend !== 'none';
  const phi = spec.trend === 'damped' ? p.phi : 1;
  const beta = hasTrend ? p.beta : 0;
  const freeSeason = m > 1 && season === undefined ? m - 1 : 0;
  const k = 1 + (hasTrend ? 1 : 0) + freeSeason;
  const cols = k + 1;
  const L = new Float64Array(cols);
  const B = new Float64Array(cols);
  const S = new Float64Array(cols * m);
  // Column 0: the data from fixed states; then unit level, unit trend, seasonal contrasts s_j − s_{m−1}.
  if (season !== undefined && m > 1) for (let j = 0; j < m; j++) S[j] = season[j]!;
  L[1] = 1;
  if (hasTrend) B[2] = 1;
  const firstSeasonCol = hasTrend ? 3 : 2;
  for (let j = 0; j < freeSeason; j++) {
    const c = firstSeasonCol + j;
    S[c * m + j] = 1;
    S[c * m + m - 1] = -1;
  }
  const A = new Float64Array(k * k);
  const v = new Float64Array(k);
  const e = new Float64Array(cols);
  let yy = 0;
  for (let t = 0; t < n; t++) {
    const j = t % m;
    for (let c = 0; c < cols; c++) {
      const lb = L[c]! + phi * B[c]!;
      const st = m > 1 ? S[c * m + j]! : 0;
      const err = (c === 0 ? y[t]! : 0) - lb - st;
      e[c] = err;
      L[c] = lb + p.alpha * err;
      B[c] = phi * B[c]! + beta * err;
      if (m > 1) S[c * m + j] = st + p.gamma * err;
    }
    const e0 = e[0]!;
    yy += e0 * e0;
    for (let i = 0; i < k; i++) {
      const ei = e[i + 1]!;
      if (ei === 0) continue;
      v[i]! += ei * e0;
      for (let r = i; r < k; r++) A[i * k + r]! += ei * e[r + 1]!;
    }
  }
  let trace = 0;
  for (let i = 0; i < k; i++) trace += A[i * k + i]!;
  const ridge = 1e-10 * (trace / k) + 1e-300;
  const theta = choleskySolve(A, v, k, ridge);
  if (theta === undefined || theta.some((x) => !Number.isFinite(x))) return undefined;
  let sse = yy;
  for (let i = 0; i < k; i++) sse += v[i]! * theta[i]!;
  const seasonOut: number[] = [];
  if (m > 1) {
    if (season !== undefined) seasonOut.push(...season);
    else {
      let last = 0;
      for (let j = 0; j < m - 1; j++) {
        seasonOut.push(theta[firstSeasonCol - 1 + j]!);
        last -= theta[firstSeasonCol - 1 + j]!;
      }
      seasonOut.push(last);
    }
  }
  return { sse: Math.max(0, sse), initial: { level: theta[0]!, trend: hasTrend ? theta[1]! : 0, season: seasonOut } };
}

interface Criterion {
  readonly value: number;
  readonly run: ReturnType<typeof runEts>;
}

/** −2·log-likelihood / n of the Gaussian innovations model, up to a constant (ibid. §5.2). */
function criterion(y: ArrayLike<number>, spec: EtsSpec, p: EtsParameters, initial: EtsStates, floor: number): Criterion {
  const run = runEts(y, spec, p, initial);
  if (run === undefined) return { value: Number.POSITIVE_INFINITY, run };
  const n = y.length;
  const value = spec.error === 'additive' ? Math.log(Math.max(run.sse, floor) / n) : Math.log(Math.max(run.relSse, 1e-24 * n) / n) + (2 * run.sumLogMu) / n;
  return { value, run };
}

function isLinear(spec: EtsSpec): boolean {
  return spec.error === 'additive' && spec.season !== 'multiplicative';
}

/** Deterministic starting points: the best few of a small grid, in parameter coordinates. */
function starts(names: readonly EtsParameterName[], objective: (u: readonly number[]) => number, keep: number, extra: readonly number[][] = []): number[][] {
  const grid: Record<EtsParameterName, number[]> = { alpha: [0.1, 0.4, 0.8], beta: [0.05, 0.4], gamma: [0.05, 0.4, 0.9], phi: [0.5, 0.95] };
  let points: number[][] = [[]];
  for (const name of names) points = points.flatMap((pt) => grid[name].map((g) => [...pt, g]));
  points.push(...extra);
  const scored = points.map((pt) => ({ pt, value: objective(pt) })).filter((s) => Number.isFinite(s.value));
  scored.sort((a, b) => a.value - b.value);
  // A series the grid cannot score at all (degenerate) still gets one start.
  return scored.length === 0 ? [names.map(() => 0.5)] : scored.slice(0, keep).map((s) => s.pt);
}

/**
 * Initial states of a nonlinear model for given parameters: Gauss–Newton on the one-step residuals
 * (relative for multiplicative errors), with forward-difference Jacobians, Levenberg damping and
 * step halving, so the criterion never rises. Seasonal states keep their normalisation (sum 0, or
 * mean 1 when multiplicative); with `withSeason` false only level and trend move.
 */
function refineStates(y: ArrayLike<number>, spec: EtsSpec, p: EtsParameters, start: EtsStates, withSeason: boolean, scale: number, floor: number): EtsStates {
  const n = y.length;
  const m = spec.season === 'none' ? 1 : spec.period;
  const mult = spec.season === 'multiplicative';
  const hasTrend = spec.trend !== 'none';
  const free = withSeason && m > 1 ? m - 1 : 0;
  const dim = 1 + (hasTrend ? 1 : 0) + free;
  const pack = (st: EtsStates): number[] => {
    const x = [st.level];
    if (hasTrend) x.push(st.trend);
    for (let j = 0; j < free; j++) x.push(st.season[j]!);
    return x;
  };
  const unpack = (x: readonly number[]): EtsStates => {
    let season = start.season as number[];
    if (free > 0) {
      season = x.slice(hasTrend ? 2 : 1);
      const sum = season.reduce((a, b) => a + b, 0);
      season.push(mult ? m - sum : -sum);
    }
    return { level: x[0]!, trend: hasTrend ? x[1]! : 0, season };
  };
  const fitted = new Float64Array(n);
  const residuals = (x: readonly number[]): Float64Array | undefined => {
    if (runEts(y, spec, p, unpack(x), fitted) === undefined) return undefined;
    const r = new Float64Array(n);
    for (let t = 0; t < n; t++) r[t] = spec.error === 'multiplicative' ? (y[t]! - fitted[t]!) / fitted[t]! : y[t]! - fitted[t]!;
    return r;
  };
  if (free > 0) {
    // Normalise the start so packing loses nothing.
    const c = start.season.reduce((a, b) => a + b, 0) / m;
    start = { ...start, season: start.season.map((v) => (mult ? v / c : v - c)) };
  }
  let x = pack(start);
  let value = criterion(y, spec, p, unpack(x), floor).value;
  if (!Number.isFinite(value)) return start;
  for (let iteration = 0; iteration < GAUSS_NEWTON_ITERATIONS; iteration++) {
    const r0 = residuals(x);
    if (r0 === undefined) break;
    const J: Float64Array[] = [];
    for (let i = 0; i < dim; i++) {
      const h = 1e-6 * Math.max(Math.abs(x[i]!), i === 0 ? scale : mult && i >= (hasTrend ? 2 : 1) ? 1 : scale * 1e-2);
      const xi = x.slice();
      xi[i]! += h;
      const ri = residuals(xi);
      if (ri === undefined) return unpack(x);
      const col = new Float64Array(n);
      for (let t = 0; t < n; t++) col[t] = (ri[t]! - r0[t]!) / h;
      J.push(col);
    }
    const a: number[][] = [];
    const g: number[] = [];
    for (let i = 0; i < dim; i++) {
      const row: number[] = [];
      for (let j = 0; j < dim; j++) {
        let s = 0;
        for (let t = 0; t < n; t++) s += J[i]![t]! * J[j]![t]!;
        row.push(s);
      }
      let gi = 0;
      for (let t = 0; t < n; t++) gi += J[i]![t]! * r0[t]!;
      g.push(-gi);
      a.push(row);
    }
    for (let i = 0; i < dim; i++) a[i]![i]! *= 1 + 1e-6;
    const delta = solveLinear(a, g);
    if (delta === undefined) break;
    let step = 1;
    let improved = false;
    for (let halving = 0; halving < 6; halving++, step /= 2) {
      const candidate = x.map((v, i) => v + step * delta[i]!);
      const cv = criterion(y, spec, p, unpack(candidate), floor).value;
      if (cv < value) {
        improved = value - cv > 1e-10;
        x = candidate;
        value = cv;
        break;
      }
    }
    if (!improved) break;
  }
  return unpack(x);
}

/** Rough scales of level, trend and seasonal states, for finite-difference steps. */
interface StateScales {
  readonly level: number;
  readonly trend: number;
  readonly season: number;
}

/** A start expressed in this model's terms, or undefined when it does not nest. */
function adaptStart(start: EtsStart, spec: EtsSpec): { params: EtsParameters; initial: EtsStates } | undefined {
  const from = start.spec;
  if (from.season !== spec.season || (spec.season !== 'none' && from.period !== spec.period)) return undefined;
  // Dropping a trend is not nesting (the trend's contribution would be lost); adding one is (β = 0, b₀ = 0).
  if (spec.trend === 'none' && from.trend !== 'none') return undefined;
  const trendless = from.trend === 'none';
  return {
    params: {
      alpha: start.params.alpha,
      beta: trendless ? 0 : start.params.beta,
      gamma: start.params.gamma,
      phi: spec.trend === 'damped' ? (from.trend === 'damped' ? start.params.phi : PHI_HI) : 1,
    },
    initial: { level: start.initial.level, trend: trendless ? 0 : start.initial.trend, season: start.initial.season.slice() },
  };
}

interface Polished {
  readonly u: number[];
  readonly states: EtsStates;
  readonly value: number;
  readonly converged: boolean;
}

/**
 * Joint Levenberg–Marquardt refinement of the free smoothing parameters (coordinates in [0, 1],
 * projected: a coordinate on its bound whose gradient points outwards is held) and the initial
 * states together. The criterion is a sum of squares in both error forms: n·log(Σ r²/n) with
 * r = e for additive errors and r = (e/μ)·G, G the geometric mean of μ, for multiplicative ones
 * (n·log Σ(e/μ)² + 2Σ log μ = n·log Σ((e/μ)·G)²), so Gauss–Newton steps apply. Jacobians by
 * forward differences; steps are only taken when they lower the criterion. Seasonal states keep
 * their normalisation (sum 0, or mean 1 when multiplicative); with `withSeason` false they stay.
 */
function polish(
  y: ArrayLike<number>,
  spec: EtsSpec,
  map: ParameterMap,
  u0: readonly number[],
  start: EtsStates,
  withSeason: boolean,
  scales: StateScales,
  floor: number,
): Polished {
  const n = y.length;
  const d = map.names.length;
  const m = spec.season === 'none' ? 1 : spec.period;
  const mult = spec.season === 'multiplicative';
  const hasTrend = spec.trend !== 'none';
  const free = withSeason && m > 1 ? m - 1 : 0;
  const dim = d + 1 + (hasTrend ? 1 : 0) + free;
  if (free > 0) {
    const c = start.season.reduce((a, b) => a + b, 0) / m;
    start = { ...start, season: start.season.map((v) => (mult ? v / c : v - c)) };
  }
  const seasonHeld = start.season;
  const unpack = (z: readonly number[]): EtsStates => {
    let season = seasonHeld as number[];
    if (free > 0) {
      season = z.slice(d + (hasTrend ? 2 : 1), dim);
      const sum = season.reduce((a, b) => a + b, 0);
      season.push(mult ? m - sum : -sum);
    }
    return { level: z[d]!, trend: hasTrend ? z[d + 1]! : 0, season };
  };
  const typical = (i: number): number => (i < d ? 1 : i === d ? scales.level : hasTrend && i === d + 1 ? scales.trend : scales.season);
  const fitted = new Float64Array(n);
  const residuals = (z: readonly number[]): Float64Array | undefined => {
    if (runEts(y, spec, map.decode(z.slice(0, d)), unpack(z), fitted) === undefined) return undefined;
    const r = new Float64Array(n);
    if (spec.error === 'additive') for (let t = 0; t < n; t++) r[t] = y[t]! - fitted[t]!;
    else {
      let logs = 0;
      for (let t = 0; t < n; t++) logs += Math.log(fitted[t]!);
      const g = Math.exp(logs / n);
      for (let t = 0; t < n; t++) r[t] = ((y[t]! - fitted[t]!) / fitted[t]!) * g;
    }
    return r;
  };
  const criterionAt = (z: readonly number[]): number => criterion(y, spec, map.decode(z.slice(0, d)), unpack(z), floor).value;
  const x0 = [start.level];
  if (hasTrend) x0.push(start.trend);
  for (let j = 0; j < free; j++) x0.push(start.season[j]!);
  let z = [...u0.map(clamp01), ...x0];
  let value = criterionAt(z);
  if (!Number.isFinite(value)) return { u: u0.slice(), states: start, value, converged: false };
  let lambda = 1e-3;
  let converged = false;
  for (let iteration = 0; iteration < POLISH_ITERATIONS && !converged; iteration++) {
    const r0 = residuals(z);
    if (r0 === undefined) break;
    const J: Float64Array[] = [];
    let usable = true;
    for (let i = 0; i < dim; i++) {
      let h = 1e-7 * Math.max(Math.abs(z[i]!), typical(i));
      if (i < d && z[i]! + h > 1) h = -h;
      const zi = z.slice();
      zi[i]! += h;
      const ri = residuals(zi);
      if (ri === undefined) {
        usable = false;
        break;
      }
      const col = new Float64Array(n);
      for (let t = 0; t < n; t++) col[t] = (ri[t]! - r0[t]!) / h;
      J.push(col);
    }
    if (!usable) break;
    const g = new Array<number>(dim).fill(0);
    for (let i = 0; i < dim; i++) for (let t = 0; t < n; t++) g[i]! += J[i]![t]! * r0[t]!;
    // Active set: parameters on a bound whose descent direction leaves the box are held there.
    const active: number[] = [];
    for (let i = 0; i < dim; i++) if (!(i < d && ((z[i]! <= 0 && g[i]! > 0) || (z[i]! >= 1 && g[i]! < 0)))) active.push(i);
    const k = active.length;
    if (k === 0) {
      converged = true;
      break;
    }
    const A = new Array<number[]>(k);
    for (let a = 0; a < k; a++) {
      A[a] = new Array<number>(k);
      for (let b = 0; b <= a; b++) {
        let sum = 0;
        const ja = J[active[a]!]!;
        const jb = J[active[b]!]!;
        for (let t = 0; t < n; t++) sum += ja[t]! * jb[t]!;
        A[a]![b] = sum;
        A[b]![a] = sum;
      }
    }
    let accepted = false;
    while (lambda < 1e10) {
      const M = A.map((row, a) => row.map((v, b) => (a === b ? v * (1 + lambda) + 1e-300 : v)));
      const delta = solveLinear(
        M,
        active.map((i) => -g[i]!),
      );
      if (delta === undefined) {
        lambda *= 10;
        continue;
      }
      const candidate = z.slice();
      active.forEach((i, a) => {
        candidate[i] = i < d ? clamp01(z[i]! + delta[a]!) : z[i]! + delta[a]!;
      });
      const cv = criterionAt(candidate);
      if (cv < value) {
        converged = value - cv < 1e-10;
        z = candidate;
        value = cv;
        lambda = Math.max(1e-9, lambda / 5);
        accepted = true;
        break;
      }
      lambda *= 10;
    }
    if (!accepted) {
      converged = true;
      break;
    }
  }
  return { u: z.slice(0, d), states: unpack(z), value, converged };
}

/**
 * Fits one ETS model by maximum likelihood over the smoothing parameters and the initial states
 * together, as statsmodels' `initialization_method='estimated'` and R's `ets` do:
 *
 * - linear models (additive error, no multiplicative season): the initial states are profiled out
 *   exactly by least squares at every parameter vector ({@link profileStates}), and Nelder–Mead
 *   searches the 1–4 smoothing parameters in their bounded region (coordinates clamped to the box,
 *   with a penalty outside it) from the two best points of a small grid;
 * - the other models: Nelder–Mead over parameters and initial states jointly (seasonal states of
 *   seasons longer than 13 stay at their decomposition start), started from the least-squares or
 *   decomposition states;
 * - long seasons where the exact profile costs too much: parameters with the decomposition's
 *   seasonal states, then all states once by least squares, then the parameters again.
 *
 * Every Nelder–Mead run has an evaluation cap. Returns `undefined` when no admissible fit exists.
 */
export function fitEts(y: ArrayLike<number>, spec: EtsSpec, options: EtsFitOptions = {}): EtsFit | undefined {
  const n = y.length;
  const m = spec.season === 'none' ? 1 : spec.period;
  const map = parameterMap(spec, options.fixed ?? {});
  const d = map.names.length;
  const perDim = options.evaluationsPerDimension ?? 100;
  const cap = (dims: number): number => Math.max(200, perDim * dims);
  let scale = 0;
  const ym = mean(y, 0, n);
  for (let t = 0; t < n; t++) scale += (y[t]! - ym) ** 2;
  scale = Math.sqrt(scale / n) || Math.abs(ym) || 1;
  const floor = n * Math.max(1e-300, (1e-10 * scale) ** 2);
  let converged = true;
  let initialization: EtsInitialization = 'estimated';

  let bestU: number[];
  let initial: EtsStates;
  let best = Number.POSITIVE_INFINITY;

  const k = 1 + (spec.trend === 'none' ? 0 : 1) + (m > 1 ? m - 1 : 0);
  if (isLinear(spec)) {
    let fixedSeason: readonly number[] | undefined;
    const exact = m === 1 || n * (k + 1) ** 2 <= PROFILE_WORK_MAX;
    if (!exact) {
      fixedSeason = heuristicStates(y, spec).season;
      initialization = 'partial';
    }
    const objective = (u: readonly number[]): number => {
      const prof = profileStates(y, spec, map.decode(u), fixedSeason);
      return prof === undefined ? Number.POSITIVE_INFINITY : Math.log(Math.max(prof.sse, floor) / n) + outside(u, d);
    };
    const search = (): number[] => {
      let bestPoint: number[] = [];
      let bestValue = Number.POSITIVE_INFINITY;
      const from = d === 0 ? [[]] : starts(map.names, objective, 2);
      for (const s of from) {
        const r = d === 0 ? { x: [], value: objective([]), converged: true } : nelderMead(objective, s, { step: 0.15, maxEvaluations: cap(d), restarts: 1, valueTolerance: 1e-9, pointTolerance: 1e-5 });
        converged &&= r.converged;
        if (r.value < bestValue) {
          bestValue = r.value;
          bestPoint = r.x;
        }
      }
      return bestPoint;
    };
    bestU = search();
    if (!exact && n * (k + 1) ** 2 <= REFINE_WORK_MAX) {
      // Alternate once: all states by least squares at these parameters, then the parameters again.
      const full = profileStates(y, spec, map.decode(bestU));
      if (full !== undefined) {
        fixedSeason = full.initial.season;
        bestU = search();
      }
    }
    // A singular profile (degenerate series) falls back to the decomposition start.
    initial = profileStates(y, spec, map.decode(bestU), fixedSeason)?.initial ?? heuristicStates(y, spec);
    if (exact && d > 0 && (options.starts ?? []).length > 0) {
      // Nested starts (e.g. this trend model from its trendless fit): refined jointly, kept when better.
      const scales: StateScales = { level: scale, trend: scale * 1e-2, season: scale };
      let bestValue = criterion(y, spec, map.decode(bestU), initial, floor).value;
      for (const start of options.starts ?? []) {
        const adapted = adaptStart(start, spec);
        if (adapted === undefined) continue;
        const candidate = polish(y, spec, map, map.encode(adapted.params), adapted.initial, true, scales, floor);
        if (candidate.value < bestValue - 1e-9) {
          // Re-profile the states at the polished parameters (exact for linear models).
          const prof = profileStates(y, spec, map.decode(candidate.u));
          const profValue = prof === undefined ? Number.POSITIVE_INFINITY : criterion(y, spec, map.decode(candidate.u), prof.initial, floor).value;
          bestU = candidate.u;
          initial = profValue < candidate.value ? prof!.initial : candidate.states;
          bestValue = Math.min(profValue, candidate.value);
        }
      }
    }
  } else {
    // Nonlinear models: alternate the parameters (Nelder–Mead, states held) and the initial states
    // (damped Gauss–Newton, parameters held), each step only ever lowering the criterion.
    const twin: EtsSpec = { ...spec, error: 'additive' };
    const heuristic = heuristicStates(y, spec);
    const jointSeason = m > 1 && m <= JOINT_SEASON_MAX;
    if (m > 1 && !jointSeason) initialization = 'partial';
    const statesFor = (u: readonly number[]): EtsStates => {
      if (spec.season === 'multiplicative') return heuristic;
      return profileStates(y, twin, map.decode(u), m > 1 && n * (k + 1) ** 2 > PROFILE_WORK_MAX ? heuristic.season : undefined)?.initial ?? heuristic;
    };
    const paramOnly =
      (states: EtsStates) =>
      (u: readonly number[]): number =>
        criterion(y, spec, map.decode(u), states, floor).value + outside(u, d);
    let u = d === 0 ? [] : (starts(map.names, paramOnly(heuristic), 1)[0] ?? new Array<number>(d).fill(0.3));
    let states = statesFor(u);
    if (criterion(y, spec, map.decode(u), states, floor).value === Number.POSITIVE_INFINITY) states = heuristic;
    let current = Number.POSITIVE_INFINITY;
    for (let round = 0; round < NONLINEAR_ROUNDS; round++) {
      if (d > 0) {
        const r = nelderMead(paramOnly(states), u, { step: round === 0 ? 0.15 : 0.05, maxEvaluations: cap(d), restarts: 1, valueTolerance: 1e-9, pointTolerance: 1e-5 });
        converged &&= r.converged;
        u = r.x;
      }
      states = refineStates(y, spec, map.decode(u), states, jointSeason, scale, floor);
      const value = criterion(y, spec, map.decode(u), states, floor).value;
      if (current - value < 1e-7) {
        current = Math.min(current, value);
        break;
      }
      current = value;
    }
    // Then refine parameters and states jointly from that point and from every nested start
    // (a trended model from its trendless fit, …), keeping the best: the alternation alone can
    // stall where parameters and states are strongly coupled, and a model must never fit worse
    // than the models it nests.
    const scales: StateScales = { level: scale, trend: scale * 1e-2, season: spec.season === 'multiplicative' ? 1 : scale };
    let bestPolish = polish(y, spec, map, u, states, jointSeason, scales, floor);
    converged &&= bestPolish.converged;
    for (const start of options.starts ?? []) {
      const adapted = adaptStart(start, spec);
      if (adapted === undefined) continue;
      const candidate = polish(y, spec, map, map.encode(adapted.params), adapted.initial, jointSeason, scales, floor);
      if (candidate.value < bestPolish.value) bestPolish = candidate;
    }
    if (bestPolish.value <= current || !Number.isFinite(current)) {
      u = bestPolish.u;
      states = bestPolish.states;
    }
    bestU = u;
    initial = states;
  }
  const params = map.decode(bestU);
  const c = criterion(y, spec, params, initial, floor);
  if (c.run === undefined) return undefined;
  best = c.value;
  const run = c.run;
  const count = d + k + 1;
  const logLik = -0.5 * n * (best + Math.log(2 * Math.PI) + 1);
  const aic = -2 * logLik + 2 * count;
  const aicc = n - count - 1 > 0 ? aic + (2 * count * (count + 1)) / (n - count - 1) : Number.POSITIVE_INFINITY;
  const bic = -2 * logLik + count * Math.log(n);
  const dof = Math.max(1, n - (count - 1));
  const sigma2 = (spec.error === 'additive' ? run.sse : run.relSse) / dof;
  return {
    spec,
    params,
    initial,
    final: run.final,
    n,
    sse: run.sse,
    sigma2,
    logLik,
    aic,
    aicc,
    bic,
    parameterCount: count,
    boundary: map.boundary(bestU, params),
    initialization,
    converged,
  };
}
