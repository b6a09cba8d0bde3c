import { mkdtemp, readFile, readdir, rm, stat, utimes, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { AbortedError, ConflictError, IntegrityError, NotFoundError, ProviderError, ValidationError } from '@almanac/core';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createFsStorageProvider, createFsStorage } from '../src/adapters/fs';
import { decodeName, encodeName } from '../src/adapters/fs/key-path';
import type { ListEntry, StorageProvider } from '../src/spec';
import { rejection } from './support/fixtures';

let root = '';
beforeEach(async () => {
  root = await mkdtemp(join(tmpdir(), 'almanac-fs-'));
});
afterEach(async () => {
  await rm(root, { recursive: true, force: true });
});

const bytes = (text: string) => new TextEncoder().encode(text);
async function text(provider: StorageProvider, key: string, range?: { start: number; end?: number }): Promise<string> {
  const { body } = await provider.read(range ? { key, range } : { key });
  return new Response(body).text();
}
/** Every file under a directory, relative, for asserting what is on disk. */
async function filesUnder(dir: string): Promise<string[]> {
  const entries = await readdir(dir, { recursive: true, withFileTypes: true });
  return entries.filter((e) => e.isFile()).map((e) => join(e.parentPath, e.name).slice(dir.length + 1));
}
async function listAll(provider: StorageProvider, prefix: string, delimiter?: string, limit?: number): Promise<string[]> {
  const out: string[] = [];
  let cursor: string | undefined;
  do {
    const page = await provider.listPage({ prefix, ...(delimiter ? { delimiter } : {}), ...(limit ? { limit } : {}), ...(cursor ? { cursor } : {}) });
    out.push(...page.entries.map((e: ListEntry) => (e.type === 'object' ? e.key : `[${e.prefix}]`)));
    cursor = page.nextCursor;
  } while (cursor !== undefined);
  return out;
}

