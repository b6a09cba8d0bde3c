/**
 * Default list-price tables for object storage classes.
 *
 * Values come from `storage_class_pricing.json` in the shared reference set (stored copies of
 * vendor documentation and third-party pages, no live lookup). Request prices were not in that
 * reference; they are the vendors' published request rates as recalled at authoring time and are
 * marked `unverified` in each class's `note`. Always pass your own table for contracts, other
 * regions, or after a price change.
 */

/** Cloud whose object-storage price model a table describes. */
export type StorageCloud = 'aws' | 'gcp' | 'azure';

/** Where a price came from, carried through so reports can show provenance. */
export interface PriceSource {
  /** Human-readable title of the document or page. */
  readonly title: string;
  /** Address, when the reference recorded one. */
  readonly url?: string | undefined;
  /** Date (ISO, possibly only year-month) the values were read or published. */
  readonly asOf?: string | undefined;
  /** True when the page is a third-party copy rather than the vendor's own documentation. */
  readonly thirdParty: boolean;
}

/**
 * Automatic access tiers inside one class (S3 INTELLIGENT_TIERING): the object's rate drops as it
 * stays unread, so its storage price depends on the access pattern rather than being one number.
 */
export interface AutoTiering {
  /** Tiers ordered by `afterIdleDays` ascending; the first must start at 0. */
  readonly tiers: readonly {
    /** Days without a read after which this tier applies. */
    readonly afterIdleDays: number;
    /** Storage price in this tier, per GB-month. */
    readonly storagePerGbMonth: number;
  }[];
  /** Objects smaller than this are never moved down and pay no monitoring fee. */
  readonly minMonitoredBytes: number;
}

/** Prices and rules of one storage class. All money in the table's currency. */
export interface StorageClassPrice {
  /** Storage per GB-month (GB as defined by the table's `bytesPerGb`). */
  readonly storagePerGbMonth: number;
  /** Retrieval charge per GB read (archive classes: the standard restore tier). */
  readonly retrievalPerGb: number;
  /** Per 1,000 read requests (GET, or restore/rehydrate request for offline classes). */
  readonly readRequestsPer1000: number;
  /** Per 1,000 requests that move an object into this class (lifecycle transition / set tier). */
  readonly transitionPer1000: number;
  /** Minimum storage duration in days; leaving earlier is billed as if stored that long. */
  readonly minStorageDays: number;
  /** Objects smaller than this are billed as this size. */
  readonly minBillableBytes: number;
  /** Per-object metadata billed at the table's base (hot) class rate (S3 archive classes: 8 KiB). */
  readonly overheadBytesAtBaseRate: number;
  /** Per-object metadata billed at this class's rate (S3 archive classes: 32 KiB). */
  readonly overheadBytesAtClassRate: number;
  /** Per 1,000 objects per month (S3 INTELLIGENT_TIERING monitoring). */
  readonly monitoringPer1000ObjectsMonth: number;
  /** False when reads need a restore/rehydration first (hours), as for GLACIER or Azure Archive. */
  readonly instantAccess: boolean;
  /**
   * Stores fewer copies than the provider's default (S3 ONEZONE_IA: one zone). Such classes are
   * only recommended when named in `allowedClasses`, since lost data there may be unrecoverable.
   */
  readonly reducedDurability?: boolean | undefined;
  /** Present when the class re-tiers objects by itself. */
  readonly autoTiering?: AutoTiering | undefined;
  /** Provenance caveats for this row (third-party figure, unverified value, …). */
  readonly note?: string | undefined;
}

/**
 * A provider's price table. `classes` lists classes warmest first, keyed by the provider's API
 * spelling; that order decides which moves are lifecycle (colder) transitions and breaks ties.
 */
export interface StoragePriceTable {
  /** Provider whose class names and rules apply. */
  readonly provider: StorageCloud;
  /** Region the prices were taken for. */
  readonly region: string;
  /** ISO currency code. */
  readonly currency: string;
  /** Bytes in the table's "GB": 1e9 for AWS/Azure (decimal), 2^30 for GCS (GiB). */
  readonly bytesPerGb: number;
  /** Class whose rate applies to `overheadBytesAtBaseRate` (the provider's hot class). */
  readonly baseClass: string;
  /** Classes keyed by API name, warmest first. */
  readonly classes: Readonly<Record<string, StorageClassPrice>>;
  /** Provenance of the figures. */
  readonly sources: readonly PriceSource[];
  /** Most recent date among the sources, for display next to results. */
  readonly asOf: string;
  /** Caveat to show alongside any number computed from the table. */
  readonly caveat: string;
}

const KIB = 1024;
const CAVEAT =
  'List prices from stored copies of vendor docs and third-party pages (2021-2026), not a live lookup; request prices are unverified. Verify before production use.';

const zeroExtras = {
  overheadBytesAtBaseRate: 0,
  overheadBytesAtClassRate: 0,
  monitoringPer1000ObjectsMonth: 0,
  minBillableBytes: 0,
} as const;

