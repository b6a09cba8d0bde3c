/**
 * `@almanac/__domain__`: __purpose__
 *
 * The provider spec ({@link __Domain__Provider}, its capabilities and {@link __DOMAIN___CAPABILITY_METHODS})
 * and the {@link create__Domain__} facade. Adapters live in subpaths (`@almanac/__domain__/memory`);
 * this entry never loads a provider SDK.
 *
 * @packageDocumentation
 */
export { __DOMAIN___CAPABILITY_METHODS } from './spec';
export type {
  __Domain__CallOptions,
  __Domain__Capabilities,
  __Domain__Capability,
  __Domain__Item,
  __Domain__Provider,
  __Domain__ProviderMethod,
  __Domain__SearchRequest,
} from './spec';
export { create__Domain__ } from './facade/index';
export type { __Domain__, __Domain__OperationOptions, __Domain__Options, __Domain__SearchOptions } from './facade/index';
