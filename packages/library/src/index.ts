/**
 * `@almanac/library`: one storage interface over S3, Google Cloud Storage, Azure Blob,
 * local disk and memory, with data intelligence (classification, compliance, tiering).
 *
 * - the `Storage` facade (`createStorage`) over any `StorageProvider`, with key normalisation,
 *   validation, capability checks, deadlines, error mapping and audit events;
 * - the provider contract (`StorageProvider` v1 and its capability table);
 * - data intelligence over any `Storage`: classification, compliance and tiering scans, applying
 *   tiering plans, and bucket posture, built on `@almanac/oracle`.
 *
 * Adapters ship as subpath exports (`@almanac/library/memory`, `/fs`, `/s3`, `/gcs`,
 * `/azure`); this root entry loads no cloud SDK.
 *
 * @packageDocumentation
 */
export { STORAGE_CAPABILITY_METHODS, STORAGE_SPECIFICATION_VERSION } from './spec';
export type {
  ByteRange,
  CallOptions,
  Checksum,
  ChecksumAlgorithm,
  CopyRequest,
  ListEntry,
  ListPage,
  ListRequest,
  ObjectInfo,
  ObjectVersion,
  PostureFinding,
  ReadRequest,
  ReadResult,
  RestoreRequest,
  RestoreStatus,
  SignedUrl,
  SignedUrlRequest,
  StorageCapabilities,
  StorageCapability,
  StorageProvider,
  StorageProviderMethod,
  WriteProgress,
  WriteRequest,
} from './spec';
export { createStorage } from './facade/create-storage';
export { normalizeKey, normalizePrefix, utf8Length } from './facade/keys';
export { collectStream } from './facade/streams';
export type {
  DeleteManyResult,
  ListOptions,
  Listing,
  ReadOptions,
  RestoreOptions,
  SignedRequest,
  SignedUrlOptions,
  Storage,
  StorageAuditEvent,
  StorageCallOptions,
  StorageCapabilitySupport,
  StorageOptions,
  WriteBody,
  WriteOptions,
} from './facade/types';
export { applyTiering } from './intelligence/apply-tiering';
export type {
  ApplyTieringOptions,
  ApplyTieringReport,
  TieringChange,
  TieringFailure,
  TieringItem,
  TieringSkip,
  TieringSkipCode,
  TieringTarget,
} from './intelligence/apply-tiering';
export { DEFAULT_SAMPLE_BYTES, DEFAULT_SCAN_CONCURRENCY } from './intelligence/options';
export { POSTURE_UNAVAILABLE_RULE, checkPosture } from './intelligence/posture';
export type { CheckPostureOptions } from './intelligence/posture';
export { scan } from './intelligence/scan';
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
} from './intelligence/types';
