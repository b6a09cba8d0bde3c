import {
  AbortedError,
  CapabilityError,
  ConfigError,
  ConflictError,
  NotFoundError,
  ProviderError,
  TimeoutError,
  ValidationError,
  createManualClock,
} from '@almanac/core';
import { describe, expect, it, vi } from 'vitest';
import { createMemoryStorageProvider } from '../src/adapters/memory/index';
import { createStorage } from '../src/index';
import type { StorageAuditEvent } from '../src/index';
import type { StorageCapabilities, StorageProvider, WriteRequest } from '../src/spec';
import { NO_CAPABILITIES, rejection } from './support/fixtures';


/** A memory provider with some methods replaced (spreading keeps the memory closures). */
function fake(overrides: Partial<StorageProvider> = {}, capabilities: Partial<StorageCapabilities> = {}): StorageProvider {
  const memory = createMemoryStorageProvider({ name: 'fake', capabilities });
  return { ...memory, ...overrides };
}


const never = () => new Promise<never>(() => {});

describe('createStorage: keys', () => {
  it('rejects bad keys with a ValidationError naming `key`', async () => {
    const storage = createStorage(fake({}, { maxKeyBytes: 10 }));
    for (const [bad, fragment] of [
      ['', 'must not be empty'],
      ['a\u0000b', 'U+0000'],
      ['a\nb', 'control characters'],
      ['a/../b', '".."'],
      ['./b', '"."'],
      ['x'.repeat(11), 'at most 10 UTF-8 bytes'],
      ['a\uD800b', 'unpaired surrogate'],
    ] as const) {
      const error = await rejection(storage.write(bad, 'x'));
      expect(ValidationError.isInstance(error)).toBe(true);
      expect((error as ValidationError).issues[0]?.path).toBe('key');
      expect((error as ValidationError).message).toContain('key');
      expect((error as ValidationError).message).toContain(fragment);
    }
    // Bytes, not characters, count: five é are exactly 10 UTF-8 bytes.
    await storage.write('ééééé', 'ten bytes');
    expect(ValidationError.isInstance(await rejection(storage.write('éééééx', 'x')))).toBe(true);
  });

  it('normalises to NFC and keeps //, spaces, +, %, \\ and C: as they are', async () => {
    const write = vi.fn(async (request: WriteRequest) => ({ key: request.key, size: 0, lastModified: new Date(0), metadata: {} }));
    const storage = createStorage(fake({ write }));
    await storage.write('cafe\u0301', 'x');
    expect(write.mock.calls[0]?.[0].key).toBe('caf\u00e9');
    for (const key of ['a//b', ' lead and trail ', 'a+b', '100%', 'a\\b', 'C:/x', 'x/.hidden/..y']) {
      await storage.write(key, 'x');
      expect(write.mock.lastCall?.[0].key).toBe(key);
    }
  });

  it('names copy fields `from` and `to`, and deleteMany items `keys.N`', async () => {
    const storage = createStorage(fake());
    expect(((await rejection(storage.copy('a', ''))) as ValidationError).issues[0]?.path).toBe('to');
    expect(((await rejection(storage.move('..', 'b'))) as ValidationError).issues[0]?.path).toBe('from');
    expect(((await rejection(storage.deleteMany(['ok', 'bad\u0001']))) as ValidationError).issues[0]?.path).toBe('keys.1');
  });

  it('validates options with zod, naming the field', async () => {
    const storage = createStorage(fake());
    const range = (await rejection(storage.readBytes('k', { range: { start: 5, end: 2 } }))) as ValidationError;
    expect(range.issues[0]?.path).toBe('options.range.end');
    const signed = (await rejection(storage.signedUrl('k', { action: 'read', expiresIn: 0 }))) as ValidationError;
    expect(signed.issues[0]?.path).toBe('options.expiresIn');
    const checksum = (await rejection(storage.write('k', 'x', { checksum: { algorithm: 'md5', value: 'nope' } }))) as ValidationError;
    expect(checksum.issues[0]?.path).toBe('options.checksum.value');
    const body = (await rejection(storage.write('k', 42 as unknown as string))) as ValidationError;
    expect(body.issues[0]?.path).toBe('body');
    expect(() => createStorage(fake(), { timeoutMs: -1 })).toThrow(/options\.timeoutMs/);
  });
});

