export { type CapacityInput, type CapacityPoint, type LoadSample, recommendCapacity } from './capacity';
export { type HpaInput, type HpaMetric, type HpaReason, type HpaResult, hpaDesiredReplicas } from './hpa';
export {
  createHpaRecommender,
  type HpaBehavior,
  type HpaRecommendation,
  type HpaRecommendationReason,
  type HpaRecommender,
  type HpaRecommenderOptions,
  type HpaRecommendInput,
  type HpaScalingPolicy,
  type HpaScalingRules,
} from './hpa-recommender';
export { type InstanceSize, type RightsizeInput, type RightsizeResult, rightsize, type UsagePercentile, type UsagePercentiles } from './rightsize';
