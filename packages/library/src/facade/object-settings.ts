import { compact } from '@almanac/core';
import { checkStorageClass, perform } from './kernel';
import type { StorageKernel } from './kernel';
import type { SignedRequest, SignedUrlOptions, Storage } from './types';

/** What the facade can do to one object besides reading and writing it: storage class, restore, tags, signed URLs. */
export function objectSettingOperations(kernel: StorageKernel): Pick<Storage, 'setStorageClass' | 'getTags' | 'setTags' | 'signedUrl' | 'signedRequest' | 'restore'> {
  const { runner, input } = kernel;
  const tagging = { capability: 'tags', idempotent: true } as const;
  return {
    setStorageClass: (key, storageClass, options) =>
      perform(
        kernel,
        'setStorageClass',
        { key, storageClass, options },
        input.storageClass,
        async (call, context) => {
          checkStorageClass(kernel, call.storageClass, 'setStorageClass', 'storageClass');
          const provider = runner.require('storageClass', 'setStorageClass');
          await provider.setStorageClass({ key: call.key, storageClass: call.storageClass, signal: context.signal });
        },
        { capability: 'storageClass', idempotent: true },
      ),

    getTags: (key, options) =>
      perform(
        kernel,
        'getTags',
        { key, options },
        input.key,
        async (call, context) => ({ ...(await runner.require('tags', 'getTags').getTags({ key: call.key, signal: context.signal })) }),
        tagging,
      ),

    setTags: (key, tags, options) =>
      perform(
        kernel,
        'setTags',
        { key, tags, options },
        input.tags,
        (call, context) => runner.require('tags', 'setTags').setTags({ key: call.key, tags: call.tags, signal: context.signal }),
        tagging,
      ),

    restore: (key, options) =>
      perform(
        kernel,
        'restore',
        { key, options },
        input.restore,
        (call, context) => {
          const { signal: _caller, ...rest } = call.options ?? {};
          return runner.require('restore', 'restore').restore(compact({ ...rest, key: call.key, signal: context.signal }));
        },
        { capability: 'restore', idempotent: true },
      ),

    signedUrl: async (key, options) => (await sign(kernel, 'signedUrl', key, options)).url,
    signedRequest: (key, options) => sign(kernel, 'signedRequest', key, options),
  };
}

/** `signedUrl` and `signedRequest`: one validation and capability check, audited under `operation`. */
function sign(kernel: StorageKernel, operation: 'signedUrl' | 'signedRequest', key: string, options: SignedUrlOptions): Promise<SignedRequest> {
  const { runner, input } = kernel;
  return perform(kernel, operation, { key, options }, input.signedUrl, async (call, context) => {
    const { signal: _caller, action, ...rest } = call.options;
    const provider = runner.require(action === 'read' ? 'signedRead' : 'signedWrite', operation);
    const signedAt = runner.clock.now();
    const signed = await provider.signedUrl(compact({ ...rest, action, key: call.key, signal: context.signal }));
    const method = action === 'read' ? 'GET' : 'PUT';
    const fallbackExpiry = new Date(signedAt + call.options.expiresIn * 1000);
    if (typeof signed === 'string') {
      // A 0.1 adapter returns the bare URL: the only header that contract promised was the signed type.
      const contentType = action === 'write' ? call.options.contentType : undefined;
      return { url: signed, method, headers: contentType === undefined ? {} : { 'content-type': contentType }, expiresAt: fallbackExpiry };
    }
    return { url: signed.url, method, headers: { ...signed.headers }, expiresAt: signed.expiresAt ?? fallbackExpiry };
  });
}
