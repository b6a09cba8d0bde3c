import { OracleRangeError, OracleTypeError } from '../errors';
import { array, finiteNumber, instant, object, oneOf } from '../validate';
import type { SpendCustomer } from './customers';

/** One purchase. */
export interface Transaction<Id extends string | number = string> {
  /** Customer key; rows with equal keys (by `===`) belong to one customer. */
  customerId: Id;
  /** Purchase time: a Date or ISO-8601 string, truncated to its UTC calendar day. */
  at: Date | string;
  /** Purchase value (≥ 0). */
  value: number;
}

/** Options of {@link rfmSummary}. */
export interface RfmSummaryOptions {
  /** Last day of the calibration period (inclusive, UTC day); later transactions are ignored. */
  calibrationEnd: Date | string;
  /** Unit of `recency` and `T`: days, or weeks (= days / 7, as in the CDNOW data). */
  timeUnit: 'days' | 'weeks';
  /** First day considered (inclusive, UTC day); earlier transactions are ignored. */
  observationStart?: Date | string | undefined;
}

/** A customer's calibration-period summary, ready for BG/NBD, Pareto/NBD and Gamma-Gamma. */
export interface RfmRow<Id extends string | number = string> extends SpendCustomer {
  /** The customer's key. */
  customerId: Id;
}

const DAY_MS = 86_400_000;

/**
 * Builds frequency/recency/T/monetary summaries from raw transactions with the conventions
 * of Fader, Hardie & Lee (2005) and lifetimes' `summary_data_from_transaction_data`:
 * purchases are aggregated per UTC calendar day (several on one day count once, values
 * summed), frequency = repeat purchase days, recency = first to last purchase day,
 * T = first purchase day to `calibrationEnd`, monetaryValue = mean value of the repeat
 * days (0 without repeats). Customers are returned in order of first appearance; customers
 * with no transaction in the window are omitted. Reproduces the CDNOW summary exactly.
 */
export function rfmSummary<Id extends string | number = string>(
  transactions: readonly Transaction<Id>[],
  options: RfmSummaryOptions,
): RfmRow<Id>[] {
  const list = array<Transaction<Id>>('transactions', transactions);
  if (list.length === 0) throw new OracleRangeError('transactions', 'expected at least one transaction');
  const opts = object('options', options);
  const endDay = Math.floor(instant('options.calibrationEnd', opts['calibrationEnd']) / DAY_MS);
  const unit = oneOf('options.timeUnit', opts['timeUnit'], ['days', 'weeks'] as const) === 'weeks' ? 7 : 1;
  const startDay =
    opts['observationStart'] === undefined ? Number.NEGATIVE_INFINITY : Math.floor(instant('options.observationStart', opts['observationStart']) / DAY_MS);
  if (startDay > endDay) throw new OracleRangeError('options.observationStart', 'must not be after calibrationEnd');

  const byCustomer = new Map<Id, Map<number, number>>();
  list.forEach((raw, i) => {
    const field = `transactions[${i}]`;
    const t = object(field, raw);
    const id = t['customerId'];
    if (!((typeof id === 'string' && id.length > 0) || (typeof id === 'number' && Number.isFinite(id)))) {
      throw new OracleTypeError(`${field}.customerId`, 'expected a non-empty string or a finite number');
    }
    const day = Math.floor(instant(`${field}.at`, t['at']) / DAY_MS);
    const value = finiteNumber(`${field}.value`, t['value'], { min: 0 });
    if (day < startDay || day > endDay) return;
    let days = byCustomer.get(id as Id);
    if (!days) {
      days = new Map();
      byCustomer.set(id as Id, days);
    }
    days.set(day, (days.get(day) ?? 0) + value);
  });

  const rows: RfmRow<Id>[] = [];
  for (const [customerId, days] of byCustomer) {
    const ordered = [...days.keys()].sort((p, q) => p - q);
    const first = ordered[0] as number;
    const last = ordered[ordered.length - 1] as number;
    const frequency = ordered.length - 1;
    let repeatValue = 0;
    for (let k = 1; k < ordered.length; k++) repeatValue += days.get(ordered[k] as number) as number;
    rows.push({
      customerId,
      frequency,
      recency: (last - first) / unit,
      T: (endDay - first) / unit,
      monetaryValue: frequency > 0 ? repeatValue / frequency : 0,
    });
  }
  return rows;
}