describe('createStorage: capabilities', () => {
  it('throws CapabilityError naming provider and operation without calling the provider', async () => {
    const copy = vi.fn();
    const storage = createStorage({ ...fake(), capabilities: NO_CAPABILITIES, copy });
    const error = (await rejection(storage.copy('a', 'b'))) as CapabilityError;
    expect(CapabilityError.isInstance(error)).toBe(true);
    expect(error.message).toContain('fake');
    expect(error.message).toContain('copy');
    expect(copy).not.toHaveBeenCalled();
    for (const call of [
      () => storage.signedUrl('k', { action: 'read', expiresIn: 60 }),
      () => storage.signedUrl('k', { action: 'write', expiresIn: 60 }),
      () => storage.signedRequest('k', { action: 'read', expiresIn: 60 }),
      () => storage.signedRequest('k', { action: 'write', expiresIn: 60 }),
      () => storage.getTags('k'),
      () => storage.setVersioning(true),
      () => storage.posture(),
      () => storage.readBytes('k', { range: { start: 0 } }),
      () => storage.write('k', 'x', { ifMatch: '"e"' }),
      () => storage.write('k', 'x', { checksum: { algorithm: 'sha256', value: 'a'.repeat(64) } }),
      () => storage.setStorageClass('k', 'STANDARD'),
    ]) {
      expect(CapabilityError.isInstance(await rejection(call()))).toBe(true);
    }
    expect(() => storage.list()).toThrow(CapabilityError);
    expect(storage.supports('copy')).toBe(false);
  });

  it('requires listDelimiter for delimiter listings', () => {
    const storage = createStorage(fake({}, { listDelimiter: false }));
    expect(() => storage.list({ delimiter: '/' })).toThrow(/listDelimiter/);
  });

  it('rejects storage classes the provider does not list with ValidationError', async () => {
    const storage = createStorage(fake());
    const error = (await rejection(storage.write('k', 'x', { storageClass: 'GLACIER' }))) as ValidationError;
    expect(error.issues[0]).toEqual({ path: 'options.storageClass', message: 'must be one of STANDARD, INFREQUENT, ARCHIVE' });
    await storage.write('k', 'x');
    expect(((await rejection(storage.setStorageClass('k', 'COLD'))) as ValidationError).issues[0]?.path).toBe('storageClass');
  });

  it('describes each capability as native, emulated or unavailable', () => {
    const full = createStorage(fake()).describeCapabilities();
    expect(full).toMatchObject({ copy: 'native', list: 'native', tags: 'native', deleteMany: 'native', move: 'native' });
    expect(Object.isFrozen(full)).toBe(true);
    const { deleteMany: _batch, copy: _copy, ...bare } = fake();
    const minimal = createStorage({ ...bare, capabilities: NO_CAPABILITIES } as StorageProvider).describeCapabilities();
    expect(minimal).toEqual({
      list: false,
      listDelimiter: false,
      rangeRead: false,
      multipartWrite: false,
      signedRead: false,
      signedWrite: false,
      storageClass: false,
      versioning: false,
      tags: false,
      copy: false,
      conditionalWrite: false,
      posture: false,
      restore: false,
      deleteMany: 'emulated',
      move: 'emulated',
    });
  });

  it('supports() also requires the method to exist', () => {
    const { copy: _copy, ...withoutCopy } = fake();
    expect(createStorage(withoutCopy as StorageProvider).supports('copy')).toBe(false);
    expect(createStorage(fake()).supports('copy')).toBe(true);
  });
});

describe('createStorage: provider contract', () => {
  it('rejects a provider of another specificationVersion (or none) with a ConfigError naming it', () => {
    for (const specificationVersion of ['v2', undefined]) {
      let error: unknown;
      try {
        createStorage({ ...fake(), specificationVersion } as unknown as StorageProvider);
      } catch (caught) {
        error = caught;
      }
      expect(ConfigError.isInstance(error)).toBe(true);
      expect((error as ConfigError).issues.map((issue) => issue.path)).toEqual(['provider.specificationVersion']);
      expect((error as ConfigError).message).toContain('"v1"');
      expect((error as ConfigError).message).toContain('fake');
    }
    expect(() => createStorage(null as unknown as StorageProvider)).toThrow(/storage provider/);
  });
});

