/**
 * `@almanac/engine/azure`: the Azure adapter — virtual machines and VM scale sets over
 * `@azure/arm-compute`, metrics over `@azure/arm-monitor`. Both are optional peers loaded on
 * first use; the types here never mention them. Pass any `TokenCredential` (`@azure/identity`).
 *
 * Stopping, said plainly: `stop(id, { deallocate: true })` deallocates the VM (`beginDeallocate`)
 * and compute billing stops; `stop(id)` only powers it off (`beginPowerOff`) and **compute is
 * still billed** while it keeps its host. `Instance.computeBilled` tells the two apart.
 *
 * @packageDocumentation
 */
import { checkFactoryOptions } from '@almanac/core';
import type { OptionKeys } from '@almanac/core';
import { createCompute } from '../../facade';
import type { Compute, EngineFacadeOptions } from '../../facade';
import type { AzureComputeProviderOptions } from './options';
import { createAzureComputeProvider } from './provider';

export { AZURE_COMPUTE_CAPABILITIES, createAzureComputeProvider } from './provider';
export type { AzureComputeProvider } from './provider';
export { AZURE_VM_METRICS, azureInterval } from './metrics';
export type { AzureInterval, AzureMetricSource } from './metrics';
export { AZURE_PROVIDER, mapAzureError } from './errors';
export type { AzureClientOverrides, AzureComputeProviderOptions } from './options';
export type {
  AzureAccessToken,
  AzureCallOptions,
  AzureComputeClientLike,
  AzureContinuation,
  AzureMetricsLike,
  AzureMonitorClientLike,
  AzurePage,
  AzurePagedLike,
  AzurePollerLike,
  AzureScaleSetsLike,
  AzureSdkImporters,
  AzureTokenCredential,
  AzureVirtualMachine,
  AzureVirtualMachineSizesLike,
  AzureVirtualMachinesLike,
} from './sdk';

/** Facade settings accepted by {@link createAzureCompute} besides the adapter's own (`clock` and `logger` are shared). */
export type AzureFacadeOptions = Omit<EngineFacadeOptions, 'clock' | 'logger'>;

/** Options of {@link createAzureCompute}: the adapter's settings plus the facade's. */
export interface AzureComputeOptions extends AzureComputeProviderOptions, AzureFacadeOptions {}

// Every option, so plain-JavaScript callers get "did you mean" for a misspelt one (the type keeps it complete).
const AZURE_COMPUTE_OPTION_KEYS: OptionKeys<AzureComputeOptions> = { subscriptionId: true, credential: true, endpoint: true, location: true, pollIntervalMs: true, metricsConcurrency: true, clock: true, logger: true, retry: true, clients: true, importers: true, timeoutMs: true, waitTimeoutMs: true, maxPollIntervalMs: true, onAudit: true, tracer: true };

/**
 * A `Compute` facade over Azure VMs: {@link createAzureComputeProvider} wrapped by
 * `createCompute` (the provider stays reachable as `.provider`).
 *
 * @example
 * ```ts
 * import { DefaultAzureCredential } from '@azure/identity';
 * const compute = createAzureCompute({ subscriptionId, credential: new DefaultAzureCredential() });
 * await compute.stop(vmId, { deallocate: true }); // compute billing stops
 * ```
 */
export function createAzureCompute(options: AzureComputeOptions): Compute {
  checkFactoryOptions(options, AZURE_COMPUTE_OPTION_KEYS, { factory: 'createAzureCompute', provider: 'azure', required: ['subscriptionId', 'credential'] });
  const { timeoutMs, waitTimeoutMs, maxPollIntervalMs, onAudit, tracer, ...providerOptions } = options;
  const facade: EngineFacadeOptions = {
    ...(timeoutMs !== undefined && { timeoutMs }),
    ...(waitTimeoutMs !== undefined && { waitTimeoutMs }),
    ...(maxPollIntervalMs !== undefined && { maxPollIntervalMs }),
    ...(onAudit !== undefined && { onAudit }),
    ...(tracer !== undefined && { tracer }),
    ...(options.clock !== undefined && { clock: options.clock }),
    ...(options.logger !== undefined && { logger: options.logger }),
  };
  return createCompute(createAzureComputeProvider(providerOptions), facade);
}
