// Anomaly detection: online scores for metric streams and daily cost anomalies/forecasts.
export {
  type CostAnomaly,
  type CostAnomalyOptions,
  type CostForecast,
  type CostForecastOptions,
  type CostForecastSeries,
  costAnomalies,
  type DailyCost,
  forecastCost,
} from './cost';
export { anomalyThreshold, type DetectAnomaliesOptions, type DetectedAnomaly, detectAnomalies } from './detect';
export type { AnomalyPoint } from './points';
export { type ScoreAnomaliesOptions, scoreAnomalies } from './score';
