import { PermissionError, ProviderError } from '@almanac/core';
import type { MetricPoint, TimeRange } from '../../spec';
import type { AwsCall } from './call';
import { AWS_PROVIDER } from './errors';
import type { AwsService } from './sdk';

/**
 * CloudWatch's cap on `MetricDataQueries` per `GetMetricData` call.
 * https://docs.aws.amazon.com/AmazonCloudWatch/latest/APIReference/API_GetMetricData.html
 */
export const MAX_QUERIES_PER_CALL = 500;

const DAY_MS = 86_400_000;

/**
 * The period CloudWatch can actually serve: a multiple of 60 s (standard resolution), of 300 s
 * once the start is more than 15 days old and of 3600 s beyond 63 days, because older data
 * only exists at those resolutions (retention rules on the `GetMetricData` page). Never less
 * than asked.
 */
export function cloudWatchPeriod(requestedSeconds: number, start: Date, nowMs: number): number {
  const age = nowMs - start.getTime();
  const step = age > 63 * DAY_MS ? 3600 : age > 15 * DAY_MS ? 300 : 60;
  return Math.max(step, Math.ceil(requestedSeconds / step) * step);
}

/** One metric of one resource to fetch. */
export interface CloudWatchQuery {
  /** Namespace, e.g. `AWS/EC2`. */
  readonly namespace: string;
  /** Metric name, e.g. `CPUUtilization`. */
  readonly metricName: string;
  /** Dimensions identifying the resource. */
  readonly dimensions: Readonly<Record<string, string>>;
  /** CloudWatch statistic. */
  readonly stat: 'Average' | 'Sum' | 'Maximum' | 'Minimum';
}

type Json = Record<string, unknown>;

function toDate(value: unknown): Date | undefined {
  if (value instanceof Date) return value;
  if (typeof value === 'number') return new Date(value * 1000);
  if (typeof value === 'string') return new Date(value);
  return undefined;
}

/**
 * Fetches every query over `range` with as few `GetMetricData` calls as CloudWatch allows: at
 * most {@link MAX_QUERIES_PER_CALL} queries per call, each call's pages followed through
 * `NextToken` (a page may carry part of several series). Never one call per resource.
 *
 * @returns the points of each query, in query order, sorted by time; `at` is the period start
 * (CloudWatch stamps each aggregate with the start of its period).
 */
export async function getMetricData(
  call: AwsCall,
  cloudwatch: AwsService,
  queries: readonly CloudWatchQuery[],
  request: { readonly range: TimeRange; readonly periodSeconds: number; readonly signal?: AbortSignal | undefined },
): Promise<MetricPoint[][]> {
  const points: MetricPoint[][] = queries.map(() => []);
  for (let offset = 0; offset < queries.length; offset += MAX_QUERIES_PER_CALL) {
    const batch = queries.slice(offset, offset + MAX_QUERIES_PER_CALL);
    // Ids must start with a lower-case letter and be unique within the call.
    const metricDataQueries = batch.map((query, index) => ({
      Id: `m${offset + index}`,
      MetricStat: {
        Metric: {
          Namespace: query.namespace,
          MetricName: query.metricName,
          Dimensions: Object.entries(query.dimensions).map(([Name, Value]) => ({ Name, Value })),
        },
        Period: request.periodSeconds,
        Stat: query.stat,
      },
      ReturnData: true,
    }));
    let nextToken: string | undefined;
    do {
      const output: Json = await call(
        cloudwatch,
        'GetMetricData',
        {
          MetricDataQueries: metricDataQueries,
          StartTime: request.range.start,
          EndTime: request.range.end,
          ScanBy: 'TimestampAscending',
          ...(nextToken !== undefined && { NextToken: nextToken }),
        },
        { idempotent: true, signal: request.signal },
      );
      for (const result of Array.isArray(output['MetricDataResults']) ? (output['MetricDataResults'] as Json[]) : []) {
        const index = /^m(\d+)$/.exec(String(result['Id'] ?? ''));
        const target = index === null ? undefined : points[Number(index[1])];
        if (target === undefined) continue;
        const status = result['StatusCode'];
        if (status === 'Forbidden') {
          throw new PermissionError(`aws: GetMetricData was not allowed to read ${String(result['Label'] ?? result['Id'])}`, {
            provider: AWS_PROVIDER,
            operation: 'GetMetricData',
          });
        }
        if (status === 'InternalError') {
          throw new ProviderError(`aws: GetMetricData failed for ${String(result['Label'] ?? result['Id'])}`, {
            provider: AWS_PROVIDER,
            operation: 'GetMetricData',
            retryable: true,
          });
        }
        const timestamps = Array.isArray(result['Timestamps']) ? result['Timestamps'] : [];
        const values = Array.isArray(result['Values']) ? result['Values'] : [];
        for (let i = 0; i < timestamps.length && i < values.length; i++) {
          const at = toDate(timestamps[i]);
          const value = values[i];
          if (at !== undefined && typeof value === 'number' && Number.isFinite(value)) target.push({ at, value });
        }
      }
      const token = output['NextToken'];
      nextToken = typeof token === 'string' && token !== '' ? token : undefined;
    } while (nextToken !== undefined);
  }
  for (const series of points) series.sort((a, b) => a.at.getTime() - b.at.getTime());
  return points;
}
