import * as z from '@almanac/core/schema';

const nonNegative = z.number().finite().nonnegative();
const date = z.date();
const tags = z.record(z.string(), z.string());

const loadProfile = z
  .object({
    cpuBase: nonNegative,
    cpuAmplitude: nonNegative,
    cpuNoise: nonNegative,
    peakHourUtc: z.number().min(0).max(24),
    memoryBase: nonNegative,
    memoryAmplitude: nonNegative,
    networkInBytesPerMinute: nonNegative,
    networkOutBytesPerMinute: nonNegative,
    diskReadOpsPerMinute: nonNegative,
    diskWriteOpsPerMinute: nonNegative,
  })
  .partial();

const instanceSeed = z.object({
  id: z.string().min(1).optional(),
  name: z.string().optional(),
  size: z.string().min(1).optional(),
  state: z.enum(['pending', 'running', 'stopped', 'deallocated', 'terminated']).optional(),
  region: z.string().min(1).optional(),
  zone: z.string().min(1).optional(),
  tags: tags.optional(),
  publicIps: z.array(z.string()).optional(),
  privateIps: z.array(z.string()).optional(),
  ingress: z.array(z.object({ protocol: z.enum(['tcp', 'udp', 'icmp', 'all']), source: z.string() }).passthrough()).optional(),
  disks: z.array(z.object({ id: z.string() }).passthrough()).optional(),
  launchedAt: date.optional(),
  load: z.union([z.enum(['idle', 'light', 'steady', 'busy']), loadProfile]).optional(),
});

const serviceSeed = z.object({
  cluster: z.string().min(1),
  name: z.string().min(1),
  desiredCount: z.number().int().nonnegative().optional(),
  taskDefinition: z.string().min(1).optional(),
  launchType: z.string().min(1).optional(),
  load: z
    .object({
      baseRps: nonNegative,
      amplitude: z.number().min(0).max(1),
      peakHourUtc: z.number().min(0).max(24),
      noise: nonNegative,
      rpsPerTask: z.number().positive(),
      memoryPercent: z.number().min(0).max(100),
    })
    .partial()
    .optional(),
  taskStartMs: nonNegative.optional(),
  createdAt: date.optional(),
});

/** Schema of `SimulatorOptions` (shapes only; sizes are checked against the catalogue later). */
export const simulatorOptionsSchema = z.object({
  clock: z.custom<object>((v) => typeof v === 'object' && v !== null && typeof (v as { now?: unknown }).now === 'function' && typeof (v as { sleep?: unknown }).sleep === 'function', 'must be a Clock (now, sleep)').optional(),
  seed: z.number().int().optional(),
  region: z.string().min(1).optional(),
  instances: z.array(instanceSeed).optional(),
  services: z.array(serviceSeed).optional(),
  scaleSets: z.array(z.object({ id: z.string().optional(), name: z.string().min(1), size: z.string().optional(), capacity: z.number().int().nonnegative().optional(), tags: tags.optional() })).optional(),
  delays: z
    .object({ startMs: nonNegative, stopMs: nonNegative, deallocateMs: nonNegative, rebootMs: nonNegative, taskStartMs: nonNegative, taskStartJitter: z.number().min(0).max(1) })
    .partial()
    .optional(),
  sizes: z.array(z.object({ name: z.string().min(1), vcpus: z.number().positive(), memoryGiB: z.number().positive() }).passthrough()).min(1).optional(),
  pageSize: z.number().int().min(1).max(1000).optional(),
});

/** Schema of a `SimulatorIncident`. */
export const incidentSchema = z
  .object({
    target: z.string().min(1),
    metric: z.enum(['cpu', 'memory', 'networkIn', 'networkOut', 'diskReadOps', 'diskWriteOps', 'load']).optional(),
    start: date,
    end: date,
    effect: z.union([z.literal('missing'), z.object({ add: z.number().finite() }), z.object({ multiply: z.number().finite().nonnegative() }), z.object({ set: z.number().finite() })]),
  })
  .refine((i) => i.end.getTime() > i.start.getTime(), { message: 'must be after start', path: ['end'] });

/** Schema of a `SimulatorFault`. */
export const faultSchema = z.object({
  operation: z.union([z.string().min(1), z.array(z.string().min(1))]).optional(),
  target: z.string().min(1).optional(),
  error: z.union([z.enum(['throttled', 'unavailable', 'timeout', 'auth', 'permission', 'conflict']), z.instanceof(Error)]).optional(),
  times: z.custom<number>((v) => v === Number.POSITIVE_INFINITY || (typeof v === 'number' && Number.isInteger(v) && v > 0), 'must be a positive integer or Infinity').optional(),
  probability: z.number().min(0).max(1).optional(),
  latencyMs: nonNegative.optional(),
});
