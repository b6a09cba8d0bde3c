import type { Checksum, ObjectInfo, ObjectVersion } from '../../spec';
import type { GcsObjectResource } from './client';

function text(value: unknown): string | undefined {
  return typeof value === 'string' && value !== '' ? value : undefined;
}

/** GCS sends int64 fields (size, generation) as decimal strings. */
function int(value: unknown): number {
  const parsed = typeof value === 'number' ? value : Number(text(value) ?? 0);
  return Number.isFinite(parsed) ? parsed : 0;
}

/** Base64 (as GCS reports md5Hash) → hex (as the spec reports md5). */
export function base64ToHex(value: string): string {
  return Buffer.from(value, 'base64').toString('hex');
}

/** Hex → base64, for sending an expected md5 as `md5Hash`. */
export function hexToBase64(value: string): string {
  return Buffer.from(value, 'hex').toString('base64');
}

/** md5 when present (composite objects have none), else crc32c. */
function checksumOf(resource: GcsObjectResource): Checksum | undefined {
  const md5 = text(resource['md5Hash']);
  if (md5) return { algorithm: 'md5', value: base64ToHex(md5) };
  const crc = text(resource['crc32c']);
  return crc ? { algorithm: 'crc32c', value: crc } : undefined;
}

function userMetadata(value: unknown): Record<string, string> {
  const out: Record<string, string> = {};
  if (typeof value !== 'object' || value === null) return out;
  for (const [name, raw] of Object.entries(value)) {
    // GCS keeps key case, and a patch can null a key out; the spec wants lower-case strings.
    if (raw !== null && raw !== undefined) out[name.toLowerCase()] = String(raw);
  }
  return out;
}

/**
 * An object resource as {@link ObjectInfo}. `etag` is the object's **generation**, not
 * GCS's own etag: GCS preconditions (`ifGenerationMatch`) take generations, and a
 * generation changes exactly when content is replaced, which is what callers of
 * `ifMatch` mean. GCS's etag (which also changes on metadata patches) stays in `raw`.
 */
export function toObjectInfo(resource: GcsObjectResource): ObjectInfo {
  const generation = text(resource['generation']);
  const contentType = text(resource['contentType']);
  const storageClass = text(resource['storageClass']);
  const checksum = checksumOf(resource);
  const updated = text(resource['updated']) ?? text(resource['timeCreated']);
  return {
    key: String(resource['name'] ?? ''),
    size: int(resource['size']),
    lastModified: updated ? new Date(updated) : new Date(0),
    ...(generation ? { etag: generation } : {}),
    ...(contentType ? { contentType } : {}),
    metadata: userMetadata(resource['metadata']),
    ...(storageClass ? { storageClass } : {}),
    ...(checksum ? { checksum } : {}),
    raw: resource,
  };
}

/**
 * An entry of a `versions: true` listing. GCS has no delete markers: deleting on a
 * versioned bucket makes the live generation noncurrent (`timeDeleted` set).
 */
export function toObjectVersion(resource: GcsObjectResource): ObjectVersion {
  const updated = text(resource['timeCreated']) ?? text(resource['updated']);
  return {
    key: String(resource['name'] ?? ''),
    versionId: String(resource['generation'] ?? ''),
    isLatest: text(resource['timeDeleted']) === undefined,
    deleteMarker: false,
    size: int(resource['size']),
    lastModified: updated ? new Date(updated) : new Date(0),
    raw: resource,
  };
}

/** Orders keys as GCS does: by UTF-8 bytes, not UTF-16 code units. */
export function compareKeys(a: string, b: string): number {
  return Buffer.compare(Buffer.from(a, 'utf8'), Buffer.from(b, 'utf8'));
}
