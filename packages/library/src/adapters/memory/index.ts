/**
 * `@almanac/library/memory`: the in-memory storage, a complete reference implementation of every
 * capability for tests, examples and local development.
 *
 * @packageDocumentation
 */
import { createStorage } from '../../facade/create-storage';
import type { Storage, StorageOptions } from '../../facade/types';
import type { MemoryProviderOptions } from './options';
import { createMemoryStorageProvider } from './provider';

export { createMemoryStorageProvider } from './provider';
export { MEMORY_STORAGE_CLASSES } from './options';
export type { MemoryProvider, MemoryProviderOptions } from './options';
export { compareKeys } from './sorted-keys';

/**
 * The bare in-memory provider, under its old name.
 *
 * @deprecated Use {@link createMemoryStorageProvider} (factories are named
 * `create<Provider><Domain>Provider`); this alias is removed in the next minor release.
 */
export const createMemoryProvider: typeof createMemoryStorageProvider = createMemoryStorageProvider;

/** Options of {@link createMemoryStorage}: facade options plus provider options. */
export type MemoryStorageOptions = StorageOptions & MemoryProviderOptions;

/**
 * A `Storage` over a fresh in-memory provider. The provider's clock is the facade's clock, so a
 * manual clock drives both deadlines and signed-URL expiry.
 */
export function createMemoryStorage(options: MemoryStorageOptions = {}): Storage {
  const { timeoutMs, logger, onEvent, clock, ...providerOptions } = options;
  const provider = createMemoryStorageProvider(clock === undefined ? providerOptions : { ...providerOptions, clock });
  const storageOptions: StorageOptions = {
    ...(timeoutMs === undefined ? {} : { timeoutMs }),
    ...(logger === undefined ? {} : { logger }),
    ...(onEvent === undefined ? {} : { onEvent }),
    ...(clock === undefined ? {} : { clock }),
  };
  return createStorage(provider, storageOptions);
}
