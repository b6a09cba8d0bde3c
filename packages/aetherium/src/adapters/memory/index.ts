/**
 * `@almanac/aetherium/memory`: the reference cost source over FOCUS rows in memory.
 *
 * @packageDocumentation
 */
import { createCostSource } from '../../facade/create-cost-source';
import type { CostSource, CostSourceOptions } from '../../facade/types';
import { createMemoryCostSourceProvider } from './provider';
import type { MemoryCostSourceProviderOptions } from './provider';

export { createMemoryCostSourceProvider } from './provider';
export type { MemoryCostSourceProviderOptions } from './provider';

/** Options of {@link createMemoryCostSource}: the provider's and the facade's. */
export interface MemoryCostSourceOptions extends MemoryCostSourceProviderOptions, CostSourceOptions {}

/**
 * Creates the {@link CostSource} facade over FOCUS rows in memory.
 *
 * @throws `ValidationError` naming the row and field for a bad row.
 */
export function createMemoryCostSource(options: MemoryCostSourceOptions): CostSource {
  const { rows, name, capabilities, ...facade } = options;
  return createCostSource(createMemoryCostSourceProvider({ rows, name, capabilities }), facade);
}
