/**
 * The cost source contract. Adapters implement {@link CostSourceProvider}; users call the
 * `CostSource` facade that wraps one (see `createCostSource`).
 *
 * Rules every adapter follows:
 * - Rows use FOCUS 1.2 semantics: `billedCost` is `BilledCost`, `effectiveCost` is
 *   `EffectiveCost` (amortised, after discounts), `listCost` is `ListCost` or `null` when the
 *   provider cannot give it (never guessed).
 * - A charge belongs to the period holding its `ChargePeriodStart`; `range.end` is exclusive.
 * - Each currency is its own row: amounts in different currencies are never summed.
 * - Rows come sorted by period, then by group values, then by currency, so two sources with the
 *   same charges give the same sequence.
 * - Every method takes a signal and honours it; errors come from `@almanac/core`'s hierarchy.
 */
import { defineCapabilityMethods } from '@almanac/core/kit';
import type { ProviderContract, SpecificationVersion } from '@almanac/core/kit';

/** A FOCUS dimension a query can group or filter by. */
export type CostDimension = 'ServiceName' | 'ServiceCategory' | 'SubAccountId' | 'RegionId' | 'ChargeCategory';

/** Every {@link CostDimension}, in a fixed order. */
export const COST_DIMENSIONS: readonly CostDimension[] = Object.freeze(['ServiceName', 'ServiceCategory', 'SubAccountId', 'RegionId', 'ChargeCategory']);

/** A grouping key: a FOCUS dimension or one tag key (`Tag:team`). */
export type CostGroupKey = CostDimension | `Tag:${string}`;

/** Period length of the rows: UTC hours, UTC days or UTC calendar months. */
export type CostGranularity = 'hourly' | 'daily' | 'monthly';

/** Period length of a provider forecast (forecasts are daily or monthly). */
export type CostForecastGranularity = 'daily' | 'monthly';

/**
 * Which charges count. Values of one field are alternatives (OR); fields combine with AND.
 * Values are compared exactly (case-sensitive).
 */
export interface CostFilter {
  /** `ServiceName` values to keep. */
  readonly ServiceName?: readonly string[] | undefined;
  /** `ServiceCategory` values to keep. */
  readonly ServiceCategory?: readonly string[] | undefined;
  /** `SubAccountId` values to keep. */
  readonly SubAccountId?: readonly string[] | undefined;
  /** `RegionId` values to keep. */
  readonly RegionId?: readonly string[] | undefined;
  /** `ChargeCategory` values to keep (`Usage`, `Purchase`, `Tax`, `Credit`, `Adjustment`). */
  readonly ChargeCategory?: readonly string[] | undefined;
  /** Per tag key, the values to keep. */
  readonly tags?: Readonly<Record<string, readonly string[]>> | undefined;
}

/** A half-open time range `[start, end)`. */
export interface CostRange {
  /** Inclusive start: an ISO date (`2024-09-01`, read as UTC midnight) or an ISO instant with a zone. */
  readonly start: string;
  /** Exclusive end, in the same forms; after `start`. */
  readonly end: string;
}

/** What to aggregate (the facade's input). */
export interface CostQuery {
  /** Charges whose `ChargePeriodStart` is in `[start, end)`. */
  readonly range: CostRange;
  /** `hourly` (UTC hours, needs `hourlyCosts`), `daily` (UTC days) or `monthly` (UTC calendar months). */
  readonly granularity: CostGranularity;
  /** Keys of each row's `groups`, in this order; may be empty (one row per period and currency). */
  readonly groupBy: readonly CostGroupKey[];
  /** Charges to keep; all when absent. */
  readonly filter?: CostFilter | undefined;
}

/** One aggregated row: one period, one combination of group values, one currency. */
export interface CostRow {
  /** Start of the period, ISO instant (`2024-09-01T00:00:00.000Z`). */
  readonly periodStart: string;
  /** End of the period (exclusive), ISO instant. */
  readonly periodEnd: string;
  /** One entry per `groupBy` key; `null` when the charges have no value for it. */
  readonly groups: Readonly<Record<string, string | null>>;
  /** Sum of FOCUS `BilledCost`. */
  readonly billedCost: number;
  /** Sum of FOCUS `EffectiveCost`. */
  readonly effectiveCost: number;
  /** Sum of FOCUS `ListCost`; `null` when any charge of the row has none (a partial sum would understate it). */
  readonly listCost: number | null;
  /** ISO 4217 code of every amount in the row (FOCUS `BillingCurrency`). */
  readonly currency: string;
}

/** The validated, normalised query an adapter receives. */
export interface CostSourceRequest {
  /** Inclusive start, ISO instant in UTC (`…Z`). */
  readonly start: string;
  /** Exclusive end, ISO instant in UTC, after `start`. */
  readonly end: string;
  /** Period length. */
  readonly granularity: CostGranularity;
  /** Grouping keys, validated: dimensions from {@link COST_DIMENSIONS}, tag keys matching {@link TAG_KEY_PATTERN}. */
  readonly groupBy: readonly CostGroupKey[];
  /** Filter with every list non-empty; `{}` for none. */
  readonly filter: CostFilter;
  /** Aborts the call. */
  readonly signal?: AbortSignal | undefined;
}

