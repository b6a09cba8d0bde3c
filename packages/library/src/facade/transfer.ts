import { compact } from '@almanac/core';
import type { ObjectInfo, WriteRequest } from '../spec';
import { perform } from './kernel';
import type { StorageKernel } from './kernel';
import type { Storage } from './types';

/** `copy` (server-side only) and `move` (server-side copy, or read + write) of the facade. */
export function transferOperations(kernel: StorageKernel): Pick<Storage, 'copy' | 'move'> {
  const { runner, provider, input, name, capabilities, logger } = kernel;

  /** A server-side copy when the provider has one, else the object streamed through, keeping what describes it. */
  const copyOrTransfer = async (from: string, to: string, signal: AbortSignal): Promise<ObjectInfo> => {
    if (runner.supports('copy')) return runner.require('copy', 'move').copy({ from, to, signal });
    const { body, info } = await provider.read({ key: from, signal });
    return provider
      .write(
        compact({
          key: to,
          body,
          size: info.size,
          contentType: info.contentType,
          metadata: info.metadata,
          storageClass: capabilities.storageClass ? info.storageClass : undefined,
          signal,
        }) as WriteRequest,
      )
      .catch((error: unknown) => {
        logger.debug('library copy fallback failed', { provider: name, operation: 'move', from, to });
        throw error;
      });
  };

  return {
    copy: (from, to, options) =>
      perform(
        kernel,
        'copy',
        { from, to, options },
        input.transfer,
        async (call, context) => {
          const info = await runner.require('copy', 'copy').copy({ from: call.from, to: call.to, signal: context.signal });
          context.annotate({ bytes: info.size });
          return info;
        },
        { capability: 'copy', idempotent: true },
      ),

    move: (from, to, options) =>
      perform(kernel, 'move', { from, to, options }, input.transfer, async (call, context) => {
        const signal = context.signal;
        let info: ObjectInfo;
        // Copy-then-delete onto itself would delete the object; it is a no-op instead.
        if (call.from === call.to) info = await provider.stat({ key: call.from, signal });
        else {
          info = await copyOrTransfer(call.from, call.to, signal);
          // The source goes only once the copy succeeded.
          await provider.delete({ key: call.from, signal });
        }
        context.annotate({ bytes: info.size });
        return info;
      }),
  };
}
