import * as z from '@almanac/core/schema';
import { METRIC_NAMES, type MetricName } from '../spec';
import { timeRange } from '../facade/schemas';

/** Schema of `AdviseOptions`. */
export const adviseOptionsSchema = z.object({
  range: timeRange,
  periodSeconds: z.number().int().min(60).max(86_400).optional(),
  filter: z.object({}).passthrough().optional(),
  tags: z.record(z.string(), z.string()).optional(),
  rightsizing: z
    .union([z.literal(false), z.object({ percentile: z.enum(['p50', 'p90', 'p95', 'p99', 'max']).optional(), headroom: z.number().min(0).max(5).optional() })])
    .optional(),
  idle: z.union([z.literal(false), z.object({ cpuPercent: z.number().min(0).max(100).optional(), networkBytesPerDay: z.number().min(0).optional() })]).optional(),
  anomalies: z
    .union([
      z.literal(false),
      z.object({
        sensitivity: z.number().min(0).max(1).optional(),
        window: z.number().int().min(10).optional(),
        metrics: z.array(z.enum(METRIC_NAMES as unknown as [MetricName, ...MetricName[]])).min(1).optional(),
      }),
    ])
    .optional(),
  security: z.union([z.literal(false), z.object({ patchTagKeys: z.array(z.string().min(1)).optional() })]).optional(),
  sizes: z
    .array(
      z
        .object({ name: z.string().min(1), vcpus: z.number().positive(), memoryGiB: z.number().positive(), hourlyPrice: z.number().min(0).optional(), currency: z.string().regex(/^[A-Z]{3}$/, 'must be an ISO 4217 code').optional() })
        .passthrough(),
    )
    .min(1)
    .optional(),
  diskPricePerGiBMonth: z.number().min(0).optional(),
  hoursPerMonth: z.number().positive().max(744).optional(),
  signal: z.instanceof(AbortSignal, { message: 'must be an AbortSignal' }).optional(),
});
