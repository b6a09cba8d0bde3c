import type { UsagePercentile } from '@almanac/oracle';
import type { InstanceFilter, MetricName, SizeInfo, Tags, TimeRange } from '../spec';

/** What a finding is about. */
export type FindingCategory = 'rightsizing' | 'idle' | 'anomaly' | 'security' | 'cost';

/** How urgent a finding is. */
export type FindingSeverity = 'low' | 'medium' | 'high';

/** One piece of advice about one instance, with the evidence behind it. */
export interface Finding {
  /** Stable id (`<rule>:<instance id>[:<detail>]`), for de-duplication across runs. */
  readonly id: string;
  /** Category. */
  readonly category: FindingCategory;
  /** Rule that fired: `downsize`, `upsize`, `idle`, `metric-anomaly`, `open-ingress`, `missing-patch-tag`, `stopped-with-billed-disks`, `powered-off-still-billed`. */
  readonly rule: string;
  /** Severity. */
  readonly severity: FindingSeverity;
  /** Instance concerned. */
  readonly instanceId: string;
  /** Its name, when it has one. */
  readonly instanceName?: string | undefined;
  /** One line. */
  readonly title: string;
  /** What to do and why, in a sentence or two. */
  readonly detail: string;
  /** The numbers behind it (percentiles, points, rules, prices). */
  readonly evidence: Readonly<Record<string, unknown>>;
  /** Estimated saving per month in `currency` if acted on; negative when acting costs more (upsizing); 0 when not about money or unknown. */
  readonly estimatedMonthlySaving: number;
  /** Currency of the saving (from the provider's price list), or `undefined` when prices are unknown. */
  readonly currency?: string | undefined;
}

/** Options of {@link advise}. */
export interface AdviseOptions {
  /** Period of the metrics analysed. */
  readonly range: TimeRange;
  /** Metric period in seconds; default the smallest multiple of 300 giving ≤ 5,000 points. */
  readonly periodSeconds?: number | undefined;
  /** Only these instances. */
  readonly filter?: InstanceFilter | undefined;
  /** Only instances with these tags. */
  readonly tags?: Tags | undefined;
  /** Rightsizing: percentile to cover (default `p95`) and headroom above it (default 0.2); `false` to skip. */
  readonly rightsizing?:
    | false
    | {
        /** Usage percentile to cover; default `p95`. */
        readonly percentile?: UsagePercentile | undefined;
        /** Spare fraction above it; default 0.2. */
        readonly headroom?: number | undefined;
      } | undefined;
  /** Idle: p95 CPU below this percent (default 3) and, when reported, network below this many bytes per day (default 5 MB); `false` to skip. */
  readonly idle?:
    | false
    | {
        /** p95 CPU below this percent; default 3. */
        readonly cpuPercent?: number | undefined;
        /** Network in + out below this many bytes per day, when reported; default 5,000,000. */
        readonly networkBytesPerDay?: number | undefined;
      } | undefined;
  /** Anomalies: oracle `scoreAnomalies` at `anomalyThreshold(sensitivity)` (default 0.5) over these metrics (default all reported); `false` to skip. */
  readonly anomalies?:
    | false
    | {
        /** In [0, 1], higher flags more; default 0.5. */
        readonly sensitivity?: number | undefined;
        /** Points of history each score ranks against; default the oracle's 300. */
        readonly window?: number | undefined;
        /** Metrics to score; default every reported one. */
        readonly metrics?: readonly MetricName[] | undefined;
      } | undefined;
  /** Security: tag keys that mark an instance as covered by patching (any one suffices; default `PatchGroup`, `patch-group`, `Patch Group`); `false` to skip. */
  readonly security?:
    | false
    | {
        /** Tag keys that mark patch management; default `PatchGroup`, `patch-group`, `Patch Group`. */
        readonly patchTagKeys?: readonly string[] | undefined;
      } | undefined;
  /**
   * Sizes with prices to use instead of the provider's list (AWS and Azure adapters list sizes
   * without prices): savings are computed from these. Sizes missing here are not rightsized.
   */
  readonly sizes?: readonly SizeInfo[] | undefined;
  /** Price of a disk GiB-month for stopped instances' disks; default 0.08 (gp3-like, in the price list's currency). */
  readonly diskPricePerGiBMonth?: number | undefined;
  /** Hours in a billing month; default 730. */
  readonly hoursPerMonth?: number | undefined;
  /** Aborts the analysis. */
  readonly signal?: AbortSignal | undefined;
}

/** What {@link advise} returns. */
export interface Advice {
  /** Findings, largest saving first, then by severity. */
  readonly findings: readonly Finding[];
  /** Sum of positive savings. */
  readonly totalMonthlySaving: number;
  /** Currency of the savings, when prices were known. */
  readonly currency?: string | undefined;
  /** Instances looked at. */
  readonly instances: number;
  /** What could not be analysed and why (missing prices, metrics, ingress data, addresses). */
  readonly notes: readonly string[];
}
