import { OracleRangeError } from '../errors';
import { array, finiteNumber, instant, object, oneOf } from '../validate';
import { forecastAuto } from '../forecast/auto';
import { forecastHoltWinters } from '../forecast/holt-winters';
import { detrendedAutocorrelation } from '../forecast/period';

/** One observed load sample. */
export interface LoadSample {
  /** Sample time (Date, ISO string or epoch ms). */
  readonly at: Date | number | string;
  /** Load in the same unit as `perReplicaCapacity` (requests/s, jobs, …). */
  readonly load: number;
}

/** Input of {@link recommendCapacity}. All durations are milliseconds. */
export interface CapacityInput {
  /** Evenly spaced samples in time order; gaps of whole steps are filled linearly. At least 4. */
  readonly history: readonly LoadSample[];
  /** Load one replica serves at 100 % utilization. */
  readonly perReplicaCapacity: number;
  /** Utilization to plan for, in (0, 1]. */
  readonly targetUtilization: number;
  /** How far ahead to plan (ms). */
  readonly horizon: number;
  /** Season length (ms), a multiple of the sample step; detected when omitted. */
  readonly period?: number | undefined;
  /** Default 1. */
  readonly minReplicas?: number | undefined;
  /** Default unbounded. */
  readonly maxReplicas?: number | undefined;
  /** Time replicas take to become ready (ms); capacity is scheduled this much ahead. Default 0. */
  readonly leadTime?: number | undefined;
  /** One-sided coverage of `upperLoad`, in (0.5, 1); default 0.95. */
  readonly confidence?: number | undefined;
  /**
   * Forecasting model: `'holt-winters'` (default: additive trend and season, `forecastHoltWinters`)
   * or `'auto'` (the ETS model `forecastAuto` chooses with its defaults, on the same season).
   */
  readonly model?: 'holt-winters' | 'auto' | undefined;
}

/** One step of the replica schedule. */
export interface CapacityPoint {
  /** When this replica count should be in place (requested). */
  readonly at: Date;
  /** Forecast mean load at `at`. */
  readonly expectedLoad: number;
  /** Upper forecast bound at `at` (the `confidence` quantile). */
  readonly upperLoad: number;
  /** Replicas covering the upper load from `at` through `at + leadTime`. */
  readonly replicas: number;
  /** The forecasting model used, e.g. `ETS(A,Ad,A)`. */
  readonly model?: string | undefined;
}

const HOUR = 3_600_000;
const CANDIDATE_PERIODS = [HOUR, 24 * HOUR, 7 * 24 * HOUR];
const MIN_SEASONAL_CORRELATION = 0.3;
const MAX_POINTS = 200_000;

function epochMs(field: string, value: unknown): number {
  return typeof value === 'number' ? finiteNumber(field, value) : instant(field, value);
}

/** Evenly spaced series from the samples: step = median gap; whole-step gaps filled linearly. */
function regularize(history: readonly unknown[]): { start: number; step: number; y: number[] } {
  const times: number[] = [];
  const loads: number[] = [];
  history.forEach((raw, i) => {
    const s = object(`input.history[${i}]`, raw);
    const at = epochMs(`input.history[${i}].at`, s['at']);
    if (i > 0 && at <= times[i - 1]!) throw new OracleRangeError(`input.history[${i}].at`, 'samples must be in strictly increasing time order');
    times.push(at);
    loads.push(finiteNumber(`input.history[${i}].load`, s['load'], { min: 0 }));
  });
  const gaps = times.slice(1).map((t, i) => t - times[i]!);
  const sorted = [...gaps].sort((a, b) => a - b);
  const step = sorted[Math.floor(sorted.length / 2)]!;
  const y: number[] = [loads[0]!];
  for (let i = 0; i < gaps.length; i++) {
    const k = gaps[i]! / step;
    const whole = Math.round(k);
    if (whole < 1 || Math.abs(k - whole) > 0.01) {
      throw new OracleRangeError(`input.history[${i + 1}].at`, `samples must be evenly spaced (step ${step} ms); gap of ${gaps[i]} ms`);
    }
    for (let j = 1; j <= whole; j++) y.push(loads[i]! + ((loads[i + 1]! - loads[i]!) * j) / whole);
    if (y.length > MAX_POINTS) throw new OracleRangeError('input.history', `more than ${MAX_POINTS} steps after filling gaps`);
  }
  return { start: times[0]!, step, y };
}

