import { createHash } from 'node:crypto';
import { AbortedError, ConflictError, IntegrityError } from '@almanac/core';
import { expect } from 'vitest';
import { failingStream, md5Hex, patternBytes, patternStream, sha256Hex } from '../bodies';
import type { SuiteRun } from './context';
import { expectError, rejection } from './context';

const MB = 1_000_000;

/** How content moves: ranges, large streamed objects, preconditions, checksums, and failed or aborted uploads. */
export function registerContentTests(run: SuiteRun): void {
  const { suite, key } = run;

  suite.test(
    'reads byte ranges',
    async (storage) => {
      const k = key('range.txt');
      await storage.write(k, '0123456789');
      expect(await storage.readText(k, { range: { start: 2, end: 5 } })).toBe('234');
      expect(await storage.readText(k, { range: { start: 7 } })).toBe('789');
      expect(await new Response(await storage.read(k, { range: { start: 0, end: 1 } })).text()).toBe('0');
    },
    { id: 'range', needs: ['rangeRead'] },
  );

  suite.test(
    'a range starting at or past the end reads as empty, on every provider',
    async (storage) => {
      const k = key('range-past-end.txt');
      await storage.write(k, '0123456789');
      expect((await storage.readBytes(k, { range: { start: 10 } })).byteLength).toBe(0);
      expect((await storage.readBytes(k, { range: { start: 50, end: 60 } })).byteLength).toBe(0);
      expect(await new Response(await storage.read(k, { range: { start: 12 } })).text()).toBe('');
    },
    { id: 'range-past-end', needs: ['rangeRead'] },
  );

  suite.test(
    'streams a large object (multipart) and reads it back byte-identical',
    async (storage) => {
      const size = Math.max(run.options.largeObjectBytes ?? 21 * MB, storage.capabilities.multipartMinSize + 1);
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
    },
    { id: 'large-object', needs: ['multipartWrite'], timeout: 300_000 },
  );

  suite.test(
    'ifNoneMatch and stale ifMatch fail with ConflictError',
    async (storage) => {
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
    },
    { id: 'conditional', needs: ['conditionalWrite'] },
  );

  suite.test(
    'verifies checksums; a mismatch is IntegrityError and stores nothing',
    async (storage) => {
      const algorithms = storage.capabilities.checksums.filter((a) => a === 'md5' || a === 'sha256');
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
    },
    {
      id: 'checksum',
      gate: (storage) =>
        storage.capabilities.checksums.some((a) => a === 'md5' || a === 'sha256') ? undefined : `${storage.name} verifies neither md5 nor sha256`,
    },
  );

  suite.test(
    'aborting mid-upload fails with AbortedError and leaves nothing',
    async (storage) => {
      const k = key('aborted.bin');
      const controller = new AbortController();
      const error = await rejection(storage.write(k, failingStream({ chunks: 3, abort: controller }), { signal: controller.signal }));
      expectError(error, AbortedError);
      await new Promise((resolve) => setTimeout(resolve, 100));
      expect(await storage.exists(k)).toBe(false);
    },
    { id: 'abort-upload' },
  );

  suite.test(
    'a body failing mid-stream fails the write and leaves nothing',
    async (storage) => {
      const k = key('failed.bin');
      await rejection(storage.write(k, failingStream({ chunks: 3, error: new Error('source broke') })));
      await new Promise((resolve) => setTimeout(resolve, 100));
      expect(await storage.exists(k)).toBe(false);
    },
    { id: 'failed-upload' },
  );
}
