import { ConfigError } from '@almanac/core';
import { createPeerLoader } from '@almanac/core/kit';
import type { ContainerClient } from '@azure/storage-blob';
import { AZURE_PROVIDER } from './errors';
import type { AzureClientLike, AzureCredentialLike, AzureSharedKey } from './options';

/** The slice of `@azure/storage-blob` the adapter uses. */
export interface AzureSdkModule {
  readonly BlobServiceClient: {
    fromConnectionString(connectionString: string, options?: object): { getContainerClient(name: string): ContainerClient };
    new (url: string, credential?: unknown, options?: object): { getContainerClient(name: string): ContainerClient };
  };
  readonly StorageSharedKeyCredential: new (accountName: string, accountKey: string) => object;
  readonly BlobSASPermissions: { parse(permissions: string): object };
}

/** Imports the SDK; injectable so the missing-package path can be tested. */
export type AzureSdkImporter = () => Promise<unknown>;

const SDK_PACKAGE = '@azure/storage-blob';

/** The real importer. The specifier is a literal so bundlers can see the optional peer. */
export const importAzureSdk: AzureSdkImporter = () => import('@azure/storage-blob');

/**
 * Retries belong to the kit's `callProvider` (on the injected clock, with Almanac error
 * classification), so clients the adapter builds have the SDK's own retries turned off.
 */
const CLIENT_OPTIONS = { retryOptions: { maxTries: 1 } };

/** Where the container client comes from. */
export interface AzureClientSource {
  readonly container: string;
  readonly client?: AzureClientLike | undefined;
  readonly connectionString?: string | undefined;
  readonly accountUrl?: string | undefined;
  readonly credential?: AzureCredentialLike | undefined;
  readonly importer?: AzureSdkImporter | undefined;
}

function isSharedKey(value: unknown): value is AzureSharedKey {
  const candidate = value as Partial<AzureSharedKey> | undefined;
  return typeof candidate?.accountName === 'string' && typeof candidate.accountKey === 'string';
}

/**
 * Whether the client will hold a shared-key credential, which `generateSasUrl` needs.
 * Decided without loading the SDK because capabilities are synchronous.
 */
export function hasSharedKey(source: AzureClientSource): boolean {
  if (source.connectionString !== undefined) return /(?:^|;)\s*AccountKey\s*=\s*[^;\s]/i.test(source.connectionString);
  if (source.accountUrl !== undefined) return isSharedKey(source.credential) || isSdkSharedKey(source.credential);
  const injected = source.client as { credential?: unknown } | undefined;
  return isSdkSharedKey(injected?.credential);
}

// `StorageSharedKeyCredential` signs with an HMAC over the account key; token credentials do not.
function isSdkSharedKey(value: unknown): boolean {
  const candidate = value as { accountName?: unknown; computeHMACSHA256?: unknown } | undefined;
  return typeof candidate?.accountName === 'string' && typeof candidate.computeHMACSHA256 === 'function';
}

function fromInjected(client: AzureClientLike, container: string): ContainerClient {
  if ('getContainerClient' in client && typeof client.getContainerClient === 'function') {
    return client.getContainerClient(container) as ContainerClient;
  }
  const containerClient = client as unknown as ContainerClient;
  if (containerClient.containerName !== container) {
    throw new ConfigError(
      `The injected ContainerClient is for "${containerClient.containerName}", not "${container}"`,
      [{ path: 'container', message: 'must match the injected ContainerClient' }],
      { provider: AZURE_PROVIDER },
    );
  }
  return containerClient;
}

/**
 * Returns a function resolving the container client (and the SDK) once per adapter.
 * `@azure/storage-blob` is an optional peer (~38 MB, ~230 ms to load): users of other providers
 * should not pay for it, so it is imported on first use through the kit's peer loader, and a
 * missing package is a `ConfigError` naming the install command. A failed load is not cached,
 * so installing the package and retrying works without a restart.
 */
export function lazyContainerClient(source: AzureClientSource): () => Promise<{ container: ContainerClient; sdk: AzureSdkModule }> {
  const loadSdk = createPeerLoader<AzureSdkModule>({
    pkg: SDK_PACKAGE,
    provider: AZURE_PROVIDER,
    importer: source.importer ?? importAzureSdk,
    exportName: 'BlobServiceClient',
    minVersion: '12',
    requiredBy: 'The Azure Blob adapter',
  });
  let built: { container: ContainerClient; sdk: AzureSdkModule } | undefined;
  return async () => {
    if (built) return built;
    const sdk = await loadSdk();
    built ??= { container: containerOf(sdk, source), sdk };
    return built;
  };
}

function containerOf(sdk: AzureSdkModule, source: AzureClientSource): ContainerClient {
  if (source.client !== undefined) return fromInjected(source.client, source.container);
  if (source.connectionString !== undefined) {
    let service: { getContainerClient(name: string): ContainerClient };
    try {
      service = sdk.BlobServiceClient.fromConnectionString(source.connectionString, CLIENT_OPTIONS);
    } catch (cause) {
      // The SDK's message may quote the string, which holds the account key: do not repeat it.
      throw new ConfigError('Invalid Azure connection string', [{ path: 'connectionString', message: 'invalid' }], {
        provider: AZURE_PROVIDER,
        cause,
      });
    }
    return service.getContainerClient(source.container);
  }
  const credential = isSharedKey(source.credential)
    ? new sdk.StorageSharedKeyCredential(source.credential.accountName, source.credential.accountKey)
    : source.credential;
  const service = new sdk.BlobServiceClient(source.accountUrl ?? '', credential, CLIENT_OPTIONS);
  return service.getContainerClient(source.container);
}