/** Season length in samples: the calendar period (hour/day/week) with the strongest correlation. */
function detectPeriod(y: readonly number[], step: number): number {
  let best = 1;
  let bestCorrelation = MIN_SEASONAL_CORRELATION;
  for (const period of CANDIDATE_PERIODS) {
    const m = period / step;
    if (!Number.isInteger(m) || m < 2 || y.length < 2 * m) continue;
    const r = detrendedAutocorrelation(y, m);
    if (r > bestCorrelation) {
      best = m;
      bestCorrelation = r;
    }
  }
  return best;
}

/**
 * Predictive scaling: forecasts load with {@link forecastHoltWinters} (additive seasonality, smoothing
 * parameters fitted on one-step error), or with {@link forecastAuto} when `model` is `'auto'` (season = `period`, or the hour/day/week whose detrended
 * autocorrelation is highest and at least 0.3, else none) and turns the upper forecast bound into
 * replicas: `ceil(upperLoad / (perReplicaCapacity × targetUtilization))`, clamped to min/max. Each
 * point's replica count is the maximum needed over `[at, at + leadTime]`, i.e. demand shifted
 * earlier by the lead time, so capacity is ready before a rise.
 */
export function recommendCapacity(input: CapacityInput): CapacityPoint[] {
  const o = object('input', input);
  const history = array('input.history', o['history']);
  if (history.length < 4) throw new OracleRangeError('input.history', `needs at least 4 samples, got ${history.length}`);
  const capacity = finiteNumber('input.perReplicaCapacity', o['perReplicaCapacity']);
  if (capacity <= 0) throw new OracleRangeError('input.perReplicaCapacity', `must be > 0, got ${capacity}`);
  const utilization = finiteNumber('input.targetUtilization', o['targetUtilization'], { max: 1 });
  if (utilization <= 0) throw new OracleRangeError('input.targetUtilization', `must be in (0, 1], got ${utilization}`);
  const horizon = finiteNumber('input.horizon', o['horizon'], { min: 1 });
  const leadTime = o['leadTime'] === undefined ? 0 : finiteNumber('input.leadTime', o['leadTime'], { min: 0 });
  const minReplicas = o['minReplicas'] === undefined ? 1 : finiteNumber('input.minReplicas', o['minReplicas'], { min: 0, integer: true });
  const maxReplicas =
    o['maxReplicas'] === undefined ? Number.POSITIVE_INFINITY : finiteNumber('input.maxReplicas', o['maxReplicas'], { min: Math.max(1, minReplicas), integer: true });
  const confidence = o['confidence'] === undefined ? 0.95 : finiteNumber('input.confidence', o['confidence'], { min: 0.5, max: 0.999999 });
  const model = o['model'] === undefined ? 'holt-winters' : oneOf('input.model', o['model'], ['holt-winters', 'auto'] as const);

  const { start, step, y } = regularize(history);
  let m: number;
  if (o['period'] === undefined) {
    m = detectPeriod(y, step);
  } else {
    const period = finiteNumber('input.period', o['period'], { min: step });
    m = Math.round(period / step);
    if (Math.abs(period / step - m) > 0.01) throw new OracleRangeError('input.period', `must be a multiple of the sample step (${step} ms)`);
    if (y.length < 2 * m) throw new OracleRangeError('input.history', `needs two full periods (${2 * m} steps) for period ${period} ms`);
  }

  const steps = Math.ceil(horizon / step);
  const lookAhead = Math.ceil(leadTime / step);
  // A two-sided interval at level 2c − 1 has its upper bound at the one-sided c quantile.
  const fit =
    model === 'auto'
      ? forecastAuto(y, { horizon: steps + lookAhead, period: m, level: 2 * confidence - 1 })
      : forecastHoltWinters(y, { horizon: steps + lookAhead, seasonal: m > 1 ? 'additive' : 'none', ...(m > 1 ? { period: m } : {}), level: 2 * confidence - 1 });
  const modelName = fit.model.name;
  const perReplica = capacity * utilization;
  const needed: number[] = [];
  const forecasts: { mean: number; upper: number }[] = [];
  for (let k = 0; k < steps + lookAhead; k++) {
    const raw = fit.forecast[k]!;
    const mean = Math.max(0, raw);
    const upper = Math.max(mean, fit.upper[k]!);
    forecasts.push({ mean, upper });
    needed.push(Math.min(maxReplicas, Math.max(minReplicas, Math.ceil(upper / perReplica))));
  }
  const last = start + (y.length - 1) * step;
  const schedule: CapacityPoint[] = [];
  for (let k = 0; k < steps; k++) {
    let replicas = needed[k]!;
    for (let j = k + 1; j <= k + lookAhead; j++) replicas = Math.max(replicas, needed[j]!);
    const f = forecasts[k]!;
    schedule.push({ at: new Date(last + (k + 1) * step), expectedLoad: f.mean, upperLoad: f.upper, replicas, model: modelName });
  }
  return schedule;
}
