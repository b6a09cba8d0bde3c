/**
 * `@almanac/oracle/scaling`: scaling: Kubernetes-compatible HPA replica counts and a recommender with
 * behaviour rules, predictive capacity, and instance rightsizing.
 *
 * @packageDocumentation
 */
export { recommendCapacity } from './capacity';
export type { CapacityInput, CapacityPoint, LoadSample } from './capacity';
export { hpaDesiredReplicas } from './hpa';
export type { HpaInput, HpaMetric, HpaReason, HpaResult } from './hpa';
export { createHpaRecommender } from './hpa-recommender';
export type {
  HpaBehavior,
  HpaRecommendation,
  HpaRecommendationReason,
  HpaRecommender,
  HpaRecommenderOptions,
  HpaRecommendInput,
  HpaScalingPolicy,
  HpaScalingRules,
} from './hpa-recommender';
export { rightsize } from './rightsize';
export type {
  InstanceSize,
  RightsizeInput,
  RightsizeResult,
  UsagePercentile,
  UsagePercentiles,
} from './rightsize';
