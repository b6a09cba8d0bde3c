export { createAutoscaler } from './create-autoscaler';
export type {
  Autoscaler,
  AutoscalerCooldown,
  AutoscalerDecision,
  AutoscalerEvent,
  AutoscalerMetricSource,
  AutoscalerOptions,
  AutoscalerReasonCode,
  AutoscalerRunOptions,
  AutoscalerRunSummary,
  AutoscalerTarget,
  PredictiveScaling,
} from './types';
