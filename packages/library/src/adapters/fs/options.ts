import type { Clock } from '@almanac/core';
import * as z from '@almanac/core/schema';
import type { StorageProvider } from '../../spec';
import type { FsWriteHooks } from './atomic';

/** Options of {@link createFsStorageProvider}. */
export interface FsProviderOptions {
  /** Directory holding the objects; created on first write. */
  root: string;
  /** Secret for signed URLs; with `baseUrl`, enables `signedRead` and `signedWrite`. */
  signingSecret?: string | Uint8Array | undefined;
  /** Public URL where `createSignedUrlHandler` is mounted, e.g. `http://127.0.0.1:8080/files`. */
  baseUrl?: string | undefined;
  /** Source of time for signed URL expiry. */
  clock?: Clock | undefined;
  /**
   * Sign read URLs for inline display even of active content (`text/html`, `image/svg+xml`,
   * scripts, XML). By default the signed URL handler serves those as attachments, so an
   * uploaded page cannot run as the handler's origin. Default `false`.
   */
  inlineActiveContent?: boolean | undefined;
  /** Fault-injection hooks for tests; leave unset in production. */
  hooks?: FsWriteHooks | undefined;
}

/** The local-disk provider, with its housekeeping. */
export interface FsProvider extends StorageProvider {
  /** The resolved root directory. */
  readonly root: string;
  /** The configured signed URL base, if any. */
  readonly baseUrl: string | undefined;
  /**
   * Removes temp files left by a crash mid-write that are older than `olderThanMs`
   * (default one hour, so in-flight writes are not touched). Returns how many were removed.
   */
  sweepTempFiles(options?: { readonly olderThanMs?: number | undefined }): Promise<number>;
}

/** Validates {@link FsProviderOptions} (every bad field at once). */
export const optionsSchema = z.object({
  root: z.string().min(1),
  signingSecret: z.union([z.string().min(1), z.instanceof(Uint8Array).refine((v) => v.length > 0, 'must not be empty')]).optional(),
  baseUrl: z.url().optional(),
  clock: z.custom<Clock>((v) => typeof v === 'object' && v !== null && typeof (v as Clock).now === 'function', 'must be a Clock').optional(),
  hooks: z.custom<FsWriteHooks>((v) => typeof v === 'object' && v !== null, 'must be an object').optional(),
  inlineActiveContent: z.boolean().optional(),
});
