import { CapabilityError, compact } from '@almanac/core';
import { toAlmanacError } from '@almanac/core/kit';
import type { WriteRequest } from '../spec';
import { checkStorageClass, perform } from './kernel';
import type { StorageKernel } from './kernel';
import type { DeleteManyResult, Storage } from './types';

// Fallback deleteMany for providers without a batch call: enough parallelism to be quick,
// little enough not to trip rate limits.
const DELETE_CONCURRENCY = 8;

const encoder = new TextEncoder();

function lowerCaseKeys(record: Readonly<Record<string, string>> | undefined): Record<string, string> | undefined {
  return record === undefined ? undefined : Object.fromEntries(Object.entries(record).map(([field, value]) => [field.toLowerCase(), value]));
}

/** `write`, `delete` and `deleteMany` of the facade. */
export function writeOperations(kernel: StorageKernel): Pick<Storage, 'write' | 'delete' | 'deleteMany'> {
  const { runner, provider, input, name, capabilities } = kernel;

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
      perform(kernel, 'write', { key, body, options }, input.write, async (call, context) => {
        const { signal: _caller, ...request } = call.options ?? {};
        if (request.storageClass !== undefined) checkStorageClass(kernel, request.storageClass, 'write', 'options.storageClass');
        if (request.ifNoneMatch !== undefined || request.ifMatch !== undefined) runner.require('conditionalWrite', 'write');
        if (request.checksum !== undefined && !capabilities.checksums.includes(request.checksum.algorithm)) {
          throw new CapabilityError(`checksum ${request.checksum.algorithm}`, { provider: name, operation: 'write' });
        }
        const bytes = typeof call.body === 'string' ? encoder.encode(call.body) : call.body;
        const info = await provider.write(
          compact({
            ...request,
            metadata: lowerCaseKeys(request.metadata),
            key: call.key,
            body: bytes as Uint8Array | ReadableStream<Uint8Array>,
            size: bytes instanceof Uint8Array ? bytes.byteLength : undefined,
            signal: context.signal,
          }) as WriteRequest,
        );
        context.annotate({ bytes: info.size });
        return info;
      }),

    delete: (key, options) =>
      perform(kernel, 'delete', { key, options }, input.key, (call, context) => provider.delete({ key: call.key, signal: context.signal }), {
        idempotent: true,
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
