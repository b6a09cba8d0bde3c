import { SPECIFICATION_VERSION } from '@almanac/core/kit';
import { collectCosts, createCostSource } from '../facade/create-cost-source';
import type { CostSource, CostSourceOptions } from '../facade/types';
import { compareCostRows } from '../model/aggregate';
import type { CostDimension, CostRow, CostSourceCapabilities, CostSourceProvider, CostSourceRequest } from '../spec';
import { ValidationError } from '@almanac/core';

/**
 * One source over several (clouds, accounts, exports): each query runs on every source and rows
 * of the same period, group values and currency are added up, so a mixed-cloud total is one
 * call. Currencies stay apart. The combined source supports what every source supports
 * (dimensions and flags intersected, the smallest `maxGroupBy`); it has no provider forecast.
 *
 * @throws `ValidationError` (`sources`) for an empty list or something that is not a `CostSource`.
 */
export function combineSources(sources: readonly CostSource[], options: CostSourceOptions = {}): CostSource {
  if (!Array.isArray(sources) || sources.length === 0) throw new ValidationError(undefined, [{ path: 'sources', message: 'must list at least one CostSource' }], { operation: 'combineSources' });
  sources.forEach((source, index) => {
    if (typeof source?.query !== 'function' || typeof source?.provider !== 'object') {
      throw new ValidationError(undefined, [{ path: `sources.${index}`, message: 'must be a CostSource' }], { operation: 'combineSources' });
    }
  });
  const every = (flag: 'hourlyCosts' | 'dailyCosts' | 'monthlyCosts' | 'groupByTag' | 'filterByTag') => sources.every((source) => source.supports(flag));
  const dimensions = sources.map((s) => s.capabilities.dimensions).reduce((a: readonly CostDimension[], b) => a.filter((d) => b.includes(d)));
  const capabilities: CostSourceCapabilities = Object.freeze({
    hourlyCosts: every('hourlyCosts'),
    dailyCosts: every('dailyCosts'),
    monthlyCosts: every('monthlyCosts'),
    groupByTag: every('groupByTag'),
    filterByTag: every('filterByTag'),
    forecast: false,
    dimensions: Object.freeze([...dimensions]),
    maxGroupBy: Math.min(...sources.map((s) => s.capabilities.maxGroupBy)),
  });
  const provider: CostSourceProvider = Object.freeze({
    name: `combined(${sources.map((s) => s.name).join(',')})`,
    specificationVersion: SPECIFICATION_VERSION,
    capabilities,
    async query(request: CostSourceRequest) {
      const query = { range: { start: request.start, end: request.end }, granularity: request.granularity, groupBy: request.groupBy, filter: request.filter };
      const parts = await Promise.all(sources.map((source) => collectCosts(source.query(query, { signal: request.signal }))));
      const merged = new Map<string, { row: CostRow; billed: number; effective: number; list: number | null }>();
      for (const row of parts.flat()) {
        const id = JSON.stringify([row.periodStart, request.groupBy.map((key: string) => row.groups[key] ?? null), row.currency]);
        const seen = merged.get(id);
        if (!seen) merged.set(id, { row, billed: row.billedCost, effective: row.effectiveCost, list: row.listCost });
        else {
          seen.billed += row.billedCost;
          seen.effective += row.effectiveCost;
          seen.list = seen.list === null || row.listCost === null ? null : seen.list + row.listCost;
        }
      }
      return [...merged.values()]
        .map(({ row, billed, effective, list }) => Object.freeze({ ...row, billedCost: billed, effectiveCost: effective, listCost: list }))
        .sort((a, b) => compareCostRows(a, b, request.groupBy));
    },
  });
  return createCostSource(provider, options);
}
