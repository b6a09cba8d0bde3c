import { ValidationError } from '@almanac/core';
import type { ValidationIssue } from '@almanac/core';
import { FOCUS_1_2_COLUMNS } from './columns';
import type { FocusColumn } from './columns';
import { parseInstant } from './time';

/** The value type of a FOCUS column of data type `T`: numbers for decimals, objects for JSON, strings otherwise; `null` when absent. */
export type FocusValue<T extends string> = T extends 'decimal'
  ? number | null
  : T extends 'json'
    ? Readonly<Record<string, unknown>> | null
    : string | null;

/**
 * One FOCUS 1.2 charge row. Every FOCUS 1.2 column is present: decimals as numbers, date/times
 * as ISO instants in UTC, JSON columns (`Tags`, `SkuPriceDetails`) as objects, strings as
 * strings, and `null` where the export has no value (an empty field or the `NULL` literal).
 * Columns outside FOCUS 1.2 (provider `x_` columns, the sample's `Id`) are kept in `extra`.
 */
export type FocusRow = { readonly [K in FocusColumn]: FocusValue<(typeof FOCUS_1_2_COLUMNS)[K]> } & FocusRowRequired;

/** The part of {@link FocusRow} that is never null. */
export interface FocusRowRequired {
  /** Amount invoiced for the charge, in `BillingCurrency`. */
  readonly BilledCost: number;
  /** Amortised cost after discounts and commitment use, in `BillingCurrency`. */
  readonly EffectiveCost: number;
  /** ISO 4217 code of the billed amounts. */
  readonly BillingCurrency: string;
  /** Inclusive start of the charge, ISO instant in UTC. */
  readonly ChargePeriodStart: string;
  /** Exclusive end of the charge, ISO instant in UTC. */
  readonly ChargePeriodEnd: string;
  /** Tags as key → value (`null` for a key without value); `null` when the row has none. */
  readonly Tags: Readonly<Record<string, string | null>> | null;
  /** Columns outside FOCUS 1.2, as read (strings, `null` for empty or `NULL`). */
  readonly extra: Readonly<Record<string, unknown>>;
}

/** Options of {@link parseFocusRow}. */
export interface ParseFocusRowOptions {
  /** Path prefix of the fields in errors, e.g. `rows.3`; default none. */
  readonly path?: string | undefined;
  /** Currency to use when the row has no `BillingCurrency` column (some specification examples omit it). */
  readonly defaultCurrency?: string | undefined;
}

const CURRENCY = /^[A-Z]{3}$/;

/** Whether a raw field means "no value": absent, empty, or the `NULL` literal of exported CSVs (any case). */
export function isFocusNull(value: unknown): boolean {
  return value === undefined || value === null || (typeof value === 'string' && (value.trim() === '' || value.trim().toUpperCase() === 'NULL'));
}

function decimal(value: unknown, field: string, issues: ValidationIssue[]): number | null {
  if (isFocusNull(value)) return null;
  const n = typeof value === 'number' ? value : typeof value === 'bigint' ? Number(value) : typeof value === 'string' && /^\s*[-+]?(\d+\.?\d*|\.\d+)([eE][-+]?\d+)?\s*$/.test(value) ? Number(value) : Number.NaN;
  if (!Number.isFinite(n)) {
    issues.push({ path: field, message: 'must be a decimal number' });
    return null;
  }
  return n;
}

function json(value: unknown, field: string, issues: ValidationIssue[]): Record<string, unknown> | null {
  if (isFocusNull(value)) return null;
  let parsed: unknown = value;
  if (typeof value === 'string') {
    try {
      parsed = JSON.parse(value);
    } catch {
      issues.push({ path: field, message: 'must be a JSON object' });
      return null;
    }
  }
  if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed)) {
    issues.push({ path: field, message: 'must be a JSON object' });
    return null;
  }
  return parsed as Record<string, unknown>;
}

