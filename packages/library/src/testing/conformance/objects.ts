import { NotFoundError, ValidationError } from '@almanac/core';
import { expect } from 'vitest';
import type { SuiteRun } from './context';
import { expectError, keysOf, mapLimit, rejection } from './context';

/** Writing, reading, describing and deleting single objects, and the key rules. */
export function registerObjectTests(run: SuiteRun): void {
  const { suite, key } = run;

  suite.test(
    'writes, stats, reads (stream, bytes, text) and checks existence',
    async (storage) => {
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
    },
    { id: 'roundtrip' },
  );

  suite.test(
    'replaces content and size',
    async (storage) => {
      const k = key('overwrite.txt');
      await storage.write(k, 'first version, longer');
      await storage.write(k, 'second');
      expect(await storage.readText(k)).toBe('second');
      expect((await storage.stat(k)).size).toBe(6);
    },
    { id: 'overwrite' },
  );

  suite.test(
    'stores and reads empty objects',
    async (storage) => {
      const k = key('empty.bin');
      await storage.write(k, new Uint8Array(0));
      expect((await storage.stat(k)).size).toBe(0);
      expect((await storage.readBytes(k)).byteLength).toBe(0);
      const streamed = key('empty-stream.bin');
      await storage.write(streamed, new ReadableStream<Uint8Array>({ start: (c) => c.close() }));
      expect((await storage.stat(streamed)).size).toBe(0);
    },
    { id: 'empty' },
  );

  suite.test(
    'round-trips content type and metadata',
    async (storage) => {
      const k = key('metadata.json');
      await storage.write(k, '{"a":1}', { contentType: 'application/json', metadata: { owner: 'alice', 'run-id': '42' } });
      const stat = await storage.stat(k);
      expect(stat.contentType).toMatch(/^application\/json/);
      expect(stat.metadata).toMatchObject({ owner: 'alice', 'run-id': '42' });
    },
    { id: 'metadata' },
  );

  suite.test(
    'round-trips non-ASCII metadata values exactly',
    async (storage) => {
      const k = key('metadata-unicode.txt');
      // Headers carry ASCII only: S3 and Azure adapters encode on write and decode on read.
      const metadata = { owner: 'Zoë Ågren', city: '東京', mixed: 'naïve — ✓ 😀', plain: 'a = b?' };
      await storage.write(k, 'x', { metadata });
      expect((await storage.stat(k)).metadata).toMatchObject(metadata);
    },
    { id: 'metadata-unicode' },
  );

  suite.test(
    'keeps spaces, unicode, +, % and // exactly',
    async (storage) => {
      const prefix = run.prefix();
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
    },
    { id: 'special-keys' },
  );

  suite.test(
    'accepts a key of exactly min(1024, maxKeyBytes) UTF-8 bytes and rejects one more',
    async (storage) => {
      const limit = Math.min(1024, storage.capabilities.maxKeyBytes);
      const head = `${run.prefix()}long/é`;
      const used = new TextEncoder().encode(head).length;
      const k = key(`long/é${'k'.repeat(limit - used)}`);
      expect(new TextEncoder().encode(k).length).toBe(limit);
      await storage.write(k, 'long');
      expect(await storage.readText(k)).toBe('long');
      if (limit === storage.capabilities.maxKeyBytes) {
        expectError(await rejection(storage.write(`${k}k`, 'too long')), ValidationError);
      }
    },
    { id: 'long-key' },
  );

  suite.test(
    'rejects empty keys, control characters and dot segments naming `key`',
    async (storage) => {
      const prefix = run.prefix();
      for (const bad of ['', `${prefix}nul\u0000.txt`, `${prefix}tab\t.txt`, `${prefix}../escape.txt`, `${prefix}a/./b`]) {
        const error = await rejection(storage.write(bad, 'x'));
        expectError(error, ValidationError);
        expect((error as ValidationError).issues[0]?.path).toBe('key');
      }
    },
    { id: 'invalid-keys' },
  );

  suite.test(
    'reports NotFoundError on read, stat, copy and move of missing keys',
    async (storage) => {
      const missing = key('missing/nothing.txt');
      expectError(await rejection(storage.readBytes(missing)), NotFoundError);
      expectError(await rejection(storage.read(missing)), NotFoundError);
      expectError(await rejection(storage.stat(missing)), NotFoundError);
      expectError(await rejection(storage.move(missing, key('missing/target.txt'))), NotFoundError);
      expect(await storage.exists(key('missing/target.txt'))).toBe(false);
      if (storage.supports('copy')) expectError(await rejection(storage.copy(missing, key('missing/copy.txt'))), NotFoundError);
    },
    { id: 'not-found' },
  );

  suite.test(
    'deletes, and deleting again (or a missing key) succeeds',
    async (storage) => {
      const k = key('delete/one.txt');
      await storage.write(k, 'bye');
      await storage.delete(k);
      expect(await storage.exists(k)).toBe(false);
      await storage.delete(k);
      await storage.delete(key('delete/never-existed.txt'));
    },
    { id: 'delete' },
  );

  suite.test(
    'deletes many keys, missing ones included',
    async (storage) => {
      const keys = Array.from({ length: 12 }, (_, i) => key(`delete-many/${i}.txt`));
      await mapLimit(keys, 8, (k) => storage.write(k, k));
      const result = await storage.deleteMany([...keys, key('delete-many/missing.txt')]);
      expect(result.failed).toEqual([]);
      for (const k of keys) expect(await storage.exists(k)).toBe(false);
    },
    { id: 'delete-many' },
  );
}
