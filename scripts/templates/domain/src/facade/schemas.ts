import * as z from '@almanac/core/schema';

// Structural, so a signal from another realm (a test runner, a polyfill) is accepted too.
const isSignal = (value: unknown): boolean =>
  typeof value === 'object' &&
  value !== null &&
  typeof (value as AbortSignal).aborted === 'boolean' &&
  typeof (value as AbortSignal).addEventListener === 'function';

const signal = z.custom<AbortSignal>(isSignal, 'must be an AbortSignal').optional();
const timeoutMs = z.number().positive('must be a number > 0').optional();
const text = (max: number) =>
  z
    .string()
    .max(max, `must be at most ${max} characters`)
    .refine((value) => value.trim().length > 0, 'must not be empty');

/** Options every call takes; unknown keys are refused so a typo (`timeout`) is not silently ignored. */
export const operationOptionsSchema = z.object({ signal, timeoutMs }).strict();

/** `getItem` input. */
export const getItemSchema = z.object({ id: text(1024), options: operationOptionsSchema });

/** `searchItems` input. */
export const searchItemsSchema = z.object({
  query: text(256),
  options: operationOptionsSchema.extend({
    limit: z.number().int('must be an integer').min(1, 'must be at least 1').max(1000, 'must be at most 1000').optional(),
  }),
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
