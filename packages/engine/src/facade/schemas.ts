import * as z from '@almanac/core/schema';
import { INSTANCE_STATES, type InstanceState, METRIC_NAMES, type MetricName } from '../spec';

// Zod schemas of the facades' public inputs. Messages name what is expected; paths name the field.

/** An optional AbortSignal. */
export const signal = z.instanceof(AbortSignal, { message: 'must be an AbortSignal' }).optional();

const timeoutMs = z.number().int().positive().max(2_147_483_647).optional();

/** A provider id (instance id, ARN, resource id). */
export const id = z.string().min(1, 'must not be empty').max(2048);

/** A size name. */
export const sizeName = z.string().min(1, 'must not be empty').max(128);

/** Tag pairs: keys 1–128 characters, values up to 256 (the strictest of EC2 and Azure). */
export const tags = z.record(
  z.string().min(1, 'tag keys must not be empty').max(128, 'tag keys have at most 128 characters'),
  z.string().max(256, 'tag values have at most 256 characters'),
);

const state = z.enum(INSTANCE_STATES as unknown as [InstanceState, ...InstanceState[]]);

/** Options common to single calls. */
export const callOptions = z.object({ signal }).optional();

/** `listInstances` options. */
export const listInstancesSchema = z
  .object({
    filter: z
      .object({
        ids: z.array(id).min(1).max(1000).optional(),
        states: z.array(state).min(1).optional(),
        sizes: z.array(sizeName).min(1).optional(),
      })
      .optional(),
    tags: tags.optional(),
    pageSize: z.number().int().min(1).max(1000).optional(),
    signal,
  })
  .optional();

/** `getInstance`, `start`, `reboot`. */
export const instanceSchema = z.object({ id, signal });

/** `stop`. */
export const stopSchema = z.object({ id, deallocate: z.boolean().optional(), signal });

/** `resize`. */
export const resizeSchema = z.object({ id, size: sizeName, allowStop: z.boolean().optional(), timeoutMs, signal });

/** `setTags`. */
export const setTagsSchema = z
  .object({ id, tags, remove: z.array(z.string().min(1).max(128)).optional(), signal })
  .refine((input) => Object.keys(input.tags).length > 0 || (input.remove?.length ?? 0) > 0, { message: 'nothing to set or remove', path: ['tags'] });

/** A time range with `start < end`. */
export const timeRange = z
  .object({ start: z.date(), end: z.date() })
  .refine((range) => range.end.getTime() > range.start.getTime(), { message: 'must be after start', path: ['end'] });

/** `getMetrics`. */
export const metricsSchema = z.object({
  ids: z.array(id).min(1, 'needs at least one id').max(5000),
  metrics: z.array(z.enum(METRIC_NAMES as unknown as [MetricName, ...MetricName[]])).min(1, 'needs at least one metric'),
  range: timeRange,
  periodSeconds: z.number().int().min(1).max(86_400 * 31),
  signal,
});

/** `listSizes`. */
export const listSizesSchema = z.object({ id: id.optional(), signal }).optional();

/** `associateAddress` / `disassociateAddress`. */
export const addressSchema = z.object({ id, address: z.string().min(1).max(256), signal });

/** `setScaleSetCapacity`. */
export const capacitySchema = z.object({ id, capacity: z.number().int().min(0).max(10_000), signal });

/** `waitFor`. */
export const waitForSchema = z.object({
  id,
  states: z.array(state).min(1),
  timeoutMs,
  pollIntervalMs: z.number().int().positive().optional(),
  signal,
});

/** Options of the facades. */
export const facadeOptionsSchema = z
  .object({
    timeoutMs,
    waitTimeoutMs: timeoutMs,
    maxPollIntervalMs: z.number().int().positive().optional(),
    logger: z.object({ debug: z.function(), info: z.function(), warn: z.function(), error: z.function() }).passthrough().optional(),
    clock: z.object({ now: z.function(), sleep: z.function() }).passthrough().optional(),
    onAudit: z.function().optional(),
    tracer: z.object({ startSpan: z.function() }).passthrough().optional(),
  })
  .optional();

