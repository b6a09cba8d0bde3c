/**
 * `@almanac/__domain__/memory`: the reference __domainWords__ provider, in memory, with every
 * capability. For tests, demos and as the model for new adapters.
 *
 * @packageDocumentation
 */
import { create__Domain__ } from '../../facade/create-__domain__';
import type { __Domain__, __Domain__Options } from '../../facade/types';
import { createMemory__Domain__Provider } from './provider';
import type { Memory__Domain__ProviderOptions } from './provider';

export { createMemory__Domain__Provider } from './provider';
export type { Memory__Domain__ProviderOptions } from './provider';

/** Options of {@link createMemory__Domain__}: the provider's and the facade's. */
export interface Memory__Domain__Options extends Memory__Domain__ProviderOptions, __Domain__Options {}

/**
 * Creates the {@link __Domain__} facade over a new in-memory provider seeded with `items`.
 *
 * @throws `ValidationError` naming the field for bad options.
 */
export function createMemory__Domain__(options: Memory__Domain__Options = {}): __Domain__ {
  const { items, capabilities, ...facade } = options;
  return create__Domain__(createMemory__Domain__Provider({ items, capabilities }), facade);
}
