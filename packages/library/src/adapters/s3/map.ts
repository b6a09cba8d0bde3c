import type { ListEntry, ObjectInfo, ObjectVersion } from '../../spec';
import { decodeMetadataValue } from './metadata';

/** Reads an SDK output field as a record. */
export function record(value: unknown): Record<string, unknown> {
  return typeof value === 'object' && value !== null ? (value as Record<string, unknown>) : {};
}

function string(value: unknown): string | undefined {
  return typeof value === 'string' && value !== '' ? value : undefined;
}

function date(value: unknown): Date {
  if (value instanceof Date) return value;
  if (typeof value === 'string' || typeof value === 'number') return new Date(value);
  return new Date(0);
}

/** User metadata as read: lower-case names, RFC 2047 encoded words decoded (see `metadata.ts`). */
function userMetadata(value: unknown): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [key, entry] of Object.entries(record(value))) if (typeof entry === 'string') out[key.toLowerCase()] = decodeMetadataValue(entry);
  return out;
}

/**
 * A key or prefix of a listing sent with `EncodingType=url`: S3 then URL-encodes them (spaces as
 * `+`) so that characters XML 1.0 cannot carry do not break the page. Decoded only when the
 * response says it is encoded (S3-compatible servers may ignore the parameter).
 */
export function listedName(value: string, encoded: boolean): string {
  // Most keys have nothing encoded: no regex and no decode for up to 1,000 keys a page.
  if (!encoded || (!value.includes('%') && !value.includes('+'))) return value;
  try {
    return decodeURIComponent(value.replace(/\+/g, ' '));
  } catch {
    return value;
  }
}

/** Whether a listing page's names are URL-encoded. */
export function isUrlEncoded(page: Record<string, unknown>): boolean {
  return page['EncodingType'] === 'url';
}

/** Object size from `Content-Range: bytes 0-9/100` (ranged reads), else `ContentLength`. */
function totalSize(output: Record<string, unknown>): number {
  const range = string(output['ContentRange']);
  const total = range ? /\/(\d+)$/.exec(range)?.[1] : undefined;
  if (total !== undefined) return Number(total);
  const length = output['ContentLength'];
  return typeof length === 'number' ? length : 0;
}

/** Base64 checksum header → the hex form `Checksum` uses for sha256. */
export function base64ToHex(value: string): string {
  return Buffer.from(value, 'base64').toString('hex');
}

/**
 * The checksum S3 reports (HeadObject/GetObject with `ChecksumMode: ENABLED`): SHA-256 as hex,
 * CRC32C as base64, both only for full-object checksums (a composite `…-N` covers parts, not
 * the object).
 */
function checksumOf(head: Record<string, unknown>): Pick<ObjectInfo, 'checksum'> {
  const sha256 = string(head['ChecksumSHA256']);
  if (sha256 !== undefined && !sha256.includes('-')) return { checksum: { algorithm: 'sha256', value: base64ToHex(sha256) } };
  const crc32c = string(head['ChecksumCRC32C']);
  if (crc32c !== undefined && !crc32c.includes('-')) return { checksum: { algorithm: 'crc32c', value: crc32c } };
  return {};
}

/**
 * The `x-amz-restore` header (`Restore` in the SDK): `ongoing-request="true"` while a restore
 * runs, `ongoing-request="false", expiry-date="…"` once the copy is readable
 * (https://docs.aws.amazon.com/AmazonS3/latest/API/API_HeadObject.html#AmazonS3-HeadObject-response-header-Restore).
 */
export function restoreOf(head: Record<string, unknown>): Pick<ObjectInfo, 'restore'> {
  const header = string(head['Restore']);
  if (header === undefined) return {};
  if (/ongoing-request="true"/.test(header)) return { restore: { state: 'in-progress' } };
  const expiry = /expiry-date="([^"]+)"/.exec(header)?.[1];
  const expiresAt = expiry === undefined ? undefined : new Date(expiry);
  return { restore: { state: 'restored', ...(expiresAt !== undefined && !Number.isNaN(expiresAt.getTime()) && { expiresAt }) } };
}

