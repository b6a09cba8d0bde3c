import { createPeerLoader } from '@almanac/core/kit';
import type { Readable, Writable } from 'node:stream';
import { GCS_PROVIDER } from './errors';

/** A GCS object resource (JSON API `storage#object`), as the SDK hands it back. */
export type GcsObjectResource = Record<string, unknown>;

/**
 * The part of `@google-cloud/storage`'s `File` the adapter calls. Structural, so the public
 * types never mention the SDK: consumers without it installed still type-check.
 */
export interface GcsFileLike {
  /** Object name. */
  readonly name: string;
  /** Resource as last returned by the API (listing, upload, getMetadata). */
  readonly metadata: GcsObjectResource;
  /** `GET /o/{name}`. */
  getMetadata(): Promise<readonly [GcsObjectResource, ...unknown[]]>;
  /** `GET /o/{name}?alt=media`; `end` is inclusive. */
  createReadStream(options?: Record<string, unknown>): Readable;
  /** Simple (multipart) or resumable upload. */
  createWriteStream(options?: Record<string, unknown>): Writable;
  /** Opens a resumable upload session (`POST …?uploadType=resumable`); resolves `[sessionUri]`. */
  createResumableUpload(options?: Record<string, unknown>): Promise<readonly unknown[]>;
  /** Server-side rewrite into `destination`. */
  copy(destination: GcsFileLike, options?: Record<string, unknown>): Promise<readonly unknown[]>;
  /** `DELETE /o/{name}`. */
  delete(options?: Record<string, unknown>): Promise<unknown>;
  /** Signs a URL locally with the credentials' private key (or IAM signBlob). */
  getSignedUrl(config: Record<string, unknown>): Promise<readonly [string, ...unknown[]]>;
  /** Rewrites the object in place with a new storage class. */
  setStorageClass(storageClass: string, options?: Record<string, unknown>): Promise<unknown>;
}

/** The part of `Bucket` the adapter calls. */
export interface GcsBucketLike {
  /** Bucket name. */
  readonly name: string;
  /** A handle on one object (optionally one generation of it); no request. */
  file(name: string, options?: Record<string, unknown>): GcsFileLike;
  /** `GET /o` — with `autoPaginate: false` resolves `[files, nextQuery, apiResponse]`. */
  getFiles(query: Record<string, unknown>): Promise<readonly unknown[]>;
  /** `GET /b/{bucket}`. */
  getMetadata(): Promise<readonly unknown[]>;
  /** `PATCH /b/{bucket}`. */
  setMetadata(metadata: Record<string, unknown>): Promise<readonly unknown[]>;
  /** Bucket IAM. */
  readonly iam: {
    /** `GET /b/{bucket}/iam`. */
    getPolicy(options?: Record<string, unknown>): Promise<readonly unknown[]>;
  };
}

/** The part of `@google-cloud/storage`'s `Storage` client the adapter calls. */
export interface GcsClientLike {
  /** A handle on a bucket; no request. */
  bucket(name: string): GcsBucketLike;
}

/** Client settings handed to `new Storage(...)` when the adapter builds the client itself. */
export interface GcsClientSettings {
  /** Project id. */
  readonly projectId?: string | undefined;
  /** Path of a service-account key file. */
  readonly keyFilename?: string | undefined;
  /** Service-account credentials (`client_email`, `private_key`). */
  readonly credentials?: Readonly<Record<string, unknown>> | undefined;
  /** Endpoint other than `https://storage.googleapis.com`. */
  readonly apiEndpoint?: string | undefined;
}

/** Imports the SDK module; injectable so the missing-package path can be tested. */
export type GcsSdkImporter = () => Promise<unknown>;

/** The real importer. The specifier is a literal so bundlers can see the optional peer. */
export const importGcsSdk: GcsSdkImporter = () => import('@google-cloud/storage');

const SDK_PACKAGE = '@google-cloud/storage';

type StorageConstructor = new (options: Record<string, unknown>) => GcsClientLike;

/** Client options of `new Storage(...)`: the settings given, and the SDK's own retries off. */
function clientOptions(settings: GcsClientSettings): Record<string, unknown> {
  // Retries belong to the kit's `callProvider` (one policy, the injected clock, our error
  // classification); two retry loops would multiply.
  const options: Record<string, unknown> = { retryOptions: { autoRetry: false } };
  if (settings.projectId !== undefined) options['projectId'] = settings.projectId;
  if (settings.keyFilename !== undefined) options['keyFilename'] = settings.keyFilename;
  if (settings.credentials !== undefined) options['credentials'] = settings.credentials;
  if (settings.apiEndpoint !== undefined) options['apiEndpoint'] = settings.apiEndpoint;
  return options;
}

/**
 * Resolves the bucket handle once per adapter instance. Without an injected client,
 * `@google-cloud/storage` (an optional peer: users of other providers should not pay for it) is
 * imported on first use through the kit's peer loader, so a missing package is a `ConfigError`
 * naming the install command. A failed load is not cached: installing the package and retrying
 * works without a restart.
 */
export function lazyGcsBucket(
  bucket: string,
  client: GcsClientLike | undefined,
  settings: GcsClientSettings,
  importer: GcsSdkImporter = importGcsSdk,
): () => Promise<GcsBucketLike> {
  if (client) {
    const handle = client.bucket(bucket);
    return () => Promise.resolve(handle);
  }
  const loadSdk = createPeerLoader<{ readonly Storage: StorageConstructor }>({
    pkg: SDK_PACKAGE,
    provider: GCS_PROVIDER,
    importer,
    exportName: 'Storage',
    minVersion: '7',
    requiredBy: 'The GCS adapter',
  });
  let handle: GcsBucketLike | undefined;
  return async () => {
    if (handle) return handle;
    const { Storage } = await loadSdk();
    handle ??= new Storage(clientOptions(settings)).bucket(bucket);
    return handle;
  };
}
