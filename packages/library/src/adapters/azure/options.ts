import type { Clock, Logger, RetryPolicy } from '@almanac/core';
import * as z from '@almanac/core/schema';
import type { StorageAuditEvent } from '../../facade/types';

/**
 * An injected `ContainerClient` or `BlobServiceClient` of `@azure/storage-blob`, typed by the
 * few members we detect it by, so our public types never mention the SDK.
 */
export type AzureClientLike =
  | {
      /** Name of the container this `ContainerClient` is for; must match `container`. */
      readonly containerName: string;
      /** A client for one block blob. */
      getBlockBlobClient(name: string): unknown;
    }
  | {
      /** A `ContainerClient` for a container of the account (a `BlobServiceClient`). */
      getContainerClient(name: string): unknown;
    };

/** The account name and key of a shared-key credential, without importing the SDK. */
export interface AzureSharedKey {
  /** Storage account name. */
  readonly accountName: string;
  /** Base64 account key. */
  readonly accountKey: string;
}

/**
 * Credentials for `accountUrl`: {@link AzureSharedKey}, or any SDK credential
 * (`StorageSharedKeyCredential`, a `TokenCredential` from `@azure/identity`, `AnonymousCredential`).
 */
export type AzureCredentialLike = AzureSharedKey | object;

/** Options of `createAzureStorageProvider`. */
export interface AzureProviderOptions {
  /** Container name. */
  readonly container: string;
  /**
   * An SDK `ContainerClient` or `BlobServiceClient`, used as is. Its own retry policy stays in
   * force: build it with `retryOptions: { maxTries: 1 }` so only the adapter retries.
   */
  readonly client?: AzureClientLike | undefined;
  /** Connection string (e.g. azurite's); signed URLs work when it carries an `AccountKey`. */
  readonly connectionString?: string | undefined;
  /** `https://<account>.blob.core.windows.net` (may carry a SAS query string). */
  readonly accountUrl?: string | undefined;
  /** Credential for `accountUrl`; signed URLs need a shared key. */
  readonly credential?: AzureCredentialLike | undefined;
  /**
   * Block size of staged uploads, and the largest body sent in one request. Default 8 MiB, at
   * least 1 MiB. Grown for a body of known size so it fits Azure's 50,000 blocks.
   */
  readonly blockSize?: number | undefined;
  /** Blocks uploaded in parallel. Default 4. */
  readonly concurrency?: number | undefined;
  /** Retries of idempotent calls (core's `withRetry`). Default: core's policy. */
  readonly retry?: RetryPolicy | undefined;
  /** Clock for retry backoff, copy polling and signed-URL expiry. */
  readonly clock?: Clock | undefined;
  /** Receives debug lines about retries. */
  readonly logger?: Logger | undefined;
}

/** Options of {@link createAzureStorage}: the provider's plus the facade's. */
export interface AzureStorageOptions extends AzureProviderOptions {
  /** Deadline of each call, in milliseconds (facade option). */
  readonly timeoutMs?: number | undefined;
  /** Called once per operation (facade option). */
  readonly onEvent?: ((event: StorageAuditEvent) => void) | undefined;
}

const MiB = 1024 * 1024;

/** Default {@link AzureProviderOptions.blockSize}. */
export const DEFAULT_BLOCK_SIZE = 8 * MiB;
/** Default {@link AzureProviderOptions.concurrency}. */
export const DEFAULT_CONCURRENCY = 4;

// Container names: 3–63 of [a-z0-9-], starting and ending alphanumeric, no "--"; or "$root".
const CONTAINER = /^(?:\$root|\$web|[a-z0-9](?:[a-z0-9]|-(?=[a-z0-9])){1,61}[a-z0-9])$/;

const object = (message: string) => z.custom<object>((value) => typeof value === 'object' && value !== null, { message });

/** Schema of {@link AzureProviderOptions}; the client, credential, clock and logger are checked by shape only. */
export const azureOptionsSchema = z
  .object({
    container: z.string().regex(CONTAINER, 'must be a valid container name (3-63 of a-z, 0-9 and single "-")'),
    client: object('must be a ContainerClient or BlobServiceClient').optional(),
    connectionString: z.string().min(1).optional(),
    accountUrl: z.url({ protocol: /^https?$/ }).optional(),
    credential: object('must be a credential object').optional(),
    // Azure's limit per block is 4000 MiB; the single-request limit is larger, so it bounds both.
    // Below 1 MiB, 50,000 blocks would cap a blob under 50 GB and every upload would be chatty.
    blockSize: z.number().int().min(MiB, 'must be at least 1 MiB (1048576)').max(4000 * MiB).optional(),
    concurrency: z.number().int().min(1).max(64).optional(),
    retry: object('must be a retry policy').optional(),
    clock: z.object({ now: z.function(), sleep: z.function() }).optional(),
    logger: z.object({ debug: z.function(), info: z.function(), warn: z.function(), error: z.function() }).optional(),
    timeoutMs: z.number().optional(),
    onEvent: z.function().optional(),
  })
  .refine((o) => [o.client, o.connectionString, o.accountUrl].filter((v) => v !== undefined).length === 1, {
    message: 'give exactly one of client, connectionString or accountUrl',
    path: ['client'],
  })
  .refine((o) => o.credential === undefined || o.accountUrl !== undefined, {
    message: 'credential is only used with accountUrl',
    path: ['credential'],
  });
