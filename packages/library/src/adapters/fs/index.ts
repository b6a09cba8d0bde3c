/**
 * `@almanac/library/fs`: objects as files under a root directory, with atomic writes,
 * sidecar metadata, streamed listing and HMAC-signed URLs served by a `node:http` handler.
 *
 * `signedRead`/`signedWrite` are only declared when both `baseUrl` and `signingSecret` are
 * given: the URLs point at `baseUrl`, where {@link createSignedUrlHandler} must be mounted.
 *
 * @packageDocumentation
 */
import { checkFactoryOptions } from '@almanac/core';
import type { OptionKeys } from '@almanac/core';
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

// Every option, so plain-JavaScript callers get "did you mean" for a misspelt one (the type keeps it complete).
const FS_STORAGE_OPTION_KEYS: OptionKeys<FsStorageOptions> = { root: true, signingSecret: true, baseUrl: true, inlineActiveContent: true, hooks: true, timeoutMs: true, writeTimeoutMs: true, writeMinBytesPerSecond: true, logger: true, clock: true, onEvent: true };

/** Creates a {@link Storage} over a local directory (see {@link createFsStorageProvider}). */
export function createFsStorage(options: FsStorageOptions): Storage {
  checkFactoryOptions(options, FS_STORAGE_OPTION_KEYS, { factory: 'createFsStorage', provider: 'fs', required: ['root'] });
  const { root, signingSecret, baseUrl, hooks, clock, timeoutMs, writeTimeoutMs, writeMinBytesPerSecond, logger, onEvent } = options;
  const provider = createFsStorageProvider({ root, signingSecret, baseUrl, clock, hooks });
  const storageOptions: StorageOptions = {
    ...(timeoutMs === undefined ? {} : { timeoutMs }),
    ...(writeTimeoutMs === undefined ? {} : { writeTimeoutMs }),
    ...(writeMinBytesPerSecond === undefined ? {} : { writeMinBytesPerSecond }),
    ...(logger === undefined ? {} : { logger }),
    ...(clock === undefined ? {} : { clock }),
    ...(onEvent === undefined ? {} : { onEvent }),
  };
  return createStorage(provider, storageOptions);
}
export { migrateFsLayout } from './migrate';
export type { FsLayoutMigration } from './migrate';