/**
 * Tag keys accepted in `groupBy` and filters: letters, digits, space and `_ . : / = + - @`, 1 to
 * 128 characters (the AWS tag alphabet, which covers GCP labels and most Azure tags). Adapters
 * may rely on it: such a key never needs quoting inside a JSON path or SQL string.
 */
export const TAG_KEY_PATTERN = /^[\p{L}\p{N} _.:/=+\-@]{1,128}$/u;

/** Input of {@link CostSourceProvider.forecast}. */
export interface CostForecastRequest {
  /** First forecast day (inclusive), ISO instant in UTC at midnight. */
  readonly start: string;
  /** End (exclusive), ISO instant in UTC at midnight. */
  readonly end: string;
  /** Period length of the forecast. */
  readonly granularity: CostForecastGranularity;
  /** Interval coverage in percent, 51 to 99. */
  readonly predictionIntervalLevel: number;
  /** Aborts the call. */
  readonly signal?: AbortSignal | undefined;
}

/** One forecast period. */
export interface CostForecastPeriod {
  /** Start of the period, ISO instant. */
  readonly periodStart: string;
  /** End of the period (exclusive), ISO instant. */
  readonly periodEnd: string;
  /** Expected cost. */
  readonly mean: number;
  /** Lower bound of the interval; `null` when the provider gave none. */
  readonly lower: number | null;
  /** Upper bound of the interval; `null` when the provider gave none. */
  readonly upper: number | null;
}

/** A provider's own forecast of billed cost. */
export interface CostSourceForecast {
  /** ISO 4217 currency of every amount. */
  readonly currency: string;
  /** Expected total over the whole range. */
  readonly total: number;
  /** One entry per period. */
  readonly periods: readonly CostForecastPeriod[];
  /** The provider's own response, kept because the mapping is lossy. */
  readonly raw?: unknown;
}

/**
 * What a source supports. Boolean flags are named for what the user can do; the two lists
 * (`dimensions`, `maxGroupBy`) are limits the facade checks itself.
 */
export interface CostSourceCapabilities {
  /**
   * Rows per UTC hour, assigned by the hour of `ChargePeriodStart`. Optional in the type so
   * providers written before it stay valid; absent means `false`. Cost Explorer serves it only
   * when hourly granularity is enabled, and only for the last 14 days.
   */
  readonly hourlyCosts?: boolean | undefined;
  /** Rows per UTC day. */
  readonly dailyCosts: boolean;
  /** Rows per UTC calendar month. */
  readonly monthlyCosts: boolean;
  /** `Tag:<key>` in `groupBy`. */
  readonly groupByTag: boolean;
  /** `filter.tags`. */
  readonly filterByTag: boolean;
  /** A forecast computed by the provider ({@link CostSourceProvider.forecast}). */
  readonly forecast: boolean;
  /** Dimensions this source can group and filter by. */
  readonly dimensions: readonly CostDimension[];
  /** Most keys in one `groupBy` (Cost Explorer allows 2). */
  readonly maxGroupBy: number;
}

/** A boolean capability flag of {@link CostSourceCapabilities}. */
export type CostSourceCapability = 'hourlyCosts' | 'dailyCosts' | 'monthlyCosts' | 'groupByTag' | 'filterByTag' | 'forecast';

/**
 * What an adapter implements: one aggregation call, and optionally the provider's forecast.
 * The facade validates and normalises the query first, so `query` receives a
 * {@link CostSourceRequest} that passed every check and the source's limits.
 */
export interface CostSourceProvider extends ProviderContract {
  /** Provider name used in errors, spans and audit events, e.g. `focus`, `aws`, `gcp`. */
  readonly name: string;
  /** The contract version implemented: `'v1'` (the kit's `SPECIFICATION_VERSION`). */
  readonly specificationVersion: SpecificationVersion;
  /** What this source supports. */
  readonly capabilities: CostSourceCapabilities;
  /** Per capability left off, how to enable it; the facade adds it to the `CapabilityError` message. */
  readonly capabilityHints?: Readonly<Record<string, string>> | undefined;
  /** Aggregated rows, sorted as the contract says. */
  query(request: CostSourceRequest): Promise<readonly CostRow[]>;
  /** The provider's forecast of billed cost (`forecast`). */
  forecast?(request: CostForecastRequest): Promise<CostSourceForecast>;
}

/** Methods of {@link CostSourceProvider} (without the descriptive fields). */
export type CostSourceProviderMethod = Exclude<keyof CostSourceProvider, 'name' | 'specificationVersion' | 'capabilities'>;

/**
 * Which provider methods each capability needs. Flags that only describe what `query` accepts
 * map to `[]`; the facade checks them against the request.
 */
export const COST_SOURCE_CAPABILITY_METHODS = defineCapabilityMethods<CostSourceProvider>()({
  /** Hourly rows: no method of its own, checked by the facade. */
  hourlyCosts: [],
  /** Daily rows: no method of its own, checked by the facade. */
  dailyCosts: [],
  /** Monthly rows: no method of its own, checked by the facade. */
  monthlyCosts: [],
  /** `Tag:<key>` in `groupBy`: checked by the facade. */
  groupByTag: [],
  /** `filter.tags`: checked by the facade. */
  filterByTag: [],
  /** The provider's forecast needs `forecast`. */
  forecast: ['forecast'],
} as const satisfies { readonly [C in CostSourceCapability]: readonly CostSourceProviderMethod[] });
