import { createMemoryStorageProvider, createMemoryStorage } from '../src/adapters/memory/index';
import type { MemoryProvider } from '../src/adapters/memory/index';
import { createStorage } from '../src/facade/index';
import type { Storage } from '../src/facade/index';
import { runStorageConformance } from '../src/testing/index';

let storage: Storage | undefined;

runStorageConformance({
  name: 'memory',
  create: () => {
    storage = createMemoryStorage();
    return storage;
  },
  destroy: () => (storage?.provider as MemoryProvider | undefined)?.close(),
});

// The same suite against a provider declaring almost nothing: proves the capability gates and the
// facade's fallbacks (move without copy, deleteMany without a batch call).
runStorageConformance({
  name: 'memory (minimal capabilities)',
  create: () => {
    const { deleteMany: _batch, ...provider } = createMemoryStorageProvider({
      name: 'memory-minimal',
      capabilities: {
        listDelimiter: false,
        rangeRead: false,
        multipartWrite: false,
        multipartMinSize: 0,
        signedRead: false,
        signedWrite: false,
        storageClass: false,
        storageClasses: [],
        versioning: false,
        tags: false,
        copy: false,
        conditionalWrite: false,
        checksums: [],
        posture: false,
        maxKeyBytes: 512,
      },
    });
    return createStorage(provider);
  },
});
