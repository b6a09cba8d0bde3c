/**
 * Data intelligence over any `Storage`: classification, compliance and tiering scans, applying
 * tiering plans, and bucket posture, built on `@almanac/oracle`.
 */
export {
  type ApplyTieringOptions,
  type ApplyTieringReport,
  applyTiering,
  type TieringChange,
  type TieringFailure,
  type TieringItem,
  type TieringSkip,
  type TieringSkipCode,
  type TieringTarget,
} from './apply-tiering';
export { DEFAULT_SAMPLE_BYTES, DEFAULT_SCAN_CONCURRENCY } from './options';
export { type CheckPostureOptions, checkPosture, POSTURE_UNAVAILABLE_RULE } from './posture';
export { scan } from './scan';
export type {
  AccessStats,
  EncryptionEvidence,
  IntelligenceStorage,
  SampleSkipReason,
  ScanCompliance,
  ScanOptions,
  ScanResult,
  ScanRun,
  ScanSummary,
  ScanTargetTotals,
  SecurityFinding,
  TieringSkipReason,
} from './types';
