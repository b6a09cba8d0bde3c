import { createHash, randomUUID } from 'node:crypto';
import { AbortedError, CapabilityError, ConflictError, IntegrityError, NotFoundError, ValidationError } from '@almanac/core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { TestContext } from 'vitest';
import type { Storage } from '../facade/types';
import type { StorageCapability } from '../spec';
import type { ListEntry } from '../spec';
import { failingStream, md5Hex, patternBytes, patternStream, sha256Hex } from './bodies';

/** Ids of the conformance tests, usable in {@link StorageConformanceOptions.skip}. */
export type ConformanceTestId =
  | 'roundtrip'
  | 'overwrite'
  | 'empty'
  | 'metadata'
  | 'special-keys'
  | 'long-key'
  | 'invalid-keys'
  | 'not-found'
  | 'delete'
  | 'delete-many'
  | 'copy'
  | 'move'
  | 'pagination'
  | 'delimiter'
  | 'range'
  | 'large-object'
  | 'conditional'
  | 'checksum'
  | 'signed-read'
  | 'signed-write'
  | 'signed-expiry'
  | 'abort-upload'
  | 'failed-upload'
  | 'storage-class'
  | 'tags'
  | 'versioning'
  | 'posture'
  | 'capabilities';

/** Options of {@link runStorageConformance}. */
export interface StorageConformanceOptions {
  /** Shown in test names. */
  readonly name: string;
  /** Builds the storage under test, once for the whole suite. */
  create(): Storage | Promise<Storage>;
  /** Called after cleanup, e.g. to stop an emulator. */
  destroy?(): void | Promise<void>;
  /** Tests to skip (with the reason kept by the caller), e.g. `['signed-expiry']`. */
  readonly skip?: readonly ConformanceTestId[];
  /** Size of the large streamed object; default 21 MB, raised above `multipartMinSize` if needed. */
  readonly largeObjectBytes?: number;
  /** Keys written for the pagination test (listed with page size 100); default 1,050. */
  readonly paginationKeys?: number;
  /** Root under which the random run prefix is created; default `almanac-conformance/`. */
  readonly root?: string;
}

const MB = 1_000_000;

async function rejection(promise: Promise<unknown>): Promise<unknown> {
  try {
    await promise;
  } catch (error) {
    return error;
  }
  throw new Error('expected the call to fail, but it succeeded');
}

function expectError(error: unknown, kind: { isInstance(value: unknown): boolean; name: string }): void {
  expect(kind.isInstance(error), `expected ${kind.name}, got ${String(error)}`).toBe(true);
}

async function mapLimit<T>(items: readonly T[], limit: number, work: (item: T) => Promise<unknown>): Promise<void> {
  let next = 0;
  const worker = async () => {
    while (next < items.length) await work(items[next++] as T);
  };
  await Promise.all(Array.from({ length: Math.min(limit, items.length) }, worker));
}

const keysOf = (entries: readonly ListEntry[]) => entries.flatMap((entry) => (entry.type === 'object' ? [entry.key] : []));

/**
 * Runs the storage conformance suite: every operation, against a live (or emulated) provider.
 * The storage is created once; everything happens under a random prefix, and every key the suite
 * wrote is deleted afterwards. Tests the storage cannot run (missing capabilities) are skipped,
 * so one suite serves every adapter.
 */