// ---------------------------------------------------------------------------------------------
// Containers
// ---------------------------------------------------------------------------------------------

const cluster = z.string().min(1, 'must not be empty').max(2048);
const service = z.string().min(1, 'must not be empty').max(2048);

/** `listServices`. */
export const listServicesSchema = z.object({ cluster, signal, onFailures: z.function().optional() });

/** `getService`. */
export const serviceSchema = z.object({ cluster, service, signal });

/** `scaleService`. */
export const scaleServiceSchema = z.object({ cluster, service, desiredCount: z.number().int().min(0), signal });

/** `serviceEvents`. */
export const serviceEventsSchema = z.object({ cluster, service, since: z.date().optional(), signal });

/** `getServiceMetrics`. */
export const serviceMetricsSchema = z.object({
  cluster,
  service,
  metrics: z.array(z.enum(['cpu', 'memory'])).min(1, 'needs at least one metric'),
  range: timeRange,
  periodSeconds: z.number().int().min(1).max(86_400 * 31),
  signal,
});

/** `waitForService`. */
export const waitForServiceSchema = z.object({ cluster, service, timeoutMs, pollIntervalMs: z.number().int().positive().optional(), signal });

const envName = z.string().regex(/^[A-Za-z_][A-Za-z0-9_]*$/, 'environment names are letters, digits and "_", not starting with a digit');

const container = z.object({
  name: z.string().regex(/^[A-Za-z0-9_-]{1,255}$/, 'container names are 1–255 letters, digits, "-" and "_"'),
  image: z.string().min(1, 'must not be empty').max(2048),
  cpu: z.number().int().min(0).max(10_240 * 4).optional(),
  memoryMiB: z.number().int().min(4).optional(),
  essential: z.boolean().optional(),
  portMappings: z
    .array(
      z.object({
        containerPort: z.number().int().min(1).max(65_535),
        hostPort: z.number().int().min(0).max(65_535).optional(),
        protocol: z.enum(['tcp', 'udp']).optional(),
      }),
    )
    .optional(),
  environment: z.record(envName, z.string()).optional(),
  secrets: z.record(envName, z.string().min(1, 'must reference a secret')).optional(),
  command: z.array(z.string()).optional(),
});

/** `registerTaskDefinition`: the shape ECS accepts, checked before the call. */
export const taskDefinitionSchema = z
  .object({
    family: z.string().regex(/^[A-Za-z0-9_-]{1,255}$/, 'family is 1–255 letters, digits, "-" and "_"'),
    containers: z.array(container).min(1, 'needs at least one container').max(10, 'at most 10 containers'),
    cpu: z.number().int().positive().optional(),
    memoryMiB: z.number().int().positive().optional(),
    networkMode: z.enum(['awsvpc', 'bridge', 'host', 'none']).optional(),
    requiresCompatibilities: z.array(z.enum(['EC2', 'FARGATE', 'EXTERNAL'])).optional(),
    executionRoleArn: z.string().min(1).optional(),
    taskRoleArn: z.string().min(1).optional(),
    tags: tags.optional(),
  })
  .superRefine((def, ctx) => {
    const names = new Set<string>();
    def.containers.forEach((c, i) => {
      if (names.has(c.name)) ctx.addIssue({ code: 'custom', message: `duplicate container name "${c.name}"`, path: ['containers', i, 'name'] });
      names.add(c.name);
    });
    if (def.requiresCompatibilities?.includes('FARGATE')) {
      if (def.cpu === undefined) ctx.addIssue({ code: 'custom', message: 'Fargate needs task cpu', path: ['cpu'] });
      if (def.memoryMiB === undefined) ctx.addIssue({ code: 'custom', message: 'Fargate needs task memoryMiB', path: ['memoryMiB'] });
      if (def.networkMode !== undefined && def.networkMode !== 'awsvpc') ctx.addIssue({ code: 'custom', message: 'Fargate needs networkMode awsvpc', path: ['networkMode'] });
    }
    if (def.containers.every((c) => c.essential === false)) ctx.addIssue({ code: 'custom', message: 'at least one container must be essential', path: ['containers'] });
  });
