import { OracleRangeError } from '../errors';
import { forecastAuto } from '../forecast/auto';
import { normalQuantile } from '../forecast/normal';
import { array, finiteNumber, instant, object } from '../validate';

/** One day of one service's cost. */
export interface DailyCost {
  /** The day (ISO date `YYYY-MM-DD`, ISO timestamp or Date; read as a UTC calendar day). */
  readonly date: Date | string;
  /** Service name (non-empty); rows of the same service and day are summed. */
  readonly service: string;
  /** Cost in currency units for that day (≥ 0 not required: credits may be negative). */
  readonly cost: number;
}

/** Options of {@link costAnomalies}. */
export interface CostAnomalyOptions {
  /** In [0, 1]; higher flags more. Default 0.5 (robust |z| ≥ 4). */
  readonly sensitivity?: number | undefined;
  /** Minimum |impact| in currency to report; default 0. */
  readonly minImpact?: number | undefined;
}

/** One anomalous service-day. */
export interface CostAnomaly {
  /** UTC day, `YYYY-MM-DD`. */
  readonly date: string;
  /** Service the anomalous cost belongs to. */
  readonly service: string;
  /** Observed cost of that service on that day (sum of its rows). */
  readonly cost: number;
  /** Expected cost from the same weekday in recent weeks. */
  readonly expected: number;
  /** `cost − expected`, in currency. */
  readonly impact: number;
  /** In [0, 1]: `z²/(z² + 16)` of the robust z. */
  readonly score: number;
}

/** Options of {@link forecastCost}. */
export interface CostForecastOptions {
  /** Days to forecast (integer ≥ 1). */
  readonly horizonDays: number;
  /** Two-sided interval coverage in [0, 1); default 0.95. */
  readonly level?: number | undefined;
}

/** Forecast of one series, one entry per future day. */
export interface CostForecastSeries {
  /** UTC days, `YYYY-MM-DD`, starting the day after the last observed day. */
  readonly dates: string[];
  /** Expected cost per day, floored at 0. */
  readonly forecast: number[];
  /** Lower bound of the `level` interval per day, floored at 0. */
  readonly lower: number[];
  /** Upper bound of the `level` interval per day, floored at 0. */
  readonly upper: number[];
}

/** Result of {@link forecastCost}. */
export interface CostForecast {
  /** Per service, keyed by service name. */
  readonly services: Record<string, CostForecastSeries>;
  /** Sum over services; interval assumes independent service errors. */
  readonly total: CostForecastSeries;
}

const DAY = 86_400_000;
const WEEK = 7;
const MIN_HISTORY = 7;
const Z_HALF = 4;

function dayIndex(field: string, value: unknown): number {
  return Math.floor(instant(field, value) / DAY);
}

function isoDay(day: number): string {
  return new Date(day * DAY).toISOString().slice(0, 10);
}

/** Per-service dense daily series from first to last day; days without a row cost 0. */
function services(daily: unknown): { byService: Map<string, { first: number; values: number[] }>; lastDay: number } {
  const rows = array('daily', daily);
  const raw = new Map<string, Map<number, number>>();
  let lastDay = Number.NEGATIVE_INFINITY;
  rows.forEach((r, i) => {
    const row = object(`daily[${i}]`, r);
    const day = dayIndex(`daily[${i}].date`, row['date']);
    const service = row['service'];
    if (typeof service !== 'string' || service.length === 0) throw new OracleRangeError(`daily[${i}].service`, 'expected a non-empty service name');
    const cost = finiteNumber(`daily[${i}].cost`, row['cost']);
    const days = raw.get(service) ?? new Map<number, number>();
    raw.set(service, days);
    days.set(day, (days.get(day) ?? 0) + cost);
    lastDay = Math.max(lastDay, day);
  });
  const byService = new Map<string, { first: number; values: number[] }>();
  for (const name of [...raw.keys()].sort()) {
    const days = raw.get(name)!;
    const keys = [...days.keys()];
    const first = Math.min(...keys);
    const last = Math.max(...keys);
    const values: number[] = [];
    for (let d = first; d <= last; d++) values.push(days.get(d) ?? 0);
    byService.set(name, { first, values });
  }
  return { byService, lastDay };
}

function median(xs: number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  const mid = s.length >> 1;
  return s.length % 2 ? s[mid]! : (s[mid - 1]! + s[mid]!) / 2;
}

/**
 * Daily cost anomalies per service. The expected cost of a day is the median of the same weekday
 * over the previous (up to) 4 weeks (seasonal-naive, Hyndman & Athanasopoulos FPP3 §5.2, made
 * robust by the median).
 * The spread is 1.4826 × the median absolute residual of the previous 28 scored days (Hampel's MAD),
 * floored at 5 % of the expected cost so near-constant bills do not flag cents. A day is reported
 * when its robust |z| ≥ `z* = 2 + 4·(1 − sensitivity)` (4 by default) and |impact| ≥ `minImpact`.
 * Days without a row between a service's first and last day count as zero cost; a service's first
 * week is not scored (no same-weekday history yet). Online: a day's verdict uses only earlier days.
 */
