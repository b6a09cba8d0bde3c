// Factories are named create<Provider><Domain> (the facade) and create<Provider><Domain>Provider
// (the bare adapter); the old adapter names stay one release as deprecated aliases.
import { describe, expect, it } from 'vitest';
import * as azure from '../src/adapters/azure';
import * as fs from '../src/adapters/fs';
import * as gcs from '../src/adapters/gcs';
import * as memory from '../src/adapters/memory';
import * as s3 from '../src/adapters/s3';

describe('adapter factory names', () => {
  it('keep the old provider factory names as aliases of the new ones', () => {
    expect(memory.createMemoryProvider).toBe(memory.createMemoryStorageProvider);
    expect(fs.createFsProvider).toBe(fs.createFsStorageProvider);
    expect(s3.createS3Provider).toBe(s3.createS3StorageProvider);
    expect(gcs.createGcsProvider).toBe(gcs.createGcsStorageProvider);
    expect(azure.createAzureProvider).toBe(azure.createAzureStorageProvider);
  });

  it('keep adapter internals (error mappers, defaults, provider-name constants) off the entry points', () => {
    const entries: Record<string, object> = { azure, fs, gcs, memory, s3 };
    const exported = Object.entries(entries).flatMap(([name, entry]) => Object.keys(entry).map((key) => `${name}.${key}`));
    expect(exported.filter((name) => /map\w*Error|^\w+\.DEFAULT_|MIN_PART_SIZE|_PROVIDER$|regionOf/.test(name))).toEqual([]);
  });
});
