import { parse } from '@almanac/core';
import type { Clock, Logger, RetryPolicy } from '@almanac/core';
import * as z from '@almanac/core/schema';
import type { S3ClientLike, S3Credentials, S3SdkImporters } from './client';
import { S3_PROVIDER } from './errors';

/** S3's smallest allowed part (except the last one). */
export const MIN_PART_SIZE = 5 * 1024 * 1024;
/** Default size above which writes go multipart, and default part size. */
export const DEFAULT_MULTIPART_THRESHOLD = 8 * 1024 * 1024;

/** Options of `createS3StorageProvider`. */
export interface S3ProviderOptions {
  /** Bucket every key lives in. */
  readonly bucket: string;
  /**
   * An `S3Client` to use as is. Build it with `maxAttempts: 1` so retries follow one policy
   * (core's `withRetry`); without one, a client is built from the settings below.
   */
  readonly client?: S3ClientLike | undefined;
  /** Region of the built client; the SDK's region chain applies when absent. */
  readonly region?: string | undefined;
  /** Endpoint of an S3-compatible service (MinIO, R2, s3rver…). */
  readonly endpoint?: string | undefined;
  /** Path-style URLs (`endpoint/bucket/key`), needed by most S3-compatible services. */
  readonly forcePathStyle?: boolean | undefined;
  /** Static credentials; the SDK's default credential chain applies when absent. */
  readonly credentials?: S3Credentials | undefined;
  /**
   * Checksums the built client adds to requests and validates on responses: `'when-required'`
   * (default: only for operations that require one, which every S3-compatible service accepts)
   * or `'when-supported'` (the SDK's own default since 3.729: CRC32 on every upload and download,
   * which Cloudflare R2, several MinIO versions and other S3-compatible services reject). Ignored
   * when `client` is given. Checksums you pass to `write` are sent either way.
   */
  readonly checksums?: 'when-required' | 'when-supported' | undefined;
  /** Writes above this many bytes go multipart (default 8 MiB). */
  readonly multipartThreshold?: number | undefined;
  /**
   * Part size of multipart writes (default 8 MiB, at least 5 MiB). Grown for a body of known size
   * so it fits S3's 10,000 parts (at least size / 10,000); for a stream of unknown size it doubles
   * every 1,000 parts.
   */
  readonly partSize?: number | undefined;
  /** Parts uploaded concurrently (default 4). */
  readonly queueSize?: number | undefined;
  /**
   * On a versioned bucket, `setStorageClass` writes a new version in the new class and the
   * previous version keeps its class (and its price) until deleted. `true` deletes that previous
   * version once the copy succeeded, so moving to a cheaper class actually saves money; the
   * default `false` keeps it (for versioning's own undo).
   */
  readonly deletePreviousVersionOnClassChange?: boolean | undefined;
  /**
   * Read a listing one page ahead (default `true`, on a client built here): as soon as a page's
   * body has arrived, and before the SDK parses it, the next page is requested, so S3 works on
   * it while this page is parsed and handed out. A listing of n pages still sends exactly its n
   * requests; one abandoned midway has sent at most one more. A page read ahead is handed out
   * only to the next `listPage` of the same prefix, delimiter, page size and cursor, within
   * 30 s. `false` sends each request only when its page is asked for. Ignored with `client`.
   */
  readonly listReadAhead?: boolean | undefined;
  /** Retry policy of idempotent calls. */
  readonly retry?: RetryPolicy | undefined;
  /** Clock of backoff sleeps and write timestamps. */
  readonly clock?: Clock | undefined;
  /** Debug lines about retries. */
  readonly logger?: Logger | undefined;
  /** SDK importers, for tests of the missing-package path. */
  readonly importers?: S3SdkImporters | undefined;
}

const credentialsSchema = z.object({
  accessKeyId: z.string().min(1),
  secretAccessKey: z.string().min(1),
  sessionToken: z.string().min(1).optional(),
});

const optionsSchema = z.object({
  // Loose on purpose: S3-compatible services accept names AWS rejects (dots, capitals).
  bucket: z.string().min(1).max(255),
  client: z.custom<S3ClientLike>((value) => typeof (value as { send?: unknown } | null)?.send === 'function', 'must have a send() method').optional(),
  region: z.string().min(1).optional(),
  endpoint: z.url().optional(),
  forcePathStyle: z.boolean().optional(),
  checksums: z.enum(['when-required', 'when-supported']).optional(),
  deletePreviousVersionOnClassChange: z.boolean().optional(),
  listReadAhead: z.boolean().optional(),
  credentials: credentialsSchema.optional(),
  multipartThreshold: z.int().min(1).optional(),
  partSize: z.int().min(MIN_PART_SIZE).optional(),
  queueSize: z.int().min(1).max(64).optional(),
});

/** Options after validation, with defaults. */
export interface ResolvedS3Options extends S3ProviderOptions {
  readonly multipartThreshold: number;
  readonly partSize: number;
  readonly queueSize: number;
}

/** Validates options (every bad field at once) and fills in defaults. */
export function resolveS3Options(options: S3ProviderOptions): ResolvedS3Options {
  parse(optionsSchema.loose(), options, { provider: S3_PROVIDER, operation: 'createS3StorageProvider', path: 'options' });
  const multipartThreshold = options.multipartThreshold ?? DEFAULT_MULTIPART_THRESHOLD;
  return {
    ...options,
    multipartThreshold,
    partSize: options.partSize ?? Math.max(MIN_PART_SIZE, Math.min(multipartThreshold, DEFAULT_MULTIPART_THRESHOLD)),
    queueSize: options.queueSize ?? 4,
  };
}
