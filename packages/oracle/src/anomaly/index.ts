/**
 * `@almanac/oracle/anomaly`: anomaly detection: online anomaly scores for metric streams (NAB-scored) and
 * anomalies and forecasts of daily costs.
 *
 * @packageDocumentation
 */
export { costAnomalies, forecastCost } from './cost';
export type {
  CostAnomaly,
  CostAnomalyOptions,
  CostForecast,
  CostForecastOptions,
  CostForecastSeries,
  DailyCost,
} from './cost';
export { anomalyThreshold, detectAnomalies } from './detect';
export type { DetectAnomaliesOptions, DetectedAnomaly } from './detect';
export type { AnomalyPoint } from './points';
export { scoreAnomalies } from './score';
export type { AnomalyMethod } from './ensemble';
export type { ScoreAnomaliesOptions } from './score';
