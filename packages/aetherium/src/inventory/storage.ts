import { ValidationError } from '@almanac/core';
import { DEFAULT_STORAGE_PRICES, recommendStorageClasses } from '@almanac/oracle';
import type { StorageCloud, StorageObject, StoragePriceTable } from '@almanac/oracle';

/** A listing entry as `@almanac/library`'s `Storage.list` yields it (objects; common prefixes are skipped). */
export type StorageInventoryEntry =
  | {
      /** An object. */
      readonly type: 'object';
      /** Object key. */
      readonly key: string;
      /** Size in bytes. */
      readonly size: number;
      /** Last modification (the age a lifecycle rule counts from). */
      readonly lastModified: Date;
      /** Storage class as the provider spells it; absent when it reports none. */
      readonly storageClass?: string | undefined;
    }
  | {
      /** A common prefix (listing with a delimiter). */
      readonly type: 'prefix';
    };

/** A bucket posture finding as `@almanac/library` reports it. */
export interface StoragePostureFinding {
  /** Stable rule id, e.g. `s3.public_access_block`. */
  readonly rule: string;
  /** How bad. */
  readonly severity: 'info' | 'low' | 'medium' | 'high';
  /** Whether the bucket passes the rule. */
  readonly passed: boolean;
  /** One sentence. */
  readonly message: string;
}

/**
 * The slice of `@almanac/library`'s `Storage` facade (one bucket) the inventory uses: any
 * `Storage` (`createS3Storage`, `createGcsStorage`, `createMemoryStorage`, …) satisfies it.
 * Typed structurally so aetherium does not depend on the library package.
 */
export interface StorageInventorySource {
  /** Provider name (`s3`, `gcs`, `azure`, `fs`, `memory`); picks the price table when `cloud` is absent. */
  readonly name: string;
  /** Whether the provider has bucket posture checks. */
  supports(capability: 'posture'): boolean;
  /** Streams the objects under a prefix (listing metadata only: no object is read). */
  list(options?: { readonly prefix?: string | undefined; readonly signal?: AbortSignal | undefined }): AsyncIterable<StorageInventoryEntry>;
  /** Bucket posture (public access, encryption, versioning, logging). */
  posture(options?: { readonly signal?: AbortSignal | undefined }): Promise<readonly StoragePostureFinding[]>;
}

/** Known access of one object (from access logs or last-access tracking). */
export interface StorageAccess {
  /** Days since the last read. */
  readonly daysSinceLastAccess?: number | undefined;
  /** Expected reads per month. */
  readonly readsPerMonth?: number | undefined;
}

/** Options of {@link collectStorageUsage}. */
export interface CollectStorageUsageOptions {
  /** The time ages are measured at (no hidden clock). */
  readonly now: Date;
  /** Name of the bucket, prefixed to each group's `resourceId`; default the storage's `name`. */
  readonly bucket?: string | undefined;
  /** Whose storage classes and prices apply; default from the storage name (`s3`→aws, `gcs`→gcp, `azure`→azure, else aws). */
  readonly cloud?: StorageCloud | undefined;
  /** Own price table (oracle's `StoragePriceTable`). */
  readonly prices?: StoragePriceTable | undefined;
  /** Only objects under this prefix. */
  readonly prefix?: string | undefined;
  /** Key segments (`/`-separated) that name a group, as a lifecycle rule's prefix filter would; default 1. */
  readonly prefixDepth?: number | undefined;
  /** Access per key; unknown access is never read as "never accessed". */
  readonly accessStats?: ((key: string) => StorageAccess | undefined) | undefined;
  /** Read the bucket posture too (when the provider has it); default true. */
  readonly posture?: boolean | undefined;
  /** Aborts the listing and the posture calls. */
  readonly signal?: AbortSignal | undefined;
}

/**
 * Objects of one key prefix and storage class that oracle's cost model would move to one
 * cheaper class: the shape of one lifecycle rule. Input of `recommendSavings({ storageGroups })`.
 */
export interface StorageTieringGroup {
  /** `bucket/prefix` (the prefix a lifecycle rule would filter on). */
  readonly resourceId: string;
  /** Cloud whose classes apply. */
  readonly provider: StorageCloud;
  /** Class the objects are in. */
  readonly currentClass: string;
  /** Class they should move to. */
  readonly targetClass: string;
  /** Objects that would move. */
  readonly objects: number;
  /** Their bytes. */
  readonly bytes: number;
  /** Summed monthly saving once moved (oracle's recurring-cost comparison over its horizon). */
  readonly monthlySaving: number;
  /** Summed one-time cost of moving (transition requests, early-deletion charges). */
  readonly transitionCost: number;
  /** Youngest moved object's age in days: a lifecycle rule transitioning after this many days covers them all. */
  readonly minAgeDays: number;
  /** Currency of the price table. */
  readonly currency: string;
}

/** What {@link collectStorageUsage} found in one bucket. */
export interface StorageInventory {
  /** Moves worth making, one per prefix, current class and target class, largest saving first. */
  readonly tiering: StorageTieringGroup[];
  /** Objects listed. */
  readonly objects: number;
  /** Their bytes. */
  readonly bytes: number;
  /** Bucket posture; `null` when the provider has no posture checks or `posture: false`. */
  readonly posture: readonly StoragePostureFinding[] | null;
  /** What could not be judged (objects without a storage class, no posture). */
  readonly notes: string[];
}