export function costAnomalies(daily: readonly DailyCost[], options: CostAnomalyOptions = {}): CostAnomaly[] {
  const o = object('options', options);
  const sensitivity = o['sensitivity'] === undefined ? 0.5 : finiteNumber('options.sensitivity', o['sensitivity'], { min: 0, max: 1 });
  const minImpact = o['minImpact'] === undefined ? 0 : finiteNumber('options.minImpact', o['minImpact'], { min: 0 });
  const { byService } = services(daily);
  const zStar = 2 + 4 * (1 - sensitivity);
  const out: CostAnomaly[] = [];
  for (const [service, { first, values }] of byService) {
    const residuals: number[] = [];
    for (let t = MIN_HISTORY; t < values.length; t++) {
      const sameDay: number[] = [];
      for (let k = 1; k <= 4 && t - k * WEEK >= 0; k++) sameDay.push(values[t - k * WEEK]!);
      const expected = median(sameDay);
      const residual = values[t]! - expected;
      const recent = residuals.slice(-28);
      const mad = recent.length >= 3 ? 1.4826 * median(recent.map(Math.abs)) : 0;
      const sigma = Math.max(mad, 0.05 * Math.abs(expected), 1e-9);
      const z = Math.abs(residual) / sigma;
      const score = (z * z) / (z * z + Z_HALF * Z_HALF);
      if (z >= zStar && Math.abs(residual) >= minImpact) {
        out.push({ date: isoDay(first + t), service, cost: values[t]!, expected, impact: residual, score });
      }
      // Anomalous days enter the spread history clipped, so one spike does not mask the next.
      residuals.push(Math.sign(residual) * Math.min(Math.abs(residual), zStar * sigma));
    }
  }
  return out.sort((a, b) => (a.date < b.date ? -1 : a.date > b.date ? 1 : a.service < b.service ? -1 : 1));
}

/**
 * Per-service and total daily cost forecast. Each service (gaps filled with zero, padded with zeros
 * up to the last day seen for any service) is forecast with {@link forecastAuto}: the exponential
 * smoothing model (trend, damping, additive or multiplicative weekly season, error form) chosen by
 * its defaults (validation on the last `horizon` days, else lowest AICc), seasonal candidates only with two or more weeks of history; with fewer than 3 days, the
 * mean with the sample spread. Forecasts and bounds are floored at 0. The total is the
 * sum of service forecasts; its interval half-widths combine the services' in quadrature
 * (independent errors), an approximation that is narrow if services move together.
 */
export function forecastCost(daily: readonly DailyCost[], options: CostForecastOptions): CostForecast {
  const o = object('options', options);
  const horizon = finiteNumber('options.horizonDays', o['horizonDays'], { integer: true });
  if (horizon <= 0) throw new OracleRangeError('options.horizonDays', `must be >= 1, got ${horizon}`);
  const level = o['level'] === undefined ? 0.95 : finiteNumber('options.level', o['level'], { min: 0 });
  if (level >= 1) throw new OracleRangeError('options.level', `must be < 1, got ${level}`);
  const { byService, lastDay } = services(daily);
  if (byService.size === 0) throw new OracleRangeError('daily', 'needs at least one row');
  const dates = Array.from({ length: horizon }, (_, h) => isoDay(lastDay + 1 + h));
  const z = level === 0 ? 0 : normalQuantile((1 + level) / 2);
  const result: Record<string, CostForecastSeries> = {};
  const totalMean = new Array<number>(horizon).fill(0);
  const totalVar = new Array<number>(horizon).fill(0);
  for (const [service, { first, values }] of byService) {
    const y = values.concat(new Array<number>(lastDay - (first + values.length - 1)).fill(0));
    let mean: number[];
    let half: number[];
    if (y.length >= 3) {
      const f = forecastAuto(y, { horizon, level, period: y.length >= 2 * WEEK ? WEEK : 1 });
      mean = f.forecast;
      half = f.upper.map((u, h) => u - f.forecast[h]!);
    } else {
      const m = y.reduce((a, b) => a + b, 0) / y.length;
      const sd = y.length > 1 ? Math.sqrt(y.reduce((a, b) => a + (b - m) ** 2, 0) / (y.length - 1)) : Math.abs(m);
      mean = new Array<number>(horizon).fill(m);
      half = new Array<number>(horizon).fill(z * sd);
    }
    result[service] = {
      dates,
      forecast: mean.map((v) => Math.max(0, v)),
      lower: mean.map((v, h) => Math.max(0, v - half[h]!)),
      upper: mean.map((v, h) => Math.max(0, v + half[h]!)),
    };
    for (let h = 0; h < horizon; h++) {
      totalMean[h]! += mean[h]!;
      totalVar[h]! += half[h]! ** 2;
    }
  }
  const totalHalf = totalVar.map(Math.sqrt);
  return {
    services: result,
    total: {
      dates,
      forecast: totalMean.map((v) => Math.max(0, v)),
      lower: totalMean.map((v, h) => Math.max(0, v - totalHalf[h]!)),
      upper: totalMean.map((v, h) => Math.max(0, v + totalHalf[h]!)),
    },
  };
}
