import * as z from '@almanac/core/schema';
import { parseInstant } from '../model/time';
import { COST_DIMENSIONS, TAG_KEY_PATTERN } from '../spec';

// Structural, so a signal from another realm (a test runner, a polyfill) is accepted too.
const isSignal = (value: unknown): boolean =>
  typeof value === 'object' &&
  value !== null &&
  typeof (value as AbortSignal).aborted === 'boolean' &&
  typeof (value as AbortSignal).addEventListener === 'function';

const signal = z.custom<AbortSignal>(isSignal, 'must be an AbortSignal').optional();
const timeoutMs = z.number().positive('must be a number > 0').optional();

/** Options every call takes; unknown keys are refused so a typo (`timeout`) is not silently ignored. */
export const operationOptionsSchema = z.object({ signal, timeoutMs }).strict();

const instant = z
  .string()
  .max(64, 'must be at most 64 characters')
  .refine((value) => parseInstant(value) !== undefined, 'must be an ISO date (2024-09-01) or an ISO date/time')
  .transform((value) => new Date(parseInstant(value)!).toISOString());

const tagKey = z.string().regex(TAG_KEY_PATTERN, 'must be 1 to 128 letters, digits, spaces or _ . : / = + - @');
const values = z.array(z.string().min(1, 'must not be empty').max(1024, 'must be at most 1024 characters')).min(1, 'must list at least one value').max(1000, 'must list at most 1000 values');

const groupKey = z.union([
  z.enum(COST_DIMENSIONS as [string, ...string[]]),
  z
    .string()
    .startsWith('Tag:', `must be one of ${COST_DIMENSIONS.join(', ')} or Tag:<key>`)
    .refine((value) => TAG_KEY_PATTERN.test(value.slice(4)), 'must be Tag:<key> with a key of 1 to 128 letters, digits, spaces or _ . : / = + - @'),
]);

/** `query` input. */
export const costQuerySchema = z.object({
  query: z
    .object({
      range: z
        .object({ start: instant, end: instant })
        .strict()
        .refine((range) => range.start < range.end, { message: 'end must be after start', path: ['end'] }),
      granularity: z.enum(['hourly', 'daily', 'monthly']),
      groupBy: z
        .array(groupKey)
        .max(10, 'must have at most 10 keys')
        .refine((keys) => new Set(keys).size === keys.length, 'must not repeat a key'),
      filter: z
        .object({
          ServiceName: values.optional(),
          ServiceCategory: values.optional(),
          SubAccountId: values.optional(),
          RegionId: values.optional(),
          ChargeCategory: values.optional(),
          tags: z.record(tagKey, values).optional(),
        })
        .strict()
        .optional(),
    })
    .strict(),
  options: operationOptionsSchema,
});

/** `forecast` input. */
export const forecastSchema = z.object({
  request: z
    .object({
      range: z
        .object({ start: instant, end: instant })
        .strict()
        .refine((range) => range.start < range.end, { message: 'end must be after start', path: ['end'] }),
      granularity: z.enum(['daily', 'monthly']).optional(),
      level: z.number().int('must be an integer').min(51, 'must be at least 51').max(99, 'must be at most 99').optional(),
    })
    .strict(),
  options: operationOptionsSchema,
});

/** Options of the facade factory. */
export const facadeOptionsSchema = z
  .object({
    timeoutMs,
    clock: z.custom((value) => typeof (value as { now?: unknown } | null)?.now === 'function', 'must be a Clock').optional(),
    logger: z.custom((value) => typeof (value as { debug?: unknown } | null)?.debug === 'function', 'must be a Logger').optional(),
    onAudit: z.custom((value) => typeof value === 'function', 'must be a function').optional(),
    tracer: z.custom((value) => typeof (value as { startSpan?: unknown } | null)?.startSpan === 'function', 'must be a Tracer').optional(),
  })
  .strict();
