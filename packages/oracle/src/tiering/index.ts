export { recommendStorageClasses, type TieringRun } from './batch';
export {
  type AzureManagementPolicy,
  type AzureTierAction,
  type GcsLifecycleConfiguration,
  type LifecycleConfigurationByProvider,
  type LifecycleRuleOptions,
  type S3LifecycleConfiguration,
  toLifecycleRules,
} from './lifecycle';
export {
  AWS_S3_PRICES,
  AZURE_BLOB_PRICES,
  type AutoTiering,
  DEFAULT_STORAGE_PRICES,
  GCS_PRICES,
  type PriceSource,
  type StorageClassPrice,
  type StoragePriceTable,
  type StorageCloud,
} from './prices';
export { recommendStorageClass } from './recommend';
export type { StorageObject, StorageRecommendation, TieringClassTotals, TieringOptions, TieringResult, TieringSummary } from './types';
export { validateStoragePriceTable } from './validate-prices';
