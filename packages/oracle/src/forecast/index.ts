/**
 * `@almanac/oracle/forecast`: forecasting: exponential smoothing (Holt-Winters and automatic ETS
 * model selection by AICc) and seasonal period detection.
 *
 * @packageDocumentation
 */
export { forecastAuto } from './auto';
export type {
  AutoForecast,
  AutoForecastOptions,
  EtsBoundaryHit,
  EtsCandidate,
  EtsErrorKind,
  EtsInitialization,
  EtsModelReport,
  EtsParameterName,
  EtsSeasonKind,
  EtsTrendKind,
  IntervalMethod,
} from './auto';
export { forecastHoltWinters } from './holt-winters';
export type {
  HoltWintersForecast,
  HoltWintersOptions,
  HoltWintersParams,
  SeasonalKind,
} from './holt-winters';
export { detectPeriod } from './period';
export type { DetectPeriodOptions } from './period';
