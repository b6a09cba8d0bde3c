/**
 * `@almanac/library`: one storage interface over S3, Google Cloud Storage, Azure Blob,
 * local disk and memory, with data intelligence (classification, compliance, tiering).
 *
 * Adapters ship as subpath exports (`@almanac/library/memory`, `/fs`, `/s3`, `/gcs`,
 * `/azure`); this root entry loads no cloud SDK.
 *
 * @packageDocumentation
 */
export { STORAGE_CAPABILITY_METHODS } from './spec';
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
  SignedUrlRequest,
  StorageCapabilities,
  StorageCapability,
  StorageProvider,
  StorageProviderMethod,
  WriteProgress,
  WriteRequest,
} from './spec';
export { collectStream, createStorage, normalizeKey, normalizePrefix, utf8Length } from './facade/index';
export type {
  DeleteManyResult,
  ListOptions,
  Listing,
  ReadOptions,
  SignedUrlOptions,
  Storage,
  StorageAuditEvent,
  StorageCallOptions,
  StorageCapabilitySupport,
  StorageOptions,
  WriteBody,
  WriteOptions,
} from './facade/index';
export {
  DEFAULT_SAMPLE_BYTES,
  DEFAULT_SCAN_CONCURRENCY,
  POSTURE_UNAVAILABLE_RULE,
  applyTiering,
  checkPosture,
  scan,
} from './intelligence/index';
export type {
  AccessStats,
  ApplyTieringOptions,
  ApplyTieringReport,
  CheckPostureOptions,
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
  TieringChange,
  TieringFailure,
  TieringItem,
  TieringSkip,
  TieringSkipCode,
  TieringSkipReason,
  TieringTarget,
} from './intelligence/index';