/** AWS S3, us-east-1, first-50-TB STANDARD tier (the per-object marginal rate for most buckets). */
export const AWS_S3_PRICES: StoragePriceTable = {
  provider: 'aws',
  region: 'us-east-1',
  currency: 'USD',
  bytesPerGb: 1e9,
  baseClass: 'STANDARD',
  asOf: '2026-05',
  caveat: CAVEAT,
  sources: [
    {
      title: 'Amazon S3 User Guide: storage-class-intro (minimum duration / minimum billable size)',
      url: 'https://docs.aws.amazon.com/AmazonS3/latest/userguide/storage-class-intro.html',
      thirdParty: false,
    },
    { title: "usage.ai 'Glacier and Deep Archive Pricing' (US East table)", asOf: '2026-05', thirdParty: true },
    { title: 'techlama.blog, howtogeek, globalxperts (S3 Standard tiers, Intelligent-Tiering monitoring fee)', thirdParty: true },
    { title: 'Amazon S3 pricing (footnote on Intelligent-Tiering small objects; request prices)', url: 'https://aws.amazon.com/s3/pricing/', thirdParty: false },
  ],
  classes: {
    STANDARD: {
      ...zeroExtras,
      storagePerGbMonth: 0.023,
      retrievalPerGb: 0,
      readRequestsPer1000: 0.0004,
      transitionPer1000: 0.005,
      minStorageDays: 0,
      instantAccess: true,
      note: 'First 50 TB/month rate; 0.022 next 450 TB, 0.021 over 500 TB. transitionPer1000 is a PUT/COPY (unverified).',
    },
    STANDARD_IA: {
      ...zeroExtras,
      storagePerGbMonth: 0.0125,
      retrievalPerGb: 0.01,
      readRequestsPer1000: 0.001,
      transitionPer1000: 0.01,
      minStorageDays: 30,
      minBillableBytes: 128 * KIB,
      instantAccess: true,
      note: 'Request prices unverified.',
    },
    INTELLIGENT_TIERING: {
      ...zeroExtras,
      storagePerGbMonth: 0.023,
      retrievalPerGb: 0,
      readRequestsPer1000: 0.0004,
      transitionPer1000: 0.01,
      minStorageDays: 0,
      monitoringPer1000ObjectsMonth: 0.0025,
      instantAccess: true,
      autoTiering: {
        tiers: [
          { afterIdleDays: 0, storagePerGbMonth: 0.023 },
          { afterIdleDays: 30, storagePerGbMonth: 0.0125 },
          { afterIdleDays: 90, storagePerGbMonth: 0.004 },
        ],
        minMonitoredBytes: 128 * KIB,
      },
      note: 'Automatic Frequent/Infrequent/Archive Instant tiers only; optional asynchronous archive tiers not modelled. Request prices unverified.',
    },
    ONEZONE_IA: {
      ...zeroExtras,
      storagePerGbMonth: 0.01,
      retrievalPerGb: 0.01,
      readRequestsPer1000: 0.001,
      transitionPer1000: 0.01,
      minStorageDays: 30,
      minBillableBytes: 128 * KIB,
      instantAccess: true,
      reducedDurability: true,
      note: 'Single availability zone. Request prices unverified.',
    },
    GLACIER_IR: {
      ...zeroExtras,
      storagePerGbMonth: 0.004,
      retrievalPerGb: 0.03,
      readRequestsPer1000: 0.01,
      transitionPer1000: 0.02,
      minStorageDays: 90,
      minBillableBytes: 128 * KIB,
      instantAccess: true,
      note: 'Request prices unverified.',
    },
    GLACIER: {
      ...zeroExtras,
      storagePerGbMonth: 0.0036,
      retrievalPerGb: 0.01,
      readRequestsPer1000: 0.05,
      transitionPer1000: 0.03,
      minStorageDays: 90,
      overheadBytesAtBaseRate: 8 * KIB,
      overheadBytesAtClassRate: 32 * KIB,
      instantAccess: false,
      note: 'Glacier Flexible Retrieval, standard retrieval (bulk is free, expedited 0.03/GB). Third-party US East table (usage.ai). Request prices unverified.',
    },
    DEEP_ARCHIVE: {
      ...zeroExtras,
      storagePerGbMonth: 0.00099,
      retrievalPerGb: 0.02,
      readRequestsPer1000: 0.1,
      transitionPer1000: 0.05,
      minStorageDays: 180,
      overheadBytesAtBaseRate: 8 * KIB,
      overheadBytesAtClassRate: 32 * KIB,
      instantAccess: false,
      note: 'Standard retrieval (bulk 0.0025/GB). Third-party US East table (usage.ai). Request prices unverified.',
    },
  },
};

