/** Comparison operators of audience conditions. */
export type ComparisonOperator = 'eq' | 'neq' | 'gt' | 'gte' | 'lt' | 'lte';

/** A scalar an audience compares against. */
export type AudienceValue = string | number | boolean;

/**
 * A profile trait (from the golden record in `profiles.traits`). `trait` must be an identifier
 * (letters, digits, underscores; at most 64): it becomes a JSON path, so anything else is refused.
 */
export type TraitCondition =
  | { readonly kind: 'trait'; readonly trait: string; readonly op: ComparisonOperator; readonly value: AudienceValue }
  | { readonly kind: 'trait'; readonly trait: string; readonly op: 'in'; readonly values: readonly AudienceValue[] }
  | { readonly kind: 'trait'; readonly trait: string; readonly op: 'contains'; readonly value: string }
  | { readonly kind: 'trait'; readonly trait: string; readonly op: 'exists' | 'missing' };

/** How many times the profile did `event` in the last `withinDays` days (before `asOf`). */
export interface EventCountCondition {
  /** Discriminant. */
  readonly kind: 'eventCount';
  /** Event name (any text: it is bound as a parameter). */
  readonly event: string;
  /** Comparison of the count. */
  readonly op: ComparisonOperator;
  /** Count to compare with (integer ≥ 0). */
  readonly count: number;
  /** Window length in days (> 0). */
  readonly withinDays: number;
}

/** Numeric prediction columns. */
export type NumericPrediction = 'churnProbability' | 'expectedPurchases' | 'predictedLtv';

/** A stored prediction (`predictions` table). */
export type PredictionCondition =
  | { readonly kind: 'prediction'; readonly field: NumericPrediction; readonly op: ComparisonOperator; readonly value: number }
  | { readonly kind: 'prediction'; readonly field: 'churnCategory' | 'ltvSegment'; readonly op: 'eq' | 'neq'; readonly value: string }
  | { readonly kind: 'prediction'; readonly field: 'churnCategory' | 'ltvSegment'; readonly op: 'in'; readonly values: readonly string[] };

/** Any audience condition, combinable with `and`, `or`, `not`. */
export type AudienceCondition =
  | TraitCondition
  | EventCountCondition
  | PredictionCondition
  | { readonly kind: 'and' | 'or'; readonly conditions: readonly AudienceCondition[] }
  | { readonly kind: 'not'; readonly condition: AudienceCondition };

/** A named audience. */
export interface Audience {
  /** Name, e.g. `high_value_at_risk` (an identifier: it names the trait set by `exportAudience`). */
  readonly name: string;
  /** Who is in it. */
  readonly where: AudienceCondition;
}