function tags(value: Record<string, unknown> | null, field: string, issues: ValidationIssue[]): Record<string, string | null> | null {
  if (value === null) return null;
  const out: Record<string, string | null> = {};
  for (const [key, v] of Object.entries(value)) {
    if (v === null || typeof v === 'string') out[key] = v;
    else if (typeof v === 'number' || typeof v === 'boolean') out[key] = String(v);
    else issues.push({ path: `${field}.${key}`, message: 'must be a string, number, boolean or null' });
  }
  return out;
}

/**
 * Reads one FOCUS record (a CSV row as strings, or a JSON/Parquet record) into a validated
 * {@link FocusRow}. Empty fields and the `NULL` literal become `null`; FOCUS 1.2 columns the
 * record lacks are `null` too (a FOCUS 1.0 export reads fine).
 *
 * @throws `ValidationError` naming every bad field (e.g. `rows.3.BilledCost: must be a decimal number`),
 * including a missing `BilledCost`, `EffectiveCost`, `BillingCurrency`, `ChargePeriodStart` or `ChargePeriodEnd`.
 */
export function parseFocusRow(input: Readonly<Record<string, unknown>> | FocusRow, options: ParseFocusRowOptions = {}): FocusRow {
  const record = input as Readonly<Record<string, unknown>>;
  if (typeof record !== 'object' || record === null) throw new ValidationError(undefined, [{ path: options.path ?? '', message: 'must be an object' }]);
  const prefix = options.path ? `${options.path}.` : '';
  const issues: ValidationIssue[] = [];
  const row: Record<string, unknown> = {};
  for (const [column, type] of Object.entries(FOCUS_1_2_COLUMNS)) {
    const raw = record[column];
    const field = `${prefix}${column}`;
    if (type === 'decimal') row[column] = decimal(raw, field, issues);
    else if (type === 'json') row[column] = column === 'Tags' ? tags(json(raw, field, issues), field, issues) : json(raw, field, issues);
    else if (type === 'datetime') {
      if (isFocusNull(raw)) row[column] = null;
      else {
        const ms = parseInstant(raw);
        if (ms === undefined) issues.push({ path: field, message: 'must be a date/time (ISO 8601, UTC when no zone is given)' });
        row[column] = ms === undefined ? null : new Date(ms).toISOString();
      }
    } else row[column] = isFocusNull(raw) ? null : String(raw);
  }
  if (row['BillingCurrency'] === null && !('BillingCurrency' in record) && options.defaultCurrency !== undefined) row['BillingCurrency'] = options.defaultCurrency;
  for (const column of ['BilledCost', 'EffectiveCost', 'BillingCurrency', 'ChargePeriodStart', 'ChargePeriodEnd']) {
    if (row[column] === null && !issues.some((issue) => issue.path === `${prefix}${column}`)) issues.push({ path: `${prefix}${column}`, message: 'is required' });
  }
  if (typeof row['BillingCurrency'] === 'string' && !CURRENCY.test(row['BillingCurrency'])) issues.push({ path: `${prefix}BillingCurrency`, message: 'must be an ISO 4217 code such as USD' });
  if (typeof row['ChargePeriodStart'] === 'string' && typeof row['ChargePeriodEnd'] === 'string' && row['ChargePeriodEnd'] < row['ChargePeriodStart']) {
    issues.push({ path: `${prefix}ChargePeriodEnd`, message: 'must not be before ChargePeriodStart' });
  }
  if (issues.length > 0) throw new ValidationError(undefined, issues, { operation: 'parseFocusRow' });
  const extra: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(record)) {
    if (key === 'extra' && typeof value === 'object' && value !== null) Object.assign(extra, value);
    else if (!(key in FOCUS_1_2_COLUMNS)) extra[key] = isFocusNull(value) ? null : value;
  }
  row['extra'] = Object.freeze(extra);
  return Object.freeze(row) as unknown as FocusRow;
}
