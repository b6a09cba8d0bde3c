/**
 * `@almanac/aetherium/aws`: costs from AWS Cost Explorer (`@aws-sdk/client-cost-explorer`, an
 * optional peer loaded on first use), and the S3 bucket inventory (`listS3Buckets`,
 * `@aws-sdk/client-s3`, also an optional peer). EC2 instances and their CloudWatch metrics come
 * through `@almanac/engine/aws` and `collectComputeUsage` from the root.
 *
 * @packageDocumentation
 */
import { createCostSource } from '../../facade/create-cost-source';
import type { CostSource, CostSourceOptions } from '../../facade/types';
import type { AwsCostSourceProviderOptions } from './options';
import { createAwsCostSourceProvider } from './provider';
import type { AwsCostSourceProvider } from './provider';

export { COST_EXPLORER_HOURLY_LOOKBACK_DAYS, costExplorerFilter, createAwsCostSourceProvider } from './provider';
export type { AwsCostSourceProvider, AwsCostSourceStats } from './provider';
export { bucketRegion, listS3Buckets } from './buckets';
export type { ListS3BucketsOptions, S3Bucket, S3InventoryClient } from './buckets';
export type { AwsCostSourceProviderOptions, AwsCredentialProvider, AwsCredentials, CostExplorerLike } from './options';

/** Options of {@link createAwsCostSource}: the provider's, plus the facade's `timeoutMs`, `onAudit` and `tracer`. */
export interface AwsCostSourceOptions extends AwsCostSourceProviderOptions, Omit<CostSourceOptions, 'clock' | 'logger'> {}

/** The Cost Explorer facade, keeping the adapter (with its request counter) as `provider`. */
export interface AwsCostSource extends CostSource {
  /** The Cost Explorer adapter; `provider.stats()` counts billed requests and cache hits. */
  readonly provider: AwsCostSourceProvider;
}

/**
 * Creates the {@link CostSource} facade over AWS Cost Explorer.
 *
 * @example
 * ```ts
 * import { createAwsCostSource } from '@almanac/aetherium/aws';
 * const aws = createAwsCostSource(); // SDK default credential chain, us-east-1 endpoint
 * ```
 *
 * @throws `ValidationError` naming the field for bad options.
 */
export function createAwsCostSource(options: AwsCostSourceOptions = {}): AwsCostSource {
  const { timeoutMs, onAudit, tracer, ...provider } = options;
  const adapter = createAwsCostSourceProvider(provider);
  return createCostSource(adapter, { timeoutMs, onAudit, tracer, clock: provider.clock, logger: provider.logger }) as AwsCostSource;
}