/** Google Cloud Storage, regional us-central1/us-east1; GCS bills per GiB. */
export const GCS_PRICES: StoragePriceTable = {
  provider: 'gcp',
  region: 'us-central1',
  currency: 'USD',
  bytesPerGb: 2 ** 30,
  baseClass: 'STANDARD',
  asOf: '2026-09-20',
  caveat: CAVEAT,
  sources: [
    {
      title: 'Cloud Storage pricing (regional table), via web.archive.org',
      url: 'https://cloud.google.com/storage/pricing',
      asOf: '2022-12-30',
      thirdParty: false,
    },
    {
      title: 'api-evangelist/gcp-cloud-storage plans/gcp-cloud-storage-plans-pricing.yml (per GiB-hour x730; retrieval; Standard operations)',
      url: 'https://github.com/api-evangelist/gcp-cloud-storage',
      asOf: '2026-09-20',
      thirdParty: true,
    },
    { title: 'Cloud Storage storage classes (minimum durations)', url: 'https://cloud.google.com/storage/docs/storage-classes', thirdParty: false },
  ],
  classes: {
    STANDARD: {
      ...zeroExtras,
      storagePerGbMonth: 0.02,
      retrievalPerGb: 0,
      readRequestsPer1000: 0.0004,
      transitionPer1000: 0.005,
      minStorageDays: 0,
      instantAccess: true,
      note: 'Class A 0.005 / Class B 0.0004 per 1,000 from the api-evangelist transcription.',
    },
    NEARLINE: {
      ...zeroExtras,
      storagePerGbMonth: 0.01,
      retrievalPerGb: 0.01,
      readRequestsPer1000: 0.001,
      transitionPer1000: 0.01,
      minStorageDays: 30,
      instantAccess: true,
      note: 'Operation prices unverified.',
    },
    COLDLINE: {
      ...zeroExtras,
      storagePerGbMonth: 0.004,
      retrievalPerGb: 0.02,
      readRequestsPer1000: 0.005,
      transitionPer1000: 0.01,
      minStorageDays: 90,
      instantAccess: true,
      note: 'Operation prices unverified.',
    },
    ARCHIVE: {
      ...zeroExtras,
      storagePerGbMonth: 0.0012,
      retrievalPerGb: 0.05,
      readRequestsPer1000: 0.05,
      transitionPer1000: 0.05,
      minStorageDays: 365,
      instantAccess: true,
      note: 'GCS Archive is online (millisecond access). Operation prices unverified.',
    },
  },
};

/** Azure Blob Storage block blobs, LRS, East US 2 (the region of the hot-tier figure). */
export const AZURE_BLOB_PRICES: StoragePriceTable = {
  provider: 'azure',
  region: 'eastus2',
  currency: 'USD',
  bytesPerGb: 1e9,
  baseClass: 'Hot',
  asOf: '2022-10',
  caveat: CAVEAT,
  sources: [
    {
      title: 'MicrosoftDocs/azure-docs access-tiers-overview.md and archive-cost-estimation.md (sample prices)',
      url: 'https://learn.microsoft.com/azure/storage/blobs/access-tiers-overview',
      asOf: '2022-10',
      thirdParty: false,
    },
    { title: "Azure SDK BlockBlobTier / BC 'ABS Blob Access Tier' enum docs (Cold >= 90 days)", thirdParty: false },
    { title: 'kubequest.pages.dev AZ-104 notes (LRS East US 2 table)', thirdParty: true },
  ],
  classes: {
    Hot: {
      ...zeroExtras,
      storagePerGbMonth: 0.0184,
      retrievalPerGb: 0,
      readRequestsPer1000: 0.0004,
      transitionPer1000: 0.0055,
      minStorageDays: 0,
      instantAccess: true,
      note: 'First 50 TB, East US 2, third-party table (East US often quoted ~0.018). Operation prices unverified.',
    },
    Cool: {
      ...zeroExtras,
      storagePerGbMonth: 0.01,
      retrievalPerGb: 0.01,
      readRequestsPer1000: 0.001,
      transitionPer1000: 0.01,
      minStorageDays: 30,
      instantAccess: true,
      note: 'Operation prices unverified.',
    },
    Cold: {
      ...zeroExtras,
      storagePerGbMonth: 0.0036,
      retrievalPerGb: 0.03,
      readRequestsPer1000: 0.01,
      transitionPer1000: 0.018,
      minStorageDays: 90,
      instantAccess: true,
      note: 'retrievalPerGb 0.03 UNVERIFIED (not found in stored sources). Operation prices unverified.',
    },
    Archive: {
      ...zeroExtras,
      storagePerGbMonth: 0.002,
      retrievalPerGb: 0.02,
      readRequestsPer1000: 0.5,
      transitionPer1000: 0.01,
      minStorageDays: 180,
      instantAccess: false,
      note: 'Storage 0.002 (East US 2, third-party; Microsoft sample price for East US is 0.00099). Standard-priority rehydration: 0.02/GB and 5.00 per 10,000 reads (high priority 0.10/GB, 50.00 per 10,000).',
    },
  },
};

/** Default table per provider, used when `options.prices` is not given. */
export const DEFAULT_STORAGE_PRICES: Readonly<Record<StorageCloud, StoragePriceTable>> = {
  aws: AWS_S3_PRICES,
  gcp: GCS_PRICES,
  azure: AZURE_BLOB_PRICES,
};
