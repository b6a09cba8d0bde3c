import { expect } from 'vitest';
import type { MetricSeries, TimeRange } from '../spec';

const UNITS = ['percent', 'bytes', 'bytes/second', 'count', 'count/second'];
const STATISTICS = ['average', 'sum', 'maximum', 'minimum'];
const MEASURES = ['used', 'available', 'transferred', 'operations'];

/** Capabilities are one level deep: booleans, numbers, strings or lists of strings. */
export function checkFlatCapabilities(capabilities: object): void {
  for (const [key, value] of Object.entries(capabilities)) {
    const flat = typeof value === 'boolean' || typeof value === 'number' || typeof value === 'string' || (Array.isArray(value) && value.every((v) => typeof v === 'string'));
    expect(flat, `capabilities.${key} must be a boolean, number, string or list of strings`).toBe(true);
  }
}

/** A series with honest units, sorted points inside the range (periods may start up to one period before it). */
export function expectMetricSeries(series: MetricSeries, range: TimeRange): void {
  expect(UNITS).toContain(series.unit);
  expect(STATISTICS).toContain(series.statistic);
  expect(MEASURES).toContain(series.measure);
  expect(series.periodSeconds).toBeGreaterThan(0);
  let previous = Number.NEGATIVE_INFINITY;
  for (const point of series.points) {
    expect(point.at).toBeInstanceOf(Date);
    const t = point.at.getTime();
    expect(t).toBeGreaterThan(previous);
    previous = t;
    expect(t).toBeGreaterThan(range.start.getTime() - series.periodSeconds * 1000);
    expect(t).toBeLessThan(range.end.getTime());
    expect(Number.isFinite(point.value)).toBe(true);
    expect(point.value).toBeGreaterThanOrEqual(0);
    if (series.unit === 'percent') expect(point.value).toBeLessThanOrEqual(100);
  }
}
