/**
 * The __domainWords__ provider contract. Adapters implement {@link __Domain__Provider}; users call
 * the `__Domain__` facade that wraps one (see `create__Domain__`).
 *
 * Rules every adapter follows:
 * - A missing item is a `NotFoundError`; every error comes from `@almanac/core`'s hierarchy.
 * - A field the provider cannot give is absent, never guessed; the provider's own record is
 *   kept in `raw`.
 * - Every method takes a last argument with an `AbortSignal` and honours it.
 * - Optional methods are called only when `capabilities` declares them (see
 *   {@link __DOMAIN___CAPABILITY_METHODS}); the facade checks before it calls.
 */
import { defineCapabilityMethods } from '@almanac/core/kit';
import type { ProviderContract, SpecificationVersion } from '@almanac/core/kit';

/**
 * What a provider supports. Each flag is named for what the user can do (not after a provider
 * method) and is `true` when the provider does it. The facade refuses a call that needs a
 * missing capability with `CapabilityError`, before the provider is touched.
 */
export interface __Domain__Capabilities {
  /** Finding items by a case-insensitive part of their name (`searchItems`). */
  readonly search: boolean;
}

/** Name of one capability flag. */
export type __Domain__Capability = keyof __Domain__Capabilities;

/** Cancellation common to every provider call. */
export interface __Domain__CallOptions {
  /** Aborts the call; the facade always passes one (the caller's, merged with the deadline). */
  readonly signal?: AbortSignal | undefined;
}

/** One item as every provider reports it. */
export interface __Domain__Item {
  /** Provider id of the item. */
  readonly id: string;
  /** Display name. */
  readonly name: string;
  /** The provider's own record, kept because mappings are lossy; absent when there is none. */
  readonly raw?: unknown;
}

/** Input of {@link __Domain__Provider.searchItems}. */
export interface __Domain__SearchRequest extends __Domain__CallOptions {
  /** Case-insensitive part of the name, never empty (the facade validates it). */
  readonly query: string;
  /** Most items to return. */
  readonly limit: number;
}

/**
 * What an adapter implements: small and async, every method with a last argument carrying a
 * signal. Required methods work on every provider; optional ones belong to a capability.
 */
export interface __Domain__Provider extends ProviderContract {
  /** Provider name used in errors, spans and audit events, e.g. `memory`. */
  readonly name: string;
  /** The contract version implemented: `'v1'` (the kit's `SPECIFICATION_VERSION`). */
  readonly specificationVersion: SpecificationVersion;
  /** What this provider supports. */
  readonly capabilities: __Domain__Capabilities;
  /** One item; `NotFoundError` when there is none with this id. */
  getItem(id: string, options?: __Domain__CallOptions): Promise<__Domain__Item>;
  /** Items whose name contains `query`, case-insensitively, in a stable order (`search`). */
  searchItems?(request: __Domain__SearchRequest): Promise<readonly __Domain__Item[]>;
}

/** Methods of {@link __Domain__Provider} (without the descriptive fields). */
export type __Domain__ProviderMethod = Exclude<keyof __Domain__Provider, 'name' | 'specificationVersion' | 'capabilities'>;

/**
 * Which provider methods each capability needs. A capability is usable when its flag is
 * declared and every listed method is a function; `supports()`, the facade's refusals and the
 * type narrowing of `runner.require()` all come from this table, and the conformance suite
 * checks it against what the adapter really does. A flag that only describes results (no
 * method of its own) maps to `[]`.
 */
export const __DOMAIN___CAPABILITY_METHODS = defineCapabilityMethods<__Domain__Provider>()({
  /** `search` needs `searchItems`. */
  search: ['searchItems'],
} as const satisfies { readonly [C in __Domain__Capability]: readonly __Domain__ProviderMethod[] });
