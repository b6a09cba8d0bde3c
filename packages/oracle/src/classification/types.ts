/**
 * Sensitivity label of a piece of data, from most to least restrictive:
 * `confidential` (secrets) > `financial` (cards, bank accounts) > `pii` (people) > `internal`
 * (infrastructure or business detail) > `public` (only when declared) > `unclassified` (nothing known).
 */
export type Classification = 'confidential' | 'financial' | 'pii' | 'internal' | 'public' | 'unclassified';

/** What a content detector found. Each type maps to one {@link Classification} (see `DETECTOR_CLASSIFICATION`). */
export type FindingType =
  | 'private_key'
  | 'aws_access_key_id'
  | 'aws_secret_access_key'
  | 'jwt'
  | 'credit_card'
  | 'iban'
  | 'us_ssn'
  | 'email'
  | 'phone'
  | 'ipv4'
  | 'ipv6';

/** Occurrences of one detector in scanned content. Samples are masked; raw values never leave the scanner. */
export interface ContentFinding {
  /** Detector that matched. */
  readonly type: FindingType;
  /** Label this detector implies. */
  readonly classification: Classification;
  /** Number of occurrences (repeats of the same value count each time). */
  readonly count: number;
  /** Up to `maxSamples` distinct masked occurrences, in order of appearance, e.g. `***-**-6789`. */
  readonly samples: readonly string[];
}

/** Kind of evidence behind a classification. */
export type EvidenceSource = 'content' | 'key' | 'metadata' | 'content_type';

/** One piece of evidence and the label it supports. Reasons name the rule, never the raw key or value. */
export interface ClassificationSource {
  /** Where the evidence came from. */
  readonly source: EvidenceSource;
  /** Label this evidence supports. */
  readonly classification: Classification;
  /** Strength of this evidence alone, 0..1. */
  readonly confidence: number;
  /** Rule that fired, e.g. `key segment "payroll/"` or `2 credit_card finding(s)`. */
  readonly reason: string;
  /** True when this evidence supports the final label (it decided it, alone or with others). */
  readonly decisive: boolean;
}

/** Result of {@link classifyContent} and {@link classifyObject}. */
export interface ClassificationResult {
  /** Final label: the most restrictive label any evidence supports. */
  readonly classification: Classification;
  /** Combined strength (noisy-OR) of the evidence supporting the final label, 0..1. */
  readonly confidence: number;
  /** Content findings, one entry per detector that matched, in a fixed detector order. */
  readonly findings: readonly ContentFinding[];
  /**
   * Every label some evidence supports, most restrictive first. A `confidential` object can also
   * hold personal data; pass this to {@link assessCompliance} as `categories` so it is not missed.
   */
  readonly categories: readonly Classification[];
  /** All evidence considered, decisive first. */
  readonly sources: readonly ClassificationSource[];
}

/** Object metadata as storage APIs return it (user metadata, tags). Non-string values are ignored. */
export type ObjectMetadata = Readonly<Record<string, string | number | boolean | readonly string[] | null | undefined>>;

/** Options of {@link classifyContent}. */
export interface ClassifyContentOptions {
  /** Object key or path the text came from; its conventions can raise the label. */
  readonly key?: string | undefined;
  /** MIME type; business document types with no findings are `internal`. */
  readonly contentType?: string | undefined;
  /** Declared metadata, e.g. `{ 'x-amz-meta-classification': 'confidential' }`. */
  readonly metadata?: ObjectMetadata | undefined;
  /** Masked samples kept per finding type; default 3, 0 to keep none. */
  readonly maxSamples?: number | undefined;
}

/** Input of {@link classifyObject}. */
export interface ObjectDescriptor {
  /** Object key or path, e.g. `hr/2026/salaries.xlsx`. */
  readonly key: string;
  /** Declared metadata. */
  readonly metadata?: ObjectMetadata | undefined;
  /** MIME type. */
  readonly contentType?: string | undefined;
  /** Leading part of the content, when the caller read it; scanned with the content detectors. */
  readonly contentSample?: string | undefined;
  /** Masked samples kept per finding type; default 3. */
  readonly maxSamples?: number | undefined;
}

/** Regulation or standard that {@link assessCompliance} checks. */
export type ComplianceStandard = 'gdpr' | 'hipaa' | 'pci';

/** Overall verdict: any `non_compliant` finding wins, then any `review`. */
export type ComplianceStatus = 'compliant' | 'non_compliant' | 'review';

/** Severity of a compliance finding; `info` findings never change the status. */
export type ComplianceSeverity = 'critical' | 'high' | 'medium' | 'low' | 'info';

/** One rule's verdict. */
export interface ComplianceFinding {
  /** Rule identifier naming the clause, e.g. `GDPR-ART-32`. */
  readonly rule: string;
  /** How bad it is. */
  readonly severity: ComplianceSeverity;
  /** What this finding does to the overall status. */
  readonly outcome: ComplianceStatus;
  /** One sentence a person can act on. */
  readonly message: string;
}

/** Input of {@link assessCompliance}: the object's label and how it is stored. */
export interface ComplianceInput {
  /** Label of the data, usually from {@link classifyObject}. */
  readonly classification: Classification;
  /** Other labels the data carries (a classification result's `categories`); widens the scope. */
  readonly categories?: readonly Classification[] | undefined;
  /** Whether the data is encrypted at rest. */
  readonly encrypted: boolean;
  /** Retention rule that deletes the data after `days`; absent means kept indefinitely. */
  readonly retentionPolicy?:
    | {
        /** Days (≥ 0) after which the data is deleted. */
        readonly days: number;
      }
    | undefined;
  /** Storage region as the provider spells it (`eu-west-1`, `europe-west4`, `westeurope`). */
  readonly region?: string | undefined;
  /** Whether anyone on the internet can read it (public bucket, public ACL, anonymous link). */
  readonly publicAccess?: boolean | undefined;
  /** Standard to check. */
  readonly standard: ComplianceStandard;
}

/** Result of {@link assessCompliance}. */
export interface ComplianceAssessment {
  /** Standard checked. */
  readonly standard: ComplianceStandard;
  /** Overall verdict. */
  readonly status: ComplianceStatus;
  /** Whether the data is in the standard's scope at all. */
  readonly inScope: boolean;
  /** Every rule that applied, worst first. */
  readonly findings: readonly ComplianceFinding[];
}
