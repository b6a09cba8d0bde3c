import { ConflictError, IntegrityError, createManualClock } from '@almanac/core';
import { afterAll, describe, expect, it } from 'vitest';
import { compareKeys, createMemoryStorageProvider, createMemoryStorage } from '../src/adapters/memory/index';
import type { MemoryProvider } from '../src/adapters/memory/index';
import { createStorage } from '../src/index';
import type { ListEntry } from '../src/spec';
import { md5Hex, patternBytes } from '../src/testing/index';

const providers: MemoryProvider[] = [];
afterAll(async () => {
  await Promise.all(providers.map((provider) => provider.close()));
});

function tracked(options: Parameters<typeof createMemoryStorageProvider>[0] = {}): MemoryProvider {
  const provider = createMemoryStorageProvider(options);
  providers.push(provider);
  return provider;
}

const names = (entries: readonly ListEntry[]) => entries.map((entry) => (entry.type === 'prefix' ? `${entry.prefix}*` : entry.key));

describe('memory listing', () => {
  it('lists in UTF-8 byte (code point) order, not UTF-16 order', async () => {
    const storage = createStorage(tracked());
    const keys = ['\u{1F600}', '\uFF21', 'z', 'a', 'é'];
    for (const key of keys) await storage.write(key, '');
    const listed = names(await storage.list().toArray());
    expect(listed).toEqual(['a', 'z', 'é', '\uFF21', '\u{1F600}']);
    const bytes = listed.map((key) => Buffer.from(key));
    expect([...bytes].sort(Buffer.compare).map(String)).toEqual(listed);
    expect(compareKeys('\uFF21', '\u{1F600}')).toBeLessThan(0);
  });

  it('resumes delimiter listings after a common prefix', async () => {
    const storage = createStorage(tracked());
    for (const key of ['a/1', 'a/2', 'a/3', 'b', 'c/1', 'd']) await storage.write(key, '');
    const pages = [];
    for await (const page of storage.list({ delimiter: '/', pageSize: 1 }).pages()) pages.push(names(page.entries));
    expect(pages).toEqual([['a/*'], ['b'], ['c/*'], ['d']]);
  });

  it('reflects writes and deletes between listings', async () => {
    const storage = createStorage(tracked());
    await storage.write('b', '');
    expect(names(await storage.list().toArray())).toEqual(['b']);
    await storage.write('a', '');
    await storage.write('c', '');
    await storage.delete('b');
    await storage.write('b', '');
    await storage.delete('c');
    expect(names(await storage.list().toArray())).toEqual(['a', 'b']);
  });

  // Throughput is measured in bench/library-listing.ts; tests make no timing assertions.
  it('lists 100,000 keys loaded in shuffled order, in key order, across pages', async () => {
    const provider = tracked();
    const storage = createStorage(provider);
    const body = new Uint8Array(0);
    // Load through the provider (skipping facade validation) in shuffled order, the hard case for the index.
    const order = Array.from({ length: 100_000 }, (_, i) => (i * 7_919) % 100_000);
    for (const i of order) await provider.write({ key: `bench/${String(i).padStart(6, '0')}`, body });
    let count = 0;
    let previous = '';
    let ordered = true;
    for await (const entry of storage.list({ prefix: 'bench/', pageSize: 1000 })) {
      if (entry.type !== 'object') continue;
      if (entry.key <= previous) ordered = false;
      previous = entry.key;
      count++;
    }
    expect(count).toBe(100_000);
    expect(ordered).toBe(true);
  }, 60_000);
});

