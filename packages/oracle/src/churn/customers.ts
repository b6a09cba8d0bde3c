import { OracleRangeError } from '../errors';
import { array, finiteNumber, object } from '../validate';

/**
 * A customer's repeat-purchase summary in the notation of Fader, Hardie & Lee (2005):
 * `frequency` = x (repeat purchases), `recency` = tₓ (age at last purchase),
 * `T` = age at the end of calibration, both in the same time unit.
 */
export interface RfmCustomer {
  /** Number of repeat purchase periods x (a non-negative integer). */
  frequency: number;
  /** Time between first and last purchase tₓ (0 when `frequency` is 0). */
  recency: number;
  /** Time between first purchase and the end of calibration, T ≥ `recency`. */
  T: number;
}

/** An {@link RfmCustomer} with the mean repeat-purchase value z̄ used by spend models (Fader, Hardie & Lee 2005b). */
export interface SpendCustomer extends RfmCustomer {
  /** Mean value of the repeat purchases (0 when `frequency` is 0). */
  monetaryValue: number;
}

/** Validates one customer record; `field` is its path for error messages. */
export function checkCustomer(field: string, value: unknown): RfmCustomer {
  // Fast path for valid input: scoring millions of customers must not pay for building
  // error-message field paths, so those are only formatted once a check fails.
  if (typeof value === 'object' && value !== null) {
    const { frequency, recency, T } = value as Record<string, unknown>;
    if (
      typeof frequency === 'number' &&
      typeof recency === 'number' &&
      typeof T === 'number' &&
      Number.isInteger(frequency) &&
      frequency >= 0 &&
      recency >= 0 &&
      recency <= T &&
      T < Number.POSITIVE_INFINITY &&
      (frequency > 0 || recency === 0)
    ) {
      return { frequency, recency, T };
    }
  }
  const c = object(field, value);
  const frequency = finiteNumber(`${field}.frequency`, c['frequency'], { min: 0, integer: true });
  const recency = finiteNumber(`${field}.recency`, c['recency'], { min: 0 });
  const T = finiteNumber(`${field}.T`, c['T'], { min: 0 });
  if (recency > T) throw new OracleRangeError(`${field}.recency`, `must be <= T (${T}), got ${recency}`);
  if (frequency === 0 && recency !== 0) {
    throw new OracleRangeError(`${field}.recency`, `must be 0 when frequency is 0, got ${recency}`);
  }
  return { frequency, recency, T };
}

/** Validates a non-empty customer array. */
export function checkCustomers(field: string, value: unknown): RfmCustomer[] {
  const list = array(field, value);
  if (list.length === 0) throw new OracleRangeError(field, 'expected at least one customer');
  return list.map((c, i) => checkCustomer(`${field}[${i}]`, c));
}

/**
 * Validates per-customer weights (how many customers share a row, as lifetimes' `weights`):
 * undefined, or an array as long as the customers of finite numbers > 0.
 */
export function checkWeights(field: string, value: unknown, length: number): Float64Array | undefined {
  if (value === undefined) return undefined;
  const list = array(field, value);
  if (list.length !== length) throw new OracleRangeError(field, `expected one weight per customer (${length}), got ${list.length}`);
  const weights = new Float64Array(length);
  for (let i = 0; i < length; i++) {
    const w = list[i];
    if (typeof w === 'number' && w > 0 && w < Number.POSITIVE_INFINITY) weights[i] = w;
    else {
      const v = finiteNumber(`${field}[${i}]`, w);
      throw new OracleRangeError(`${field}[${i}]`, `must be > 0, got ${v}`);
    }
  }
  return weights;
}

/**
 * Customers collapsed to distinct (x, tₓ, T) rows with counts, plus the distinct values of
 * each coordinate. Likelihoods of the BG/NBD and Pareto/NBD depend on a customer only
 * through (x, tₓ, T), so per-x Gamma terms and per-T logarithms are computed once per
 * distinct value instead of once per customer.
 */
