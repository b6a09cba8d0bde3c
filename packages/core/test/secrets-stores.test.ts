import { mkdtemp, readFile, readdir, rm, stat, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { AbortedError, AlmanacError, IntegrityError, ValidationError } from '../src/errors';
import {
  type AtomicFileSystem,
  type TokenStore,
  createEncryptedTokenStore,
  createFileTokenStore,
  createMemoryTokenStore,
  createTokenVault,
  generateKey,
} from '../src/secrets';

const CANARY = 'canary-access-token-5b1e8d';

let dir: string;
beforeEach(async () => {
  dir = await mkdtemp(join(tmpdir(), 'almanac-secrets-'));
});
afterEach(async () => {
  await rm(dir, { recursive: true, force: true });
});

/** The contract every TokenStore implementation must meet. */
function storeContract(name: string, create: () => TokenStore) {
  describe(`${name} contract`, () => {
    it('sets, gets, lists, overwrites and deletes', async () => {
      const store = create();
      expect(await store.get('a')).toBeUndefined();
      await store.set('b', 'two');
      await store.set('a', 'one');
      await store.set('a', 'uno');
      expect(await store.get('a')).toBe('uno');
      expect(await store.keys()).toEqual(['a', 'b']);
      expect(await store.delete('a')).toBe(true);
      expect(await store.delete('a')).toBe(false);
      expect(await store.get('a')).toBeUndefined();
      expect(await store.keys()).toEqual(['b']);
    });

    it('treats keys such as __proto__ as plain data', async () => {
      const store = create();
      await store.set('__proto__', 'p');
      await store.set('constructor', 'c');
      expect(await store.get('__proto__')).toBe('p');
      expect(await store.keys()).toEqual(['__proto__', 'constructor']);
    });

    it('validates keys and values, naming the field', async () => {
      const store = create();
      await expect(store.set('', 'v')).rejects.toMatchObject({ issues: [{ path: 'key' }] });
      await expect(store.set('k', 42 as unknown as string)).rejects.toMatchObject({ issues: [{ path: 'value' }] });
      await expect(store.get(undefined as unknown as string)).rejects.toBeInstanceOf(ValidationError);
    });

    it('rejects with AbortedError when the signal has already aborted, without writing', async () => {
      const store = create();
      const controller = new AbortController();
      controller.abort();
      await expect(store.set('k', 'v', { signal: controller.signal })).rejects.toBeInstanceOf(AbortedError);
      expect(await store.get('k')).toBeUndefined();
    });

    it('loses no update under concurrent sets', async () => {
      const store = create();
      await Promise.all(Array.from({ length: 40 }, (_, i) => store.set(`key-${String(i).padStart(2, '0')}`, `value-${i}`)));
      const keys = await store.keys();
      expect(keys).toHaveLength(40);
      for (let i = 0; i < 40; i++) expect(await store.get(`key-${String(i).padStart(2, '0')}`)).toBe(`value-${i}`);
    });
  });
}

storeContract('memory store', () => createMemoryTokenStore());
storeContract('file store', () => createFileTokenStore({ path: join(dir, 'tokens.json') }));
storeContract('encrypted store', () =>
  createEncryptedTokenStore({
    store: createMemoryTokenStore(),
    vault: createTokenVault({ currentKeyId: 'k1', keys: { k1: generateKey() } }),
  }),
);

describe('file token store', () => {
  it('writes the file with mode 0600, even under a permissive umask', async () => {
    const path = join(dir, 'tokens.json');
    // Worker threads cannot change the umask; the mode must still be exact under the default one.
    let previous: number | undefined;
    try {
      previous = process.umask(0o000);
    } catch {
      previous = undefined;
    }
    try {
      await createFileTokenStore({ path }).set('k', 'v');
    } finally {
      if (previous !== undefined) process.umask(previous);
    }
    expect((await stat(path)).mode & 0o777).toBe(0o600);
  });

  it('creates a missing parent directory', async () => {
    const path = join(dir, 'nested', 'deeper', 'tokens.json');
    await createFileTokenStore({ path }).set('k', 'v');
    expect(JSON.parse(await readFile(path, 'utf8'))).toEqual({ version: 1, tokens: { k: 'v' } });
  });

  it('persists across store instances', async () => {
    const path = join(dir, 'tokens.json');
    await createFileTokenStore({ path }).set('k', 'v');
    expect(await createFileTokenStore({ path }).get('k')).toBe('v');
  });

  it.each<[string, (real: AtomicFileSystem) => Partial<AtomicFileSystem>]>([
    [
      'the write of the temp file',
      (real) => ({
        async writeFile(path, data) {
          // Simulates a crash mid-write: half the data reaches the temp file, then failure.
          await real.writeFile(path, data.slice(0, data.length / 2));
          throw Object.assign(new Error('disk full'), { code: 'ENOSPC' });
        },
      }),
    ],
    [
      'the rename',
      () => ({
        async rename() {
          throw Object.assign(new Error('rename failed'), { code: 'EIO' });
        },
      }),
    ],
  ])('keeps the old file intact and removes the temp file when %s fails', async (_name, faults) => {
    const path = join(dir, 'tokens.json');
    await createFileTokenStore({ path }).set('old', 'value');
    const before = await readFile(path, 'utf8');

    const real = await realFileSystem();
    const failing = createFileTokenStore({ path, fileSystem: faults(real) });
    const error = await failing.set('new', 'value').catch((caught: unknown) => caught);
    expect(AlmanacError.isInstance(error)).toBe(true);
    expect((error as AlmanacError).operation).toBe('write');

    expect(await readFile(path, 'utf8')).toBe(before);
    expect(await readdir(dir)).toEqual(['tokens.json']);
    expect(await createFileTokenStore({ path }).get('new')).toBeUndefined();
    // The store still works once the fault is gone.
    expect(await failing.get('old')).toBe('value');
  });

  it('reports a corrupt file as IntegrityError without echoing its contents', async () => {
    const path = join(dir, 'tokens.json');
    await writeFile(path, `{"version":1,"tokens":{"k":"${CANARY}"`);
    const error = await createFileTokenStore({ path }).get('k').catch((caught: unknown) => caught);
    expect(error).toBeInstanceOf(IntegrityError);
    expect((error as Error).message).not.toContain(CANARY);
    expect(String((error as Error).cause)).not.toContain(CANARY);
  });

  it('rejects a missing path', () => {
    expect(() => createFileTokenStore({ path: '' })).toThrow(ValidationError);
  });

  it('does not run a queued operation whose signal aborts while it waits', async () => {
    const path = join(dir, 'tokens.json');
    const store = createFileTokenStore({ path });
    const controller = new AbortController();
    const first = store.set('first', '1');
    const second = store.set('second', '2', { signal: controller.signal }).catch((caught: unknown) => caught);
    controller.abort();
    await first;
    expect(await second).toBeInstanceOf(AbortedError);
    expect(await store.keys()).toEqual(['first']);
  });
});

describe('encrypted token store', () => {
  it('never lets the plaintext token reach the file', async () => {
    const path = join(dir, 'tokens.json');
    const vault = createTokenVault({ currentKeyId: 'k1', keys: { k1: generateKey() } });
    const store = createEncryptedTokenStore({ store: createFileTokenStore({ path }), vault });
    await store.set('user-1', CANARY);

    const bytes = await readFile(path);
    expect(bytes.includes(Buffer.from(CANARY))).toBe(false);
    expect(bytes.toString('utf8')).toMatch(/"user-1": "v1\.k1\./);
    expect(await store.get('user-1')).toBe(CANARY);
  });

  it('refuses an envelope moved to another key', async () => {
    const inner = createMemoryTokenStore();
    const vault = createTokenVault({ currentKeyId: 'k1', keys: { k1: generateKey() } });
    const store = createEncryptedTokenStore({ store: inner, vault });
    await store.set('alice', CANARY);
    await inner.set('mallory', (await inner.get('alice')) as string);
    await expect(store.get('mallory')).rejects.toBeInstanceOf(IntegrityError);
  });

  it('rotate re-encrypts only entries sealed with a retired key', async () => {
    const k1 = generateKey();
    const k2 = generateKey();
    const inner = createMemoryTokenStore();
    await createEncryptedTokenStore({ store: inner, vault: createTokenVault({ currentKeyId: 'k1', keys: { k1 } }) }).set('a', 'A');

    const store = createEncryptedTokenStore({ store: inner, vault: createTokenVault({ currentKeyId: 'k2', keys: { k1, k2 } }) });
    await store.set('b', 'B');
    expect(await store.rotate()).toBe(1);
    expect(await store.rotate()).toBe(0);
    expect((await inner.get('a'))?.startsWith('v1.k2.')).toBe(true);

    const k2Only = createEncryptedTokenStore({ store: inner, vault: createTokenVault({ currentKeyId: 'k2', keys: { k2 } }) });
    expect(await k2Only.get('a')).toBe('A');
    expect(await k2Only.get('b')).toBe('B');
  });

  it('validates its options', () => {
    const vault = createTokenVault({ currentKeyId: 'k1', keys: { k1: generateKey() } });
    expect(() => createEncryptedTokenStore({ store: {} as TokenStore, vault })).toThrow(/store/);
  });
});

/** Plain node file operations, used by fault-injection overrides to do part of the real work. */
async function realFileSystem(): Promise<AtomicFileSystem> {
  const { open, rename, unlink, readFile: read } = await import('node:fs/promises');
  return {
    readFile: (path) => read(path, 'utf8'),
    async writeFile(path, data) {
      const handle = await open(path, 'wx', 0o600);
      try {
        await handle.writeFile(data);
      } finally {
        await handle.close();
      }
    },
    rename,
    unlink,
    async syncDirectory() {},
  };
}