describe('fs keys', () => {
  it.each(['../etc/passwd', 'a/../../b', '/abs', 'a/./b', 'a\0b', '..', 'x/..'])('rejects %j with ValidationError naming key', async (key) => {
    const provider = createFsStorageProvider({ root });
    for (const call of [provider.write({ key, body: bytes('x') }), provider.read({ key }), provider.stat({ key }), provider.delete({ key })]) {
      const error = await rejection(call);
      expect(ValidationError.isInstance(error)).toBe(true);
      expect((error as ValidationError).issues[0]?.path).toBe('key');
    }
    expect(await filesUnder(root)).toEqual([]);
  });

  it('names copy endpoints in errors', async () => {
    const provider = createFsStorageProvider({ root });
    const error = await rejection(provider.copy?.({ from: 'ok', to: '../escape' }) ?? Promise.resolve());
    expect((error as ValidationError).issues[0]?.path).toBe('to');
  });

  it('round-trips awkward keys through the disk and the listing', async () => {
    const provider = createFsStorageProvider({ root });
    const keys = ['a', 'a/b', 'a//b', 'a/', 'sp ace/x+y%z', 'ünï/cødé', '.hidden', 'trailing.', 'emoji/😀', 'a-b', 'a/b/c', `long/${'x'.repeat(900)}`, `${'é'.repeat(300)}/y`];
    for (const key of keys) await provider.write({ key, body: bytes(key) });
    for (const key of keys) expect(await text(provider, key)).toBe(key);
    const sorted = [...keys].sort((x, y) => Buffer.compare(Buffer.from(x), Buffer.from(y)));
    expect(await listAll(provider, '')).toEqual(sorted);
    expect(await listAll(provider, '', undefined, 2)).toEqual(sorted);
    // No name on disk exceeds what filesystems allow, and no plain name starts with a dot.
    for (const file of await filesUnder(root)) for (const part of file.split('/')) expect(Buffer.byteLength(part)).toBeLessThanOrEqual(255);
  });

  it('encodes names reversibly and never as dot-names', () => {
    for (const name of ['', '.', '..', '.x', 'x.', 'a b', '%', '%2F', 'C:', 'ü', 'a/']) {
      const encoded = encodeName(name);
      expect(encoded.startsWith('.')).toBe(false);
      expect(encoded).not.toMatch(/[/\\:*?"<>|]/);
      expect(decodeName(encoded)).toBe(name);
    }
    // Hand-made files that do not re-encode to themselves are not objects.
    expect(decodeName('a b')).toBeUndefined();
    expect(decodeName('100%')).toBeUndefined();
  });
});

describe('fs atomic writes', () => {
  it('leaves neither the object nor a temp file when the rename fails', async () => {
    const provider = createFsStorageProvider({
      root,
      hooks: {
        beforeRename() {
          throw Object.assign(new Error('disk died'), { code: 'EIO' });
        },
      },
    });
    const error = await rejection(provider.write({ key: 'dir/file.txt', body: bytes('content') }));
    expect(ProviderError.isInstance(error)).toBe(true);
    expect(await filesUnder(root)).toEqual([]);
    expect(NotFoundError.isInstance(await rejection(provider.stat({ key: 'dir/file.txt' })))).toBe(true);
  });

  it('keeps the previous version intact when a rewrite fails mid-stream', async () => {
    let fail = false;
    const provider = createFsStorageProvider({
      root,
      hooks: {
        beforeChunk(_temp, index) {
          if (fail && index === 1) throw new Error('crash');
        },
      },
    });
    await provider.write({ key: 'k', body: bytes('old'), metadata: { v: '1' } });
    fail = true;
    const body = new ReadableStream<Uint8Array>({
      start(controller) {
        controller.enqueue(bytes('new-1'));
        controller.enqueue(bytes('new-2'));
        controller.close();
      },
    });
    await rejection(provider.write({ key: 'k', body }));
    expect(await text(provider, 'k')).toBe('old');
    expect((await provider.stat({ key: 'k' })).metadata).toEqual({ v: '1' });
    expect((await filesUnder(root)).sort()).toEqual(['.almanac/meta/.k.meta.json', 'k']);
  });

  it('aborting mid-upload fails with AbortedError and leaves nothing', async () => {
    const provider = createFsStorageProvider({ root });
    const controller = new AbortController();
    const body = new ReadableStream<Uint8Array>({
      start(c) {
        c.enqueue(bytes('partial'));
        setTimeout(() => controller.abort(), 10);
      },
    });
    const error = await rejection(provider.write({ key: 'x/y', body, signal: controller.signal }));
    expect(AbortedError.isInstance(error)).toBe(true);
    expect(await filesUnder(root)).toEqual([]);
  });

  it('never shows a concurrent reader partial content', async () => {
    const provider = createFsStorageProvider({ root });
    const a = new Uint8Array(256 * 1024).fill(97);
    const b = new Uint8Array(256 * 1024).fill(98);
    await provider.write({ key: 'hot', body: a });
    const contents = new Set<string>();
    let writing = true;
    const writer = (async () => {
      for (let i = 0; i < 20; i++) await provider.write({ key: 'hot', body: i % 2 ? a : b });
      writing = false;
    })();
    while (writing) {
      const { body } = await provider.read({ key: 'hot' });
      const data = new Uint8Array(await new Response(body).arrayBuffer());
      expect(data.length).toBe(a.length);
      contents.add(`${data[0]}-${data[data.length - 1]}`);
      expect(data[0]).toBe(data[data.length - 1]);
    }
    await writer;
    expect([...contents].every((c) => c === '97-97' || c === '98-98')).toBe(true);
  });

  it('sweeps stale temp files left by a crash, and listing never shows them', async () => {
    const provider = createFsStorageProvider({ root });
    await provider.write({ key: 'd/real', body: bytes('1') });
    // Temp files live in the adapter's folder; a user's own `.tmp-` file in the tree is an object.
    const stale = join(root, '.almanac', 'tmp', '.tmp-crashed');
    await writeFile(stale, 'half');
    await utimes(stale, new Date(0), new Date(0));
    await writeFile(join(root, '.almanac', 'tmp', '.tmp-in-flight'), 'writing');
    await writeFile(join(root, 'd', '.tmp-mine'), 'user data');
    expect(await listAll(provider, '')).toEqual(['d/.tmp-mine', 'd/real']);
    expect(await provider.sweepTempFiles()).toBe(1);
    expect((await readdir(join(root, '.almanac', 'tmp'))).sort()).toEqual(['.tmp-in-flight']);
    expect((await readdir(join(root, 'd'))).sort()).toEqual(['.tmp-mine', 'real']);
  });

  it('verifies checksums before the rename: a mismatch stores nothing', async () => {
    const provider = createFsStorageProvider({ root });
    const error = await rejection(provider.write({ key: 'c', body: bytes('abc'), checksum: { algorithm: 'md5', value: '0'.repeat(32) } }));
    expect(IntegrityError.isInstance(error)).toBe(true);
    expect(await filesUnder(root)).toEqual([]);
    const info = await provider.write({ key: 'c', body: bytes('abc'), checksum: { algorithm: 'md5', value: '900150983cd24fb0d6963f7d28e17f72' } });
    expect(info.checksum).toEqual({ algorithm: 'sha256', value: 'ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad' });
  });

  it('ifNoneMatch creates only once, even under concurrency; ifMatch needs the current etag', async () => {
    const provider = createFsStorageProvider({ root });
    const results = await Promise.allSettled(Array.from({ length: 8 }, (_, i) => provider.write({ key: 'once', body: bytes(`w${i}`), ifNoneMatch: '*' })));
    expect(results.filter((r) => r.status === 'fulfilled')).toHaveLength(1);
    expect(results.filter((r) => r.status === 'rejected' && ConflictError.isInstance(r.reason))).toHaveLength(7);
    const { etag } = await provider.stat({ key: 'once' });
    const next = await provider.write({ key: 'once', body: bytes('v2'), ifMatch: `"${etag}"` });
    expect(ConflictError.isInstance(await rejection(provider.write({ key: 'once', body: bytes('v3'), ifMatch: etag as string })))).toBe(true);
    expect(await text(provider, 'once')).toBe('v2');
    expect(next.etag).not.toBe(etag);
    expect((await filesUnder(root)).sort()).toEqual(['.almanac/meta/.once.meta.json', 'once']);
  });
});

describe('fs sidecar', () => {
  it('round-trips content type, metadata and tags, and is never listed', async () => {
    const provider = createFsStorageProvider({ root });
    await provider.write({ key: 'docs/a.txt', body: bytes('hello'), contentType: 'text/plain', metadata: { Owner: 'ada' } });
    await provider.setTags?.({ key: 'docs/a.txt', tags: { team: 'x' } });
    const info = await provider.stat({ key: 'docs/a.txt' });
    expect(info).toMatchObject({ key: 'docs/a.txt', size: 5, contentType: 'text/plain', metadata: { owner: 'ada' } });
    expect(await provider.getTags?.({ key: 'docs/a.txt' })).toEqual({ team: 'x' });
    // The data file is at its natural path; the sidecar is out of the way under `.almanac/meta`.
    expect(await readFile(join(root, 'docs', 'a.txt'), 'utf8')).toBe('hello');
    const sidecar = JSON.parse(await readFile(join(root, '.almanac', 'meta', 'docs%2F', '.a.txt.meta.json'), 'utf8'));
    expect(sidecar).toMatchObject({ key: 'docs/a.txt', contentType: 'text/plain', tags: { team: 'x' } });
    expect(await listAll(provider, '')).toEqual(['docs/a.txt']);
    const copied = await provider.copy?.({ from: 'docs/a.txt', to: 'docs/b.txt' });
    expect(copied).toMatchObject({ contentType: 'text/plain', metadata: { owner: 'ada' }, etag: info.etag });
    expect(await provider.getTags?.({ key: 'docs/b.txt' })).toEqual({ team: 'x' });
  });

  it('ignores a stale sidecar: a file replaced by hand shows no old metadata', async () => {
    const provider = createFsStorageProvider({ root });
    await provider.write({ key: 'f', body: bytes('one'), contentType: 'text/plain' });
    await rm(join(root, 'f'));
    await writeFile(join(root, 'f'), 'other');
    const info = await provider.stat({ key: 'f' });
    expect(info.contentType).toBeUndefined();
    expect(info.size).toBe(5);
    expect(info.etag).toMatch(/^w-/);
  });

  it('a listing describes files exactly as stat does (number stats in listings, bigint in stat), for placed and written files', async () => {
    const provider = createFsStorageProvider({ root });
    await writeFile(join(root, 'placed.bin'), 'by hand');
    // A sub-millisecond mtime: the etag and lastModified must agree to the microsecond.
    await utimes(join(root, 'placed.bin'), 1_700_000_000.123456, 1_700_000_000.123456);
    await provider.write({ key: 'written.txt', body: bytes('by adapter'), contentType: 'text/plain', metadata: { a: '1' } });
    const page = await provider.listPage({ prefix: '' });
    for (const key of ['placed.bin', 'written.txt']) {
      const listed = page.entries.find((entry) => entry.type === 'object' && entry.key === key);
      const { type: _object, ...described } = listed as Extract<ListEntry, { type: 'object' }>;
      expect(described).toEqual(await provider.stat({ key }));
    }
    const placed = await provider.stat({ key: 'placed.bin' });
    expect(placed.lastModified.getTime()).toBe(1_700_000_000_123);
    expect(placed.etag).toMatch(/^w-\d+-7-1700000000123456$/);
    // Rewritten in place with the same size, a millisecond later: another etag.
    await writeFile(join(root, 'placed.bin'), 'BY HAND');
    await utimes(join(root, 'placed.bin'), 1_700_000_000.124456, 1_700_000_000.124456);
    const rewritten = (await provider.listPage({ prefix: 'placed' })).entries[0];
    expect(rewritten).toMatchObject({ key: 'placed.bin', size: 7 });
    expect((rewritten as { etag?: string }).etag).not.toBe(placed.etag);
  });

  it('deletes data and sidecar and prunes empty directories', async () => {
    const provider = createFsStorageProvider({ root });
    await provider.write({ key: 'p/q/r', body: bytes('1') });
    await provider.write({ key: `p/${'z'.repeat(400)}/r`, body: bytes('2') });
    const result = await provider.deleteMany?.({ keys: ['p/q/r', `p/${'z'.repeat(400)}/r`, 'missing'] });
    expect(result?.failed).toEqual([]);
    expect(await readdir(root)).toEqual(['.almanac']);
    expect(await readdir(join(root, '.almanac', 'meta'))).toEqual([]);
  });
});

describe('fs listing', () => {
  it('lists in key order with prefix, delimiter and cursor', async () => {
    const provider = createFsStorageProvider({ root });
    const keys = ['a', 'a-b', 'a/1', 'a/2/x', 'a/2/y', 'a/3', 'a0', 'b/c', 'b/d/e', 'ba'];
    for (const key of [...keys].reverse()) await provider.write({ key, body: bytes(key) });
    expect(await listAll(provider, '')).toEqual(keys);
    expect(await listAll(provider, '', undefined, 1)).toEqual(keys);
    expect(await listAll(provider, '', '/')).toEqual(['a', 'a-b', '[a/]', 'a0', '[b/]', 'ba']);
    expect(await listAll(provider, 'a/', '/', 1)).toEqual(['a/1', '[a/2/]', 'a/3']);
    expect(await listAll(provider, 'a', '/', 2)).toEqual(['a', 'a-b', '[a/]', 'a0']);
    expect(await listAll(provider, 'b', '-')).toEqual(['b/c', 'b/d/e', 'ba']);
    expect(await listAll(provider, 'a/2')).toEqual(['a/2/x', 'a/2/y']);
    expect(await listAll(provider, 'nothing/here/')).toEqual([]);
    const page = await provider.listPage({ prefix: '', cursor: 'a/2/x', limit: 2 });
    expect(page.entries.map((e) => (e.type === 'object' ? e.key : e.prefix))).toEqual(['a/2/y', 'a/3']);
    expect(page.nextCursor).toBe('a/3');
  });

  it('pages a large flat directory with bounded batches', async () => {
    const provider = createFsStorageProvider({ root });
    const keys = Array.from({ length: 300 }, (_, i) => `flat/${String(i).padStart(4, '0')}`);
    await Promise.all(keys.map((key) => provider.write({ key, body: new Uint8Array(0) })));
    expect(await listAll(provider, 'flat/', undefined, 7)).toEqual(keys);
  });
});

describe('fs listing of settled directories (window cache)', () => {
  it('stays exact across pages when the directory changes between them', async () => {
    const provider = createFsStorageProvider({ root });
    // More than one window (8 batches of 16) so pages are served from cached windows and across their ends.
    const keys = Array.from({ length: 300 }, (_, i) => `w/${String(i * 2).padStart(4, '0')}`);
    await Promise.all(keys.map((key) => provider.write({ key, body: new Uint8Array(0) })));
    // An old mtime makes the directory eligible for caching, as it is after five quiet seconds.
    await utimes(join(root, 'w'), new Date(0), new Date(0));
    expect(await listAll(provider, 'w/', undefined, 5)).toEqual(keys);
    const first = await provider.listPage({ prefix: 'w/', limit: 5 });
    await provider.write({ key: 'w/0003', body: new Uint8Array(0) });
    await provider.delete({ key: 'w/0010' });
    const second = await provider.listPage({ prefix: 'w/', limit: 5, cursor: first.nextCursor as string });
    expect(second.entries.map((e) => (e.type === 'object' ? e.key : ''))).toEqual(['w/0012', 'w/0014', 'w/0016', 'w/0018', 'w/0020']);
    await utimes(join(root, 'w'), new Date(0), new Date(0));
    expect(await listAll(provider, 'w/', undefined, 7)).toEqual([...keys.slice(0, 2), 'w/0003', ...keys.slice(2)].filter((k) => k !== 'w/0010'));
    // A cached window must not hide a later page's change either.
    const page = await provider.listPage({ prefix: 'w/', limit: 5, cursor: 'w/0100' });
    await provider.write({ key: 'w/0111', body: new Uint8Array(0) });
    const next = await provider.listPage({ prefix: 'w/', limit: 5, cursor: page.nextCursor as string });
    expect(next.entries.map((e) => (e.type === 'object' ? e.key : ''))).toEqual(['w/0111', 'w/0112', 'w/0114', 'w/0116', 'w/0118']);
    const all = await listAll(provider, 'w/', undefined, 7);
    expect(all.length).toBe(301);
    expect(all).toEqual([...keys.slice(0, 2), 'w/0003', ...keys.slice(2)].filter((k) => k !== 'w/0010').concat('w/0111').sort());
  });
});

describe('createFsStorage', () => {
  it('accepts a 1,024-byte key through the facade and rejects 1,025', async () => {
    const storage = createFsStorage({ root });
    const key = `long/é${'k'.repeat(1024 - 'long/é'.length - 1)}`;
    expect(Buffer.byteLength(key)).toBe(1024);
    await storage.write(key, 'long');
    expect(await storage.readText(key)).toBe('long');
    expect(ValidationError.isInstance(await rejection(storage.write(`${key}k`, 'x')))).toBe(true);
    const listed: string[] = [];
    for await (const entry of storage.list({ prefix: 'long/' })) if (entry.type === 'object') listed.push(entry.key);
    expect(listed).toEqual([key]);
  });

  it('wires the provider through the facade', async () => {
    const storage = createFsStorage({ root });
    await storage.write('x/y.txt', 'hi', { contentType: 'text/plain' });
    expect(await storage.readText('x/y.txt')).toBe('hi');
    expect(storage.supports('signedRead')).toBe(false);
    expect(storage.supports('tags')).toBe(true);
    expect(createFsStorage({ root, signingSecret: 's3cret', baseUrl: 'http://127.0.0.1:1/files' }).supports('signedWrite')).toBe(true);
    expect((await stat(join(root, 'x', 'y.txt'))).size).toBe(2);
  });

  it('rejects bad options naming the field', () => {
    const error = (() => {
      try {
        createFsStorageProvider({ root: '' });
      } catch (e) {
        return e;
      }
    })();
    expect(ValidationError.isInstance(error)).toBe(true);
    expect((error as ValidationError).issues[0]?.path).toBe('options.root');
  });
});