describe('createStorage: deadlines and errors', () => {
  it('fails with TimeoutError when the manual clock passes timeoutMs', async () => {
    const clock = createManualClock();
    const storage = createStorage(fake({ stat: never }), { clock, timeoutMs: 1_000 });
    const pending = rejection(storage.stat('k'));
    await clock.advance(999);
    await clock.advance(1);
    const error = (await pending) as TimeoutError;
    expect(TimeoutError.isInstance(error)).toBe(true);
    expect(error.provider).toBe('fake');
    expect(error.operation).toBe('stat');
  });

  it('defaults to a 60 s deadline', async () => {
    const clock = createManualClock();
    const storage = createStorage(fake({ read: never }), { clock });
    const pending = rejection(storage.readBytes('k'));
    await clock.advance(59_999);
    expect(clock.pendingSleeps()).toBe(1);
    await clock.advance(1);
    expect(TimeoutError.isInstance(await pending)).toBe(true);
  });

  it('fails with AbortedError when the caller aborts, even if the provider ignores its signal', async () => {
    const clock = createManualClock();
    const storage = createStorage(fake({ write: never }), { clock });
    const controller = new AbortController();
    const pending = rejection(storage.write('k', 'x', { signal: controller.signal }));
    controller.abort();
    expect(AbortedError.isInstance(await pending)).toBe(true);
    const stat = vi.fn();
    const early = createStorage(fake({ stat }));
    expect(AbortedError.isInstance(await rejection(early.stat('k', { signal: AbortSignal.abort() })))).toBe(true);
    expect(stat).not.toHaveBeenCalled();
  });

  it('aborting after read() resolved errors the stream with AbortedError', async () => {
    const storage = createStorage(fake());
    await storage.write('k', new Uint8Array(3 << 20));
    const controller = new AbortController();
    const reader = (await storage.read('k', { signal: controller.signal })).getReader();
    await reader.read();
    controller.abort();
    expect(AbortedError.isInstance(await rejection(reader.read()))).toBe(true);
  });

  it('wraps foreign errors as ProviderError and passes Almanac errors through', async () => {
    const boom = new Error('socket hang up');
    const storage = createStorage(fake({ stat: async () => Promise.reject(boom) }));
    const error = (await rejection(storage.stat('k'))) as ProviderError;
    expect(ProviderError.isInstance(error)).toBe(true);
    expect(error.provider).toBe('fake');
    expect(error.operation).toBe('stat');
    expect(error.message).toContain('socket hang up');
    expect(error.cause).toBe(boom);
    const conflict = new ConflictError('taken');
    const passthrough = createStorage(fake({ stat: async () => Promise.reject(conflict) }));
    expect(await rejection(passthrough.stat('k'))).toBe(conflict);
    // Not-found is re-worded in one shape for every adapter, keeping the adapter's error as cause.
    const notFound = new NotFoundError('gone', { status: 404 });
    const reworded = (await rejection(createStorage(fake({ stat: async () => Promise.reject(notFound) })).stat('k'))) as NotFoundError;
    expect(reworded.message).toBe('No object at key "k" (fake stat)');
    expect(reworded.cause).toBe(notFound);
    expect(reworded.status).toBe(404);
  });

  it('exists maps NotFoundError to false and other errors through', async () => {
    const storage = createStorage(fake());
    expect(await storage.exists('missing')).toBe(false);
    await storage.write('there', '');
    expect(await storage.exists('there')).toBe(true);
    const failing = createStorage(fake({ stat: async () => Promise.reject(new Error('500')) }));
    expect(ProviderError.isInstance(await rejection(failing.exists('k')))).toBe(true);
  });

  it('NotFoundError on stat, read, copy and move of missing keys', async () => {
    const storage = createStorage(fake());
    for (const call of [() => storage.stat('m'), () => storage.readText('m'), () => storage.copy('m', 'n'), () => storage.move('m', 'n')]) {
      expect(NotFoundError.isInstance(await rejection(call()))).toBe(true);
    }
  });
});

