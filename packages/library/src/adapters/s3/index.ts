/**
 * `@almanac/library/s3`: the S3 adapter (AWS S3 and S3-compatible services). Uses the optional
 * peers `@aws-sdk/client-s3`, `@aws-sdk/lib-storage` and `@aws-sdk/s3-request-presigner`,
 * loaded on first use.
 *
 * Retries: clients built here have `maxAttempts: 1`, so only the adapter retries (core's retry
 * policy, through the kit's `callProvider`), and only idempotent calls (never conditional writes
 * or multipart uploads). An injected client should be configured the same way, or both layers retry.
 *
 * @packageDocumentation
 */
import { checkFactoryOptions } from '@almanac/core';
import type { OptionKeys } from '@almanac/core';
import { createStorage } from '../../facade/create-storage';
import type { Storage, StorageOptions } from '../../facade/types';
import type { S3ProviderOptions } from './options';
import { createS3StorageProvider } from './provider';

export { createS3StorageProvider, S3_STORAGE_CLASSES } from './provider';
export type { S3Provider } from './provider';
export type { S3ProviderOptions } from './options';
export type { S3ClientLike, S3Credentials, S3SdkImporters } from './client';

/**
 * The bare S3 adapter, under its old name.
 *
 * @deprecated Use {@link createS3StorageProvider} (factories are named
 * `create<Provider><Domain>Provider`); this alias is removed in the next minor release.
 */
export const createS3Provider: typeof createS3StorageProvider = createS3StorageProvider;

/** Options of {@link createS3Storage}: the adapter's settings plus the facade's. */
export interface S3StorageOptions extends S3ProviderOptions, Omit<StorageOptions, 'clock' | 'logger'> {}

// Every option, so plain-JavaScript callers get "did you mean" for a misspelt one (the type keeps it complete).
const S3_STORAGE_OPTION_KEYS: OptionKeys<S3StorageOptions> = { bucket: true, client: true, region: true, endpoint: true, forcePathStyle: true, credentials: true, checksums: true, multipartThreshold: true, partSize: true, queueSize: true, retry: true, clock: true, logger: true, importers: true, deletePreviousVersionOnClassChange: true, listReadAhead: true, timeoutMs: true, writeTimeoutMs: true, writeMinBytesPerSecond: true, onEvent: true };

/** A `Storage` over one S3 bucket: {@link createS3StorageProvider} wrapped by `createStorage`. */
export function createS3Storage(options: S3StorageOptions): Storage {
  checkFactoryOptions(options, S3_STORAGE_OPTION_KEYS, { factory: 'createS3Storage', provider: 's3', required: ['bucket'] });
  const { timeoutMs, writeTimeoutMs, writeMinBytesPerSecond, onEvent, ...providerOptions } = options;
  const storageOptions: StorageOptions = {
    ...(timeoutMs !== undefined && { timeoutMs }),
    ...(writeTimeoutMs === undefined ? {} : { writeTimeoutMs }),
    ...(writeMinBytesPerSecond === undefined ? {} : { writeMinBytesPerSecond }),
    ...(onEvent !== undefined && { onEvent }),
    ...(options.logger !== undefined && { logger: options.logger }),
    ...(options.clock !== undefined && { clock: options.clock }),
  };
  return createStorage(createS3StorageProvider(providerOptions), storageOptions);
}
