/**
 * `@almanac/engine/aws`: the AWS adapters — EC2 instances (with CloudWatch metrics and Elastic
 * IPs) and ECS services. Uses the optional peers `@aws-sdk/client-ec2`, `@aws-sdk/client-ecs`
 * and `@aws-sdk/client-cloudwatch`, each loaded on first use; the types here never mention them.
 *
 * Retries: clients built here have `maxAttempts: 1`, so only core's `callProvider` retries, and
 * only calls that are safe to repeat (never `RebootInstances` or `RegisterTaskDefinition`). An
 * injected client should be configured the same way, or both layers retry.
 *
 * @packageDocumentation
 */
import { checkFactoryOptions } from '@almanac/core';
import type { OptionKeys } from '@almanac/core';
import { createCompute, createContainers } from '../../facade';
import type { Compute, Containers, EngineFacadeOptions } from '../../facade';
import { createAwsComputeProvider } from './ec2-provider';
import { createAwsContainersProvider } from './ecs-provider';
import type { AwsComputeProviderOptions, AwsContainersProviderOptions } from './options';

export { AWS_COMPUTE_CAPABILITIES, createAwsComputeProvider } from './ec2-provider';
export type { AwsComputeProvider } from './ec2-provider';
export { AWS_CONTAINER_CAPABILITIES, MAX_SERVICES_PER_DESCRIBE, createAwsContainersProvider } from './ecs-provider';
export type { AwsContainersProvider } from './ecs-provider';
export { MAX_QUERIES_PER_CALL, cloudWatchPeriod } from './cloudwatch';
export { AWS_PROVIDER, mapAwsError } from './errors';
export type {
  AwsCommonOptions,
  AwsComputeClients,
  AwsComputeProviderOptions,
  AwsContainersClients,
  AwsContainersProviderOptions,
  AwsEndpoint,
  AwsServiceEndpoints,
} from './options';
export type { AwsClientLike, AwsCredentialProvider, AwsCredentials, AwsSdkImporters } from './sdk';

/** Facade settings accepted by the AWS factories besides the adapter's own (`clock` and `logger` are shared). */
export type AwsFacadeOptions = Omit<EngineFacadeOptions, 'clock' | 'logger'>;

/** Options of {@link createAwsCompute}: the adapter's settings plus the facade's. */
export interface AwsComputeOptions extends AwsComputeProviderOptions, AwsFacadeOptions {}

/** Options of {@link createAwsContainers}: the adapter's settings plus the facade's. */
export interface AwsContainersOptions extends AwsContainersProviderOptions, AwsFacadeOptions {}

function facadeOptions(options: AwsFacadeOptions & { readonly clock?: EngineFacadeOptions['clock'] | undefined; readonly logger?: EngineFacadeOptions['logger'] | undefined }): EngineFacadeOptions {
  return {
    ...(options.timeoutMs !== undefined && { timeoutMs: options.timeoutMs }),
    ...(options.waitTimeoutMs !== undefined && { waitTimeoutMs: options.waitTimeoutMs }),
    ...(options.maxPollIntervalMs !== undefined && { maxPollIntervalMs: options.maxPollIntervalMs }),
    ...(options.onAudit !== undefined && { onAudit: options.onAudit }),
    ...(options.tracer !== undefined && { tracer: options.tracer }),
    ...(options.clock !== undefined && { clock: options.clock }),
    ...(options.logger !== undefined && { logger: options.logger }),
  };
}

// Every option, so plain-JavaScript callers get "did you mean" for a misspelt one (the type keeps it complete).
const AWS_COMPUTE_OPTION_KEYS: OptionKeys<AwsComputeOptions> = { clients: true, ingress: true, region: true, credentials: true, endpoint: true, clock: true, logger: true, retry: true, importers: true, timeoutMs: true, waitTimeoutMs: true, maxPollIntervalMs: true, onAudit: true, tracer: true };

/**
 * A `Compute` facade over EC2: {@link createAwsComputeProvider} wrapped by `createCompute`
 * (the provider stays reachable as `.provider`).
 *
 * @example
 * ```ts
 * const compute = createAwsCompute({ region: 'eu-west-1' }); // SDK default credential chain
 * const states: string[] = [];
 * for await (const instance of compute.listInstances({ tags: { team: 'web' } })) {
 *   states.push(`${instance.id} ${instance.state} (${instance.rawState})`);
 * }
 * ```
 */
export function createAwsCompute(options: AwsComputeOptions): Compute {
  checkFactoryOptions(options, AWS_COMPUTE_OPTION_KEYS, { factory: 'createAwsCompute', provider: 'aws', required: ['region'] });
  const { timeoutMs, waitTimeoutMs, maxPollIntervalMs, onAudit, tracer, ...providerOptions } = options;
  return createCompute(createAwsComputeProvider(providerOptions), facadeOptions(options));
}

// Every option, so plain-JavaScript callers get "did you mean" for a misspelt one (the type keeps it complete).
const AWS_CONTAINERS_OPTION_KEYS: OptionKeys<AwsContainersOptions> = { clients: true, region: true, credentials: true, endpoint: true, clock: true, logger: true, retry: true, importers: true, timeoutMs: true, waitTimeoutMs: true, maxPollIntervalMs: true, onAudit: true, tracer: true };

/**
 * A `Containers` facade over ECS: {@link createAwsContainersProvider} wrapped by
 * `createContainers` (the provider stays reachable as `.provider`).
 *
 * @example
 * ```ts
 * const containers = createAwsContainers({ region: 'eu-west-1' });
 * await containers.scaleService({ cluster: 'prod', service: 'web', desiredCount: 6 });
 * ```
 */
export function createAwsContainers(options: AwsContainersOptions): Containers {
  checkFactoryOptions(options, AWS_CONTAINERS_OPTION_KEYS, { factory: 'createAwsContainers', provider: 'aws', required: ['region'] });
  const { timeoutMs, waitTimeoutMs, maxPollIntervalMs, onAudit, tracer, ...providerOptions } = options;
  return createContainers(createAwsContainersProvider(providerOptions), facadeOptions(options));
}
