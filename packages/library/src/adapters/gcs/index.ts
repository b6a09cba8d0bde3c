/**
 * `@almanac/library/gcs`: Google Cloud Storage behind the Almanac storage interface, over
 * `@google-cloud/storage` (an optional peer dependency, loaded on first use).
 *
 * Mapping notes: `etag` is the object's generation (what `ifMatch` needs); `versionId` of
 * versions is the generation; GCS has no object tags (`tags: false`) and no delete markers.
 *
 * @packageDocumentation
 */
import { createStorage } from '../../facade';
import type { Storage, StorageOptions } from '../../facade';
import type { StorageProvider } from '../../spec';
import type { GcsProviderOptions } from './options';
import { createGcsProviderInternal } from './provider';

export type { GcsBucketLike, GcsClientLike, GcsFileLike, GcsObjectResource, GcsSdkImporter } from './client';
export { GCS_PROVIDER, mapGcsError } from './errors';
export { DEFAULT_RESUMABLE_THRESHOLD } from './options';
export type { GcsProviderOptions } from './options';
export { GCS_STORAGE_CLASSES } from './provider';

/**
 * A {@link StorageProvider} over one GCS bucket. Options are validated now (`ValidationError`
 * naming every bad field); the SDK is imported on the first call, failing with a `ConfigError`
 * naming `@google-cloud/storage` when it is not installed.
 */
export function createGcsProvider(options: GcsProviderOptions): StorageProvider {
  return createGcsProviderInternal(options);
}

/** Options of {@link createGcsStorage}: the provider's options plus the facade's. */
export type GcsStorageOptions = GcsProviderOptions & StorageOptions;

/**
 * A {@link Storage} over one GCS bucket: {@link createGcsProvider} wrapped by `createStorage`.
 * The facade's `clock` and `logger` also drive the provider's retry sleeps and debug lines.
 */
export function createGcsStorage(options: GcsStorageOptions): Storage {
  const { timeoutMs, onEvent, ...providerOptions } = options;
  const facadeOptions: StorageOptions = {
    ...(timeoutMs === undefined ? {} : { timeoutMs }),
    ...(onEvent === undefined ? {} : { onEvent }),
    ...(options.clock === undefined ? {} : { clock: options.clock }),
    ...(options.logger === undefined ? {} : { logger: options.logger }),
  };
  return createStorage(createGcsProvider(providerOptions), facadeOptions);
}