export function runStorageConformance(options: StorageConformanceOptions): void {
  const skipped = new Set(options.skip ?? []);
  const root = options.root ?? 'almanac-conformance/';
  let storage: Storage;
  let prefix = '';
  let versioningWas: boolean | undefined;
  const written = new Set<string>();

  const key = (name: string) => {
    const full = `${prefix}${name}`;
    written.add(full.normalize('NFC'));
    return full;
  };

  const gate = (context: TestContext, id: ConformanceTestId, ...capabilities: StorageCapability[]) => {
    if (skipped.has(id)) context.skip(`${id} skipped by options`);
    const missing = capabilities.filter((capability) => !storage.supports(capability));
    if (missing.length > 0) context.skip(`${storage.name} does not support ${missing.join(', ')}`);
  };

  describe(`storage conformance: ${options.name}`, () => {
    beforeAll(async () => {
      storage = await options.create();
      prefix = `${root}${randomUUID()}/`;
    });

    afterAll(async () => {
      if (storage === undefined) return;
      if (versioningWas === false) await storage.setVersioning(false).catch(() => {});
      const keys = new Set(written);
      if (storage.supports('list')) {
        try {
          for await (const entry of storage.list({ prefix })) if (entry.type === 'object') keys.add(entry.key);
        } catch {
          // Cleanup is best effort; the tracked keys are still deleted below.
        }
      }
      await storage.deleteMany([...keys]).catch(() => {});
      await options.destroy?.();
    });

    it('[roundtrip] writes, stats, reads (stream, bytes, text) and checks existence', async (context) => {
      gate(context, 'roundtrip');
      const k = key('roundtrip/hello.txt');
      const info = await storage.write(k, 'hello, world');
      expect(info.key).toBe(k);
      expect(info.size).toBe(12);
      const stat = await storage.stat(k);
      expect(stat.size).toBe(12);
      expect(stat.lastModified).toBeInstanceOf(Date);
      expect(await storage.readText(k)).toBe('hello, world');
      expect(new TextDecoder().decode(await storage.readBytes(k))).toBe('hello, world');
      const body = await new Response(await storage.read(k)).text();
      expect(body).toBe('hello, world');
      expect(await storage.exists(k)).toBe(true);
      expect(await storage.exists(key('roundtrip/missing.txt'))).toBe(false);
    });

    it('[overwrite] replaces content and size', async (context) => {
      gate(context, 'overwrite');
      const k = key('overwrite.txt');
      await storage.write(k, 'first version, longer');
      await storage.write(k, 'second');
      expect(await storage.readText(k)).toBe('second');
      expect((await storage.stat(k)).size).toBe(6);
    });

    it('[empty] stores and reads empty objects', async (context) => {
      gate(context, 'empty');
      const k = key('empty.bin');
      await storage.write(k, new Uint8Array(0));
      expect((await storage.stat(k)).size).toBe(0);
      expect((await storage.readBytes(k)).byteLength).toBe(0);
      const streamed = key('empty-stream.bin');
      await storage.write(streamed, new ReadableStream<Uint8Array>({ start: (c) => c.close() }));
      expect((await storage.stat(streamed)).size).toBe(0);
    });

    it('[metadata] round-trips content type and metadata', async (context) => {
      gate(context, 'metadata');
      const k = key('metadata.json');
      await storage.write(k, '{"a":1}', { contentType: 'application/json', metadata: { owner: 'alice', 'run-id': '42' } });
      const stat = await storage.stat(k);
      expect(stat.contentType).toMatch(/^application\/json/);
      expect(stat.metadata).toMatchObject({ owner: 'alice', 'run-id': '42' });
    });

    it('[special-keys] keeps spaces, unicode, +, % and // exactly', async (context) => {
      gate(context, 'special-keys');
      const names = ['with space.txt', 'unicodé-日本語-🎉.txt', 'plus+sign.txt', 'percent%20literal.txt', 'double//slash.txt', 'a&b=c?d#e.txt'];
      for (const [index, name] of names.entries()) {
        const k = key(`special/${name}`);
        await storage.write(k, `content ${index}`);
        expect(await storage.readText(k)).toBe(`content ${index}`);
        expect((await storage.stat(k)).key).toBe(k.normalize('NFC'));
      }
      if (storage.supports('list')) {
        const listed = keysOf(await storage.list({ prefix: `${prefix}special/` }).toArray());
        expect([...listed].sort()).toEqual(names.map((name) => `${prefix}special/${name}`.normalize('NFC')).sort());
      }
      // NFD input names the same object as NFC.
      const decomposed = key('special/cafe\u0301.txt');
      await storage.write(decomposed, 'nfd');
      expect(await storage.readText(key('special/caf\u00e9.txt'))).toBe('nfd');
    });

    it('[long-key] accepts a key of exactly min(1024, maxKeyBytes) UTF-8 bytes and rejects one more', async (context) => {
      gate(context, 'long-key');
      const limit = Math.min(1024, storage.capabilities.maxKeyBytes);
      const head = `${prefix}long/é`;
      const used = new TextEncoder().encode(head).length;
      const k = key(`long/é${'k'.repeat(limit - used)}`);
      expect(new TextEncoder().encode(k).length).toBe(limit);
      await storage.write(k, 'long');
      expect(await storage.readText(k)).toBe('long');
      if (limit === storage.capabilities.maxKeyBytes) {
        expectError(await rejection(storage.write(`${k}k`, 'too long')), ValidationError);
      }
    });

    it('[invalid-keys] rejects empty keys, control characters and dot segments naming `key`', async (context) => {
      gate(context, 'invalid-keys');
      for (const bad of ['', `${prefix}nul\u0000.txt`, `${prefix}tab\t.txt`, `${prefix}../escape.txt`, `${prefix}a/./b`]) {
        const error = await rejection(storage.write(bad, 'x'));
        expectError(error, ValidationError);
        expect((error as ValidationError).issues[0]?.path).toBe('key');
      }
    });

    it('[not-found] reports NotFoundError on read, stat, copy and move of missing keys', async (context) => {
      gate(context, 'not-found');
      const missing = key('missing/nothing.txt');
      expectError(await rejection(storage.readBytes(missing)), NotFoundError);
      expectError(await rejection(storage.read(missing)), NotFoundError);
      expectError(await rejection(storage.stat(missing)), NotFoundError);
      expectError(await rejection(storage.move(missing, key('missing/target.txt'))), NotFoundError);
      expect(await storage.exists(key('missing/target.txt'))).toBe(false);
      if (storage.supports('copy')) expectError(await rejection(storage.copy(missing, key('missing/copy.txt'))), NotFoundError);
    });

    it('[delete] deletes, and deleting again (or a missing key) succeeds', async (context) => {
      gate(context, 'delete');
      const k = key('delete/one.txt');
      await storage.write(k, 'bye');
      await storage.delete(k);
      expect(await storage.exists(k)).toBe(false);
      await storage.delete(k);
      await storage.delete(key('delete/never-existed.txt'));
    });

    it('[delete-many] deletes many keys, missing ones included', async (context) => {
      gate(context, 'delete-many');
      const keys = Array.from({ length: 12 }, (_, i) => key(`delete-many/${i}.txt`));
      await mapLimit(keys, 8, (k) => storage.write(k, k));
      const result = await storage.deleteMany([...keys, key('delete-many/missing.txt')]);
      expect(result.failed).toEqual([]);
      for (const k of keys) expect(await storage.exists(k)).toBe(false);
    });

    it('[copy] copies server-side, keeping content and content type', async (context) => {
      gate(context, 'copy', 'copy');
      const from = key('copy/source.txt');
      const to = key('copy/target.txt');
      await storage.write(from, 'copied', { contentType: 'text/plain' });
      const info = await storage.copy(from, to);
      expect(info.key).toBe(to);
      expect(await storage.readText(to)).toBe('copied');
      expect(await storage.readText(from)).toBe('copied');
      expect((await storage.stat(to)).contentType).toMatch(/^text\/plain/);
    });

    it('[move] moves (copy then delete), and moving onto itself keeps the object', async (context) => {
      gate(context, 'move');
      const from = key('move/source.txt');
      const to = key('move/target.txt');
      await storage.write(from, 'moved');
      await storage.move(from, to);
      expect(await storage.readText(to)).toBe('moved');
      expect(await storage.exists(from)).toBe(false);
      await storage.move(to, to);
      expect(await storage.readText(to)).toBe('moved');
    });

    it('[pagination] lists many keys across pages, in order, resumable by cursor', async (context) => {
      gate(context, 'pagination', 'list');
      const count = options.paginationKeys ?? 1050;
      const base = `${prefix}pages/`;
      const keys = Array.from({ length: count }, (_, i) => key(`pages/${String(i).padStart(5, '0')}`));
      await mapLimit(keys, 32, (k) => storage.write(k, new Uint8Array(0)));
      const pages: ListEntry[][] = [];
      let second: string | undefined;
      for await (const page of storage.list({ prefix: base, pageSize: 100 }).pages()) {
        expect(page.entries.length).toBeLessThanOrEqual(100);
        if (pages.length === 0) second = page.nextCursor;
        pages.push([...page.entries]);
      }
      expect(pages.length).toBeGreaterThanOrEqual(Math.ceil(count / 100));
      expect(keysOf(pages.flat())).toEqual(keys);
      expect(second).toBeDefined();
      const resumed = await storage.list({ prefix: base, pageSize: 100, cursor: second as string }).toArray({ limit: 5 });
      expect(keysOf(resumed)).toEqual(keysOf(pages.flat()).slice(keysOf(pages[0] ?? []).length, keysOf(pages[0] ?? []).length + 5));
      expect(await storage.list({ prefix: base, pageSize: 100 }).toArray({ limit: 150 })).toHaveLength(150);
    }, 120_000);

    it('[delimiter] groups keys into common prefixes, across pages', async (context) => {
      gate(context, 'delimiter', 'listDelimiter');
      const base = `${prefix}tree/`;
      const names = ['a.txt', 'b/1.txt', 'b/2.txt', 'c/deep/1.txt', 'd.txt', 'e//x.txt'];
      await mapLimit(names, 8, (name) => storage.write(key(`tree/${name}`), name));
      const entries = await storage.list({ prefix: base, delimiter: '/' }).toArray();
      const simplified = entries.map((entry) => (entry.type === 'prefix' ? `prefix:${entry.prefix}` : `object:${entry.key}`));
      expect(simplified.sort()).toEqual(
        [`object:${base}a.txt`, `prefix:${base}b/`, `prefix:${base}c/`, `object:${base}d.txt`, `prefix:${base}e/`].sort(),
      );
      const paged = await storage.list({ prefix: base, delimiter: '/', pageSize: 1 }).toArray();
      expect(paged.map((entry) => (entry.type === 'prefix' ? entry.prefix : entry.key)).sort()).toEqual(
        entries.map((entry) => (entry.type === 'prefix' ? entry.prefix : entry.key)).sort(),
      );
      const nested = await storage.list({ prefix: `${base}e/`, delimiter: '/' }).toArray();
      expect(nested.map((entry) => (entry.type === 'prefix' ? entry.prefix : entry.key))).toEqual([`${base}e//`]);
    });

    it('[range] reads byte ranges', async (context) => {
      gate(context, 'range', 'rangeRead');
      const k = key('range.txt');
      await storage.write(k, '0123456789');
      expect(await storage.readText(k, { range: { start: 2, end: 5 } })).toBe('234');
      expect(await storage.readText(k, { range: { start: 7 } })).toBe('789');
      expect(await new Response(await storage.read(k, { range: { start: 0, end: 1 } })).text()).toBe('0');
    });

    it('[large-object] streams a large object (multipart) and reads it back byte-identical', async (context) => {
      gate(context, 'large-object', 'multipartWrite');
      const size = Math.max(options.largeObjectBytes ?? 21 * MB, storage.capabilities.multipartMinSize + 1);
      const k = key('large.bin');
      const written = createHash('sha256');
      let progress = 0;
      const info = await storage.write(
        k,
        patternStream(size, 1 << 20, (chunk) => written.update(chunk)),
        { onProgress: (p) => (progress = Math.max(progress, p.loaded)) },
      );
      expect(info.size).toBe(size);
      expect((await storage.stat(k)).size).toBe(size);
      const read = createHash('sha256');
      let total = 0;
      for await (const chunk of (await storage.read(k)) as unknown as AsyncIterable<Uint8Array>) {
        read.update(chunk);
        total += chunk.byteLength;
      }
      expect(total).toBe(size);
      expect(read.digest('hex')).toBe(written.digest('hex'));
      expect(progress).toBeGreaterThan(0);
    }, 300_000);

    it('[conditional] ifNoneMatch and stale ifMatch fail with ConflictError', async (context) => {
      gate(context, 'conditional', 'conditionalWrite');
      const k = key('conditional.txt');
      const first = await storage.write(k, 'one', { ifNoneMatch: '*' });
      expectError(await rejection(storage.write(k, 'two', { ifNoneMatch: '*' })), ConflictError);
      expect(await storage.readText(k)).toBe('one');
      expect(first.etag).toBeDefined();
      const second = await storage.write(k, 'two', { ifMatch: first.etag as string });
      expectError(await rejection(storage.write(k, 'three', { ifMatch: first.etag as string })), ConflictError);
      expect(await storage.readText(k)).toBe('two');
      await storage.write(k, 'three', { ifMatch: second.etag as string });
      expect(await storage.readText(k)).toBe('three');
    });

    it('[checksum] verifies checksums; a mismatch is IntegrityError and stores nothing', async (context) => {
      gate(context, 'checksum');
      const algorithms = storage.capabilities.checksums.filter((a) => a === 'md5' || a === 'sha256');
      if (algorithms.length === 0) context.skip(`${storage.name} verifies neither md5 nor sha256`);
      const body = patternBytes(1000);
      for (const algorithm of algorithms) {
        const good = key(`checksum/${algorithm}-good.bin`);
        const value = algorithm === 'md5' ? md5Hex(body) : sha256Hex(body);
        await storage.write(good, body, { checksum: { algorithm, value } });
        expect(sha256Hex(await storage.readBytes(good))).toBe(sha256Hex(body));
        const bad = key(`checksum/${algorithm}-bad.bin`);
        const wrong = algorithm === 'md5' ? md5Hex(patternBytes(10)) : sha256Hex(patternBytes(10));
        expectError(await rejection(storage.write(bad, body, { checksum: { algorithm, value: wrong } })), IntegrityError);
        expect(await storage.exists(bad)).toBe(false);
      }
    });

    it('[signed-read] serves a signed read URL to plain fetch', async (context) => {
      gate(context, 'signed-read', 'signedRead');
      const k = key('signed/read me.txt');
      await storage.write(k, 'signed content', { contentType: 'text/plain' });
      const url = await storage.signedUrl(k, { action: 'read', expiresIn: 300 });
      const response = await fetch(url);
      expect(response.status).toBe(200);
      expect(await response.text()).toBe('signed content');
    });

    it('[signed-write] accepts a PUT to a signed write URL', async (context) => {
      gate(context, 'signed-write', 'signedWrite');
      const k = key('signed/upload+1.txt');
      const url = await storage.signedUrl(k, { action: 'write', expiresIn: 300, contentType: 'text/plain' });
      const response = await fetch(url, {
        method: 'PUT',
        body: 'uploaded',
        // Azure requires the blob type on PUT; other providers ignore the header.
        headers: { 'content-type': 'text/plain', 'x-ms-blob-type': 'BlockBlob' },
      });
      expect(response.status).toBeLessThan(300);
      expect(await storage.readText(k)).toBe('uploaded');
    });

    it('[signed-expiry] refuses an expired signed URL', async (context) => {
      gate(context, 'signed-expiry', 'signedRead');
      const k = key('signed/expiring.txt');
      await storage.write(k, 'soon gone');
      const url = await storage.signedUrl(k, { action: 'read', expiresIn: 1 });
      await new Promise((resolve) => setTimeout(resolve, 1500));
      const response = await fetch(url);
      expect(response.status).toBeGreaterThanOrEqual(400);
      await response.body?.cancel();
    });

    it('[abort-upload] aborting mid-upload fails with AbortedError and leaves nothing', async (context) => {
      gate(context, 'abort-upload');
      const k = key('aborted.bin');
      const controller = new AbortController();
      const error = await rejection(storage.write(k, failingStream({ chunks: 3, abort: controller }), { signal: controller.signal }));
      expectError(error, AbortedError);
      await new Promise((resolve) => setTimeout(resolve, 100));
      expect(await storage.exists(k)).toBe(false);
    });

    it('[failed-upload] a body failing mid-stream fails the write and leaves nothing', async (context) => {
      gate(context, 'failed-upload');
      const k = key('failed.bin');
      await rejection(storage.write(k, failingStream({ chunks: 3, error: new Error('source broke') })));
      await new Promise((resolve) => setTimeout(resolve, 100));
      expect(await storage.exists(k)).toBe(false);
    });

    it('[storage-class] sets the storage class on write and changes it later', async (context) => {
      gate(context, 'storage-class', 'storageClass');
      const classes = storage.capabilities.storageClasses;
      const initial = classes[1] ?? (classes[0] as string);
      const later = classes[0] as string;
      const k = key('storage-class.txt');
      await storage.write(k, 'cold', { storageClass: initial });
      expect((await storage.stat(k)).storageClass).toBe(initial);
      await storage.setStorageClass(k, later);
      expect((await storage.stat(k)).storageClass).toBe(later);
      expectError(await rejection(storage.write(k, 'x', { storageClass: 'NO_SUCH_CLASS' })), ValidationError);
    });

    it('[tags] sets and reads tags', async (context) => {
      gate(context, 'tags', 'tags');
      const k = key('tags.txt');
      await storage.write(k, 'tagged');
      expect(await storage.getTags(k)).toEqual({});
      await storage.setTags(k, { team: 'data', tier: 'gold' });
      expect(await storage.getTags(k)).toEqual({ team: 'data', tier: 'gold' });
      await storage.setTags(k, { team: 'ops' });
      expect(await storage.getTags(k)).toEqual({ team: 'ops' });
    });

    it('[versioning] keeps versions of overwritten objects', async (context) => {
      gate(context, 'versioning', 'versioning');
      versioningWas = await storage.getVersioning();
      await storage.setVersioning(true);
      expect(await storage.getVersioning()).toBe(true);
      const k = key('versioned.txt');
      await storage.write(k, 'v1');
      await storage.write(k, 'v2');
      const versions = [];
      for await (const version of storage.listVersions({ prefix: k })) if (version.key === k) versions.push(version);
      expect(versions.length).toBeGreaterThanOrEqual(2);
      expect(versions.filter((version) => version.isLatest)).toHaveLength(1);
      expect(new Set(versions.map((version) => version.versionId)).size).toBe(versions.length);
    });

    it('[posture] returns well-formed findings', async (context) => {
      gate(context, 'posture', 'posture');
      const findings = await storage.posture();
      expect(Array.isArray(findings)).toBe(true);
      for (const finding of findings) {
        expect(typeof finding.rule).toBe('string');
        expect(['info', 'low', 'medium', 'high']).toContain(finding.severity);
        expect(typeof finding.passed).toBe('boolean');
      }
    });

    it('[capabilities] refuses unsupported operations with CapabilityError', async (context) => {
      gate(context, 'capabilities');
      const k = key('capabilities.txt');
      const checks: [StorageCapability, () => Promise<unknown>][] = [
        ['copy', () => storage.copy(k, key('capabilities-copy.txt'))],
        ['signedRead', () => storage.signedUrl(k, { action: 'read', expiresIn: 60 })],
        ['signedWrite', () => storage.signedUrl(k, { action: 'write', expiresIn: 60 })],
        ['tags', () => storage.getTags(k)],
        ['versioning', () => storage.getVersioning()],
        ['posture', () => storage.posture()],
        ['rangeRead', () => storage.readBytes(k, { range: { start: 0, end: 1 } })],
        ['conditionalWrite', () => storage.write(k, 'x', { ifNoneMatch: '*' })],
      ];
      for (const [capability, call] of checks) {
        if (storage.supports(capability)) continue;
        const error = await rejection(call());
        expectError(error, CapabilityError);
        expect((error as CapabilityError).message).toContain(storage.name);
      }
    });
  });
}
