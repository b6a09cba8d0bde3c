// The Azure adapter against what Blob Storage documents and the adapter did not do (issue 10):
// - metadata values are HTTP headers, ASCII only; non-ASCII values "should be Base64-encoded or
//   URL-encoded": https://learn.microsoft.com/en-us/training/modules/work-azure-blob-storage/5-manage-container-properties-metadata-dotnet
// - a block blob holds at most 50,000 blocks of at most 4,000 MiB:
//   https://learn.microsoft.com/azure/storage/blobs/scalability-targets
// - a range starting past the end answers 416 InvalidRange: https://learn.microsoft.com/rest/api/storageservices/specifying-the-range-header-for-blob-service-operations
import { ValidationError } from '@almanac/core';
import { BlobServiceClient } from '@azure/storage-blob';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createAzureStorage, createAzureStorageProvider } from '../src/adapters/azure';
import { decodeMetadataValue, encodeMetadataValue } from '../src/adapters/azure/metadata';
import { MAX_BLOCKS, MAX_BLOCK_SIZE, blockSizeFor } from '../src/adapters/azure/write';
import type { Storage } from '../src/index';
import { startAzurite } from './support/azurite';
import type { Azurite } from './support/azurite';

const MiB = 1024 * 1024;
let azurite: Azurite;
let storage: Storage;

beforeAll(async () => {
  azurite = await startAzurite();
  const service = BlobServiceClient.fromConnectionString(azurite.connectionString, { retryOptions: { maxTries: 1 } });
  await service.getContainerClient('real').create();
  storage = createAzureStorage({ container: 'real', connectionString: azurite.connectionString });
}, 60_000);

afterAll(async () => {
  await azurite?.stop();
});

describe('azure metadata encoding', () => {
  it('round-trips non-ASCII values, sending only ASCII headers', async () => {
    const metadata = { owner: 'Zoë Ågren', city: '東京', looks: '=?UTF-8?B?aGk=?=' };
    await storage.write('meta/unicode.txt', 'x', { metadata });
    expect((await storage.stat('meta/unicode.txt')).metadata).toMatchObject(metadata);
    const raw = await BlobServiceClient.fromConnectionString(azurite.connectionString).getContainerClient('real').getBlobClient('meta/unicode.txt').getProperties();
    for (const value of Object.values(raw.metadata ?? {})) expect(value).toMatch(/^[\x20-\x7e]*$/);
  });

  it('leaves plain ASCII values as they are and encodes values that look encoded', () => {
    expect(encodeMetadataValue('plain')).toBe('plain');
    expect(decodeMetadataValue(encodeMetadataValue('=?UTF-8?B?aGk=?='))).toBe('=?UTF-8?B?aGk=?=');
    expect(decodeMetadataValue(encodeMetadataValue('ü'))).toBe('ü');
  });
});

describe('azure ranges past the end', () => {
  it('reads an empty body, as S3 and GCS do, instead of a ValidationError from the 416', async () => {
    await storage.write('range/ten.txt', '0123456789');
    expect((await storage.readBytes('range/ten.txt', { range: { start: 10 } })).byteLength).toBe(0);
    expect((await storage.readBytes('range/ten.txt', { range: { start: 20, end: 30 } })).byteLength).toBe(0);
    await expect(storage.readBytes('range/missing.txt', { range: { start: 20 } })).rejects.toMatchObject({ code: 'not_found' });
  });
});

describe('azure block limits', () => {
  it('grows the block size with a known body so it fits 50,000 blocks, and fails fast past the largest blob', () => {
    expect(blockSizeFor(8 * MiB, 100 * MiB, 'k')).toBe(8 * MiB);
    const total = 1024 * 1024 * MiB; // 1 TiB: 8 MiB blocks would need 131,072
    const grown = blockSizeFor(8 * MiB, total, 'k');
    expect(grown * MAX_BLOCKS).toBeGreaterThanOrEqual(total);
    expect(grown % MiB).toBe(0);
    expect(() => blockSizeFor(8 * MiB, MAX_BLOCKS * MAX_BLOCK_SIZE + 1, 'k')).toThrow(/50,000 blocks of 4,000 MiB/);
  });

  it('refuses a block size under 1 MiB, naming the field', () => {
    let error: unknown;
    try {
      createAzureStorageProvider({ container: 'real', connectionString: azurite.connectionString, blockSize: 1024 });
    } catch (caught) {
      error = caught;
    }
    expect(ValidationError.isInstance(error) || (error as { code?: string }).code === 'config').toBe(true);
    expect(JSON.stringify((error as { issues?: unknown }).issues)).toContain('options.blockSize');
  });
});

describe('azure restore (rehydration, https://learn.microsoft.com/azure/storage/blobs/archive-rehydrate-overview)', () => {
  it('rehydrates an archived blob with the requested priority, and reports a blob not in Archive as restored', async () => {
    await storage.write('cold/a.bin', 'archived', { storageClass: 'Archive' });
    expect(storage.supports('restore')).toBe(true);
    expect(await storage.restore('cold/a.bin', { tier: 'expedited' })).toEqual({ state: 'in-progress', priority: 'High' });
    await storage.write('cold/hot.bin', 'hot', { storageClass: 'Hot' });
    expect(await storage.restore('cold/hot.bin')).toEqual({ state: 'restored' });
    await expect(storage.restore('cold/missing.bin')).rejects.toMatchObject({ code: 'not_found' });
  });
});
