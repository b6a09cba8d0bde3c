/** Comparison operators of audience conditions. */
export type ComparisonOperator = 'eq' | 'neq' | 'gt' | 'gte' | 'lt' | 'lte';

/** A scalar an audience compares against. */
export type AudienceValue = string | number | boolean;

/**
 * A profile trait (from the golden record in `profiles.traits`). `trait` must be an identifier
 * (letters, digits, underscores; at most 64): it becomes a JSON path, so anything else is refused.
 */
export type TraitCondition = TraitComparison | TraitInList | TraitContains | TraitPresence;

/** Fields every trait condition has. */
export interface TraitConditionBase {
  /** Discriminant. */
  readonly kind: 'trait';
  /** Trait name (an identifier). */
  readonly trait: string;
}

/** The trait compared with a value (numbers compare numerically, other values as text). */
export interface TraitComparison extends TraitConditionBase {
  /** Operator. */
  readonly op: ComparisonOperator;
  /** Value. */
  readonly value: AudienceValue;
}

/** The trait equals one of the values. */
export interface TraitInList extends TraitConditionBase {
  /** Operator. */
  readonly op: 'in';
  /** Accepted values. */
  readonly values: readonly AudienceValue[];
}

/** The trait contains the text. */
export interface TraitContains extends TraitConditionBase {
  /** Operator. */
  readonly op: 'contains';
  /** Text to find. */
  readonly value: string;
}

/** The trait is set (`exists`) or not (`missing`). */
export interface TraitPresence extends TraitConditionBase {
  /** Operator. */
  readonly op: 'exists' | 'missing';
}

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
export type PredictionCondition = NumericPredictionCondition | CategoryPredictionCondition | CategoryInListCondition;

/** A numeric prediction compared with a number. */
export interface NumericPredictionCondition {
  /** Discriminant. */
  readonly kind: 'prediction';
  /** Column. */
  readonly field: NumericPrediction;
  /** Operator. */
  readonly op: ComparisonOperator;
  /** Number. */
  readonly value: number;
}

/** A category (`churnCategory`: low, medium, high, one-time; `ltvSegment`: top, high, medium, low) equal or not to a value. */
export interface CategoryPredictionCondition {
  /** Discriminant. */
  readonly kind: 'prediction';
  /** Column. */
  readonly field: 'churnCategory' | 'ltvSegment';
  /** Operator. */
  readonly op: 'eq' | 'neq';
  /** Category. */
  readonly value: string;
}

/** A category among the values. */
export interface CategoryInListCondition {
  /** Discriminant. */
  readonly kind: 'prediction';
  /** Column. */
  readonly field: 'churnCategory' | 'ltvSegment';
  /** Operator. */
  readonly op: 'in';
  /** Accepted categories. */
  readonly values: readonly string[];
}

/** Any audience condition, combinable with `and`, `or`, `not`. */
export type AudienceCondition = TraitCondition | EventCountCondition | PredictionCondition | AllOrAnyCondition | NotCondition;

/** All (`and`) or any (`or`) of the conditions. */
export interface AllOrAnyCondition {
  /** Discriminant. */
  readonly kind: 'and' | 'or';
  /** The conditions (1 to 100). */
  readonly conditions: readonly AudienceCondition[];
}

/** The condition does not hold. */
export interface NotCondition {
  /** Discriminant. */
  readonly kind: 'not';
  /** The negated condition. */
  readonly condition: AudienceCondition;
}

/** A named audience. */
export interface Audience {
  /** Name, e.g. `high_value_at_risk` (an identifier: it names the trait set by `exportAudience`). */
  readonly name: string;
  /** Who is in it. */
  readonly where: AudienceCondition;
}
