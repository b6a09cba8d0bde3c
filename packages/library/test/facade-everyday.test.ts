// Everyday use of the facade (issue 10): Node streams and async iterables as write bodies, one
// key rule set and one not-found message on every adapter, and write deadlines that do not cut
// large uploads off.
import { mkdtempSync } from 'node:fs';
import { rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Readable } from 'node:stream';
import { NotFoundError, TimeoutError, ValidationError, createManualClock } from '@almanac/core';
import { expectAlmanacError } from '@almanac/core/testing';
import { afterAll, describe, expect, it } from 'vitest';
import { createFsStorage } from '../src/adapters/fs/index';
import { createMemoryStorage, createMemoryStorageProvider } from '../src/adapters/memory/index';
import { createStorage } from '../src/index';
import type { Storage } from '../src/index';
import type { StorageProvider } from '../src/spec';
import { rejection } from './support/fixtures';

// Made at collection time: `it.each` builds the adapters before any hook runs.
const root = mkdtempSync(join(tmpdir(), 'almanac-everyday-'));
afterAll(async () => {
  await rm(root, { recursive: true, force: true });
});

const adapters = (): [string, Storage][] => [
  ['memory', createMemoryStorage()],
  ['fs', createFsStorage({ root })],
];

const chunks = (count: number, size: number) => Array.from({ length: count }, (_, i) => new Uint8Array(size).fill(i));

describe('write accepts Node streams and async iterables', () => {
  it.each(adapters())('%s: a Node Readable (Readable.from) round-trips', async (_, storage) => {
    const parts = chunks(5, 1000);
    const info = await storage.write('big.bin', Readable.from(parts));
    expect(info.size).toBe(5000);
    const read = await storage.readBytes('big.bin');
    expect(read.byteLength).toBe(5000);
    expect(read[4999]).toBe(4);
  });

  it.each(adapters())('%s: an async generator of Uint8Array round-trips', async (_, storage) => {
    async function* generate() {
      yield new TextEncoder().encode('hello, ');
      yield new TextEncoder().encode('world');
    }
    await storage.write('gen.txt', generate());
    expect(await storage.readText('gen.txt')).toBe('hello, world');
  });

  it('a string-mode Readable is written as UTF-8', async () => {
    const storage = createMemoryStorage();
    await storage.write('s.txt', Readable.from(['été ', 'à'], { objectMode: true }));
    expect(await storage.readText('s.txt')).toBe('été à');
  });

  it('an iterable yielding something else fails with a ValidationError naming body and stores nothing', async () => {
    const storage = createMemoryStorage();
    async function* bad() {
      yield 42 as unknown as Uint8Array;
    }
    const error = await rejection(storage.write('bad.bin', bad()));
    expect(ValidationError.isInstance(error)).toBe(true);
    expect((error as ValidationError).issues[0]?.path).toBe('body');
    expect(await storage.exists('bad.bin')).toBe(false);
  });

  it('a plain object is still refused up front, naming the accepted bodies', async () => {
    const storage = createMemoryStorage();
    const error = await expectAlmanacError(storage.write('x', {} as unknown as string), { code: 'validation', field: 'body' });
    expect(error.message).toContain('AsyncIterable');
  });
});

describe('one key rule set on every adapter', () => {
  it.each(adapters())('%s: refuses a leading "/" with the same message', async (_, storage) => {
    const error = await expectAlmanacError(storage.write('/abs/key', 'x'), { code: 'validation', field: 'key' });
    expect(error.message).toContain('must not start with "/"');
  });

  it.each(adapters())('%s: accepts backslashes and drive-letter-like segments (encoded on disk)', async (_, storage) => {
    for (const key of ['C:/x', 'a\\b', 'C:\\x']) {
      await storage.write(key, key);
      expect(await storage.readText(key)).toBe(key);
    }
  });
});

describe('one not-found message shape', () => {
  it.each(adapters())('%s: stat, read and copy of a missing key', async (name, storage) => {
    for (const [operation, call] of [
      ['stat', () => storage.stat('missing/key.txt')],
      ['read', () => storage.readBytes('missing/key.txt')],
      ['copy', () => storage.copy('missing/key.txt', 'elsewhere.txt')],
    ] as const) {
      const error = (await rejection(call())) as NotFoundError;
      expect(NotFoundError.isInstance(error)).toBe(true);
      expect(error.message).toBe(`No object at key "missing/key.txt" (${name} ${operation})`);
      expect(error.provider).toBe(name);
    }
  });
});

describe('write deadlines', () => {
  const never = () => new Promise<never>(() => {});
  const slowWriter = (): StorageProvider => ({ ...createMemoryStorageProvider(), write: never });

  it('a streamed write has no deadline of its own: still pending after an hour of clock time', async () => {
    const clock = createManualClock();
    const storage = createStorage(slowWriter(), { clock });
    const controller = new AbortController();
    let settled = false;
    const pending = storage.write('big', Readable.from(chunks(2, 10)), { signal: controller.signal }).finally(() => {
      settled = true;
    });
    pending.catch(() => {});
    await clock.advance(3_600_000);
    expect(settled).toBe(false);
    controller.abort();
    await expect(pending).rejects.toMatchObject({ code: 'aborted' });
  });

  it('a write of known size gets the call deadline plus its size at 1 MiB/s', async () => {
    const clock = createManualClock();
    const storage = createStorage(slowWriter(), { clock, timeoutMs: 1_000 });
    const pending = rejection(storage.write('big', new Uint8Array(10 * 1024 * 1024)));
    await clock.advance(10_999);
    expect(clock.pendingSleeps()).toBe(1);
    await clock.advance(1);
    expect(TimeoutError.isInstance(await pending)).toBe(true);
  });

  it('writeTimeoutMs overrides both; reads keep timeoutMs', async () => {
    const clock = createManualClock();
    const storage = createStorage({ ...slowWriter(), read: never }, { clock, timeoutMs: 1_000, writeTimeoutMs: 5_000 });
    const write = rejection(storage.write('k', Readable.from(chunks(1, 1))));
    const read = rejection(storage.readBytes('k'));
    await clock.advance(1_000);
    expect(TimeoutError.isInstance(await read)).toBe(true);
    await clock.advance(4_000);
    expect(TimeoutError.isInstance(await write)).toBe(true);
  });
});
