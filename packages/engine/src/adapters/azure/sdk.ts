import { createPeerLoader } from '@almanac/core/kit';

/**
 * A credential in the shape of `@azure/core-auth`'s `TokenCredential` (`DefaultAzureCredential`,
 * `ClientSecretCredential`, … from `@azure/identity`). Structural, so `@azure/identity` is not
 * needed to type-check. Tokens are handed to the SDK and never logged.
 */
export interface AzureTokenCredential {
  /** Gets an access token for the scopes. */
  getToken(scopes: string | string[], options?: object): Promise<AzureAccessToken | null>;
}

/** An access token as a `TokenCredential` returns it. */
export interface AzureAccessToken {
  /** The bearer token. */
  token: string;
  /** When it expires, in ms since the epoch. */
  expiresOnTimestamp: number;
}

// exact-optional-ignore: the SDK's own client must stay assignable to this shape.
/** A long-running operation poller (`SimplePollerLike` of `@azure/core-lro`). */
export interface AzurePollerLike<T> {
  /** Polls until the operation has finished; rejects when it failed or `abortSignal` aborted. */
  pollUntilDone(options?: { abortSignal?: AbortSignal }): Promise<T>;
}

/** A page of a paged listing, with the link to the next one. */
export type AzurePage<T> = T[] & AzureContinuation;

/** What a page carries besides its items. */
export interface AzureContinuation {
  /** The next page's link; absent on the last page. */
  continuationToken?: string | undefined;
}

/** A paged listing (`PagedAsyncIterableIterator` of `@azure/core-paging`). */
export interface AzurePagedLike<T> extends AsyncIterable<T> {
  /** Page by page, from `continuationToken` (the previous page's next link). */
  byPage(settings?: { continuationToken?: string | undefined; maxPageSize?: number | undefined }): AsyncIterableIterator<AzurePage<T>>;
}

// exact-optional-ignore: the SDK's own client must stay assignable to this shape.
/** Options of every SDK call the adapter makes. */
export interface AzureCallOptions {
  /** Cancels the HTTP request (and, for long-running operations, the initial request). */
  readonly abortSignal?: AbortSignal;
  /** Interval between polls of a long-running operation (the SDK's default is 2 s, or the server's Retry-After). */
  readonly updateIntervalInMs?: number | undefined;
  /** Further options (`statusOnly`, `expand`, metric query parameters). */
  readonly [option: string]: unknown;
}

/** A virtual machine as the SDK returns it (properties flattened onto the model); kept loose. */
export interface AzureVirtualMachine {
  /** ARM resource id. */
  readonly id?: string | undefined;
  /** Resource name. */
  readonly name?: string | undefined;
  /** Region, e.g. `westeurope`. */
  readonly location?: string | undefined;
  readonly [field: string]: unknown;
}

/** The `virtualMachines` operations the adapter uses. */
export interface AzureVirtualMachinesLike {
  /** Every VM of the subscription, paged (`statusOnly: 'true'` adds each power state). */
  listAll(options?: AzureCallOptions): AzurePagedLike<AzureVirtualMachine>;
  /** One VM (`expand: 'instanceView'` adds its statuses). */
  get(resourceGroupName: string, vmName: string, options?: AzureCallOptions): Promise<AzureVirtualMachine>;
  /** The VM's instance view (statuses). */
  instanceView(resourceGroupName: string, vmName: string, options?: AzureCallOptions): Promise<Record<string, unknown>>;
  /** Starts the VM (long-running). */
  beginStart(resourceGroupName: string, vmName: string, options?: AzureCallOptions): Promise<AzurePollerLike<unknown>>;
  /** Powers the VM off, keeping its host: compute is still billed (long-running). */
  beginPowerOff(resourceGroupName: string, vmName: string, options?: AzureCallOptions): Promise<AzurePollerLike<unknown>>;
  /** Deallocates the VM: compute billing stops (long-running). */
  beginDeallocate(resourceGroupName: string, vmName: string, options?: AzureCallOptions): Promise<AzurePollerLike<unknown>>;
  /** Restarts the VM (long-running). */
  beginRestart(resourceGroupName: string, vmName: string, options?: AzureCallOptions): Promise<AzurePollerLike<unknown>>;
  /** Patches the VM (size, tags) (long-running). */
  beginUpdate(resourceGroupName: string, vmName: string, parameters: Record<string, unknown>, options?: AzureCallOptions): Promise<AzurePollerLike<unknown>>;
  /** Sizes the VM can be resized to on its current hardware. */
  listAvailableSizes(resourceGroupName: string, vmName: string, options?: AzureCallOptions): AsyncIterable<Record<string, unknown>>;
}

/** The `virtualMachineSizes` operations the adapter uses. */
export interface AzureVirtualMachineSizesLike {
  /** Sizes offered in a region. */
  list(location: string, options?: AzureCallOptions): AsyncIterable<Record<string, unknown>>;
}