const DAY_MS = 86_400_000;
const CLOUD_OF: Readonly<Record<string, StorageCloud>> = { s3: 'aws', gcs: 'gcp', azure: 'azure' };

interface Item extends StorageObject {
  readonly group: string;
}

/**
 * Reads one bucket through `@almanac/library`'s storage interface (listing metadata only, no
 * object body) and turns it into storage savings: every object is priced with oracle's tiering
 * cost model (`recommendStorageClasses`: prices, retrieval fees, minimum durations, object size;
 * unknown access is never taken as "never read"), and the moves are grouped by key prefix and
 * class, each group being one lifecycle rule. The bucket posture comes from the library's
 * posture checks. Memory stays bounded by the number of groups, not of objects.
 *
 * @throws `ValidationError` naming the field for bad options; the storage's errors otherwise.
 */
export async function collectStorageUsage(storage: StorageInventorySource, options: CollectStorageUsageOptions): Promise<StorageInventory> {
  const fail = (path: string, message: string) => new ValidationError(undefined, [{ path, message }], { operation: 'collectStorageUsage' });
  if (typeof storage?.list !== 'function' || typeof storage?.supports !== 'function') throw fail('storage', 'must be a Storage facade of @almanac/library');
  if (typeof options !== 'object' || options === null || !(options.now instanceof Date) || Number.isNaN(options.now.getTime())) throw fail('options.now', 'must be a valid Date');
  const depth = options.prefixDepth ?? 1;
  if (!Number.isInteger(depth) || depth < 0 || depth > 32) throw fail('options.prefixDepth', 'must be an integer from 0 to 32');
  const cloud = options.cloud ?? CLOUD_OF[storage.name] ?? 'aws';
  const bucket = options.bucket ?? storage.name;
  const now = options.now.getTime();
  const signal = options.signal;
  const notes: string[] = [];
  let objects = 0;
  let bytes = 0;
  let unclassified = 0;

  const groupOf = (key: string): string => {
    const parts = key.split('/');
    // The last segment is the object's own name, never a prefix.
    return parts.length <= 1 || depth === 0 ? '' : `${parts.slice(0, Math.min(depth, parts.length - 1)).join('/')}/`;
  };

  async function* items(): AsyncGenerator<Item> {
    for await (const entry of storage.list({ ...(options.prefix === undefined ? {} : { prefix: options.prefix }), ...(signal === undefined ? {} : { signal }) })) {
      if (entry.type !== 'object') continue;
      objects++;
      bytes += entry.size;
      if (entry.storageClass === undefined) {
        unclassified++;
        continue;
      }
      const access = options.accessStats?.(entry.key);
      yield {
        group: groupOf(entry.key),
        sizeBytes: entry.size,
        ageDays: Math.max(0, (now - entry.lastModified.getTime()) / DAY_MS),
        currentClass: entry.storageClass,
        ...(access?.daysSinceLastAccess === undefined ? {} : { daysSinceLastAccess: access.daysSinceLastAccess }),
        ...(access?.readsPerMonth === undefined ? {} : { readsPerMonth: access.readsPerMonth }),
      };
    }
  }

  const groups = new Map<string, { group: string; currentClass: string; targetClass: string; objects: number; bytes: number; monthlySaving: number; transitionCost: number; minAgeDays: number }>();
  const run = recommendStorageClasses(items(), { provider: cloud, ...(options.prices === undefined ? {} : { prices: options.prices }) });
  for await (const r of run) {
    if (r.storageClass === r.currentClass || r.monthlySavings <= 0) continue;
    const id = JSON.stringify([r.object.group, r.currentClass, r.storageClass]);
    const g = groups.get(id) ?? { group: r.object.group, currentClass: r.currentClass, targetClass: r.storageClass, objects: 0, bytes: 0, monthlySaving: 0, transitionCost: 0, minAgeDays: Number.POSITIVE_INFINITY };
    g.objects++;
    g.bytes += r.object.sizeBytes;
    g.monthlySaving += r.monthlySavings;
    g.transitionCost += r.transitionCost;
    g.minAgeDays = Math.min(g.minAgeDays, r.object.ageDays);
    groups.set(id, g);
  }
  if (unclassified > 0) notes.push(`${unclassified} object(s) without a reported storage class: not priced`);
  const currency = options.prices?.currency ?? DEFAULT_STORAGE_PRICES[cloud].currency;

  let posture: readonly StoragePostureFinding[] | null = null;
  if (options.posture !== false) {
    if (storage.supports('posture')) posture = await storage.posture(signal === undefined ? {} : { signal });
    else notes.push(`${storage.name} has no posture checks: bucket access and encryption not verified`);
  }

  const tiering = [...groups.values()]
    .map(
      (g): StorageTieringGroup =>
        Object.freeze({
          resourceId: `${bucket}/${g.group}`,
          provider: cloud,
          currentClass: g.currentClass,
          targetClass: g.targetClass,
          objects: g.objects,
          bytes: g.bytes,
          monthlySaving: g.monthlySaving,
          transitionCost: g.transitionCost,
          minAgeDays: Math.floor(g.minAgeDays),
          currency,
        }),
    )
    .sort((a, b) => b.monthlySaving - a.monthlySaving || (a.resourceId < b.resourceId ? -1 : a.resourceId > b.resourceId ? 1 : 0) || (a.targetClass < b.targetClass ? -1 : 1));
  return { tiering, objects, bytes, posture, notes };
}
