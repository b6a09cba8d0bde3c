// The forecasting series of datasets/forecast (see its README) and statsmodels' reference numbers
// on them, for bench/oracle-forecast.bench.ts and packages/oracle/test/forecast-datasets.test.ts.
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { readDataset } from './signals/datasets';

/** One vendored series with its evaluation split. */
export interface ForecastSeries {
  readonly name: string;
  readonly frequency: string;
  /** Season length for seasonal models; undefined: non-seasonal. */
  readonly period: number | undefined;
  /** Held-out values at the end. */
  readonly holdout: number;
  readonly values: number[];
  readonly train: number[];
  readonly test: number[];
}

/** statsmodels' numbers on one series (bench/reference/statsmodels-forecast.json). */
export interface StatsmodelsReference {
  readonly name: string;
  readonly mae: number;
  readonly sse: number;
  readonly forecast: number[];
}

interface Manifest {
  series: { name: string; file: string; frequency: string; period?: number; holdout: number }[];
}

/**
 * Every series of `datasets/<folder>/series.json`, split into train and held-out test: `forecast`,
 * the classic evaluation set (default), or `forecast-dev`, the development set forecastAuto's
 * default was chosen on.
 */
export function forecastSeries(folder: 'forecast' | 'forecast-dev' = 'forecast'): ForecastSeries[] {
  const manifest = JSON.parse(readDataset(`${folder}/series.json`)) as Manifest;
  return manifest.series.map((s) => {
    const values = readDataset(`${folder}/${s.file}`)
      .trim()
      .split('\n')
      .slice(1)
      .map((line) => Number(line.split(',')[1]));
    return { name: s.name, frequency: s.frequency, period: s.period, holdout: s.holdout, values, train: values.slice(0, -s.holdout), test: values.slice(-s.holdout) };
  });
}

/** statsmodels' held-out MAE and in-sample SSE per series, by name (`dev`: on the development set). */
export function statsmodelsReference(dev = false): Map<string, StatsmodelsReference> {
  const file = path.resolve(import.meta.dirname, `reference/statsmodels-forecast${dev ? '-dev' : ''}.json`);
  const json = JSON.parse(readFileSync(file, 'utf8')) as { series: StatsmodelsReference[] };
  return new Map(json.series.map((r) => [r.name, r]));
}

/** Mean absolute error of `forecast` against `actual`. */
export function mae(forecast: readonly number[], actual: readonly number[]): number {
  let s = 0;
  for (let i = 0; i < actual.length; i++) s += Math.abs(forecast[i]! - actual[i]!);
  return s / actual.length;
}

/** In-sample MAE of the seasonal-naive one-step forecast (y_t ← y_{t−m}), the MASE scale (Hyndman & Koehler 2006). */
export function seasonalNaiveScale(train: readonly number[], period: number): number {
  let s = 0;
  for (let t = period; t < train.length; t++) s += Math.abs(train[t]! - train[t - period]!);
  return s / (train.length - period);
}

/** Seasonal-naive forecasts: each step repeats the value one season earlier. */
export function seasonalNaive(train: readonly number[], period: number, horizon: number): number[] {
  return Array.from({ length: horizon }, (_, h) => train[train.length - period + (h % period)]!);
}

/** R forecast::ets()'s automatic choice on one series (bench/reference/r-ets-forecast.json). */
export interface REtsReference {
  readonly name: string;
  readonly model: string;
  readonly mae: number;
}

/** R's ets() held-out MAE and chosen model per series, by name (no half-hourly: ets() refuses seasons > 24; `dev`: on the development set). */
export function rEtsReference(dev = false): Map<string, REtsReference> {
  const file = path.resolve(import.meta.dirname, `reference/r-ets-forecast${dev ? '-dev' : ''}.json`);
  const json = JSON.parse(readFileSync(file, 'utf8')) as { series: REtsReference[] };
  return new Map(json.series.map((r) => [r.name, r]));
}
