import * as z from '@almanac/core/schema';

const isSignal = (value: unknown): boolean =>
  typeof value === 'object' &&
  value !== null &&
  typeof (value as AbortSignal).aborted === 'boolean' &&
  typeof (value as AbortSignal).addEventListener === 'function';

/** A user, role or group id. */
export const idSchema = z
  .string()
  .max(1024, 'must be at most 1024 characters')
  .refine((value) => value.trim().length > 0, 'must not be empty');

const email = z.email('must be an email address').max(320, 'must be at most 320 characters');
const name = z.string().max(512, 'must be at most 512 characters').refine((value) => value.trim().length > 0, 'must not be empty');
// Never echoed: zod issues carry no input, and the messages below do not repeat it.
const password = z.string().min(1, 'must not be empty').max(1024, 'must be at most 1024 characters');
const metadata = z.record(z.string(), z.unknown());

/** `createUser` input. Unknown keys are refused so a typo (`pasword`) is not silently ignored. */
export const createUserSchema = z
  .object({
    email,
    name,
    password: password.optional(),
    connection: idSchema.optional(),
    metadata: metadata.optional(),
    idempotencyKey: z.string().min(1).max(256).optional(),
  })
  .strict();

/** `updateUser` input. */
export const updateUserSchema = z.object({
  id: idSchema,
  patch: z
    .object({
      email: email.optional(),
      name: name.optional(),
      password: password.optional(),
      metadata: z.record(z.string(), z.unknown().nullable()).optional(),
    })
    .strict()
    .refine((patch) => Object.values(patch).some((value) => value !== undefined), 'must change at least one field'),
});

/** Input of operations on one user. */
export const userIdSchema = z.object({ id: idSchema });

/** `findUserByEmail` input. */
export const emailSchema = z.object({ email });

/** `assignRoles`/`removeRoles` input. */
export const rolesSchema = z.object({
  id: idSchema,
  roles: z
    .array(idSchema)
    .min(1, 'must list at least one role')
    .max(100, 'must list at most 100 roles')
    .refine((roles) => new Set(roles).size === roles.length, 'must not repeat a role'),
});

/** `addToGroup`/`removeFromGroup` input. */
export const groupSchema = z.object({ id: idSchema, group: idSchema });

/** Call options shared by every operation. */
export const callOptionsSchema = z.object({
  signal: z.custom<AbortSignal>(isSignal, 'must be an AbortSignal').optional(),
  timeoutMs: z.number().positive('must be a number > 0').finite().optional(),
  actor: z.string().min(1, 'must not be empty').max(256).optional(),
});

/** `blockUser` options. */
export const blockOptionsSchema = callOptionsSchema.extend({ revokeSessions: z.boolean().optional() });

/** `listUsers` options. */
export const listUsersSchema = z
  .object({
    signal: z.custom<AbortSignal>(isSignal, 'must be an AbortSignal').optional(),
    timeoutMs: z.number().positive('must be a number > 0').finite().optional(),
    query: z.string().min(1, 'must not be empty').max(256).optional(),
    limit: z.number().int().min(1).optional(),
    pageSize: z.number().int().min(1).max(1_000).optional(),
  })
  .strict();

/** `createIdentity` options. */
export const identityOptionsSchema = z.object({
  timeoutMs: z.number().positive('must be a number > 0').finite().optional(),
  clock: z.custom<object>((v) => typeof v === 'object' && v !== null && typeof (v as { now?: unknown }).now === 'function', 'must be a Clock').optional(),
  logger: z
    .custom<object>(
      (v) => typeof v === 'object' && v !== null && typeof (v as { warn?: unknown }).warn === 'function' && typeof (v as { error?: unknown }).error === 'function',
      'must be a Logger',
    )
    .optional(),
  audit: z
    .custom<object>((v) => typeof v === 'object' && v !== null && typeof (v as { append?: unknown }).append === 'function', 'must be an AuditLog (createAuditLog)')
    .optional(),
  actor: z.string().min(1, 'must not be empty').max(256).optional(),
  onEvent: z.custom<(...args: never[]) => unknown>((v) => typeof v === 'function', 'must be a function').optional(),
  onAuditError: z.custom<(...args: never[]) => unknown>((v) => typeof v === 'function', 'must be a function').optional(),
  createUserAttempts: z.number().int().min(1).max(10).optional(),
  exportTimeoutMs: z.number().positive('must be a number > 0').finite().optional(),
});

/** `exportUsers` options. */
export const exportUsersSchema = listUsersSchema.omit({ pageSize: true });
