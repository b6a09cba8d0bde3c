import { parse } from '@almanac/core';
import type { Clock, Logger, RetryPolicy } from '@almanac/core';
import * as z from '@almanac/core/schema';
import type { GcsClientLike, GcsSdkImporter } from './client';
import { GCS_PROVIDER } from './errors';

/** Default size above which writes use a resumable upload session. */
export const DEFAULT_RESUMABLE_THRESHOLD = 8 * 1024 * 1024;
/** GCS requires resumable chunks (except the last) to be multiples of 256 KiB. */
export const CHUNK_GRANULARITY = 256 * 1024;

/** Options of `createGcsStorageProvider`. */
export interface GcsProviderOptions {
  /** Bucket every key lives in. */
  readonly bucket: string;
  /**
   * A `Storage` from `@google-cloud/storage` to use as is (typed structurally). Build it with
   * `retryOptions: { autoRetry: false }` so retries follow one policy (core's `withRetry`);
   * without one, a client is built from the settings below on first use.
   */
  readonly storage?: GcsClientLike | undefined;
  /** Project of the built client. */
  readonly projectId?: string | undefined;
  /** Service-account key file of the built client. */
  readonly keyFilename?: string | undefined;
  /** Service-account credentials of the built client (signed URLs need `private_key`). */
  readonly credentials?: Readonly<Record<string, unknown>> | undefined;
  /** Endpoint other than `https://storage.googleapis.com`. */
  readonly apiEndpoint?: string | undefined;
  /** Writes above this many bytes (or of unknown size) use a resumable session (default 8 MiB). */
  readonly resumableThreshold?: number | undefined;
  /**
   * Bytes per request of a resumable upload (default 8 MiB, a multiple of 256 KiB). Each
   * chunk is buffered so a failed chunk can be resent: after a failure the session is asked how
   * much it persisted and the upload continues from there (see `resumable.ts`). `0` sends the
   * body in one request through the SDK, which is then not resumed.
   */
  readonly chunkSize?: number | undefined;
  /** Retry policy of idempotent calls. */
  readonly retry?: RetryPolicy | undefined;
  /** Clock of backoff sleeps and signed-URL expiry. */
  readonly clock?: Clock | undefined;
  /** Debug lines about retries. */
  readonly logger?: Logger | undefined;
  /** SDK importer, for tests of the missing-package path. */
  readonly importer?: GcsSdkImporter | undefined;
}

const optionsSchema = z.object({
  // GCS bucket names: 3-63 chars per dot-separated part, up to 222 in all.
  bucket: z.string().regex(/^[a-z0-9][a-z0-9._-]{1,220}[a-z0-9]$/, 'must be a valid GCS bucket name'),
  storage: z.custom<GcsClientLike>((value) => typeof (value as { bucket?: unknown } | null)?.bucket === 'function', 'must have a bucket() method').optional(),
  projectId: z.string().min(1).optional(),
  keyFilename: z.string().min(1).optional(),
  credentials: z.record(z.string(), z.unknown()).optional(),
  apiEndpoint: z.url().optional(),
  resumableThreshold: z.int().min(0).optional(),
  chunkSize: z
    .int()
    .min(0)
    .refine((value) => value % CHUNK_GRANULARITY === 0, 'must be a multiple of 262144 (256 KiB)')
    .optional(),
});

/** Options after validation, with defaults. */
export interface ResolvedGcsOptions extends GcsProviderOptions {
  readonly resumableThreshold: number;
  readonly chunkSize: number;
}

/** Validates options (every bad field at once) and fills in defaults. */
export function resolveGcsOptions(options: GcsProviderOptions): ResolvedGcsOptions {
  parse(optionsSchema.loose(), options, { provider: GCS_PROVIDER, operation: 'createGcsStorageProvider', path: 'options' });
  return {
    ...options,
    resumableThreshold: options.resumableThreshold ?? DEFAULT_RESUMABLE_THRESHOLD,
    chunkSize: options.chunkSize ?? DEFAULT_RESUMABLE_THRESHOLD,
  };
}
