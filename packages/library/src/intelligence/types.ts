import type {
  Classification,
  ClassificationSource,
  ComplianceAssessment,
  ComplianceStandard,
  ContentFinding,
  StorageCloud,
  StoragePriceTable,
  StorageRecommendation,
} from '@almanac/oracle';
import type { ByteRange, ListEntry, PostureFinding, StorageCapabilities } from '../spec';

/**
 * The part of the `Storage` facade the intelligence functions use. Any `Storage` satisfies it;
 * it is spelled out so tests and wrappers (e.g. a read counter) need only these members.
 */
export interface IntelligenceStorage {
  /** Provider name (`s3`, `gcs`, `azure`, `fs`, `memory`); picks the default price table. */
  readonly name: string;
  /** What the provider supports; `storageClasses` limits which targets `applyTiering` sets. */
  readonly capabilities: StorageCapabilities;
  /** Whether the provider supports a capability. */
  supports(capability: 'rangeRead' | 'storageClass' | 'posture'): boolean;
  /** Streams the objects under a prefix. */
  list(options?: { readonly prefix?: string | undefined; readonly signal?: AbortSignal | undefined }): AsyncIterable<ListEntry>;
  /** Reads an object, or a byte range of it. */
  readBytes(key: string, options?: { readonly range?: ByteRange | undefined; readonly signal?: AbortSignal | undefined }): Promise<Uint8Array>;
  /** Changes an object's storage class. */
  setStorageClass(key: string, storageClass: string, options?: { readonly signal?: AbortSignal | undefined }): Promise<void>;
  /** Bucket-level posture checks. */
  posture(options?: { readonly signal?: AbortSignal | undefined }): Promise<PostureFinding[]>;
}

/** What is known about how an object is read, e.g. from access logs or last-access tracking. */
export interface AccessStats {
  /** Days since the object was last read. */
  readonly daysSinceLastAccess?: number | undefined;
  /** Expected reads per month. */
  readonly readsPerMonth?: number | undefined;
}

/** Options of {@link scan}. */
export interface ScanOptions {
  /** Only objects whose key starts with this. */
  readonly prefix?: string | undefined;
  /** Bytes read from the start of each text-like object for content classification; default 65536. */
  readonly sampleBytes?: number | undefined;
  /** Most objects processed (sampled, classified) at once; default 8. */
  readonly concurrency?: number | undefined;
  /** Whose price table applies; default from the storage name (`s3`→aws, `gcs`→gcp, `azure`→azure, else aws). */
  readonly cloud?: StorageCloud | undefined;
  /** Own price table for tiering (its `provider` wins over the storage name when `cloud` is absent). */
  readonly prices?: StoragePriceTable | undefined;
  /** The time ages are measured at (`lastModified` to `now`); required because the library has no hidden clock. */
  readonly now: Date;
  /** Access data per key; `undefined` means unknown, which tiering never reads as "never accessed". */
  readonly accessStats?: ((key: string) => AccessStats | undefined) | undefined;
  /** Standard to assess each object against; without it `compliance` is `null`. */
  readonly standard?: ComplianceStandard | undefined;
  /** Whether the bucket is publicly readable (bucket-level, e.g. from {@link checkPosture}); default unknown. */
  readonly publicAccess?: boolean | undefined;
  /** Storage region, for GDPR transfer rules. */
  readonly region?: string | undefined;
  /** Stops the scan; iteration then rejects with the abort reason. */
  readonly signal?: AbortSignal | undefined;
}

/** Why an object's content was not read. */
export type SampleSkipReason = 'binary' | 'range_read_unsupported' | 'empty' | 'read_failed' | 'binary_content';

/** Why an object has no tiering recommendation. */
export type TieringSkipReason = 'storage_class_unsupported' | 'unknown_storage_class';

/** A security problem found on one object. */
export interface SecurityFinding {
  /** Stable rule id, e.g. `content.secret`. */
  readonly rule: string;
  /** How bad. */
  readonly severity: 'info' | 'low' | 'medium' | 'high';
  /** One sentence; never contains the raw secret. */
  readonly message: string;
}

