import * as z from '@almanac/core/schema';

const id = z.string().refine((value) => value.trim().length > 0, 'must not be empty');
const entity = z.union([id, z.object({ id, name: z.string().optional(), description: z.string().optional() })]);
const capabilityFlags = z
  .object({
    users: z.boolean(),
    createUser: z.boolean(),
    search: z.boolean(),
    block: z.boolean(),
    revokeSessions: z.boolean(),
    roles: z.boolean(),
    groups: z.boolean(),
    mfaStatus: z.boolean(),
    signInActivity: z.boolean(),
    bulkExport: z.boolean(),
  })
  .partial()
  .strict();

/** Schema of the options `createMemoryIdentityProvider` reads (the facade checks its own). */
export const memoryOptionsSchema = z.object({
  users: z
    .array(
      z.object({
        id: id.optional(),
        email: z.email(),
        name: z.string().optional(),
        password: z.string().min(1).optional(),
        blocked: z.boolean().optional(),
        createdAt: z.date().optional(),
        lastLoginAt: z.date().optional(),
        lastLoginIp: z.string().optional(),
        mfaMethods: z.array(z.string()).optional(),
        roles: z.array(id).optional(),
        groups: z.array(id).optional(),
        metadata: z.record(z.string(), z.unknown()).optional(),
      }),
    )
    .optional(),
  roles: z.array(entity).optional(),
  groups: z.array(entity).optional(),
  clock: z.custom<object>((v) => typeof v === 'object' && v !== null && typeof (v as { now?: unknown }).now === 'function', 'must be a Clock').optional(),
  capabilities: capabilityFlags.optional(),
  maxListable: z.number().int().min(1).optional(),
});
