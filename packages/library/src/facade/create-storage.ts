import { CapabilityError, NotFoundError, ValidationError, compact, paginate, parse, silentLogger, systemClock, withDeadline } from '@almanac/core';
import type { AlmanacError } from '@almanac/core';
import type { z } from 'zod';
import type { ListEntry, ListPage, ObjectInfo, ObjectVersion, ReadRequest, StorageProvider, WriteRequest } from '../spec';
import { toAlmanacError } from './errors';
import { normalizeKey, normalizePrefix } from './keys';
import {
  bodySchema,
  callOptionsSchema,
  listOptionsSchema,
  listVersionsOptionsSchema,
  readOptionsSchema,
  signedUrlOptionsSchema,
  storageOptionsSchema,
  tagsSchema,
  writeOptionsSchema,
} from './schemas';
import { collectStream, guardStream } from './streams';
import type {
  DeleteManyResult,
  ListOptions,
  Listing,
  ReadOptions,
  SignedUrlOptions,
  Storage,
  StorageAuditEvent,
  StorageCallOptions,
  StorageCapability,
  StorageOptions,
  WriteBody,
  WriteOptions,
} from './types';

const DEFAULT_TIMEOUT_MS = 60_000;
// Fallback deleteMany for providers without a batch call: enough parallelism to be quick,
// little enough not to trip rate limits.
const DELETE_CONCURRENCY = 8;

const encoder = new TextEncoder();

/** What an operation body can tell the audit event. */
interface RunContext {
  /** Normalised key, once known. */
  key: string | undefined;
  /** Bytes transferred, once known. */
  bytes: number | undefined;
  /** Runs `work` under this call's deadline merged with `signal`. */
  within<R>(signal: AbortSignal | undefined, work: (signal: AbortSignal) => Promise<R>): Promise<R>;
}

/**
 * Iterates the entries of fetched pages. Hand-written rather than an async generator because a
 * generator costs several promise hops per item, which halves listing throughput on big buckets;
 * here an item of an already fetched page costs one resolved promise.
 */
function entriesOf<T>(pages: AsyncIterable<{ readonly items: readonly T[] }>): AsyncIterator<T> {
  const source = pages[Symbol.asyncIterator]();
  let items: readonly T[] = [];
  let index = 0;
  let finished = false;
  const advance = async (): Promise<IteratorResult<T>> => {
    while (index >= items.length) {
      if (finished) return { done: true, value: undefined };
      const page = await source.next();
      if (page.done) {
        finished = true;
        return { done: true, value: undefined };
      }
      items = page.value.items;
      index = 0;
    }
    return { done: false, value: items[index++] as T };
  };
  return {
    next: () => (index < items.length ? Promise.resolve({ done: false, value: items[index++] as T }) : advance()),
    async return(): Promise<IteratorResult<T>> {
      finished = true;
      items = [];
      await source.return?.();
      return { done: true, value: undefined };
    },
  };
}

/**
 * Wraps a provider in the {@link Storage} facade. Keys are normalised (see {@link normalizeKey}),
 * inputs validated with zod (`ValidationError` naming the field), capabilities checked before the
 * provider is touched (`CapabilityError`), each call bounded by `timeoutMs` and the caller's
 * signal (`TimeoutError`/`AbortedError`), and failures are always Almanac errors (anything else
 * becomes `ProviderError` naming provider and operation). Every operation emits one audit event.
 */
