/**
 * `@almanac/library/gcs`: Google Cloud Storage behind the Almanac storage interface, over
 * `@google-cloud/storage` (an optional peer dependency, loaded on first use).
 *
 * Mapping notes: `etag` is the object's generation (what `ifMatch` needs); `versionId` of
 * versions is the generation; GCS has no object tags (`tags: false`) and no delete markers.
 *
 * @packageDocumentation
 */
import { checkFactoryOptions } from '@almanac/core';
import type { OptionKeys } from '@almanac/core';
import { createStorage } from '../../facade/create-storage';
import type { Storage, StorageOptions } from '../../facade/types';
import type { GcsProviderOptions } from './options';
import { createGcsStorageProvider } from './provider';

export { createGcsStorageProvider, GCS_STORAGE_CLASSES } from './provider';
export type { GcsBucketLike, GcsClientLike, GcsFileLike, GcsObjectResource, GcsSdkImporter } from './client';
export type { GcsProviderOptions } from './options';

/**
 * The bare GCS adapter, under its old name.
 *
 * @deprecated Use {@link createGcsStorageProvider} (factories are named
 * `create<Provider><Domain>Provider`); this alias is removed in the next minor release.
 */
export const createGcsProvider: typeof createGcsStorageProvider = createGcsStorageProvider;

/** Options of {@link createGcsStorage}: the provider's options plus the facade's. */
export type GcsStorageOptions = GcsProviderOptions & StorageOptions;

// Every option, so plain-JavaScript callers get "did you mean" for a misspelt one (the type keeps it complete).
const GCS_STORAGE_OPTION_KEYS: OptionKeys<GcsStorageOptions> = { bucket: true, storage: true, projectId: true, keyFilename: true, credentials: true, apiEndpoint: true, resumableThreshold: true, chunkSize: true, retry: true, clock: true, logger: true, importer: true, timeoutMs: true, writeTimeoutMs: true, writeMinBytesPerSecond: true, onEvent: true };

/**
 * A {@link Storage} over one GCS bucket: {@link createGcsStorageProvider} wrapped by
 * `createStorage`. The facade's `clock` and `logger` also drive the provider's retry sleeps and
 * debug lines.
 */
export function createGcsStorage(options: GcsStorageOptions): Storage {
  checkFactoryOptions(options, GCS_STORAGE_OPTION_KEYS, { factory: 'createGcsStorage', provider: 'gcs', required: ['bucket'] });
  const { timeoutMs, writeTimeoutMs, writeMinBytesPerSecond, onEvent, ...providerOptions } = options;
  const facadeOptions: StorageOptions = {
    ...(timeoutMs === undefined ? {} : { timeoutMs }),
    ...(writeTimeoutMs === undefined ? {} : { writeTimeoutMs }),
    ...(writeMinBytesPerSecond === undefined ? {} : { writeMinBytesPerSecond }),
    ...(onEvent === undefined ? {} : { onEvent }),
    ...(options.clock === undefined ? {} : { clock: options.clock }),
    ...(options.logger === undefined ? {} : { logger: options.logger }),
  };
  return createStorage(createGcsStorageProvider(providerOptions), facadeOptions);
}
