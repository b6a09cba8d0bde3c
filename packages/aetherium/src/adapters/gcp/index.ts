/**
 * `@almanac/aetherium/gcp`: Google Cloud costs from the Cloud Billing export in BigQuery
 * (`@google-cloud/bigquery`, an optional peer loaded on first use).
 *
 * @packageDocumentation
 */
import { createCostSource } from '../../facade/create-cost-source';
import type { CostSource, CostSourceOptions } from '../../facade/types';
import { createGcpCostSourceProvider } from './provider';
import type { GcpCostSourceProviderOptions } from './provider';

export { createGcpCostSourceProvider } from './provider';
export type { BigQueryLike, GcpCostSourceProviderOptions } from './provider';
export { BIGQUERY_DIALECT, GCP_DIMENSIONS, buildBillingAggregation } from './sql';
export type { BillingSqlDialect, BillingStatement } from './sql';

/** Options of {@link createGcpCostSource}: the provider's, plus the facade's `timeoutMs`, `onAudit` and `tracer`. */
export interface GcpCostSourceOptions extends GcpCostSourceProviderOptions, Omit<CostSourceOptions, 'clock' | 'logger'> {}

/**
 * Creates the {@link CostSource} facade over a Cloud Billing export table.
 *
 * @example
 * ```ts
 * import { createGcpCostSource } from '@almanac/aetherium/gcp';
 * const gcp = createGcpCostSource({ projectId: 'billing-prj', dataset: 'billing', table: 'gcp_billing_export_v1_0123AB_4567CD_89EFAB' });
 * ```
 *
 * @throws `ValidationError` naming the field for bad options.
 */
export function createGcpCostSource(options: GcpCostSourceOptions): CostSource {
  const { timeoutMs, onAudit, tracer, ...provider } = options;
  return createCostSource(createGcpCostSourceProvider(provider), { timeoutMs, onAudit, tracer, clock: provider.clock, logger: provider.logger });
}
