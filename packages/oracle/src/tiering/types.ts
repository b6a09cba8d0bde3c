import type { StoragePriceTable, StorageCloud } from './prices';

/**
 * One stored object as the recommender sees it.
 *
 * Access data is optional because inventories often lack it; absence is never read as "never
 * accessed" (see {@link recommendStorageClass} for the rule applied instead).
 */
export interface StorageObject {
  /** Object size in bytes. */
  readonly sizeBytes: number;
  /**
   * Days the object has been in `currentClass` (since creation or its last class change): the
   * clock the provider's minimum storage duration runs on.
   */
  readonly ageDays: number;
  /** Current storage class, spelled as the provider's API spells it. */
  readonly currentClass: string;
  /** Days since the last read, when access logs or last-access tracking know it. */
  readonly daysSinceLastAccess?: number | undefined;
  /** Expected reads per month, when known. */
  readonly readsPerMonth?: number | undefined;
  /** Expected bytes read per month; defaults to `readsPerMonth × sizeBytes` (whole-object reads). */
  readonly bytesReadPerMonth?: number | undefined;
}

/** Options shared by the single and streaming recommenders. */
export interface TieringOptions {
  /** Provider whose classes and prices apply. */
  readonly provider: StorageCloud;
  /** Own price table (validated); defaults to the provider's table in `DEFAULT_STORAGE_PRICES`. */
  readonly prices?: StoragePriceTable | undefined;
  /** Months over which total cost is compared; default 12. */
  readonly horizonMonths?: number | undefined;
  /**
   * Classes a move may target. Staying in the current class is always an option, so the result is
   * either the current class or one of these. Default: every class except those marked
   * `reducedDurability` (S3 ONEZONE_IA), which must be opted into by listing them.
   */
  readonly allowedClasses?: readonly string[] | undefined;
}

/** Recommendation for one object. Money in the price table's currency. */
export interface StorageRecommendation {
  /** Class to hold the object in (may equal the current class). */
  readonly storageClass: string;
  /** Class the object is in now. */
  readonly currentClass: string;
  /** Average recurring monthly cost over the horizon if it stays. */
  readonly currentMonthlyCost: number;
  /** Average recurring monthly cost over the horizon in the recommended class. */
  readonly recommendedMonthlyCost: number;
  /** `currentMonthlyCost − recommendedMonthlyCost`. */
  readonly monthlySavings: number;
  /**
   * One-time cost of moving: transition/copy request, retrieval when moving to a warmer class,
   * early-deletion charge of the current class, and the new class's minimum-duration shortfall
   * when the horizon is shorter than it. Zero when staying.
   */
  readonly transitionCost: number;
  /** Months of savings needed to repay `transitionCost`; 0 when staying or free to move. */
  readonly breakEvenMonths: number;
  /** Why this class won, in one sentence. */
  readonly reason: string;
}

/** Per-target-class totals in a {@link TieringSummary}. */
export interface TieringClassTotals {
  /** Objects recommended to be in this class (moved or staying). */
  objects: number;
  /** Their bytes. */
  bytes: number;
  /** Their summed monthly savings. */
  monthlySavings: number;
  /** How many of them move into the class (not already there). */
  moved: number;
  /**
   * Smallest `ageDays` among objects moving into the class, or `null` if none move; lifecycle
   * rules are age-based, so this is the earliest age a rule could use without missing them.
   */
  minMovedAgeDays: number | null;
}

/** Totals over a stream of recommendations, kept in constant memory. */
export interface TieringSummary {
  /** Objects seen. */
  objects: number;
  /** Bytes seen. */
  bytes: number;
  /** Summed monthly savings. */
  monthlySavings: number;
  /** Totals keyed by recommended class. */
  byTargetClass: Record<string, TieringClassTotals>;
}

/** A recommendation paired with the object it is for, as yielded by the streaming recommender. */
export type TieringResult<T extends StorageObject = StorageObject> = StorageRecommendation & {
  /** The input object, passed through untouched so callers keep their own keys. */
  readonly object: T;
};
