/**
 * `@almanac/library/memory`: the in-memory storage, a complete reference implementation of every
 * capability for tests, examples and local development.
 *
 * @packageDocumentation
 */
import { createStorage } from '../../facade/create-storage';
import type { Storage, StorageOptions } from '../../facade/types';
import { createMemoryProvider } from './provider';
import type { MemoryProviderOptions } from './provider';

export { createMemoryProvider, MEMORY_STORAGE_CLASSES } from './provider';
export type { MemoryProvider, MemoryProviderOptions } from './provider';
export { compareKeys } from './sorted-keys';

/** Options of {@link createMemoryStorage}: facade options plus provider options. */
export type MemoryStorageOptions = StorageOptions & MemoryProviderOptions;

/**
 * A `Storage` over a fresh in-memory provider. The provider's clock is the facade's clock, so a
 * manual clock drives both deadlines and signed-URL expiry.
 */
export function createMemoryStorage(options: MemoryStorageOptions = {}): Storage {
  const { timeoutMs, logger, onEvent, clock, ...providerOptions } = options;
  const provider = createMemoryProvider(clock === undefined ? providerOptions : { ...providerOptions, clock });
  const storageOptions: StorageOptions = {
    ...(timeoutMs === undefined ? {} : { timeoutMs }),
    ...(logger === undefined ? {} : { logger }),
    ...(onEvent === undefined ? {} : { onEvent }),
    ...(clock === undefined ? {} : { clock }),
  };
  return createStorage(provider, storageOptions);
}
