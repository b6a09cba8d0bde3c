import { parse, silentLogger, systemClock } from '@almanac/core';
import { STORAGE_SPECIFICATION_VERSION } from '../../spec';
import type { StorageCapabilities, StorageProvider } from '../../spec';
import { hasSharedKey, lazyContainerClient } from './client';
import type { AzureSdkImporter } from './client';
import { createAzureContext } from './context';
import { copyBlob } from './copy';
import { deleteBlob, deleteBlobs } from './delete';
import { AZURE_PROVIDER } from './errors';
import { DEFAULT_BLOCK_SIZE, DEFAULT_CONCURRENCY, azureOptionsSchema } from './options';
import type { AzureProviderOptions } from './options';
import { containerPosture } from './posture';
import { listBlobs, readBlob, readBlobBytes, statBlob } from './read';
import { signBlobUrl } from './sas';
import { AZURE_TIERS, checkTier, writeBlob } from './write';

/**
 * Creates the Azure Blob {@link StorageProvider} for one container. Nothing is loaded or
 * requested until the first call. Versioning is reported as unsupported: azurite has none and
 * the adapter does not implement Azure's version ids yet.
 *
 * @param importer - Replaces the SDK import, for tests of the missing-package path.
 */
export function createAzureStorageProvider(options: AzureProviderOptions, importer?: AzureSdkImporter): StorageProvider {
  parse(azureOptionsSchema, options, { provider: AZURE_PROVIDER, operation: 'createAzureStorageProvider', path: 'options' });
  const blockSize = options.blockSize ?? DEFAULT_BLOCK_SIZE;
  const signing = hasSharedKey(options);
  const ctx = createAzureContext({
    load: lazyContainerClient({ ...options, importer }),
    clock: options.clock ?? systemClock,
    logger: options.logger ?? silentLogger,
    retry: options.retry,
    blockSize,
    concurrency: options.concurrency ?? DEFAULT_CONCURRENCY,
  });
  const capabilities: StorageCapabilities = {
    list: true,
    listDelimiter: true,
    rangeRead: true,
    multipartWrite: true,
    multipartMinSize: blockSize,
    signedRead: signing,
    signedWrite: signing,
    storageClass: true,
    storageClasses: AZURE_TIERS,
    versioning: false,
    tags: true,
    copy: true,
    conditionalWrite: true,
    checksums: ['md5'],
    maxKeyBytes: 1024,
    posture: true,
    restore: true,
  };
  return {
    name: AZURE_PROVIDER,
    specificationVersion: STORAGE_SPECIFICATION_VERSION,
    capabilities,
    listPage: (request) => listBlobs(ctx, request),
    stat: ({ key, signal }) => statBlob(ctx, key, signal),
    read: (request) => readBlob(ctx, request),
    readBytes: ({ key, signal }) => readBlobBytes(ctx, key, signal),
    write: (request) => writeBlob(ctx, request),
    delete: ({ key, signal }) => deleteBlob(ctx, key, signal),
    deleteMany: ({ keys, signal }) => deleteBlobs(ctx, keys, signal),
    copy: (request) => copyBlob(ctx, request),
    signedUrl: (request) => signBlobUrl(ctx, request),
    async setStorageClass({ key, storageClass, signal }) {
      checkTier(storageClass);
      const { container } = await ctx.load();
      const blob = container.getBlobClient(key);
      await ctx.call('setStorageClass', (abortSignal) => blob.setAccessTier(storageClass, { abortSignal }), { signal, idempotent: true, key });
    },
    async getTags({ key, signal }) {
      const { container } = await ctx.load();
      const blob = container.getBlobClient(key);
      const response = await ctx.call('getTags', (abortSignal) => blob.getTags({ abortSignal }), { signal, idempotent: true, key });
      return { ...response.tags };
    },
    async setTags({ key, tags, signal }) {
      const { container } = await ctx.load();
      const blob = container.getBlobClient(key);
      await ctx.call('setTags', (abortSignal) => blob.setTags({ ...tags }, { abortSignal }), { signal, idempotent: true, key });
    },
    posture: (request) => containerPosture(ctx, request?.signal),
    async restore({ key, signal, tier, storageClass }) {
      // Azure rehydrates by moving a blob out of the Archive tier, with a priority
      // (https://learn.microsoft.com/azure/storage/blobs/archive-rehydrate-overview). A blob not
      // in Archive is readable already (or rehydrating): nothing to start.
      const info = await statBlob(ctx, key, signal);
      if (info.storageClass !== 'Archive') return info.restore ?? { state: 'restored' };
      const target = storageClass ?? 'Hot';
      checkTier(target);
      const priority = tier === 'expedited' ? 'High' : 'Standard';
      const { container } = await ctx.load();
      const blob = container.getBlobClient(key);
      await ctx.call('restore', (abortSignal) => blob.setAccessTier(target as 'Hot', { abortSignal, rehydratePriority: priority }), {
        signal,
        idempotent: true,
        key,
      });
      return { state: 'in-progress', priority };
    },
  };
}
