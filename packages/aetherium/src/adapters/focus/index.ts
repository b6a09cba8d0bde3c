/**
 * `@almanac/aetherium/focus`: FOCUS exports (CSV or Parquet, any provider) aggregated with
 * DuckDB (`@duckdb/node-api`, an optional peer loaded on the first query).
 *
 * @packageDocumentation
 */
import { createCostSource } from '../../facade/create-cost-source';
import type { CostSource, CostSourceOptions } from '../../facade/types';
import { createFocusCostSourceProvider } from './provider';
import type { FocusCostSourceProviderOptions } from './provider';

export { createFocusCostSourceProvider } from './provider';
export type { DuckDbConnection, DuckDbInstance, DuckDbInstanceFactory, DuckDbModule, DuckDbResultReader, FocusCostSourceProviderOptions } from './provider';

/** Options of {@link createFocusCostSource}: the provider's and the facade's. */
export interface FocusCostSourceOptions extends FocusCostSourceProviderOptions, CostSourceOptions {}

/**
 * Creates the {@link CostSource} facade over FOCUS files aggregated with DuckDB.
 *
 * @example
 * ```ts
 * import { createFocusCostSource } from '@almanac/aetherium/focus';
 * const costs = createFocusCostSource({ files: ['focus-2024-09.csv'] });
 * for await (const row of costs.query({ range: { start: '2024-09-01', end: '2024-10-01' }, granularity: 'daily', groupBy: ['ServiceName'] })) {
 *   rows.push(row);
 * }
 * ```
 *
 * @throws `ValidationError` naming the field for bad options.
 */
export function createFocusCostSource(options: FocusCostSourceOptions): CostSource {
  const { files, defaultCurrency, name, duckdb, ...facade } = options;
  return createCostSource(createFocusCostSourceProvider({ files, defaultCurrency, name, duckdb }), facade);
}
