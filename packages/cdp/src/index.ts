/**
 * `@almanac/cdp`: customer data that is never lost. A collector of Segment-spec messages over a
 * crash-safe outbox with at-least-once delivery to sinks, the warehouse contract (events,
 * profiles, identities, predictions) with audiences compiled to parameterised SQL, identity
 * resolution, and churn and lifetime-value predictions computed inside the warehouse.
 * Provider adapters are subpaths: `@almanac/cdp/segment`, `@almanac/cdp/duckdb`,
 * `@almanac/cdp/bigquery`.
 *
 * @packageDocumentation
 */
export { createCollector } from './collector/create-collector';
export type {
  CollectResult,
  Collector,
  CollectorCallOptions,
  CollectorOptions,
  FlushOptions,
  FlushReport,
  SinkFlushReport,
  TrackingPlan,
} from './collector/types';
export { createFileOutbox } from './outbox/file';
export type { FileOutboxOptions } from './outbox/file';
export { createMemoryOutbox } from './outbox/memory';
export type {
  AliasMessage,
  CallInput,
  CdpMessage,
  CdpMessageBase,
  CdpMessageType,
  GroupMessage,
  IdentifyMessage,
  JsonObject,
  JsonValue,
  PageMessage,
  TrackMessage,
} from './messages/types';
export { WAREHOUSE_CAPABILITY_METHODS, WAREHOUSE_SCHEMA_VERSION } from './spec';
export type {
  CdpSink,
  DryRunResult,
  EncodedBatch,
  EventRow,
  IdentityRow,
  MessageLinesLoad,
  Outbox,
  OutboxRecord,
  OutboxStats,
  PredictionRow,
  ProfileRow,
  QuarantinedMessage,
  SinkDeliverOptions,
  SinkRejection,
  SinkResult,
  SqlDialect,
  SqlQuery,
  WarehouseCallOptions,
  WarehouseCapabilities,
  WarehouseCapability,
  WarehouseLoad,
  WarehouseProvider,
} from './spec';
export { createWarehouse } from './warehouse/facade';
export type { Warehouse, WarehouseOperationOptions, WarehouseOptions } from './warehouse/facade';
export { createEventBusSink } from './event-bus/sink';
export type { EventBusSinkOptions } from './event-bus/sink';
export { createWarehouseSink } from './warehouse/sink';
export type { WarehouseSinkOptions } from './warehouse/sink';
export { eventRow, identityRows, profileKey, TRAIT_ID_TYPES } from './warehouse/rows';
export { compileAudience } from './audiences/compile';
export type { CompileAudienceOptions } from './audiences/compile';
export { audienceMembers, exportAudience } from './audiences/export';
export type { AudienceExport, AudienceRunOptions, AudienceTarget } from './audiences/export';
export type {
  AllOrAnyCondition,
  Audience,
  AudienceCondition,
  CategoryInListCondition,
  CategoryPredictionCondition,
  NotCondition,
  NumericPredictionCondition,
  TraitComparison,
  TraitConditionBase,
  TraitContains,
  TraitInList,
  TraitPresence,
  AudienceValue,
  ComparisonOperator,
  EventCountCondition,
  NumericPrediction,
  PredictionCondition,
  TraitCondition,
} from './audiences/types';
export { rfmSummaryQuery } from './intelligence/rfm';
export type { RfmSqlOptions } from './intelligence/rfm';
export { fitCustomerModels, predictCustomers } from './intelligence/predict';
export type {
  ChurnStats,
  CustomerChurnCategory,
  CustomerModels,
  CustomerPrediction,
  FitOptions,
  LtvSegment,
  LtvShares,
  LtvStats,
  PredictOptions,
  PredictionResult,
  PredictionSummary,
} from './intelligence/predict';
export { pushPredictions } from './intelligence/push';
export type { PushPredictionsOptions } from './intelligence/push';
export { createIdentityGraph } from './identity/graph';
export type { IdentityConflict, IdentityGraph, IdentityRules, Identifier, ResolvedProfile } from './identity/graph';
export { goldenRecord, profileTimeline, refreshProfiles } from './identity/profiles';
export type { RefreshProfilesOptions, RefreshProfilesResult, TimelineEntry, TraitObservation, TraitPrecedence } from './identity/profiles';
