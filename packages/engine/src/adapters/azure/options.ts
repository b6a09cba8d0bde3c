import { type Clock, type Logger, parse, type RetryPolicy } from '@almanac/core';
import * as z from '@almanac/core/schema';
import { AZURE_PROVIDER } from './errors';
import type { AzureComputeClientLike, AzureMonitorClientLike, AzureSdkImporters, AzureTokenCredential } from './sdk';

/** Clients to use as they are instead of building them. */
export interface AzureClientOverrides {
  /** A `ComputeManagementClient`. */
  readonly compute?: AzureComputeClientLike | undefined;
  /** A `MonitorClient`. */
  readonly monitor?: AzureMonitorClientLike | undefined;
}

/** Options of `createAzureComputeProvider`. */
export interface AzureComputeProviderOptions {
  /** Subscription whose VMs and scale sets the adapter manages. */
  readonly subscriptionId: string;
  /** A `TokenCredential` (`DefaultAzureCredential`, `ClientSecretCredential`, …). Tokens are never logged. */
  readonly credential: AzureTokenCredential;
  /**
   * Resource Manager endpoint (sovereign clouds such as `https://management.chinacloudapi.cn`,
   * Azure Stack, test servers). The token scope follows it (`<endpoint>/.default`).
   */
  readonly endpoint?: string | undefined;
  /** Region whose sizes `listSizes()` lists when no instance id is given, e.g. `westeurope`. */
  readonly location?: string | undefined;
  /**
   * Interval between polls of long-running operations (start, deallocate, resize, capacity), in
   * ms; passed to the SDK poller as `updateIntervalInMs`. Default: the SDK's (2 s, or the
   * server's `Retry-After`).
   */
  readonly pollIntervalMs?: number | undefined;
  /** How many VMs' metrics are fetched at once (Azure Monitor answers one resource per call). Default 4. */
  readonly metricsConcurrency?: number | undefined;
  /** Clock of retry backoff. */
  readonly clock?: Clock | undefined;
  /** Told about retries at debug level (never tokens). */
  readonly logger?: Logger | undefined;
  /** Retry policy of idempotent calls; non-idempotent calls (restart) run once. */
  readonly retry?: RetryPolicy | undefined;
  /** Clients to use as they are (build them with `retryOptions: { maxRetries: 0 }`, or two layers retry). */
  readonly clients?: AzureClientOverrides | undefined;
  /** SDK importers, for tests of the missing-package path. */
  readonly importers?: AzureSdkImporters | undefined;
}

const schema = z.object({
  subscriptionId: z.guid('must be a subscription id (a GUID)'),
  credential: z.custom<AzureTokenCredential>(
    (value) => typeof (value as { getToken?: unknown } | null)?.getToken === 'function',
    'must be a TokenCredential (an object with getToken())',
  ),
  endpoint: z.url({ protocol: /^https$/ }).optional(),
  location: z.string().regex(/^[a-z0-9]+$/, 'must be an Azure region name such as westeurope').optional(),
  pollIntervalMs: z.int().min(0).max(600_000).optional(),
  metricsConcurrency: z.int().min(1).max(32).optional(),
  clock: z.custom<Clock>((value) => typeof (value as Clock | null)?.now === 'function' && typeof (value as Clock).sleep === 'function', 'must be a Clock').optional(),
  logger: z.custom<Logger>((value) => typeof value === 'object' && value !== null, 'must be a Logger').optional(),
  retry: z.object({}).loose().optional(),
  clients: z.object({ compute: z.object({}).loose().optional(), monitor: z.object({}).loose().optional() }).strict().optional(),
  importers: z.object({}).loose().optional(),
});

/** Validates options, naming every bad field (`options.subscriptionId`, …). */
export function checkAzureComputeOptions(options: AzureComputeProviderOptions): void {
  parse(schema.loose(), options, { provider: AZURE_PROVIDER, operation: 'createAzureComputeProvider', path: 'options' });
}
