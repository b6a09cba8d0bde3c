/**
 * `@almanac/library/azure`: the storage interface over Azure Blob Storage (block blobs).
 *
 * - `@azure/storage-blob` (v12) is an optional peer dependency, loaded on first use; without it
 *   the first call fails with a `ConfigError` naming the package.
 * - Retries: idempotent requests are retried by the kit's `callProvider` on the injected clock; clients
 *   the adapter builds have the SDK's retries off (`retryOptions: { maxTries: 1 }`). An injected
 *   client keeps its own policy, so build it with `maxTries: 1` too.
 * - Writes up to `blockSize` are one `Put Blob`; larger ones are staged blocks committed at the
 *   end, so a failed or aborted upload leaves no blob. MD5 is the supported checksum.
 * - Reading a blob in the Archive tier fails with `ConflictError` (409 `BlobArchived`) until it is
 *   moved to Hot, Cool or Cold.
 * - Signed URLs are service SAS and need a shared key. Versioning is not supported.
 * - `deleteMany` uses `Blob Batch` (256 deletes per request).
 *
 * @packageDocumentation
 */
import { checkFactoryOptions } from '@almanac/core';
import type { OptionKeys } from '@almanac/core';
import { createStorage } from '../../facade/create-storage';
import type { Storage } from '../../facade/types';
import type { AzureSdkImporter } from './client';
import type { AzureStorageOptions } from './options';
import { createAzureStorageProvider } from './provider';

export type { AzureSdkImporter } from './client';
export type { AzureClientLike, AzureCredentialLike, AzureProviderOptions, AzureSharedKey, AzureStorageOptions } from './options';
export { AZURE_TIERS } from './write';
export { createAzureStorageProvider } from './provider';

/**
 * The bare Azure Blob adapter, under its old name.
 *
 * @deprecated Use {@link createAzureStorageProvider} (factories are named
 * `create<Provider><Domain>Provider`); this alias is removed in the next minor release.
 */
export const createAzureProvider: typeof createAzureStorageProvider = createAzureStorageProvider;

// Every option, so plain-JavaScript callers get "did you mean" for a misspelt one (the type keeps it complete).
const AZURE_STORAGE_OPTION_KEYS: OptionKeys<AzureStorageOptions> = { timeoutMs: true, onEvent: true, container: true, client: true, connectionString: true, accountUrl: true, credential: true, blockSize: true, concurrency: true, retry: true, clock: true, logger: true };

/**
 * A {@link Storage} over one Azure Blob container: {@link createAzureStorageProvider} wrapped by the
 * facade (validation, key rules, deadlines, audit events).
 *
 * @example
 * ```ts
 * const storage = createAzureStorage({ container: 'reports', connectionString });
 * await storage.write('2024/q1.csv', csv, { contentType: 'text/csv', storageClass: 'Cool' });
 * ```
 */
export function createAzureStorage(options: AzureStorageOptions, importer?: AzureSdkImporter): Storage {
  checkFactoryOptions(options, AZURE_STORAGE_OPTION_KEYS, { factory: 'createAzureStorage', provider: 'azure', required: ['container'] });
  const { timeoutMs, logger, clock, onEvent } = options;
  return createStorage(createAzureStorageProvider(options, importer), {
    ...(timeoutMs === undefined ? {} : { timeoutMs }),
    ...(logger === undefined ? {} : { logger }),
    ...(clock === undefined ? {} : { clock }),
    ...(onEvent === undefined ? {} : { onEvent }),
  });
}
