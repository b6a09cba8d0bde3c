import { compact } from '@almanac/core';
import { checkStorageClass, signalOf } from './kernel';
import type { StorageKernel } from './kernel';
import type { Storage } from './types';

/** What the facade can do to one object besides reading and writing it: storage class, tags, signed URLs. */
export function objectSettingOperations(kernel: StorageKernel): Pick<Storage, 'setStorageClass' | 'getTags' | 'setTags' | 'signedUrl'> {
  const { runner, input } = kernel;
  return {
    setStorageClass: (key, storageClass, options) =>
      runner.run(
        'setStorageClass',
        { key, storageClass, options },
        input.storageClass,
        async (call, context) => {
          context.annotate({ key: call.key });
          checkStorageClass(kernel, call.storageClass, 'setStorageClass', 'storageClass');
          const provider = runner.require('storageClass', 'setStorageClass');
          await provider.setStorageClass({ key: call.key, storageClass: call.storageClass, signal: context.signal });
        },
        { signal: signalOf(options), capability: 'storageClass', idempotent: true },
      ),

    getTags: (key, options) =>
      runner.run(
        'getTags',
        { key, options },
        input.key,
        async (call, context) => {
          context.annotate({ key: call.key });
          const tags = await runner.require('tags', 'getTags').getTags({ key: call.key, signal: context.signal });
          return { ...tags };
        },
        { signal: signalOf(options), capability: 'tags', idempotent: true },
      ),

    setTags: (key, tags, options) =>
      runner.run(
        'setTags',
        { key, tags, options },
        input.tags,
        async (call, context) => {
          context.annotate({ key: call.key });
          await runner.require('tags', 'setTags').setTags({ key: call.key, tags: call.tags, signal: context.signal });
        },
        { signal: signalOf(options), capability: 'tags', idempotent: true },
      ),

    signedUrl: (key, options) =>
      runner.run(
        'signedUrl',
        { key, options },
        input.signedUrl,
        (call, context) => {
          context.annotate({ key: call.key });
          const { signal: _caller, action, ...rest } = call.options;
          const provider = runner.require(action === 'read' ? 'signedRead' : 'signedWrite', 'signedUrl');
          return provider.signedUrl(compact({ ...rest, action, key: call.key, signal: context.signal }));
        },
        { signal: signalOf(options) },
      ),
  };
}
