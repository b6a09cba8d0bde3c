/**
 * `@almanac/oracle/tiering`: storage tiering: storage-class recommendations from a cost model, provider
 * price tables, and lifecycle rules for S3, GCS and Azure.
 *
 * @packageDocumentation
 */
export { recommendStorageClasses } from './batch';
export type { TieringRun } from './batch';
export { toLifecycleRules } from './lifecycle';
export type {
  AzureManagementPolicy,
  AzureTierAction,
  GcsLifecycleConfiguration,
  LifecycleConfigurationByProvider,
  LifecycleRuleOptions,
  S3LifecycleConfiguration,
} from './lifecycle';
export { AWS_S3_PRICES, AZURE_BLOB_PRICES, DEFAULT_STORAGE_PRICES, GCS_PRICES } from './prices';
export type { AutoTiering, PriceSource, StorageClassPrice, StorageCloud, StoragePriceTable } from './prices';
export { recommendStorageClass } from './recommend';
export type {
  StorageObject,
  StorageRecommendation,
  TieringClassTotals,
  TieringOptions,
  TieringResult,
  TieringSummary,
} from './types';
export { validateStoragePriceTable } from './validate-prices';