describe('memory writes', () => {
  it('ifMatch on a missing key conflicts; ifNoneMatch on a missing key creates', async () => {
    const storage = createStorage(tracked());
    expect(ConflictError.isInstance(await storage.write('k', 'x', { ifMatch: '"nope"' }).catch((e: unknown) => e))).toBe(true);
    await storage.write('k', 'x', { ifNoneMatch: '*' });
    expect(await storage.readText('k')).toBe('x');
  });

  it('a checksum mismatch does not replace the previous object', async () => {
    const storage = createStorage(tracked());
    await storage.write('k', 'old');
    const error = await storage.write('k', 'new', { checksum: { algorithm: 'md5', value: md5Hex(patternBytes(4)) } }).catch((e: unknown) => e);
    expect(IntegrityError.isInstance(error)).toBe(true);
    expect(await storage.readText('k')).toBe('old');
  });

  it('stores a copy of the caller buffer', async () => {
    const storage = createStorage(tracked());
    const bytes = new Uint8Array([1, 2, 3]);
    await storage.write('k', bytes);
    bytes[0] = 9;
    expect([...(await storage.readBytes('k'))]).toEqual([1, 2, 3]);
  });

  it('reads past-the-end ranges as empty', async () => {
    const storage = createStorage(tracked());
    await storage.write('k', 'abc');
    expect(await storage.readText('k', { range: { start: 10 } })).toBe('');
    expect(await storage.readText('k', { range: { start: 1, end: 99 } })).toBe('bc');
  });
});

describe('memory versioning', () => {
  it('adds delete markers while enabled and keeps one null version while suspended', async () => {
    const storage = createStorage(tracked());
    await storage.write('k', 'unversioned');
    await storage.setVersioning(true);
    await storage.write('k', 'v1');
    await storage.delete('k');
    const versions = [];
    for await (const version of storage.listVersions({ prefix: 'k' })) versions.push(version);
    expect(versions.map((version) => [version.deleteMarker, version.isLatest])).toEqual([
      [true, true],
      [false, false],
    ]);
    await storage.setVersioning(false);
    await storage.write('k', 'a');
    await storage.write('k', 'b');
    const after = [];
    for await (const version of storage.listVersions({ prefix: 'k' })) after.push(version);
    expect(after.filter((version) => version.versionId === 'null')).toHaveLength(1);
  });
});

describe('memory signed URLs', () => {
  it('refuses tampered URLs, other methods and mismatched content types', async () => {
    const storage = createStorage(tracked());
    await storage.write('secret.txt', 'hidden');
    const url = new URL(await storage.signedUrl('secret.txt', { action: 'read', expiresIn: 60 }));
    expect((await fetch(url)).status).toBe(200);
    const other = new URL(url);
    other.pathname = '/o/other.txt';
    expect((await fetch(other)).status).toBe(403);
    expect((await fetch(url, { method: 'PUT', body: 'x' })).status).toBe(403);
    const write = await storage.signedUrl('upload.txt', { action: 'write', expiresIn: 60, contentType: 'text/plain' });
    expect((await fetch(write, { method: 'PUT', body: 'x', headers: { 'content-type': 'text/html' } })).status).toBe(403);
    expect(await storage.exists('upload.txt')).toBe(false);
  });

  it('expires on the injected clock', async () => {
    const clock = createManualClock(Date.UTC(2026, 0, 1));
    const storage = createMemoryStorage({ clock });
    providers.push(storage.provider as MemoryProvider);
    await storage.write('k', 'v');
    const url = await storage.signedUrl('k', { action: 'read', expiresIn: 10 });
    expect((await fetch(url)).status).toBe(200);
    clock.set(Date.UTC(2026, 0, 1) + 10_001);
    expect((await fetch(url)).status).toBe(403);
  });
});

describe('createMemoryStorage', () => {
  it('validates its options, naming the field', () => {
    expect(() => createMemoryStorageProvider({ storageClasses: [] })).toThrow(/options\.storageClasses/);
    expect(() => createMemoryStorage({ maxKeyBytes: 0 })).toThrow(/options\.maxKeyBytes/);
  });

  it('accepts custom storage classes and passes facade options on', async () => {
    const events: string[] = [];
    const storage = createMemoryStorage({ storageClasses: ['HOT', 'COLD'], onEvent: (event) => events.push(event.action) });
    providers.push(storage.provider as MemoryProvider);
    const info = await storage.write('k', 'x');
    expect(info.storageClass).toBe('HOT');
    await storage.setStorageClass('k', 'COLD');
    expect((await storage.stat('k')).storageClass).toBe('COLD');
    expect(events).toEqual(['write', 'setStorageClass', 'stat']);
    expect((await storage.posture())[0]?.severity).toBe('info');
  });
});