/** Encryption at rest as the compliance check saw it, with where that belief came from. */
export interface EncryptionEvidence {
  /** Value passed to `assessCompliance`. */
  readonly encrypted: boolean;
  /** `metadata`/`provider`: reported; `platform`: the cloud encrypts everything at rest; `assumed`: unknown, taken as false. */
  readonly source: 'metadata' | 'provider' | 'platform' | 'assumed';
}

/** Compliance of one object against the requested standard. */
export interface ScanCompliance extends ComplianceAssessment {
  /** The encryption fact the assessment used and its provenance. */
  readonly encryption: EncryptionEvidence;
}

/** What {@link scan} found about one object. */
export interface ScanResult {
  /** Object key. */
  readonly key: string;
  /** Size in bytes. */
  readonly size: number;
  /** Storage class as the provider reports it (absent when it reports none). */
  readonly storageClass: string | undefined;
  /** Last modification time. */
  readonly lastModified: Date;
  /** Content type, when known. */
  readonly contentType: string | undefined;
  /** Whether a content sample was read and scanned. */
  readonly sampled: boolean;
  /** Bytes of content scanned (0 when not sampled). */
  readonly sampledBytes: number;
  /** Why the content was not sampled; absent when it was. */
  readonly sampleSkipped?: SampleSkipReason | undefined;
  /** Sensitivity label. */
  readonly classification: Classification;
  /** Confidence of the label, 0..1. */
  readonly confidence: number;
  /** Every label some evidence supports, most restrictive first. */
  readonly categories: readonly Classification[];
  /** Content findings with masked samples only. */
  readonly findings: readonly ContentFinding[];
  /** Evidence behind the label. */
  readonly sources: readonly ClassificationSource[];
  /** Cheapest class over the horizon (may equal the current one), or `null` with `tieringSkipped`. */
  readonly tiering: StorageRecommendation | null;
  /** Why there is no recommendation. */
  readonly tieringSkipped?: TieringSkipReason | undefined;
  /** Assessment against `options.standard`, or `null` when none was requested. */
  readonly compliance: ScanCompliance | null;
  /** Object-level security problems (bucket exposure is bucket-level: see {@link checkPosture}). */
  readonly securityFindings: readonly SecurityFinding[];
}

/** Savings if every recommended move into one class is made. */
export interface ScanTargetTotals {
  /** Objects recommended to move into the class. */
  objects: number;
  /** Their bytes. */
  bytes: number;
  /** Their summed monthly savings. */
  monthlySavings: number;
}

/** Totals of a scan, kept in constant memory. Money in `currency`. */
export interface ScanSummary {
  /** Objects scanned. */
  objects: number;
  /** Their bytes. */
  bytes: number;
  /** Objects per label. */
  objectsByClassification: Record<Classification, number>;
  /** Bytes per label. */
  bytesByClassification: Record<Classification, number>;
  /** Objects whose content was read. */
  sampled: number;
  /** Objects whose content was not read. */
  notSampled: number;
  /** Objects not read, per reason. */
  notSampledByReason: Partial<Record<SampleSkipReason, number>>;
  /** Summed monthly savings of all recommended moves. */
  monthlySavings: number;
  /** Moves and savings per target class (objects that stay are not counted). */
  savingsByTargetClass: Record<string, ScanTargetTotals>;
  /** Objects without a tiering recommendation. */
  tieringSkipped: number;
  /** Currency of the price table. */
  currency: string;
  /** Security findings per severity. */
  securityFindingsBySeverity: Record<SecurityFinding['severity'], number>;
  /** Objects per compliance status (empty without `standard`). */
  complianceByStatus: Partial<Record<ComplianceAssessment['status'], number>>;
}

/**
 * A single-use streaming scan: iterate it with `for await`, then read `summary()`. Results are
 * yielded in listing order and never collected, so memory is bounded by `concurrency`.
 */
export interface ScanRun extends AsyncIterable<ScanResult> {
  /** Totals so far; final once `done`. Returns a snapshot copy. */
  summary(): ScanSummary;
  /** True once the listing has been exhausted and every result yielded. */
  readonly done: boolean;
  /** Consumes the rest of the scan without yielding and resolves to the final summary. */
  finish(): Promise<ScanSummary>;
}
