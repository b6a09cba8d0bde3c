import { BlobServiceClient } from '@azure/storage-blob';
import { afterAll, beforeAll } from 'vitest';
import { createAzureStorage } from '../src/adapters/azure';
import { runStorageConformance } from '../src/testing';
import { startAzurite } from './support/azurite';
import type { Azurite } from './support/azurite';

let azurite: Azurite;
const container = 'conformance';

beforeAll(async () => {
  azurite = await startAzurite();
  await BlobServiceClient.fromConnectionString(azurite.connectionString).getContainerClient(container).create();
});

afterAll(async () => {
  await azurite?.stop();
});

// Nothing is skipped by name: [versioning] skips itself because the adapter declares
// `versioning: false` (azurite has no blob versioning, and the adapter does not implement it).
runStorageConformance({
  name: 'azure (azurite)',
  // Small blocks so the 21 MB large-object test goes through staged blocks with real parallelism.
  create: () => createAzureStorage({ container, connectionString: azurite.connectionString, blockSize: 4 * 1024 * 1024 }),
});
