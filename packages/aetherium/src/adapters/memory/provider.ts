import { abortReason } from '@almanac/core';
import { SPECIFICATION_VERSION } from '@almanac/core/kit';
import { aggregateFocusRows } from '../../model/aggregate';
import { parseFocusRow } from '../../model/focus-row';
import type { FocusRow } from '../../model/focus-row';
import { COST_DIMENSIONS } from '../../spec';
import type { CostSourceCapabilities, CostSourceProvider } from '../../spec';

/** Options of {@link createMemoryCostSourceProvider}. */
export interface MemoryCostSourceProviderOptions {
  /** FOCUS charges: {@link FocusRow}s or raw records (CSV strings, JSON), each validated with `parseFocusRow`. */
  readonly rows: readonly (FocusRow | Readonly<Record<string, unknown>>)[];
  /** Provider name in errors and audit events; default `memory`. */
  readonly name?: string | undefined;
  /** Capabilities to switch off, e.g. `{ groupByTag: false }` to test refusals. Default: all but `forecast`. */
  readonly capabilities?: Partial<CostSourceCapabilities> | undefined;
}

/**
 * The reference cost source: FOCUS rows in memory, aggregated in JavaScript with the contract's
 * exact semantics. For tests, demos and small exports; use `@almanac/aetherium/focus` for files.
 *
 * @throws `ValidationError` naming the row and field (`options.rows.3.BilledCost`) for a bad row.
 */
export function createMemoryCostSourceProvider(options: MemoryCostSourceProviderOptions): CostSourceProvider {
  const rows: FocusRow[] = (options?.rows ?? []).map((row, index) => parseFocusRow(row, { path: `options.rows.${index}` }));
  const capabilities: CostSourceCapabilities = Object.freeze({
    hourlyCosts: true,
    dailyCosts: true,
    monthlyCosts: true,
    groupByTag: true,
    filterByTag: true,
    forecast: false,
    dimensions: COST_DIMENSIONS,
    maxGroupBy: 10,
    ...options?.capabilities,
  });
  return Object.freeze({
    name: options?.name ?? 'memory',
    specificationVersion: SPECIFICATION_VERSION,
    capabilities,
    async query(request) {
      if (request.signal?.aborted) throw abortReason(request.signal);
      return aggregateFocusRows(rows, request);
    },
  } satisfies CostSourceProvider);
}
