import type { CostGroupKey, CostRow, CostSourceRequest } from '../spec';
import type { FocusRow } from './focus-row';
import { parseInstant, periodEnd, periodStart } from './time';

/** The value of one grouping key on a row (`null` when absent). */
export function groupValue(row: FocusRow, key: CostGroupKey): string | null {
  if (key.startsWith('Tag:')) return row.Tags?.[key.slice(4)] ?? null;
  return (row as unknown as Record<string, string | null>)[key] ?? null;
}

function keep(row: FocusRow, request: CostSourceRequest, startMs: number, endMs: number): boolean {
  const at = parseInstant(row.ChargePeriodStart)!;
  if (at < startMs || at >= endMs) return false;
  const { tags, ...dimensions } = request.filter;
  for (const [dimension, values] of Object.entries(dimensions)) {
    if (values && !values.includes(groupValue(row, dimension as CostGroupKey) as string)) return false;
  }
  for (const [key, values] of Object.entries(tags ?? {})) {
    const value = row.Tags?.[key];
    if (value === undefined || value === null || !values.includes(value)) return false;
  }
  return true;
}

/** Compares rows in the contract's order: period, group values (`null` first), currency. */
export function compareCostRows(a: CostRow, b: CostRow, keys: readonly string[]): number {
  if (a.periodStart !== b.periodStart) return a.periodStart < b.periodStart ? -1 : 1;
  for (const key of keys) {
    const x = a.groups[key] ?? null;
    const y = b.groups[key] ?? null;
    if (x === y) continue;
    if (x === null) return -1;
    if (y === null) return 1;
    return x < y ? -1 : 1;
  }
  return a.currency === b.currency ? 0 : a.currency < b.currency ? -1 : 1;
}

/**
 * Aggregates FOCUS rows in JavaScript with the contract's semantics: the reference the SQL
 * sources are tested against, and the memory source's engine.
 */
export function aggregateFocusRows(rows: Iterable<FocusRow>, request: CostSourceRequest): CostRow[] {
  const startMs = Date.parse(request.start);
  const endMs = Date.parse(request.end);
  const buckets = new Map<string, { row: CostRow & { billedCost: number; effectiveCost: number; listCost: number | null }; listMissing: boolean }>();
  for (const row of rows) {
    if (!keep(row, request, startMs, endMs)) continue;
    const period = periodStart(parseInstant(row.ChargePeriodStart)!, request.granularity);
    const groups: Record<string, string | null> = {};
    for (const key of request.groupBy) groups[key] = groupValue(row, key);
    const id = JSON.stringify([period, request.groupBy.map((key) => groups[key]), row.BillingCurrency]);
    let bucket = buckets.get(id);
    if (!bucket) {
      bucket = {
        row: {
          periodStart: new Date(period).toISOString(),
          periodEnd: new Date(periodEnd(period, request.granularity)).toISOString(),
          groups,
          billedCost: 0,
          effectiveCost: 0,
          listCost: 0,
          currency: row.BillingCurrency,
        },
        listMissing: false,
      };
      buckets.set(id, bucket);
    }
    bucket.row.billedCost += row.BilledCost;
    bucket.row.effectiveCost += row.EffectiveCost;
    if (row.ListCost === null) bucket.listMissing = true;
    else bucket.row.listCost = (bucket.row.listCost ?? 0) + row.ListCost;
  }
  return [...buckets.values()]
    .map(({ row, listMissing }) => Object.freeze({ ...row, groups: Object.freeze(row.groups), listCost: listMissing ? null : row.listCost }))
    .sort((a, b) => compareCostRows(a, b, request.groupBy));
}
