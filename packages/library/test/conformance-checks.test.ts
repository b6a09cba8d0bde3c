// The conformance suite's capability checks must catch a provider that misdeclares itself;
// otherwise a green [declarations]/[capabilities] run would prove nothing.
import { describe, expect, it } from 'vitest';
import { createMemoryStorageProvider } from '../src/adapters/memory/index';
import { createStorage } from '../src/index';
import type { Storage } from '../src/index';
import type { StorageCapabilities, StorageProvider } from '../src/spec';
import { checkDeclarations, checkRefusals } from '../src/testing/conformance/capabilities';

const key = (name: string) => `checks/${name}`;

function storageOf(capabilities: Partial<StorageCapabilities> = {}, change: (provider: StorageProvider) => StorageProvider = (p) => p) {
  return createStorage(change(createMemoryStorageProvider({ name: 'liar', capabilities })));
}

describe('conformance capability checks', () => {
  it('pass for an honest provider, with everything or almost nothing declared', async () => {
    const full = storageOf();
    checkDeclarations(full);
    await checkRefusals(full, key);
    const { deleteMany: _batch, copy: _copy, ...bare } = createMemoryStorageProvider({
      name: 'bare',
      capabilities: { copy: false, tags: false, versioning: false, posture: false, storageClass: false, storageClasses: [], checksums: [] },
    });
    const minimal = createStorage(bare as StorageProvider);
    checkDeclarations(minimal);
    await checkRefusals(minimal, key);
  });

  it('catch a declared capability whose method is missing', async () => {
    const { copy: _copy, ...withoutCopy } = createMemoryStorageProvider({ name: 'liar' });
    await expect(checkRefusals(createStorage(withoutCopy as StorageProvider), key)).rejects.toThrow(/copy: declared, but the provider has no copy/);
  });

  it('catch a checksum algorithm the facade does not refuse', async () => {
    const storage = storageOf({ checksums: [] });
    // A facade that drops the checksum option writes instead of refusing it.
    const permissive: Storage = { ...storage, write: (k, body) => storage.write(k, body) };
    await expect(checkRefusals(permissive, key)).rejects.toThrow(/expected the call to fail/);
  });

  it('catch flags that contradict each other', () => {
    expect(() => checkDeclarations(storageOf({ storageClass: false }))).toThrow(/storageClasses is non-empty exactly when storageClass/);
    expect(() => checkDeclarations(storageOf({ multipartWrite: false }))).toThrow(/multipartMinSize is 0/);
    expect(() => checkDeclarations(storageOf({ list: false }))).toThrow(/listDelimiter refines list/);
    expect(() => checkDeclarations(storageOf({ rangeRead: 'yes' as unknown as boolean }))).toThrow(/capabilities\.rangeRead/);
  });
});
