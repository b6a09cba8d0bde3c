import type { ProviderContract } from './contract';

/**
 * One table per spec maps each capability to the provider methods it needs; `supports()`,
 * the facade's refusals and the type narrowing are all derived from it, so the three cannot
 * disagree.
 */

/**
 * Capability name → the optional provider methods it needs (empty when the capability is a
 * pure flag, e.g. `rangeRead`). The flag itself is `provider.capabilities[capability]`.
 */
export type CapabilityMethodTable<P> = { readonly [capability: string]: readonly (keyof P & string)[] };

/**
 * Declares a spec's capability table with `P` explicit and the table's literal type inferred,
 * so {@link WithCapability} knows exactly which methods each capability makes non-optional:
 *
 * ```ts
 * export const STORAGE_CAPABILITY_METHODS = defineCapabilityMethods<StorageProvider>()({
 *   copy: ['copy'],
 *   tags: ['getTags', 'setTags'],
 *   rangeRead: [],
 * });
 * ```
 *
 * The table is frozen (and so is each list).
 */
export function defineCapabilityMethods<P>(): <const T extends CapabilityMethodTable<P>>(table: T) => T {
  return (table) => {
    for (const methods of Object.values(table)) Object.freeze(methods);
    return Object.freeze(table);
  };
}

/**
 * How a facade reports a capability to callers: `'native'` when the provider does it,
 * `'emulated'` when the facade builds it from other calls (copy through read and write,
 * deleteMany through delete), `false` when it is unavailable.
 */
export type CapabilitySupport = 'native' | 'emulated' | false;

/**
 * Whether a capability flag declares support: `true`, `'native'` or `'emulated'`. Anything else
 * (`false`, absent, a number, a list) does not; list- or number-valued capabilities are checked
 * by the facade itself.
 */
export function isCapabilityDeclared(flag: unknown): boolean {
  return flag === true || flag === 'native' || flag === 'emulated';
}

/**
 * Whether `provider` supports `capability`: its `capabilities[capability]` flag is `true`,
 * `'native'` or `'emulated'` and every method `table[capability]` lists is a function. A
 * capability missing from the table is unsupported, so a typo cannot enable anything.
 */
export function supportsCapability<P extends Pick<ProviderContract, 'capabilities'>>(
  provider: P,
  table: CapabilityMethodTable<P>,
  capability: string,
): boolean {
  // A non-string would be converted to a key first, and a null-prototype object cannot be.
  if (typeof capability !== 'string' || !Object.hasOwn(table, capability)) return false;
  if (!isCapabilityDeclared((provider.capabilities as Record<string, unknown>)[capability])) return false;
  const methods = table[capability] as readonly (keyof P & string)[];
  for (const method of methods) if (typeof provider[method] !== 'function') return false;
  return true;
}

/**
 * `P` with the methods capability `C` needs made non-optional: what
 * `OperationRunner.require` returns, so facades call them without `as NonNullable<…>` casts.
 */
export type WithCapability<P, T extends CapabilityMethodTable<P>, C extends keyof T> = P & {
  [K in T[C][number]]-?: NonNullable<P[K]>;
};