describe('createStorage: audit events', () => {
  it('emits one event per operation with bytes where known', async () => {
    const events: StorageAuditEvent[] = [];
    const clock = createManualClock(1_000);
    const storage = createStorage(fake(), { clock, onEvent: (event) => events.push(event) });
    await storage.write('notes/é.txt', 'héllo');
    await storage.readBytes('notes/é.txt');
    await storage.stat('notes/é.txt');
    await rejection(storage.stat('missing'));
    await rejection(storage.write('', 'x'));
    expect(events).toEqual([
      { action: 'write', key: 'notes/é.txt', provider: 'fake', outcome: 'ok', bytes: 6, durationMs: 0 },
      { action: 'read', key: 'notes/é.txt', provider: 'fake', outcome: 'ok', bytes: 6, durationMs: 0 },
      { action: 'stat', key: 'notes/é.txt', provider: 'fake', outcome: 'ok', bytes: 6, durationMs: 0 },
      { action: 'stat', key: 'missing', provider: 'fake', outcome: 'error', durationMs: 0, errorCode: 'not_found' },
      { action: 'write', provider: 'fake', outcome: 'error', durationMs: 0, errorCode: 'validation' },
    ]);
  });

  it('a throwing listener is logged and ignored', async () => {
    const warn = vi.fn();
    const logger = { debug() {}, info() {}, warn, error() {} };
    const storage = createStorage(fake(), {
      logger,
      onEvent: () => {
        throw new Error('listener bug');
      },
    });
    await storage.write('k', 'x');
    expect(warn).toHaveBeenCalledOnce();
  });
});

describe('createStorage: bodies, move, deleteMany, list', () => {
  it('writes strings as UTF-8 bytes with their size', async () => {
    const write = vi.fn(async (request: WriteRequest) => ({ key: request.key, size: request.size ?? -1, lastModified: new Date(0), metadata: {} }));
    const storage = createStorage(fake({ write }));
    const info = await storage.write('k', 'zé🎉', { metadata: { Owner: 'a' } });
    const request = write.mock.calls[0]?.[0] as WriteRequest;
    expect(request.body).toEqual(new TextEncoder().encode('zé🎉'));
    expect(request.size).toBe(7);
    expect(request.metadata).toEqual({ owner: 'a' });
    expect(info.size).toBe(7);
    const stream = new ReadableStream<Uint8Array>({ start: (c) => c.close() });
    await storage.write('s', stream);
    expect(write.mock.lastCall?.[0].size).toBeUndefined();
  });

  it('move never deletes the source when the copy fails', async () => {
    const memory = createMemoryStorageProvider({ name: 'fake' });
    const remove = vi.fn(memory.delete);
    const storage = createStorage({ ...memory, delete: remove, copy: async () => Promise.reject(new Error('copy failed')) });
    await storage.write('from', 'precious');
    expect(ProviderError.isInstance(await rejection(storage.move('from', 'to')))).toBe(true);
    expect(remove).not.toHaveBeenCalled();
    expect(await storage.readText('from')).toBe('precious');
  });

  it('move falls back to read + write without copy, keeping content type and metadata', async () => {
    const memory = createMemoryStorageProvider({ name: 'fake', capabilities: { copy: false } });
    const storage = createStorage(memory);
    await storage.write('from', 'data', { contentType: 'text/csv', metadata: { a: '1' } });
    await storage.move('from', 'to');
    expect(await storage.exists('from')).toBe(false);
    const info = await storage.stat('to');
    expect(info.contentType).toBe('text/csv');
    expect(info.metadata).toEqual({ a: '1' });
    expect(await storage.readText('to')).toBe('data');
  });

  it('move onto itself keeps the object', async () => {
    const storage = createStorage(fake());
    await storage.write('same', 'kept');
    await storage.move('same', 'same');
    expect(await storage.readText('same')).toBe('kept');
  });

  it('deleteMany falls back to single deletes and reports failures per key', async () => {
    const memory = createMemoryStorageProvider({ name: 'fake' });
    const { deleteMany: _unused, ...provider } = memory;
    const storage = createStorage({
      ...provider,
      delete: async (request) => (request.key === 'locked' ? Promise.reject(new Error('denied')) : memory.delete(request)),
    });
    await storage.write('a', '1');
    await storage.write('locked', '2');
    const result = await storage.deleteMany(['a', 'locked', 'missing']);
    expect(result.failed.map((failure) => failure.key)).toEqual(['locked']);
    expect(ProviderError.isInstance(result.failed[0]?.error)).toBe(true);
    expect(await storage.exists('a')).toBe(false);
  });

  it('lists through listPage with pages, cursors, limits and audit per page', async () => {
    const events: StorageAuditEvent[] = [];
    const storage = createStorage(fake(), { onEvent: (event) => events.push(event) });
    for (let i = 0; i < 25; i++) await storage.write(`p/${String(i).padStart(2, '0')}`, '');
    const pages = [];
    for await (const page of storage.list({ prefix: 'p/', pageSize: 10 }).pages()) pages.push(page);
    expect(pages.map((page) => page.entries.length)).toEqual([10, 10, 5]);
    expect(pages[2]?.nextCursor).toBeUndefined();
    const resumed = await storage.list({ prefix: 'p/', pageSize: 10, cursor: pages[0]?.nextCursor as string }).toArray();
    expect(resumed).toHaveLength(15);
    expect(await storage.list({ prefix: 'p/', pageSize: 10 }).toArray({ limit: 12 })).toHaveLength(12);
    const keys = [];
    for await (const entry of storage.list({ prefix: 'p/2' })) keys.push(entry.type === 'object' ? entry.key : entry.prefix);
    expect(keys).toEqual(['p/20', 'p/21', 'p/22', 'p/23', 'p/24']);
    expect(events.filter((event) => event.action === 'list').length).toBeGreaterThanOrEqual(3);
  });
});

