import type { ObjectInfo } from '../../spec';
import { decodeMetadata } from './metadata';

/** Blob properties as the SDK reports them in listings, `getProperties` and `download`. */
export interface AzureBlobProperties {
  readonly contentLength?: number | undefined;
  readonly lastModified?: Date | undefined;
  readonly etag?: string | undefined;
  readonly contentType?: string | undefined;
  readonly contentMD5?: Uint8Array | undefined;
  readonly blobContentMD5?: Uint8Array | undefined;
  readonly accessTier?: string | undefined;
  readonly metadata?: Record<string, string> | undefined;
  /** `rehydrate-pending-to-hot` (…`-cool`, …`-cold`) while a blob leaves the Archive tier. */
  readonly archiveStatus?: string | undefined;
  /** `High` or `Standard`, while rehydrating. */
  readonly rehydratePriority?: string | undefined;
}

/** `ObjectInfo.restore` from Azure's archive status: in progress while a rehydration is pending. */
function restoreOf(properties: AzureBlobProperties): Pick<ObjectInfo, 'restore'> {
  if (properties.archiveStatus === undefined || !properties.archiveStatus.startsWith('rehydrate-pending')) return {};
  return { restore: { state: 'in-progress', ...(properties.rehydratePriority === undefined ? {} : { priority: properties.rehydratePriority }) } };
}

/** MD5 bytes as the spec's hex checksum. */
export function md5Checksum(md5: Uint8Array | undefined): ObjectInfo['checksum'] {
  if (md5 === undefined || md5.byteLength === 0) return undefined;
  return { algorithm: 'md5', value: Buffer.from(md5).toString('hex') };
}

/** Builds an {@link ObjectInfo}, leaving out fields the service did not report. */
export function toObjectInfo(key: string, properties: AzureBlobProperties, metadata: Record<string, string> | undefined, raw: unknown): ObjectInfo {
  const checksum = md5Checksum(properties.blobContentMD5 ?? properties.contentMD5);
  return {
    key,
    size: properties.contentLength ?? 0,
    lastModified: properties.lastModified ?? new Date(0),
    ...(properties.etag === undefined ? {} : { etag: properties.etag }),
    ...(properties.contentType === undefined ? {} : { contentType: properties.contentType }),
    metadata: decodeMetadata(metadata ?? properties.metadata),
    ...(properties.accessTier === undefined ? {} : { storageClass: properties.accessTier }),
    ...(checksum === undefined ? {} : { checksum }),
    ...restoreOf(properties),
    raw,
  };
}
