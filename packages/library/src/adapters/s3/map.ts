import type { ListEntry, ObjectInfo, ObjectVersion } from '../../spec';

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

function lowerKeys(value: unknown): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [key, entry] of Object.entries(record(value))) if (typeof entry === 'string') out[key.toLowerCase()] = entry;
  return out;
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

/** `ObjectInfo` from a HeadObject or GetObject output. */
export function objectInfoFromHead(key: string, output: unknown): ObjectInfo {
  const head = record(output);
  const etag = string(head['ETag']);
  const contentType = string(head['ContentType']);
  const storageClass = string(head['StorageClass']);
  const versionId = string(head['VersionId']);
  const sha256 = string(head['ChecksumSHA256']);
  const { Body: _body, ...raw } = head;
  return {
    key,
    size: totalSize(head),
    lastModified: date(head['LastModified']),
    metadata: lowerKeys(head['Metadata']),
    // S3 omits the header for STANDARD objects.
    storageClass: storageClass ?? 'STANDARD',
    ...(etag !== undefined && { etag }),
    ...(contentType !== undefined && { contentType }),
    ...(versionId !== undefined && versionId !== 'null' && { versionId }),
    ...(sha256 !== undefined && !sha256.includes('-') && { checksum: { algorithm: 'sha256' as const, value: base64ToHex(sha256) } }),
    raw,
  };
}

/** A listing entry from one `Contents` item of ListObjectsV2 (no per-object HEAD: metadata is empty). */
export function objectEntryFromListing(item: unknown): ListEntry {
  const entry = record(item);
  const etag = string(entry['ETag']);
  const storageClass = string(entry['StorageClass']);
  return {
    type: 'object',
    key: String(entry['Key'] ?? ''),
    size: typeof entry['Size'] === 'number' ? entry['Size'] : 0,
    lastModified: date(entry['LastModified']),
    metadata: {},
    ...(etag !== undefined && { etag }),
    ...(storageClass !== undefined && { storageClass }),
    raw: entry,
  };
}

/** Compares keys as S3 orders them: by UTF-8 bytes, which differs from UTF-16 order for astral characters. */
export function compareKeys(a: string, b: string): number {
  return Buffer.compare(Buffer.from(a, 'utf8'), Buffer.from(b, 'utf8'));
}

/** Objects and common prefixes of one ListObjectsV2 page, interleaved in key order. */
export function listEntries(output: unknown): ListEntry[] {
  const page = record(output);
  const objects = (Array.isArray(page['Contents']) ? page['Contents'] : []).map(objectEntryFromListing);
  const prefixes: ListEntry[] = (Array.isArray(page['CommonPrefixes']) ? page['CommonPrefixes'] : [])
    .map((item) => string(record(item)['Prefix']))
    .filter((prefix): prefix is string => prefix !== undefined)
    .map((prefix) => ({ type: 'prefix', prefix }));
  // S3 already returns each list in order; only interleaving the two needs a sort.
  if (prefixes.length === 0) return objects;
  const sortKey = (entry: ListEntry) => (entry.type === 'prefix' ? entry.prefix : entry.key);
  return [...objects, ...prefixes].sort((a, b) => compareKeys(sortKey(a), sortKey(b)));
}

/** Versions and delete markers of one ListObjectVersions page: by key, newest first within a key. */
export function listVersions(output: unknown): ObjectVersion[] {
  const page = record(output);
  const read = (items: unknown, deleteMarker: boolean): ObjectVersion[] =>
    (Array.isArray(items) ? items : []).map((item) => {
      const entry = record(item);
      return {
        key: String(entry['Key'] ?? ''),
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
