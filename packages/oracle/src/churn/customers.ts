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
}

function distinct(values: readonly number[]): { values: Float64Array; index: Map<number, number> } {
  const sorted = [...new Set(values)].sort((p, q) => p - q);
  return { values: Float64Array.from(sorted), index: new Map(sorted.map((v, i) => [v, i])) };
}

/** Collapses validated customers into {@link AggregatedCustomers}. */
export function aggregateCustomers(customers: readonly RfmCustomer[]): AggregatedCustomers {
  const xs = distinct(customers.map((c) => c.frequency));
  const txs = distinct(customers.map((c) => c.recency));
  const ts = distinct(customers.map((c) => c.T));
  const rows = new Map<string, { x: number; tx: number; t: number; w: number }>();
  for (const c of customers) {
    const x = xs.index.get(c.frequency) as number;
    const tx = txs.index.get(c.recency) as number;
    const t = ts.index.get(c.T) as number;
    const key = `${x},${tx},${t}`;
    const row = rows.get(key);
    if (row) row.w++;
    else rows.set(key, { x, tx, t, w: 1 });
  }
  const list = [...rows.values()];
  return {
    total: customers.length,
    xIndex: Int32Array.from(list, (r) => r.x),
    txIndex: Int32Array.from(list, (r) => r.tx),
    tIndex: Int32Array.from(list, (r) => r.t),
    weight: Float64Array.from(list, (r) => r.w),
    xs: xs.values,
    txs: txs.values,
    ts: ts.values,
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
