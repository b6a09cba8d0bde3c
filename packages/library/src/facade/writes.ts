import { CapabilityError, compact } from '@almanac/core';
import { toAlmanacError } from '@almanac/core/kit';
import type { WriteRequest } from '../spec';
import { checkStorageClass, perform } from './kernel';
import { iterableToStream } from './streams';
import type { StorageKernel } from './kernel';
import type { DeleteManyResult, Storage } from './types';

// Fallback deleteMany for providers without a batch call: enough parallelism to be quick,
// little enough not to trip rate limits.
const DELETE_CONCURRENCY = 8;

const encoder = new TextEncoder();

/** Longest deadline a timer can hold (about 24.8 days): what "no deadline" means here. */
export const NO_WRITE_DEADLINE_MS = 2_147_483_647;
/** Default throughput a write of known size is given time for, on top of the call deadline. */
export const DEFAULT_WRITE_MIN_BYTES_PER_SECOND = 1024 * 1024;

/** Size of a body known before sending it, in bytes (a string's UTF-8 length without encoding it). */
function knownSize(body: unknown): number | undefined {
  if (body instanceof Uint8Array) return body.byteLength;
  // An upper bound (3 bytes per UTF-16 unit) is enough for a deadline and costs nothing.
  if (typeof body === 'string') return body.length * 3;
  return undefined;
}

/**
 * The deadline of one write: `writeTimeoutMs` when set; otherwise the call deadline plus the
 * time the body takes at `writeMinBytesPerSecond`, so a large upload is not cut off at 60 s; a
 * stream of unknown size has no deadline of its own (only the caller's signal ends it).
 */
export function writeDeadlineMs(
  body: unknown,
  settings: { readonly timeoutMs: number; readonly writeTimeoutMs?: number | undefined; readonly writeMinBytesPerSecond?: number | undefined },
): number {
  if (settings.writeTimeoutMs !== undefined) return settings.writeTimeoutMs;
  const size = knownSize(body);
  if (size === undefined) return NO_WRITE_DEADLINE_MS;
  const rate = settings.writeMinBytesPerSecond ?? DEFAULT_WRITE_MIN_BYTES_PER_SECOND;
  return Math.min(NO_WRITE_DEADLINE_MS, Math.ceil(settings.timeoutMs + (size / rate) * 1000));
}

/** The provider's body: bytes as they are, strings as UTF-8, async iterables as a web stream. */
function providerBody(body: unknown): Uint8Array | ReadableStream<Uint8Array> {
  if (typeof body === 'string') return encoder.encode(body);
  if (body instanceof Uint8Array || body instanceof ReadableStream) return body as Uint8Array | ReadableStream<Uint8Array>;
  return iterableToStream(body as AsyncIterable<unknown>);
}

function lowerCaseKeys(record: Readonly<Record<string, string>> | undefined): Record<string, string> | undefined {
  return record === undefined ? undefined : Object.fromEntries(Object.entries(record).map(([field, value]) => [field.toLowerCase(), value]));
}

/** `write`, `delete` and `deleteMany` of the facade. */
export function writeOperations(kernel: StorageKernel): Pick<Storage, 'write' | 'delete' | 'deleteMany'> {
  const { runner, provider, input, name, capabilities } = kernel;
  const deadline = { timeoutMs: runner.timeoutMs, writeTimeoutMs: kernel.writeTimeoutMs, writeMinBytesPerSecond: kernel.writeMinBytesPerSecond };

  /** One `delete` per key, a few at a time; per-key failures are collected, an abort ends it all. */
  const deleteEach = async (keys: readonly string[], signal: AbortSignal): Promise<DeleteManyResult> => {
    const failed: { key: string; error: Error }[] = [];
    let next = 0;
    const worker = async () => {
      while (next < keys.length) {
        const key = keys[next++] as string;
        try {
          await provider.delete({ key, signal });
        } catch (error) {
          if (signal.aborted) throw error;
          failed.push({ key, error: toAlmanacError(error, name, 'delete') });
        }
      }
    };
    await Promise.all(Array.from({ length: Math.min(DELETE_CONCURRENCY, keys.length) }, worker));
    return { failed };
  };

  return {
    write: (key, body, options) =>
      perform(
        kernel,
        'write',
        { key, body, options },
        input.write,
        async (call, context) => {
        const { signal: _caller, ...request } = call.options ?? {};
        if (request.storageClass !== undefined) checkStorageClass(kernel, request.storageClass, 'write', 'options.storageClass');
        if (request.ifNoneMatch !== undefined || request.ifMatch !== undefined) runner.require('conditionalWrite', 'write');
        if (request.checksum !== undefined && !capabilities.checksums.includes(request.checksum.algorithm)) {
          throw new CapabilityError(`checksum ${request.checksum.algorithm}`, { provider: name, operation: 'write' });
        }
        const bytes = providerBody(call.body);
        const info = await provider.write(
          compact({
            ...request,
            metadata: lowerCaseKeys(request.metadata),
            key: call.key,
            body: bytes,
            size: bytes instanceof Uint8Array ? bytes.byteLength : undefined,
            signal: context.signal,
          }) as WriteRequest,
        );
        context.annotate({ bytes: info.size });
        return info;
        },
        { timeoutMs: writeDeadlineMs(body, deadline), plain: true },
      ),

    delete: (key, options) =>
      perform(kernel, 'delete', { key, options }, input.key, (call, context) => provider.delete({ key: call.key, signal: context.signal }), {
        idempotent: true,
        plain: true,
      }),

    deleteMany: (keys, options) =>
      perform(
        kernel,
        'deleteMany',
        { keys, options },
        input.keys,
        async (call, context): Promise<DeleteManyResult> => {
          const unique = [...new Set(call.keys)];
          if (unique.length === 0) return { failed: [] };
          if (provider.deleteMany) return provider.deleteMany({ keys: unique, signal: context.signal });
          return deleteEach(unique, context.signal);
        },
        { idempotent: true },
      ),
  };
}