export interface AggregatedCustomers {
  /** Total customers (sum of `weight`). */
  total: number;
  /** Per distinct row: index into `xs`, `txs`, `ts` and the number of customers. */
  xIndex: Int32Array;
  txIndex: Int32Array;
  tIndex: Int32Array;
  weight: Float64Array;
  /** Distinct x, tₓ and T values. */
  xs: Float64Array;
  txs: Float64Array;
  ts: Float64Array;
  /** Customers per distinct x (index as `xs`). */
  xWeight: Float64Array;
  /** Customers per distinct T, and the sum of their x (index as `ts`). */
  tWeight: Float64Array;
  tWeightX: Float64Array;
  /** The rows with x > 0 only (indices into `xs`, `txs`, `ts`), for terms that vanish at x = 0. */
  repeat: { xIndex: Int32Array; txIndex: Int32Array; tIndex: Int32Array; weight: Float64Array };
}

function distinct(values: readonly number[]): { values: Float64Array; index: Map<number, number> } {
  const sorted = [...new Set(values)].sort((p, q) => p - q);
  return { values: Float64Array.from(sorted), index: new Map(sorted.map((v, i) => [v, i])) };
}

/** Collapses validated customers (each counted `weights[i]` times, default once) into {@link AggregatedCustomers}. */
export function aggregateCustomers(customers: readonly RfmCustomer[], weights?: Float64Array | undefined): AggregatedCustomers {
  const xs = distinct(customers.map((c) => c.frequency));
  const txs = distinct(customers.map((c) => c.recency));
  const ts = distinct(customers.map((c) => c.T));
  const rows = new Map<string, { x: number; tx: number; t: number; w: number }>();
  let total = 0;
  for (let i = 0; i < customers.length; i++) {
    const c = customers[i] as RfmCustomer;
    const w = weights ? (weights[i] as number) : 1;
    total += w;
    const x = xs.index.get(c.frequency) as number;
    const tx = txs.index.get(c.recency) as number;
    const t = ts.index.get(c.T) as number;
    const key = `${x},${tx},${t}`;
    const row = rows.get(key);
    if (row) row.w += w;
    else rows.set(key, { x, tx, t, w });
  }
  const list = [...rows.values()];
  const xWeight = new Float64Array(xs.values.length);
  const tWeight = new Float64Array(ts.values.length);
  const tWeightX = new Float64Array(ts.values.length);
  for (const r of list) {
    xWeight[r.x] = (xWeight[r.x] as number) + r.w;
    tWeight[r.t] = (tWeight[r.t] as number) + r.w;
    tWeightX[r.t] = (tWeightX[r.t] as number) + r.w * (xs.values[r.x] as number);
  }
  const repeat = list.filter((r) => (xs.values[r.x] as number) > 0);
  return {
    total,
    xIndex: Int32Array.from(list, (r) => r.x),
    txIndex: Int32Array.from(list, (r) => r.tx),
    tIndex: Int32Array.from(list, (r) => r.t),
    weight: Float64Array.from(list, (r) => r.w),
    xs: xs.values,
    txs: txs.values,
    ts: ts.values,
    xWeight,
    tWeight,
    tWeightX,
    repeat: {
      xIndex: Int32Array.from(repeat, (r) => r.x),
      txIndex: Int32Array.from(repeat, (r) => r.tx),
      tIndex: Int32Array.from(repeat, (r) => r.t),
      weight: Float64Array.from(repeat, (r) => r.w),
    },
  };
}

/** Validates that `obj[key]` is a finite number > 0 (model parameters). */
export function positive(field: string, obj: Record<string, unknown>, key: string): number {
  const raw = obj[key];
  if (typeof raw === 'number' && raw > 0 && raw < Number.POSITIVE_INFINITY) return raw;
  const v = finiteNumber(`${field}.${key}`, raw);
  if (!(v > 0)) throw new OracleRangeError(`${field}.${key}`, `must be > 0, got ${v}`);
  return v;
}

/** Validates a prediction horizon t ≥ 0. */
export function horizon(field: string, value: unknown): number {
  if (typeof value === 'number' && value >= 0 && value < Number.POSITIVE_INFINITY) return value;
  return finiteNumber(field, value, { min: 0 });
}
