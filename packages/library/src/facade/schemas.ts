import * as z from '@almanac/core/schema';

// Zod schemas of the facade's public inputs. Keys and prefixes are added per facade (see
// input.ts) because their rules depend on the provider's `maxKeyBytes`.

const signal = z.instanceof(AbortSignal, { message: 'must be an AbortSignal' }).optional();

// biome-ignore lint/suspicious/noControlCharactersInRegex: rejecting control characters is the point
const noControl = /^[^\u0000-\u001f\u007f]*$/;

/** Options common to every call. */
export const callOptionsSchema = z.object({ signal }).optional();

/** {@link StorageOptions}. */
export const storageOptionsSchema = z
  .object({
    timeoutMs: z.number().int().positive().max(2_147_483_647).optional(),
    writeTimeoutMs: z.number().int().positive().max(2_147_483_647).optional(),
    writeMinBytesPerSecond: z.number().positive().optional(),
    logger: z.object({ debug: z.function(), info: z.function(), warn: z.function(), error: z.function() }).optional(),
    clock: z.object({ now: z.function(), sleep: z.function() }).optional(),
    onEvent: z.function().optional(),
  })
  .optional();

/** {@link ListOptions}, without `prefix`. */
export const listOptionsObject = z.object({
  delimiter: z.string().min(1).max(16).regex(noControl, 'must not contain control characters').optional(),
  pageSize: z.number().int().min(1).max(5000).optional(),
  cursor: z.string().min(1).optional(),
  signal,
});

const byteRange = z
  .object({
    start: z.number().int().nonnegative(),
    end: z.number().int().nonnegative().optional(),
  })
  .refine((range) => range.end === undefined || range.end > range.start, {
    message: 'end must be greater than start',
    path: ['end'],
  });

/** {@link ReadOptions}. */
export const readOptionsSchema = z.object({ range: byteRange.optional(), signal }).optional();

const checksum = z.discriminatedUnion('algorithm', [
  z.object({ algorithm: z.literal('md5'), value: z.string().regex(/^[0-9a-fA-F]{32}$/, 'must be 32 hex digits') }),
  z.object({ algorithm: z.literal('sha256'), value: z.string().regex(/^[0-9a-fA-F]{64}$/, 'must be 64 hex digits') }),
  z.object({
    algorithm: z.literal('crc32c'),
    value: z.string().regex(/^[A-Za-z0-9+/]{6}==$/, 'must be a base64 32-bit value'),
  }),
]);

/** {@link WriteOptions}. */
export const writeOptionsSchema = z
  .object({
    contentType: z.string().min(1).max(1024).regex(noControl, 'must not contain control characters').optional(),
    metadata: z
      .record(
        z.string().regex(/^[A-Za-z0-9_-]+$/, 'metadata keys may only contain letters, digits, "_" and "-"'),
        z.string().regex(noControl, 'must not contain control characters'),
      )
      .optional(),
    storageClass: z.string().min(1).optional(),
    checksum: checksum.optional(),
    ifNoneMatch: z.literal('*').optional(),
    ifMatch: z.string().min(1).optional(),
    onProgress: z.function().optional(),
    signal,
  })
  .refine((options) => options.ifNoneMatch === undefined || options.ifMatch === undefined, {
    message: 'ifNoneMatch and ifMatch cannot be combined',
    path: ['ifMatch'],
  })
  .optional();

/** Whether a value can be iterated with `for await` (Node `Readable`s, async generators). */
export function isAsyncIterable(value: unknown): value is AsyncIterable<unknown> {
  return typeof value === 'object' && value !== null && typeof (value as { [Symbol.asyncIterator]?: unknown })[Symbol.asyncIterator] === 'function';
}

/** Whether a value is a write body {@link bodySchema} accepts; constant time, the content is never read. */
export function isBody(value: unknown): value is Uint8Array | string | ReadableStream<Uint8Array> | AsyncIterable<Uint8Array> {
  return typeof value === 'string' || value instanceof Uint8Array || value instanceof ReadableStream || isAsyncIterable(value);
}

/**
 * A write body: bytes, a string (written as UTF-8), a web stream, or any async iterable of
 * bytes (a Node `Readable` such as `fs.createReadStream`, an async generator). Checked in
 * constant time: the content is never scanned here.
 */
export const bodySchema = z.custom<Uint8Array | string | ReadableStream<Uint8Array> | AsyncIterable<Uint8Array>>(isBody, {
  message: 'must be a string, a Uint8Array, a ReadableStream or an AsyncIterable of Uint8Array (e.g. a Node Readable)' },
);

/** {@link SignedUrlOptions}. */
export const signedUrlOptionsSchema = z.object({
  action: z.enum(['read', 'write']),
  expiresIn: z.number().int().min(1).max(604_800),
  contentType: z.string().min(1).regex(noControl, 'must not contain control characters').optional(),
  signal,
});

/** Tags: non-empty keys, string values. */
export const tagsSchema = z.record(z.string().min(1).max(128), z.string().max(256));

/** {@link RestoreOptions}. */
export const restoreOptionsSchema = z
  .object({
    days: z.number().int().min(1).max(36_500).optional(),
    tier: z.enum(['expedited', 'standard', 'bulk']).optional(),
    storageClass: z.string().min(1).optional(),
    signal,
  })
  .optional();

/** Options of `listVersions`, without `prefix`. */
export const listVersionsOptionsObject = z.object({ signal });

/** The `storageClass` argument of `setStorageClass` (membership is checked against the provider's list). */
export const storageClassSchema = z.string({ error: 'must be a string' });

/** The `enabled` argument of `setVersioning`. */
export const enabledSchema = z.boolean({ error: 'must be a boolean' });
