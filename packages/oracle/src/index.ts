/**
 * `@almanac/oracle`: pure, deterministic algorithms — slot finding, churn and lifetime
 * value (BG/NBD, Pareto/NBD, Gamma-Gamma), storage tiering, scaling, time zones,
 * forecasting, anomaly detection, ratings, login risk and data classification. No I/O, no
 * hidden clock, no unseeded randomness, no runtime dependencies: runs in Node, browsers
 * and edge runtimes. Invalid input throws {@link OracleRangeError} or
 * {@link OracleTypeError}, shaped like `@almanac/core`'s `ValidationError` and naming the field.
 *
 * Each folder is also its own entry (`@almanac/oracle/slots`, `/churn`, `/time`, `/errors`, …);
 * this root re-exports all of them for convenience.
 *
 * @packageDocumentation
 */
// @almanac/oracle/errors
export { OracleRangeError, OracleTypeError } from './errors';
export type { OracleErrorCode, OracleValidationError, OracleValidationIssue } from './errors';
// @almanac/oracle/slots
export { findSlots, intersectIntervals, mergeIntervals, subtractIntervals } from './slots/index';
export type {
  InstantInput,
  NumericInterval,
  Slot,
  SlotParticipant,
  SlotRequest,
  TimeRangeInput,
  WeeklyWindow,
} from './slots/index';
// @almanac/oracle/churn
export {
  bgNbdExpectedPurchases,
  bgNbdExpectedPurchasesNew,
  bgNbdLogLikelihood,
  bgNbdProbabilityAlive,
  churnActions,
  churnModelFromBgNbd,
  customerLifetimeValue,
  DEFAULT_CHURN_THRESHOLDS,
  fitBgNbd,
  fitGammaGamma,
  fitParetoNbd,
  gammaGammaExpectedAverageValue,
  paretoNbdExpectedPurchases,
  paretoNbdLogLikelihood,
  paretoNbdProbabilityAlive,
  rfmSummary,
  scoreChurn,
  trainChurnModel,
} from './churn/index';
export type {
  BgNbdChurnModel,
  BgNbdChurnModelOptions,
  BgNbdFit,
  BgNbdFitOptions,
  BgNbdParams,
  ChurnCategory,
  ChurnContribution,
  ChurnModel,
  ChurnScore,
  ChurnThresholds,
  ChurnTrainingOptions,
  ChurnTrainingRow,
  CustomerLifetimeValueInput,
  GammaGammaFit,
  GammaGammaFitOptions,
  GammaGammaParams,
  LogisticChurnModel,
  ParetoNbdFit,
  ParetoNbdFitOptions,
  ParetoNbdParams,
  RfmCustomer,
  RfmRow,
  RfmSummaryOptions,
  SpendCustomer,
  SpendObservation,
  Transaction,
} from './churn/index';
// @almanac/oracle/tiering
export {
  AWS_S3_PRICES,
  AZURE_BLOB_PRICES,
  DEFAULT_STORAGE_PRICES,
  GCS_PRICES,
  recommendStorageClass,
  recommendStorageClasses,
  toLifecycleRules,
  validateStoragePriceTable,
} from './tiering/index';
export type {
  AutoTiering,
  AzureManagementPolicy,
  AzureTierAction,
  GcsLifecycleConfiguration,
  LifecycleConfigurationByProvider,
  LifecycleRuleOptions,
  PriceSource,
  S3LifecycleConfiguration,
  StorageClassPrice,
  StorageCloud,
  StorageObject,
  StoragePriceTable,
  StorageRecommendation,
  TieringClassTotals,
  TieringOptions,
  TieringResult,
  TieringRun,
  TieringSummary,
} from './tiering/index';
// @almanac/oracle/scaling
export { createHpaRecommender, hpaDesiredReplicas, recommendCapacity, rightsize } from './scaling/index';
export type {
  CapacityInput,
  CapacityPoint,
  HpaBehavior,
  HpaInput,
  HpaMetric,
  HpaReason,
  HpaRecommendation,
  HpaRecommendationReason,
  HpaRecommender,
  HpaRecommenderOptions,
  HpaRecommendInput,
  HpaResult,
  HpaScalingPolicy,
  HpaScalingRules,
  InstanceSize,
  LoadSample,
  RightsizeInput,
  RightsizeResult,
  UsagePercentile,
  UsagePercentiles,
} from './scaling/index';
// @almanac/oracle/time
export {
  addDays,
  allDayToRange,
  createZoneOffsetReader,
  dateInZone,
  DAY_MS,
  daysInMonth,
  formatDate,
  formatInZone,
  formatLocalDateTime,
  fromWallMs,
  instantToLocal,
  instantToZonedTime,
  isIsoDate,
  isValidLocalDateTime,
  isValidTimeZone,
  localToInstant,
  parseIsoInstant,
  parseLocalDateTime,
  startOfDayInZone,
  toWallMs,
  wallMsToInstantMs,
  zonedLocalToInstant,
  zonedTimeToInstant,
  zoneOffsetMs,
} from './time/index';
export type { Disambiguation, LocalDateTime, ZonedReading, ZoneOffsetReader } from './time/index';
// @almanac/oracle/forecast
export { detectPeriod, forecastAuto, forecastHoltWinters } from './forecast/index';
export type {
  AutoForecast,
  AutoForecastOptions,
  DetectPeriodOptions,
  EtsBoundaryHit,
  EtsCandidate,
  EtsErrorKind,
  EtsInitialization,
  EtsModelReport,
  EtsParameterName,
  EtsSeasonKind,
  EtsTrendKind,
  HoltWintersForecast,
  IntervalMethod,
  HoltWintersOptions,
  HoltWintersParams,
  SeasonalKind,
} from './forecast/index';
// @almanac/oracle/anomaly
export {
  anomalyThreshold,
  costAnomalies,
  detectAnomalies,
  forecastCost,
  scoreAnomalies,
} from './anomaly/index';
export type {
  AnomalyMethod,
  AnomalyPoint,
  CostAnomaly,
  CostAnomalyOptions,
  CostForecast,
  CostForecastOptions,
  CostForecastSeries,
  DailyCost,
  DetectAnomaliesOptions,
  DetectedAnomaly,
  ScoreAnomaliesOptions,
} from './anomaly/index';
// @almanac/oracle/ratings
export {
  adjustDifficulty,
  defaultMaxGap,
  GLICKO2_SCALE,
  glicko2Update,
  MAX_OPTIMAL_GROUP,
  MAX_QUEUE_PLAYERS,
  matchPlayers,
} from './ratings/index';
export type {
  DifficultyInput,
  DifficultyReason,
  DifficultyResult,
  Glicko2Options,
  Glicko2Rating,
  Glicko2Result,
  MatchedPair,
  MatchOptions,
  MatchResult,
  MaxGapFunction,
  QueuedPlayer,
} from './ratings/index';
// @almanac/oracle/risk
export {
  assessAndRecordLogin,
  assessLogin,
  assessLoginWithProfile,
  createLoginProfile,
  DEFAULT_LOGIN_RISK_OPTIONS,
  DEFAULT_USER_RISK_OPTIONS,
  findStaleAccounts,
  haversineKm,
  LOGIN_REASON_CODES,
  updateLoginProfile,
  USER_RISK_REASON_CODES,
  userRiskScore,
} from './risk/index';
export type {
  AccountActivity,
  LoginAssessment,
  LoginEvent,
  LoginHourProfile,
  LoginProfile,
  LoginReasonCode,
  LoginRiskOptions,
  LoginRiskReason,
  ResolvedLoginRiskOptions,
  ResolvedUserRiskOptions,
  StaleAccount,
  StaleAccountOptions,
  UserRiskInput,
  UserRiskOptions,
  UserRiskReason,
  UserRiskReasonCode,
  UserRiskScore,
} from './risk/index';
// @almanac/oracle/classification
export {
  assessCompliance,
  CLASSIFICATION_PRECEDENCE,
  classifyContent,
  classifyObject,
  COMPLIANCE_STANDARDS,
  DETECTOR_CLASSIFICATION,
  DETECTOR_STRENGTH,
  FINDING_TYPES,
  IBAN_LENGTHS,
  isEuropeanRegion,
} from './classification/index';
export type {
  Classification,
  ClassificationResult,
  ClassificationSource,
  ClassifyContentOptions,
  ComplianceAssessment,
  ComplianceFinding,
  ComplianceInput,
  ComplianceSeverity,
  ComplianceStandard,
  ComplianceStatus,
  ContentFinding,
  EvidenceSource,
  FindingType,
  ObjectDescriptor,
  ObjectMetadata,
} from './classification/index';
// The seeded generator simulations need (engine's simulator); the other math helpers stay internal.
export { mulberry32, normalSampler } from './math/random';
