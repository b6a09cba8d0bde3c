/**
 * `@almanac/library/memory`: the in-memory storage, a complete reference implementation of every
 * capability for tests, examples and local development.
 *
 * @packageDocumentation
 */
import { checkFactoryOptions } from '@almanac/core';
import type { OptionKeys } from '@almanac/core';
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

// Every option, so plain-JavaScript callers get "did you mean" for a misspelt one (the type keeps it complete).
const MEMORY_STORAGE_OPTION_KEYS: OptionKeys<MemoryStorageOptions> = { timeoutMs: true, writeTimeoutMs: true, writeMinBytesPerSecond: true, logger: true, clock: true, onEvent: true, name: true, storageClasses: true, maxKeyBytes: true, multipartMinSize: true, capabilities: true };

/**
 * A `Storage` over a fresh in-memory provider. The provider's clock is the facade's clock, so a
 * manual clock drives both deadlines and signed-URL expiry.
 */
export function createMemoryStorage(options: MemoryStorageOptions = {}): Storage {
  checkFactoryOptions(options, MEMORY_STORAGE_OPTION_KEYS, { factory: 'createMemoryStorage', provider: 'memory' });
  const { timeoutMs, writeTimeoutMs, writeMinBytesPerSecond, logger, onEvent, clock, ...providerOptions } = options;
  const provider = createMemoryStorageProvider(clock === undefined ? providerOptions : { ...providerOptions, clock });
  const storageOptions: StorageOptions = {
    ...(timeoutMs === undefined ? {} : { timeoutMs }),
    ...(writeTimeoutMs === undefined ? {} : { writeTimeoutMs }),
    ...(writeMinBytesPerSecond === undefined ? {} : { writeMinBytesPerSecond }),
    ...(logger === undefined ? {} : { logger }),
    ...(onEvent === undefined ? {} : { onEvent }),
    ...(clock === undefined ? {} : { clock }),
  };
  return createStorage(provider, storageOptions);
}