/** The `virtualMachineScaleSets` operations the adapter uses. */
export interface AzureScaleSetsLike {
  /** Every scale set of the subscription, paged. */
  listAll(options?: AzureCallOptions): AzurePagedLike<Record<string, unknown>>;
  /** Patches a scale set (`sku.capacity`) (long-running). */
  beginUpdate(resourceGroupName: string, vmScaleSetName: string, parameters: Record<string, unknown>, options?: AzureCallOptions): Promise<AzurePollerLike<unknown>>;
}

/** The slice of `ComputeManagementClient` (`@azure/arm-compute`) the adapter uses. */
export interface AzureComputeClientLike {
  /** `virtualMachines` operations. */
  readonly virtualMachines: AzureVirtualMachinesLike;
  /** `virtualMachineSizes` operations. */
  readonly virtualMachineSizes: AzureVirtualMachineSizesLike;
  /** `virtualMachineScaleSets` operations. */
  readonly virtualMachineScaleSets: AzureScaleSetsLike;
}

/** The `metrics` operations of `MonitorClient` the adapter uses. */
export interface AzureMetricsLike {
  /** `Metrics - List` of one resource (`resourceUri` without the leading slash). */
  list(resourceUri: string, options?: AzureCallOptions): Promise<Record<string, unknown>>;
}

/** The slice of `MonitorClient` (`@azure/arm-monitor`) the adapter uses. */
export interface AzureMonitorClientLike {
  /** `metrics` operations. */
  readonly metrics: AzureMetricsLike;
}

/** Imports of the optional peers; injectable so tests can fake a missing package. */
export interface AzureSdkImporters {
  /** Imports `@azure/arm-compute`. */
  readonly compute?: (() => Promise<unknown>) | undefined;
  /** Imports `@azure/arm-monitor`. */
  readonly monitor?: (() => Promise<unknown>) | undefined;
}

/** Settings the clients are built from. */
export interface AzureClientSettings {
  readonly subscriptionId: string;
  readonly credential: AzureTokenCredential;
  /** Resource Manager endpoint (sovereign clouds, Azure Stack, test servers). */
  readonly endpoint?: string | undefined;
}

type ClientClass<C> = new (credential: AzureTokenCredential, subscriptionId: string, options: Record<string, unknown>) => C;

/**
 * Client options: `maxRetries: 0` (retries belong to core's `callProvider`, so only idempotent
 * calls repeat, on the injected clock) and, for another endpoint, the same URL under both names
 * the SDK generations read (`endpoint`; `$host` in AutoRest clients) plus the token scope of
 * that cloud (`<endpoint>/.default`).
 */
export function azureClientOptions(endpoint: string | undefined): Record<string, unknown> {
  const options: Record<string, unknown> = { retryOptions: { maxRetries: 0 } };
  if (endpoint !== undefined) {
    const origin = new URL(endpoint).origin;
    const scope = `${origin}/.default`;
    Object.assign(options, { endpoint: origin, $host: origin, credentialScopes: [scope], credentials: { scopes: [scope] } });
  }
  return options;
}

/** Lazily built clients, shared by every call of one adapter instance. */
export interface AzureClients {
  /** The compute client (built on first use). */
  compute(): Promise<AzureComputeClientLike>;
  /** The monitor client (built on first use). */
  monitor(): Promise<AzureMonitorClientLike>;
}

/** Builds the lazy client handles; injected clients are used as they are. */
export function azureClients(
  settings: AzureClientSettings,
  injected: { readonly compute?: AzureComputeClientLike | undefined; readonly monitor?: AzureMonitorClientLike | undefined },
  importers: AzureSdkImporters | undefined,
): AzureClients {
  const loadCompute = createPeerLoader<Record<string, unknown>>({
    pkg: '@azure/arm-compute',
    provider: 'azure',
    requiredBy: 'The Azure compute adapter',
    // Literal specifiers so bundlers see the optional peers.
    importer: importers?.compute ?? (() => import('@azure/arm-compute')),
    exportName: 'ComputeManagementClient',
    minVersion: '21.0.0',
  });
  const loadMonitor = createPeerLoader<Record<string, unknown>>({
    pkg: '@azure/arm-monitor',
    provider: 'azure',
    requiredBy: 'The Azure compute adapter',
    purpose: 'read metrics',
    importer: importers?.monitor ?? (() => import('@azure/arm-monitor')),
    exportName: 'MonitorClient',
    minVersion: '7.0.0',
  });
  let compute = injected.compute;
  let monitor = injected.monitor;
  const options = azureClientOptions(settings.endpoint);
  return {
    async compute() {
      if (compute !== undefined) return compute;
      const Client = (await loadCompute())['ComputeManagementClient'] as ClientClass<AzureComputeClientLike>;
      compute = new Client(settings.credential, settings.subscriptionId, { ...options });
      return compute;
    },
    async monitor() {
      if (monitor !== undefined) return monitor;
      const Client = (await loadMonitor())['MonitorClient'] as ClientClass<AzureMonitorClientLike>;
      monitor = new Client(settings.credential, settings.subscriptionId, { ...options });
      return monitor;
    },
  };
}
