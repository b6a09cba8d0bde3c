import * as z from '@almanac/core/schema';
import type { Clock } from '@almanac/core';
import type { StorageCapabilities, StorageProvider } from '../../spec';

/** Storage classes of the memory store unless configured: S3-like tiers with neutral names. */
export const MEMORY_STORAGE_CLASSES: readonly string[] = ['STANDARD', 'INFREQUENT', 'ARCHIVE'];

/** Options of {@link createMemoryStorageProvider}. */
export interface MemoryProviderOptions {
  /** Provider name in errors and audit events; default `memory`. */
  readonly name?: string | undefined;
  /** Clock for `lastModified` and signed-URL expiry. */
  readonly clock?: Clock | undefined;
  /** Storage classes, the first being the default; default {@link MEMORY_STORAGE_CLASSES}. */
  readonly storageClasses?: readonly string[] | undefined;
  /** Longest key in UTF-8 bytes; default 1024 (as S3 and GCS). */
  readonly maxKeyBytes?: number | undefined;
  /** Size above which a write counts as multipart; default 5 MiB (as S3's minimum part size). */
  readonly multipartMinSize?: number | undefined;
  /** Overrides of declared capabilities, to imitate a less capable provider in tests. */
  readonly capabilities?: Partial<StorageCapabilities> | undefined;
}

/** The memory provider, with the extras only an in-memory store can offer. */
export interface MemoryProvider extends StorageProvider {
  /** Number of stored objects. */
  size(): number;
  /** Removes every object and version. */
  clear(): void;
  /** Stops the signed-URL server, if one was started. */
  close(): Promise<void>;
}

/** Validates {@link MemoryProviderOptions} (every bad field at once). */
export const optionsSchema = z
  .object({
    name: z.string().min(1).optional(),
    clock: z.object({ now: z.function(), sleep: z.function() }).optional(),
    storageClasses: z.array(z.string().min(1)).min(1).optional(),
    maxKeyBytes: z.number().int().positive().optional(),
    multipartMinSize: z.number().int().nonnegative().optional(),
    capabilities: z.record(z.string(), z.unknown()).optional(),
  })
  .optional();

