/**
 * `@almanac/core/kit`: what every domain facade and adapter is built on, so no package writes
 * it again — versioned provider contracts, capability tables that drive `supports()` and the
 * types, the operation runner (validation, capability checks, deadlines, error mapping, one
 * span and one audit event per operation), lazy optional-peer loading, and `callProvider`
 * (one rule for retries, aborts and error mapping around a provider call).
 *
 * @packageDocumentation
 */
export { SPECIFICATION_VERSION, assertProviderContract } from './contract';
export type { AssertProviderContractOptions, ProviderContract, SpecificationVersion } from './contract';
export { defineCapabilityMethods, isCapabilityDeclared, supportsCapability } from './capabilities';
export type { CapabilityMethodTable, CapabilitySupport, WithCapability } from './capabilities';
export type { RunInput } from './schema';
export { toAlmanacError, withErrorContext } from './errors';
export { createOperationRunner } from './runner';
export type {
  OperationAttributes,
  OperationAuditEvent,
  OperationContext,
  OperationRunner,
  OperationRunnerOptions,
  PrepareOptions,
  RunOptions,
} from './runner';
export { createPeerLoader, isModuleNotFound, loadOptionalPeer } from './peer';
export type { PeerLoaderOptions } from './peer';
export { callProvider } from './call-provider';
export type { CallProviderOptions, MappedProviderError, ProviderErrorInfo, ProviderErrorMapper, SafeToRetry } from './call-provider';
