/**
 * `@almanac/library/fs`: objects as files under a root directory, with atomic writes,
 * sidecar metadata, streamed listing and HMAC-signed URLs served by a `node:http` handler.
 *
 * `signedRead`/`signedWrite` are only declared when both `baseUrl` and `signingSecret` are
 * given: the URLs point at `baseUrl`, where {@link createSignedUrlHandler} must be mounted.
 *
 * @packageDocumentation
 */
import { createStorage } from '../../facade/create-storage';
import type { Storage, StorageOptions } from '../../facade/types';
import type { FsProviderOptions } from './options';
import { createFsStorageProvider } from './provider';

export { createFsStorageProvider } from './provider';
export type { FsProvider, FsProviderOptions } from './options';
export type { FsWriteHooks } from './atomic';
export { createSignedUrlHandler } from './handler';
export type { SignedUrlHandler, SignedUrlHandlerOptions } from './handler';

/**
 * The bare local-disk provider, under its old name.
 *
 * @deprecated Use {@link createFsStorageProvider} (factories are named
 * `create<Provider><Domain>Provider`); this alias is removed in the next minor release.
 */
export const createFsProvider: typeof createFsStorageProvider = createFsStorageProvider;

/** Options of {@link createFsStorage}: the provider's and the facade's. */
export interface FsStorageOptions extends Omit<FsProviderOptions, 'clock'>, StorageOptions {}

/** Creates a {@link Storage} over a local directory (see {@link createFsStorageProvider}). */
export function createFsStorage(options: FsStorageOptions): Storage {
  const { root, signingSecret, baseUrl, hooks, clock, timeoutMs, logger, onEvent } = options;
  const provider = createFsStorageProvider({ root, signingSecret, baseUrl, clock, hooks });
  const storageOptions: StorageOptions = {
    ...(timeoutMs === undefined ? {} : { timeoutMs }),
    ...(logger === undefined ? {} : { logger }),
    ...(clock === undefined ? {} : { clock }),
    ...(onEvent === undefined ? {} : { onEvent }),
  };
  return createStorage(provider, storageOptions);
}
