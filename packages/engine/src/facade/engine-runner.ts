import { parse } from '@almanac/core';
import { createOperationRunner } from '@almanac/core/kit';
import type { CapabilityMethodTable, OperationRunner, ProviderContract } from '@almanac/core/kit';
import { facadeOptionsSchema } from './schemas';
import type { EngineFacadeOptions } from './types';

const DEFAULT_TIMEOUT_MS = 60_000;
const DEFAULT_WAIT_TIMEOUT_MS = 600_000;
const DEFAULT_MAX_POLL_MS = 30_000;

/** What {@link createEngineRunner} sets up for a facade. */
export interface EngineRunner<P extends ProviderContract, T extends CapabilityMethodTable<P>> {
  /** Core's operation runner over the provider, with the facade options applied. */
  readonly runner: OperationRunner<P, T>;
  /** Default deadline of a wait (`waitFor`, `resize`, `waitForService`), in ms. */
  readonly waitTimeoutMs: number;
  /** Longest interval between two polls of a wait, in ms. */
  readonly maxPollMs: number;
}

/**
 * Validates the facade options (naming `operation` in the error) and builds the operation runner
 * and wait settings that `createCompute` and `createContainers` share.
 */
export function createEngineRunner<P extends ProviderContract, T extends CapabilityMethodTable<P>>(
  operation: string,
  domain: string,
  provider: P,
  capabilityMethods: T,
  options: EngineFacadeOptions,
): EngineRunner<P, T> {
  parse(facadeOptionsSchema, options, { operation, path: 'options' });
  const runner = createOperationRunner({
    domain,
    provider,
    capabilityMethods,
    defaultTimeoutMs: DEFAULT_TIMEOUT_MS,
    timeoutMs: options.timeoutMs,
    clock: options.clock,
    logger: options.logger,
    onAudit: options.onAudit,
    tracer: options.tracer,
  });
  return {
    runner,
    waitTimeoutMs: options.waitTimeoutMs ?? DEFAULT_WAIT_TIMEOUT_MS,
    maxPollMs: options.maxPollIntervalMs ?? DEFAULT_MAX_POLL_MS,
  };
}
