export { createAutoscaler } from './create-autoscaler';
export type {
  Autoscaler,
  AutoscalerCooldown,
  AutoscalerDecision,
  AutoscalerDecisionEvent,
  AutoscalerErrorEvent,
  AutoscalerEvent,
  AutoscalerMetricSource,
  AutoscalerOptions,
  AutoscalerReasonCode,
  AutoscalerRunOptions,
  AutoscalerRunSummary,
  AutoscalerTarget,
  PredictiveLoadSample,
  PredictiveScaling,
} from './types';
