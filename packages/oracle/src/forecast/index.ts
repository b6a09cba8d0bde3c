// Forecasting: Holt-Winters exponential smoothing and seasonal period detection.
export { forecastHoltWinters, type HoltWintersForecast, type HoltWintersOptions, type HoltWintersParams, type SeasonalKind } from './holt-winters';
export { type DetectPeriodOptions, detectPeriod } from './period';