describe('createStorage: signedRequest', () => {
  it('passes a provider\'s headers and expiry through, adds the method, and signedUrl returns the same URL', async () => {
    const expiresAt = new Date('2030-01-01T00:00:00Z');
    const signedUrl = vi.fn(async () => ({ url: 'https://signed.example/k?sig=1', headers: { 'x-ms-blob-type': 'BlockBlob' }, expiresAt }));
    const storage = createStorage(fake({ signedUrl }, { signedRead: true, signedWrite: true }));
    expect(await storage.signedRequest('k', { action: 'write', expiresIn: 60 })).toEqual({
      url: 'https://signed.example/k?sig=1',
      method: 'PUT',
      headers: { 'x-ms-blob-type': 'BlockBlob' },
      expiresAt,
    });
    expect(await storage.signedUrl('k', { action: 'write', expiresIn: 60 })).toBe('https://signed.example/k?sig=1');
    expect((await storage.signedRequest('k', { action: 'read', expiresIn: 60 })).method).toBe('GET');
  });

  it('accepts a 0.1 adapter returning a bare string: headers are the signed content type, expiry is now + expiresIn on the facade clock', async () => {
    const clock = createManualClock(Date.parse('2026-12-03T10:00:00Z'));
    const signedUrl = vi.fn(async () => 'https://legacy.example/k?sig=2');
    const storage = createStorage(fake({ signedUrl }, { signedRead: true, signedWrite: true }), { clock });
    expect(await storage.signedRequest('k', { action: 'write', expiresIn: 90, contentType: 'text/csv' })).toEqual({
      url: 'https://legacy.example/k?sig=2',
      method: 'PUT',
      headers: { 'content-type': 'text/csv' },
      expiresAt: new Date('2026-12-03T10:01:30Z'),
    });
    // A read never needs the content type (it only picks the served type on some providers).
    expect((await storage.signedRequest('k', { action: 'read', expiresIn: 90, contentType: 'text/csv' })).headers).toEqual({});
  });

  it('audits signedRequest under its own operation name', async () => {
    const events: StorageAuditEvent[] = [];
    const storage = createStorage(fake({}, { signedRead: true }), { onEvent: (event) => events.push(event) });
    await storage.signedRequest('k', { action: 'read', expiresIn: 60 });
    expect(events.map((event) => [event.action, event.outcome])).toEqual([['signedRequest', 'ok']]);
  });
});
