import { NotFoundError, compact } from '@almanac/core';
import type { ObjectInfo, ReadRequest } from '../spec';
import { perform } from './kernel';
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
  const reading = { idempotent: true, plain: true } as const;

  /** The provider request of a read, once the range (if any) is known to be supported. */
  const requestOf = (key: string, range: RequestedRange | undefined, signal: AbortSignal): ReadRequest => {
    if (range !== undefined) runner.require('rangeRead', 'read');
    return compact({ key, range, signal }) as ReadRequest;
  };

  const readBytes = (key: string, options?: ReadOptions): Promise<Uint8Array> =>
    perform(
      kernel,
      'read',
      { key, options },
      input.read,
      async (call, context) => {
        const range = call.options?.range;
        // The provider's own whole-body path when it has one (no web stream per chunk).
        if (range === undefined && provider.readBytes) {
          const { bytes } = await provider.readBytes({ key: call.key, signal: context.signal });
          context.annotate({ bytes: bytes.byteLength });
          return bytes;
        }
        // The deadline covers the whole transfer, so the body is collected under it.
        const result = await provider.read(requestOf(call.key, range, context.signal));
        const bytes = await collectStream(result.body, context.signal);
        context.annotate({ bytes: bytes.byteLength });
        return bytes;
      },
      reading,
    );

  return {
    stat: (key, options) =>
      perform(
        kernel,
        'stat',
        { key, options },
        input.key,
        async (call, context) => {
          const info = await provider.stat({ key: call.key, signal: context.signal });
          context.annotate({ bytes: info.size });
          return info;
        },
        reading,
      ),

    exists: (key, options) =>
      perform(
        kernel,
        'exists',
        { key, options },
        input.key,
        (call, context) =>
          provider.stat({ key: call.key, signal: context.signal }).then(
            () => true,
            (error: unknown) => {
              if (NotFoundError.isInstance(error)) return false;
              throw error;
            },
          ),
        reading,
      ),

    read: (key, options) =>
      perform(
        kernel,
        'read',
        { key, options },
        input.read,
        async (call, context) => {
          const range = call.options?.range;
          // The deadline covers opening the object; the stream then answers to the caller's signal only.
          const result = await provider.read(requestOf(call.key, range, context.signal));
          context.annotate({ bytes: readSize(result.info, range) });
          return guardStream(result.body, call.options?.signal, name, 'read');
        },
        reading,
      ),

    readBytes,

    async readText(key, options) {
      const bytes = await readBytes(key, options);
      return new TextDecoder('utf-8').decode(bytes);
    },
  };
}