export function createStorage(provider: StorageProvider, options: StorageOptions = {}): Storage {
  if (typeof provider !== 'object' || provider === null || typeof provider.name !== 'string' || typeof provider.capabilities !== 'object') {
    throw new ValidationError(undefined, [{ path: 'provider', message: 'must be a StorageProvider' }]);
  }
  parse(storageOptionsSchema, options, { provider: provider.name, operation: 'createStorage', path: 'options' });
  const name = provider.name;
  const capabilities = provider.capabilities;
  const maxKeyBytes = capabilities.maxKeyBytes;
  const clock = options.clock ?? systemClock;
  const logger = options.logger ?? silentLogger;
  const timeoutMs = options.timeoutMs ?? DEFAULT_TIMEOUT_MS;

  const emit = (event: StorageAuditEvent) => {
    if (options.onEvent === undefined) return;
    try {
      options.onEvent(event);
    } catch (error) {
      logger.warn('library onEvent listener threw; ignored', { provider: name, action: event.action, error });
    }
  };

  const supports = (capability: StorageCapability): boolean => {
    const fn = (method: keyof StorageProvider) => typeof provider[method] === 'function';
    switch (capability) {
      case 'list':
        return capabilities.list && fn('listPage');
      case 'listDelimiter':
        return capabilities.list && capabilities.listDelimiter && fn('listPage');
      case 'copy':
        return capabilities.copy && fn('copy');
      case 'signedRead':
      case 'signedWrite':
        return capabilities[capability] && fn('signedUrl');
      case 'storageClass':
        return capabilities.storageClass && fn('setStorageClass');
      case 'versioning':
        return capabilities.versioning && fn('getVersioning') && fn('setVersioning') && fn('listVersionsPage');
      case 'tags':
        return capabilities.tags && fn('getTags') && fn('setTags');
      case 'posture':
        return capabilities.posture && fn('posture');
      default:
        return capabilities[capability] === true;
    }
  };

  const ensure = (capability: StorageCapability, operation: string) => {
    if (!supports(capability)) throw new CapabilityError(capability, { provider: name, operation });
  };

  const validate = <S extends z.core.$ZodType>(schema: S, input: unknown, operation: string, path: string) =>
    parse(schema, input, { provider: name, operation, path });

  const keyOf = (value: unknown, operation: string, field = 'key') => {
    try {
      return normalizeKey(value, maxKeyBytes, field);
    } catch (error) {
      const issue = (error as ValidationError).issues;
      throw new ValidationError(`Invalid input to ${name} ${operation}: ${(error as Error).message.replace(/^Invalid /, '')}`, issue, {
        provider: name,
        operation,
      });
    }
  };

  const checkStorageClass = (storageClass: string, operation: string, path: string) => {
    ensure('storageClass', operation);
    if (!capabilities.storageClasses.includes(storageClass)) {
      const message = `must be one of ${capabilities.storageClasses.join(', ')}`;
      throw new ValidationError(`Invalid input to ${name} ${operation}: ${path}: ${message}`, [{ path, message }], {
        provider: name,
        operation,
      });
    }
  };

  async function run<T>(action: string, body: (context: RunContext) => Promise<T>): Promise<T> {
    const started = clock.now();
    const context: RunContext = {
      key: undefined,
      bytes: undefined,
      within: (signal, work) => withDeadline({ clock, timeoutMs, signal, provider: name, operation: action }, work),
    };
    const audit = (outcome: 'ok' | 'error', error?: AlmanacError) =>
      emit({
        action,
        provider: name,
        outcome,
        durationMs: clock.now() - started,
        ...(context.key === undefined ? {} : { key: context.key }),
        ...(context.bytes === undefined ? {} : { bytes: context.bytes }),
        ...(error === undefined ? {} : { errorCode: error.code }),
      });
    try {
      const result = await body(context);
      audit('ok');
      return result;
    } catch (error) {
      const mapped = toAlmanacError(error, name, action);
      logger.debug('library operation failed', { provider: name, operation: action, code: mapped.code, message: mapped.message });
      audit('error', mapped);
      throw mapped;
    }
  }

  /** Validates a read and opens it under `signal`; shared by read, readBytes, readText and move. */
  const prepareRead = (key: unknown, input: ReadOptions | undefined, operation: string) => {
    const normalized = keyOf(key, operation);
    const request = validate(readOptionsSchema, input, operation, 'options') ?? {};
    if (request.range !== undefined) ensure('rangeRead', operation);
    return { key: normalized, range: request.range, signal: request.signal };
  };

  const readSize = (info: ObjectInfo, range: { start: number; end?: number | undefined } | undefined) => {
    if (range === undefined) return info.size;
    return Math.max(0, Math.min(range.end ?? info.size, info.size) - range.start);
  };

  const readBytes = (key: string, input?: ReadOptions): Promise<Uint8Array> =>
    run('read', async (context) => {
      const request = prepareRead(key, input, 'read');
      context.key = request.key;
      const bytes = await context.within(request.signal, async (signal) => {
        const result = await provider.read(compact({ key: request.key, range: request.range, signal }) as ReadRequest);
        return collectStream(result.body, signal);
      });
      context.bytes = bytes.byteLength;
      return bytes;
    });

  async function copyOrTransfer(from: string, to: string, signal: AbortSignal, operation: string): Promise<ObjectInfo> {
    if (supports('copy') && provider.copy) return provider.copy({ from, to, signal });
    // No server-side copy: stream the object through, keeping what describes it.
    const { body, info } = await provider.read({ key: from, signal });
    return provider.write(
      compact({
        key: to,
        body,
        size: info.size,
        contentType: info.contentType,
        metadata: info.metadata,
        storageClass: capabilities.storageClass ? info.storageClass : undefined,
        signal,
      }) as WriteRequest,
    ).catch((error: unknown) => {
      logger.debug('library copy fallback failed', { provider: name, operation, from, to });
      throw error;
    });
  }

  const storage: Storage = {
    provider,
    name,
    capabilities,
    supports,

    list(input?: ListOptions): Listing {
      let request: NonNullable<z.output<typeof listOptionsSchema>>;
      let prefix: string;
      try {
        ensure('list', 'list');
        request = validate(listOptionsSchema, input, 'list', 'options') ?? {};
        prefix = normalizePrefix(request.prefix, maxKeyBytes, 'options.prefix');
        if (request.delimiter !== undefined) ensure('listDelimiter', 'list');
      } catch (error) {
        const mapped = toAlmanacError(error, name, 'list');
        emit({ action: 'list', provider: name, outcome: 'error', durationMs: 0, errorCode: mapped.code });
        throw mapped;
      }
      const { signal, cursor: startCursor, pageSize, delimiter } = request;
      const listing = paginate<ListEntry, string>(
        ({ cursor }) =>
          run('list', async (context) => {
            const page = await context.within(signal, (deadline) =>
              provider.listPage(
                compact({ prefix, delimiter, limit: pageSize, cursor: cursor ?? startCursor, signal: deadline }),
              ),
            );
            return page.nextCursor === undefined ? { items: [...page.entries] } : { items: [...page.entries], nextCursor: page.nextCursor };
          }),
        { signal },
      );
      return {
        [Symbol.asyncIterator]: () => entriesOf(listing.pages()),
        toArray: (arrayOptions) => listing.toArray(arrayOptions),
        async *pages(): AsyncGenerator<ListPage> {
          for await (const page of listing.pages()) {
            yield page.nextCursor === undefined ? { entries: page.items } : { entries: page.items, nextCursor: page.nextCursor };
          }
        },
      };
    },

    stat(key, input) {
      return run('stat', async (context) => {
        context.key = keyOf(key, 'stat');
        const { signal } = validate(callOptionsSchema, input, 'stat', 'options') ?? {};
        const info = await context.within(signal, (deadline) => provider.stat({ key: context.key as string, signal: deadline }));
        context.bytes = info.size;
        return info;
      });
    },

    exists(key, input) {
      return run('exists', async (context) => {
        context.key = keyOf(key, 'exists');
        const { signal } = validate(callOptionsSchema, input, 'exists', 'options') ?? {};
        try {
          await context.within(signal, (deadline) => provider.stat({ key: context.key as string, signal: deadline }));
          return true;
        } catch (error) {
          if (NotFoundError.isInstance(error)) return false;
          throw error;
        }
      });
    },

    read(key, input) {
      return run('read', async (context) => {
        const request = prepareRead(key, input, 'read');
        context.key = request.key;
        const result = await context.within(request.signal, (signal) =>
          provider.read(compact({ key: request.key, range: request.range, signal }) as ReadRequest),
        );
        context.bytes = readSize(result.info, request.range);
        return guardStream(result.body, request.signal, name, 'read');
      });
    },

    readBytes,

    async readText(key, input) {
      const bytes = await readBytes(key, input);
      return new TextDecoder('utf-8').decode(bytes);
    },

    write(key: string, body: WriteBody, input?: WriteOptions) {
      return run('write', async (context) => {
        context.key = keyOf(key, 'write');
        const content = validate(bodySchema, body, 'write', 'body');
        const request = validate(writeOptionsSchema, input, 'write', 'options') ?? {};
        if (request.storageClass !== undefined) checkStorageClass(request.storageClass, 'write', 'options.storageClass');
        if (request.ifNoneMatch !== undefined || request.ifMatch !== undefined) ensure('conditionalWrite', 'write');
        if (request.checksum !== undefined && !capabilities.checksums.includes(request.checksum.algorithm)) {
          throw new CapabilityError(`checksum ${request.checksum.algorithm}`, { provider: name, operation: 'write' });
        }
        const bytes = typeof content === 'string' ? encoder.encode(content) : content;
        const metadata =
          request.metadata === undefined
            ? undefined
            : Object.fromEntries(Object.entries(request.metadata).map(([field, value]) => [field.toLowerCase(), value]));
        const { signal, ...rest } = request;
        const info = await context.within(signal, (deadline) =>
          provider.write(
            compact({
              ...rest,
              metadata,
              key: context.key as string,
              body: bytes as Uint8Array | ReadableStream<Uint8Array>,
              size: bytes instanceof Uint8Array ? bytes.byteLength : undefined,
              signal: deadline,
            }) as WriteRequest,
          ),
        );
        context.bytes = info.size;
        return info;
      });
    },

    delete(key, input) {
      return run('delete', async (context) => {
        context.key = keyOf(key, 'delete');
        const { signal } = validate(callOptionsSchema, input, 'delete', 'options') ?? {};
        await context.within(signal, (deadline) => provider.delete({ key: context.key as string, signal: deadline }));
      });
    },

    deleteMany(keys, input) {
      return run('deleteMany', async (context) => {
        if (!Array.isArray(keys)) throw new ValidationError(undefined, [{ path: 'keys', message: 'must be an array of keys' }]);
        const normalized = [...new Set(keys.map((key, index) => keyOf(key, 'deleteMany', `keys.${index}`)))];
        const { signal } = validate(callOptionsSchema, input, 'deleteMany', 'options') ?? {};
        if (normalized.length === 0) return { failed: [] };
        return context.within(signal, async (deadline): Promise<DeleteManyResult> => {
          if (provider.deleteMany) return provider.deleteMany({ keys: normalized, signal: deadline });
          const failed: { key: string; error: Error }[] = [];
          let next = 0;
          const worker = async () => {
            while (next < normalized.length) {
              const key = normalized[next++] as string;
              try {
                await provider.delete({ key, signal: deadline });
              } catch (error) {
                if (deadline.aborted) throw error;
                failed.push({ key, error: toAlmanacError(error, name, 'delete') });
              }
            }
          };
          await Promise.all(Array.from({ length: Math.min(DELETE_CONCURRENCY, normalized.length) }, worker));
          return { failed };
        });
      });
    },

    copy(from, to, input) {
      return run('copy', async (context) => {
        const source = keyOf(from, 'copy', 'from');
        context.key = source;
        const target = keyOf(to, 'copy', 'to');
        const { signal } = validate(callOptionsSchema, input, 'copy', 'options') ?? {};
        ensure('copy', 'copy');
        const copy = provider.copy?.bind(provider) as NonNullable<StorageProvider['copy']>;
        const info = await context.within(signal, (deadline) => copy({ from: source, to: target, signal: deadline }));
        context.bytes = info.size;
        return info;
      });
    },

    move(from, to, input) {
      return run('move', async (context) => {
        const source = keyOf(from, 'move', 'from');
        context.key = source;
        const target = keyOf(to, 'move', 'to');
        const { signal } = validate(callOptionsSchema, input, 'move', 'options') ?? {};
        const info = await context.within(signal, async (deadline) => {
          // Copy-then-delete onto itself would delete the object; it is a no-op instead.
          if (source === target) return provider.stat({ key: source, signal: deadline });
          const copied = await copyOrTransfer(source, target, deadline, 'move');
          await provider.delete({ key: source, signal: deadline });
          return copied;
        });
        context.bytes = info.size;
        return info;
      });
    },

    signedUrl(key, input: SignedUrlOptions) {
      return run('signedUrl', async (context) => {
        context.key = keyOf(key, 'signedUrl');
        const request = validate(signedUrlOptionsSchema, input, 'signedUrl', 'options');
        ensure(request.action === 'read' ? 'signedRead' : 'signedWrite', 'signedUrl');
        const sign = provider.signedUrl?.bind(provider) as NonNullable<StorageProvider['signedUrl']>;
        const { signal, ...rest } = request;
        return context.within(signal, (deadline) => sign(compact({ ...rest, key: context.key as string, signal: deadline })));
      });
    },

    setStorageClass(key, storageClass, input) {
      return run('setStorageClass', async (context) => {
        context.key = keyOf(key, 'setStorageClass');
        if (typeof storageClass !== 'string') {
          throw new ValidationError(undefined, [{ path: 'storageClass', message: 'must be a string' }], { provider: name, operation: 'setStorageClass' });
        }
        checkStorageClass(storageClass, 'setStorageClass', 'storageClass');
        const { signal } = validate(callOptionsSchema, input, 'setStorageClass', 'options') ?? {};
        const set = provider.setStorageClass?.bind(provider) as NonNullable<StorageProvider['setStorageClass']>;
        await context.within(signal, (deadline) => set({ key: context.key as string, storageClass, signal: deadline }));
      });
    },

    getVersioning(input?: StorageCallOptions) {
      return run('getVersioning', async (context) => {
        ensure('versioning', 'getVersioning');
        const { signal } = validate(callOptionsSchema, input, 'getVersioning', 'options') ?? {};
        const get = provider.getVersioning?.bind(provider) as NonNullable<StorageProvider['getVersioning']>;
        return context.within(signal, (deadline) => get({ signal: deadline }));
      });
    },

    setVersioning(enabled, input) {
      return run('setVersioning', async (context) => {
        ensure('versioning', 'setVersioning');
        if (typeof enabled !== 'boolean') {
          throw new ValidationError(undefined, [{ path: 'enabled', message: 'must be a boolean' }], { provider: name, operation: 'setVersioning' });
        }
        const { signal } = validate(callOptionsSchema, input, 'setVersioning', 'options') ?? {};
        const set = provider.setVersioning?.bind(provider) as NonNullable<StorageProvider['setVersioning']>;
        await context.within(signal, (deadline) => set({ enabled, signal: deadline }));
      });
    },

    listVersions(input) {
      let prefix: string;
      let signal: AbortSignal | undefined;
      try {
        ensure('versioning', 'listVersions');
        const request = validate(listVersionsOptionsSchema, input, 'listVersions', 'options') ?? {};
        prefix = normalizePrefix(request.prefix, maxKeyBytes, 'options.prefix');
        signal = request.signal;
      } catch (error) {
        const mapped = toAlmanacError(error, name, 'listVersions');
        emit({ action: 'listVersions', provider: name, outcome: 'error', durationMs: 0, errorCode: mapped.code });
        throw mapped;
      }
      const listPage = provider.listVersionsPage?.bind(provider) as NonNullable<StorageProvider['listVersionsPage']>;
      return paginate<ObjectVersion, string>(
        ({ cursor }) =>
          run('listVersions', async (context) => {
            const page = await context.within(signal, (deadline) => listPage(compact({ prefix, cursor, signal: deadline })));
            return page.nextCursor === undefined ? { items: [...page.versions] } : { items: [...page.versions], nextCursor: page.nextCursor };
          }),
        { signal },
      );
    },

    getTags(key, input) {
      return run('getTags', async (context) => {
        context.key = keyOf(key, 'getTags');
        ensure('tags', 'getTags');
        const { signal } = validate(callOptionsSchema, input, 'getTags', 'options') ?? {};
        const get = provider.getTags?.bind(provider) as NonNullable<StorageProvider['getTags']>;
        const tags = await context.within(signal, (deadline) => get({ key: context.key as string, signal: deadline }));
        return { ...tags };
      });
    },

    setTags(key, tags, input) {
      return run('setTags', async (context) => {
        context.key = keyOf(key, 'setTags');
        ensure('tags', 'setTags');
        const checked = validate(tagsSchema, tags, 'setTags', 'tags');
        const { signal } = validate(callOptionsSchema, input, 'setTags', 'options') ?? {};
        const set = provider.setTags?.bind(provider) as NonNullable<StorageProvider['setTags']>;
        await context.within(signal, (deadline) => set({ key: context.key as string, tags: checked, signal: deadline }));
      });
    },

    posture(input) {
      return run('posture', async (context) => {
        ensure('posture', 'posture');
        const { signal } = validate(callOptionsSchema, input, 'posture', 'options') ?? {};
        const check = provider.posture?.bind(provider) as NonNullable<StorageProvider['posture']>;
        return context.within(signal, (deadline) => check({ signal: deadline }));
      });
    },
  };
  return storage;
}
