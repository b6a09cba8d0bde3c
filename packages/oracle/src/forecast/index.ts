/**
 * `@almanac/oracle/forecast`: forecasting: Holt-Winters exponential smoothing and seasonal period detection.
 *
 * @packageDocumentation
 */
export { forecastHoltWinters } from './holt-winters';
export type {
  HoltWintersForecast,
  HoltWintersOptions,
  HoltWintersParams,
  SeasonalKind,
} from './holt-winters';
export { detectPeriod } from './period';
export type { DetectPeriodOptions } from './period';
