import { createMemoryStorageProvider, createMemoryStorage } from '../src/adapters/memory/index';
import type { MemoryProvider } from '../src/adapters/memory/index';
import { createStorage } from '../src/index';
import { runStorageConformance } from '../src/testing/index';
import { NO_CAPABILITIES } from './support/fixtures';

runStorageConformance({
  name: 'memory',
  create: () => createMemoryStorage(),
  // Stops the signed-URL server the suite's signed tests started.
  destroy: (storage) => (storage.provider as MemoryProvider).close(),
});

// The same suite against a provider declaring almost nothing: proves the capability gates and the
// facade's fallbacks (move without copy, deleteMany without a batch call).
runStorageConformance({
  name: 'memory (minimal capabilities)',
  create: () => {
    const { deleteMany: _batch, ...provider } = createMemoryStorageProvider({
      name: 'memory-minimal',
      // Listing stays: the suite needs it to clean up.
      capabilities: { ...NO_CAPABILITIES, list: true, maxKeyBytes: 512 },
    });
    return createStorage(provider);
  },
});
