/**
 * `@almanac/aetherium`: multi-cloud cost in one FOCUS 1.2 model. The root holds the model, the
 * `CostSource` contract and facade, and the analyses (anomalies, forecasts, budgets, savings, the
 * HTML report); sources are subpaths (`/focus`, `/aws`, `/gcp`, `/memory`) that load their SDKs
 * lazily, so importing the root never loads a cloud SDK or DuckDB.
 *
 * @packageDocumentation
 */
export { COST_DIMENSIONS, COST_SOURCE_CAPABILITY_METHODS, TAG_KEY_PATTERN } from './spec';
export type {
  CostDimension,
  CostFilter,
  CostForecastGranularity,
  CostForecastPeriod,
  CostForecastRequest,
  CostGranularity,
  CostGroupKey,
  CostQuery,
  CostRange,
  CostRow,
  CostSourceCapabilities,
  CostSourceCapability,
  CostSourceForecast,
  CostSourceProvider,
  CostSourceProviderMethod,
  CostSourceRequest,
} from './spec';
export { FOCUS_1_2_COLUMNS, FOCUS_REQUIRED_COLUMNS } from './model/columns';
export type { FocusColumn, FocusDataType } from './model/columns';
export { isFocusNull, parseFocusRow } from './model/focus-row';
export type { FocusRow, FocusRowRequired, FocusValue, ParseFocusRowOptions } from './model/focus-row';
export { parseCsvRecords, parseFocusCsv } from './model/csv';
export { aggregateFocusRows } from './model/aggregate';
export { collectCosts, createCostSource } from './facade/index';
export type { CostForecastQuery, CostOperationOptions, CostSource, CostSourceOptions } from './facade/index';
export { combineSources } from './insights/combine';
export { detectCostAnomalies } from './insights/anomalies';
export type { CostAnomalyFinding, CostAnomalyReport, DetectCostAnomaliesOptions } from './insights/anomalies';
export type { DailyPoint, DailySeries } from './insights/history';
export { forecast } from './insights/forecast';
export type { ForecastSeries, SourceForecast, SourceForecastOptions } from './insights/forecast';
export { checkBudgets } from './insights/budgets';
export type { Budget, BudgetPeriod, BudgetState, BudgetStatus, CheckBudgetsOptions } from './insights/budgets';
export { RIGHTSIZE_HEADROOM, recommendSavings } from './insights/savings';
export { METRIC_QUERIES_PER_CALL, collectComputeUsage } from './inventory/compute';
export type { CollectComputeUsageOptions, ComputeInventory, ComputeInventorySource, InventoryInstance, InventoryMetricSeries, InventorySize } from './inventory/compute';
export { collectStorageUsage } from './inventory/storage';
export type {
  CollectStorageUsageOptions,
  StorageAccess,
  StorageInventory,
  StorageInventoryEntry,
  StorageInventorySource,
  StoragePostureFinding,
  StorageTieringGroup,
} from './inventory/storage';
export type { ComputeUsage, SavingsInput, SavingsKind, SavingsOptions, SavingsRecommendation, StorageUsage } from './insights/savings';
export { renderCostReport } from './report/render';
export type { CostReportInput } from './report/render';