/** `ObjectInfo` from a HeadObject or GetObject output. */
export function objectInfoFromHead(key: string, output: unknown): ObjectInfo {
  const head = record(output);
  const etag = string(head['ETag']);
  const contentType = string(head['ContentType']);
  const storageClass = string(head['StorageClass']);
  const versionId = string(head['VersionId']);
  // HeadObject has no body: its output is kept as it is, without a copy.
  let raw = head;
  if ('Body' in head) {
    const { Body: _body, ...rest } = head;
    raw = rest;
  }
  return {
    key,
    size: totalSize(head),
    lastModified: date(head['LastModified']),
    metadata: userMetadata(head['Metadata']),
    // S3 omits the header for STANDARD objects.
    storageClass: storageClass ?? 'STANDARD',
    ...(etag !== undefined && { etag }),
    ...(contentType !== undefined && { contentType }),
    ...(versionId !== undefined && versionId !== 'null' && { versionId }),
    ...checksumOf(head),
    ...restoreOf(head),
    raw,
  };
}

/** An object entry being built (its optional fields are set only when S3 reports them). */
type ObjectEntryDraft = { -readonly [K in keyof ObjectInfo]: ObjectInfo[K] } & { type: 'object' };

/**
 * A listing entry from one `Contents` item of ListObjectsV2 (no per-object HEAD: metadata is
 * empty). Built with plain assignments rather than conditional spreads: a listing maps up to
 * 1,000 of these per page, and each spread allocated a temporary object.
 */
export function objectEntryFromListing(item: unknown, encoded = false): ListEntry {
  const entry = record(item);
  const key = entry['Key'];
  const size = entry['Size'];
  const etag = string(entry['ETag']);
  const storageClass = string(entry['StorageClass']);
  const out: ObjectEntryDraft = {
    type: 'object',
    key: listedName(typeof key === 'string' ? key : String(key ?? ''), encoded),
    size: typeof size === 'number' ? size : 0,
    lastModified: date(entry['LastModified']),
    metadata: {},
    raw: entry,
  };
  if (etag !== undefined) out.etag = etag;
  if (storageClass !== undefined) out.storageClass = storageClass;
  return out;
}

/** Compares keys as S3 orders them: by UTF-8 bytes, which differs from UTF-16 order for astral characters. */
export function compareKeys(a: string, b: string): number {
  return Buffer.compare(Buffer.from(a, 'utf8'), Buffer.from(b, 'utf8'));
}

/** Objects and common prefixes of one ListObjectsV2 page, interleaved in key order. */
export function listEntries(output: unknown): ListEntry[] {
  const page = record(output);
  const encoded = isUrlEncoded(page);
  const contents = page['Contents'];
  const objects: ListEntry[] = [];
  if (Array.isArray(contents)) for (const item of contents) objects.push(objectEntryFromListing(item, encoded));
  const common = page['CommonPrefixes'];
  // S3 already returns each list in order; only interleaving the two needs a sort.
  if (!Array.isArray(common) || common.length === 0) return objects;
  const prefixes: ListEntry[] = common
    .map((item) => string(record(item)['Prefix']))
    .filter((prefix): prefix is string => prefix !== undefined)
    .map((prefix) => ({ type: 'prefix', prefix: listedName(prefix, encoded) }));
  if (prefixes.length === 0) return objects;
  const sortKey = (entry: ListEntry) => (entry.type === 'prefix' ? entry.prefix : entry.key);
  return [...objects, ...prefixes].sort((a, b) => compareKeys(sortKey(a), sortKey(b)));
}

/** Versions and delete markers of one ListObjectVersions page: by key, newest first within a key. */
export function listVersions(output: unknown): ObjectVersion[] {
  const page = record(output);
  const encoded = isUrlEncoded(page);
  const read = (items: unknown, deleteMarker: boolean): ObjectVersion[] =>
    (Array.isArray(items) ? items : []).map((item) => {
      const entry = record(item);
      return {
        key: listedName(String(entry['Key'] ?? ''), encoded),
        versionId: String(entry['VersionId'] ?? 'null'),
        isLatest: entry['IsLatest'] === true,
        deleteMarker,
        size: deleteMarker || typeof entry['Size'] !== 'number' ? 0 : entry['Size'],
        lastModified: date(entry['LastModified']),
        raw: entry,
      };
    });
  return [...read(page['Versions'], false), ...read(page['DeleteMarkers'], true)].sort(
    (a, b) => compareKeys(a.key, b.key) || b.lastModified.getTime() - a.lastModified.getTime(),
  );
}
