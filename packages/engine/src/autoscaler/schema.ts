import * as z from '@almanac/core/schema';

const fn = z.custom<(...args: never[]) => unknown>((v) => typeof v === 'function', 'must be a function');

/** Schema of `AutoscalerOptions` (the behavior object is checked by the oracle's recommender). */
export const autoscalerOptionsSchema = z
  .object({
    target: z.object({
      provider: z.custom<object>((v) => typeof v === 'object' && v !== null, 'must be a Containers facade or a ContainerServiceProvider'),
      cluster: z.string().min(1, 'must not be empty'),
      service: z.string().min(1, 'must not be empty'),
    }),
    metric: z.union([z.enum(['cpu', 'memory']), z.object({ name: z.string().min(1), unit: z.string().optional(), read: fn })]),
    targetValue: z.number().finite().positive(),
    minReplicas: z.number().int().min(1, 'must be ≥ 1 (scale-to-zero is not supported)'),
    maxReplicas: z.number().int().min(1),
    behavior: z.object({}).passthrough().optional(),
    cooldown: z.object({ scaleUpSeconds: z.number().min(0).max(86_400).optional(), scaleDownSeconds: z.number().min(0).max(86_400).optional() }).optional(),
    tolerance: z.number().min(0).max(1).optional(),
    metricMaxAgeSeconds: z.number().int().min(60).max(86_400).optional(),
    predictive: z
      .object({
        load: fn,
        perReplicaCapacity: z.number().finite().positive(),
        targetUtilization: z.number().gt(0).max(1).optional(),
        historyMs: z.number().int().positive().optional(),
        leadTimeMs: z.number().int().min(0).optional(),
        horizonMs: z.number().int().positive().optional(),
        confidence: z.number().gt(0.5).lt(1).optional(),
      })
      .optional(),
    dryRun: z.boolean().optional(),
    clock: z.object({ now: fn, sleep: fn }).passthrough().optional(),
    logger: z.object({ debug: fn, info: fn, warn: fn, error: fn }).passthrough().optional(),
    onEvent: fn.optional(),
    onAudit: fn.optional(),
    tracer: z.object({ startSpan: fn }).passthrough().optional(),
  })
  .refine((o) => o.maxReplicas >= o.minReplicas, { message: 'must be ≥ minReplicas', path: ['maxReplicas'] });

/** Schema of `run` options. */
export const runOptionsSchema = z.object({
  intervalMs: z.number().int().min(1000, 'must be ≥ 1000 ms'),
  signal: z.instanceof(AbortSignal, { message: 'must be an AbortSignal' }).optional(),
});

/** Schema of `evaluate` options. */
export const evaluateOptionsSchema = z.object({ signal: z.instanceof(AbortSignal, { message: 'must be an AbortSignal' }).optional() }).optional();
