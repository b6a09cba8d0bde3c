import { NotFoundError, compact } from '@almanac/core';
import type { ObjectInfo, ReadRequest } from '../spec';
import { signalOf } from './kernel';
import type { StorageKernel } from './kernel';
import { collectStream, guardStream } from './streams';
import type { ReadOptions, Storage } from './types';

/** A validated `ReadOptions.range`. */
type RequestedRange = { readonly start: number; readonly end?: number | undefined };

/** Bytes a read of `range` transfers, for the audit event. */
function readSize(info: ObjectInfo, range: RequestedRange | undefined): number {
  if (range === undefined) return info.size;
  return Math.max(0, Math.min(range.end ?? info.size, info.size) - range.start);
}

/** `stat`, `exists` and the three reads of the facade. */
export function readOperations(kernel: StorageKernel): Pick<Storage, 'stat' | 'exists' | 'read' | 'readBytes' | 'readText'> {
  const { runner, provider, input, name } = kernel;

  /** The provider request of a read, once the range (if any) is known to be supported. */
  const requestOf = (key: string, range: RequestedRange | undefined, signal: AbortSignal): ReadRequest => {
    if (range !== undefined) runner.require('rangeRead', 'read');
    return compact({ key, range, signal }) as ReadRequest;
  };

  const readBytes = (key: string, options?: ReadOptions): Promise<Uint8Array> =>
    runner.run(
      'read',
      { key, options },
      input.read,
      async (call, context) => {
        context.annotate({ key: call.key });
        // The deadline covers the whole transfer, so the body is collected under it.
        const result = await provider.read(requestOf(call.key, call.options?.range, context.signal));
        const bytes = await collectStream(result.body, context.signal);
        context.annotate({ bytes: bytes.byteLength });
        return bytes;
      },
      { signal: signalOf(options), idempotent: true },
    );

  return {
    stat: (key, options) =>
      runner.run(
        'stat',
        { key, options },
        input.key,
        async (call, context) => {
          context.annotate({ key: call.key });
          const info = await provider.stat({ key: call.key, signal: context.signal });
          context.annotate({ bytes: info.size });
          return info;
        },
        { signal: signalOf(options), idempotent: true },
      ),

    exists: (key, options) =>
      runner.run(
        'exists',
        { key, options },
        input.key,
        async (call, context) => {
          context.annotate({ key: call.key });
          try {
            await provider.stat({ key: call.key, signal: context.signal });
            return true;
          } catch (error) {
            if (NotFoundError.isInstance(error)) return false;
            throw error;
          }
        },
        { signal: signalOf(options), idempotent: true },
      ),

    read: (key, options) =>
      runner.run(
        'read',
        { key, options },
        input.read,
        async (call, context) => {
          context.annotate({ key: call.key });
          const range = call.options?.range;
          // The deadline covers opening the object; the stream then answers to the caller's signal only.
          const result = await provider.read(requestOf(call.key, range, context.signal));
          context.annotate({ bytes: readSize(result.info, range) });
          return guardStream(result.body, call.options?.signal, name, 'read');
        },
        { signal: signalOf(options), idempotent: true },
      ),

    readBytes,

    async readText(key, options) {
      const bytes = await readBytes(key, options);
      return new TextDecoder('utf-8').decode(bytes);
    },
  };
}
